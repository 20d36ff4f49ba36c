import * as vscode from 'vscode';
import { describeError, isApiError } from '../core/apiError';
import { settingToCheck } from '../core/settings';
import { Command } from '../constants';
import { openSettings } from '../services/settings';

/**
 * A failed action as one notification: what failed, the server's message, status and request id,
 * and the way out: Retry when the caller can, Set API Key after a 401, Open Settings when the endpoint
 * or the timeout may be to blame, else the log. Cancellations are not failures.
 */
export function showError(what: string, error: unknown, log: vscode.LogOutputChannel, retry?: () => unknown): void {
  if (isApiError(error) && error.isAborted) return;
  const text = `${what}: ${describeError(error)}`;
  log.error(text);
  const auth = isApiError(error) && error.isAuthError;
  const setting = settingToCheck(error);
  const actions = [retry ? 'Retry' : undefined, auth ? 'Set API Key' : setting ? 'Open Settings' : undefined, 'Show Log'].filter((a): a is string => !!a);
  void vscode.window.showErrorMessage(text, ...actions).then((choice) => {
    if (choice === 'Retry') void retry?.();
    else if (choice === 'Set API Key') void vscode.commands.executeCommand(Command.setApiKey);
    else if (choice === 'Open Settings') void openSettings(setting);
    else if (choice === 'Show Log') log.show(true);
  });
}
