import * as vscode from 'vscode';
import { describeError, isApiError } from '../core/apiError';
import { Command } from '../constants';

/**
 * A failed action as one notification: what failed, the server's message, status and request id,
 * and the way out (Set API Key after a 401; the log for details). Cancellations are not failures.
 */
export function showError(what: string, error: unknown, log: vscode.LogOutputChannel): void {
  if (isApiError(error) && error.isAborted) return;
  const text = `${what}: ${describeError(error)}`;
  log.error(text);
  const auth = isApiError(error) && error.isAuthError;
  const actions = auth ? ['Set API Key', 'Show Log'] : ['Show Log'];
  void vscode.window.showErrorMessage(text, ...actions).then((choice) => {
    if (choice === 'Set API Key') void vscode.commands.executeCommand(Command.setApiKey);
    else if (choice === 'Show Log') log.show(true);
  });
}
