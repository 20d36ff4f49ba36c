import * as vscode from 'vscode';
import { describeError, isApiError } from '../core/apiError';
import { Command, InternalCommand, type SetApiKeyOptions } from '../constants';
import type { CommandContext } from './context';

export function registerApiKeyCommands(ctx: CommandContext): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Command.setApiKey, () => promptForKey(ctx)),
    vscode.commands.registerCommand(InternalCommand.setApiKey, (options: SetApiKeyOptions) => saveCheckedKey(ctx, options.apiKey)),
    vscode.commands.registerCommand(Command.clearApiKey, () => clearKey(ctx)),
  ];
}

type KeyCheck = { ok: true; warning?: string } | { ok: false; message: string };

/** One list call with the new key: a 401 means the key is wrong; anything else cannot judge the key. */
async function checkKey(ctx: CommandContext, key: string): Promise<KeyCheck> {
  try {
    await ctx.session.clientForKey(key).listBatches({ limit: 1 });
    return { ok: true };
  } catch (e) {
    if (isApiError(e) && (e.isAuthError || e.kind === 'config')) return { ok: false, message: describeError(e) };
    return { ok: true, warning: `The key is saved, but it could not be checked: ${describeError(e)}` };
  }
}

/** Password box; the key is checked before it is saved, and a rejected key keeps the box open. */
function promptForKey(ctx: CommandContext): Promise<boolean> {
  const input = vscode.window.createInputBox();
  input.title = 'OpenAI Batches: Set API Key';
  input.prompt = "Paste an OpenAI API key. It is checked with one request, then kept in VS Code's secret storage.";
  input.placeholder = 'sk-…';
  input.password = true;
  input.ignoreFocusOut = true;
  return new Promise<boolean>((resolve) => {
    let saved = false;
    input.onDidChangeValue(() => (input.validationMessage = undefined));
    input.onDidAccept(async () => {
      const key = input.value.trim();
      if (!key) {
        input.validationMessage = 'Enter an API key.';
        return;
      }
      input.busy = true;
      input.enabled = false;
      const check = await checkKey(ctx, key);
      input.busy = false;
      input.enabled = true;
      if (!check.ok) {
        input.validationMessage = check.message;
        return;
      }
      await ctx.session.storeApiKey(key);
      saved = true;
      input.hide();
      announceSaved(check.warning);
    });
    input.onDidHide(() => {
      input.dispose();
      resolve(saved);
    });
    input.show();
  });
}

/** The internal command: the same check and storage without the input box. */
async function saveCheckedKey(ctx: CommandContext, key: string): Promise<boolean> {
  const check = await checkKey(ctx, key.trim());
  if (!check.ok) {
    // Logged like every other failure notification, so "Show Log" has it too.
    const text = `The API key was not saved: ${check.message}`;
    ctx.log.error(text);
    void vscode.window.showErrorMessage(text);
    return false;
  }
  await ctx.session.storeApiKey(key.trim());
  announceSaved(check.warning);
  return true;
}

function announceSaved(warning: string | undefined): void {
  if (warning) void vscode.window.showWarningMessage(warning);
  else vscode.window.setStatusBarMessage('$(key) OpenAI API key saved', 3000);
}

async function clearKey(ctx: CommandContext): Promise<void> {
  await ctx.session.clearApiKey();
  const state = ctx.session.state;
  void vscode.window.showInformationMessage(
    state.ok && state.connection.keySource === 'environment'
      ? 'The stored API key is cleared. The OPENAI_API_KEY environment variable is still used.'
      : 'The stored API key is cleared.',
  );
}
