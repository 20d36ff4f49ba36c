import * as vscode from 'vscode';
import { describeError, isApiError } from '../core/apiError';
import { Command, InternalCommand, type SetApiKeyOptions } from '../constants';
import type { CommandContext } from './context';

export function registerApiKeyCommands(ctx: CommandContext): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Command.setApiKey, (arg?: unknown) => promptForKey(ctx.scope(arg))),
    vscode.commands.registerCommand(InternalCommand.setApiKey, (options: SetApiKeyOptions) => saveCheckedKey(ctx.scope(options), options.apiKey)),
    vscode.commands.registerCommand(Command.clearApiKey, (arg?: unknown) => clearKey(ctx.scope(arg), false)),
    vscode.commands.registerCommand(InternalCommand.clearApiKey, (options?: unknown) => clearKey(ctx.scope(options), true)),
  ];
}

type KeyCheck = { ok: true; warning?: string } | { ok: false; message: string };

/** One list call with the new key: a 401 means the key is wrong; anything else cannot judge the key. */
async function checkKey(ctx: CommandContext, key: string): Promise<KeyCheck> {
  try {
    await ctx.session.clientForKey(key).listBatches({ limit: 1 });
    return { ok: true };
  } catch (e) {
    if (isApiError(e) && e.isAuthError) {
      // Status and request id only: the server's message may quote part of the key.
      const where = [e.status !== undefined ? `HTTP ${e.status}` : undefined, e.requestId ? `request ID ${e.requestId}` : undefined].filter(Boolean).join(', ');
      ctx.log.info(`A new API key was rejected by the server${where ? ` (${where})` : ''}; it was not saved.`);
    }
    if (isApiError(e) && (e.isAuthError || e.kind === 'config')) return { ok: false, message: describeError(e) };
    return { ok: true, warning: `The key is saved, but it could not be checked: ${describeError(e)}` };
  }
}

/** Password box; the key is checked before it is saved, and a rejected key keeps the box open. */
function promptForKey(ctx: CommandContext): Promise<boolean> {
  const input = vscode.window.createInputBox();
  const { name, isDefault } = ctx.session.connection;
  input.title = isDefault ? 'OpenAI Batches: Set API Key' : `OpenAI Batches: Set API Key for "${name}"`;
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

const REMOVE: vscode.MessageItem = { title: 'Remove Key' };

/**
 * Clear API Key: says what there is to clear, asks before removing a stored key (skipped when called
 * by the internal command), and says what applies afterwards. Resolves whether a key was removed.
 */
async function clearKey(ctx: CommandContext, confirmed: boolean): Promise<boolean> {
  const { stored, environment } = await ctx.session.keySources();
  const fromEnvironment = 'The key in the OPENAI_API_KEY environment variable';
  if (!stored) {
    void vscode.window.showInformationMessage(
      environment
        ? `No API key is stored, so there is nothing to clear. ${fromEnvironment} is in use; unset it and restart VS Code to disconnect.`
        : 'No API key is stored, so there is nothing to clear.',
    );
    return false;
  }
  if (!confirmed) {
    const choice = await vscode.window.showWarningMessage(
      'Remove the stored OpenAI API key?',
      { modal: true, detail: environment ? `${fromEnvironment} will be used instead.` : 'The OpenAI Batches view will ask for a key again.' },
      REMOVE,
    );
    if (choice !== REMOVE) return false;
  }
  await ctx.session.clearApiKey();
  void vscode.window.showInformationMessage(environment ? `The stored API key was removed. ${fromEnvironment} applies now.` : 'The stored API key was removed.');
  return true;
}
