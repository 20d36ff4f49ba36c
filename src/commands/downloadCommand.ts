import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { FILE_KIND, fileIdOf } from '../core/batch';
import { defaultDownloadName, downloadFile, progressReporter } from '../core/download';
import { formatBytes } from '../core/format';
import { abortSignalFor } from '../documents/cancellation';
import { Command, InternalCommand, type DownloadOptions } from '../constants';
import { batchById, resolveFile, type FileTarget } from './batchTarget';
import type { CommandContext } from './context';
import { showError } from './showError';

export function registerDownloadCommand(ctx: CommandContext): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Command.downloadFile, (arg?: unknown) => {
      const at = ctx.scope(arg);
      return download(at, () => resolveFile(at, arg, 'Download File…'), askDestination);
    }),
    vscode.commands.registerCommand(InternalCommand.downloadFile, (options: DownloadOptions) =>
      download(
        ctx.scope(options),
        async () => {
          const batch = await batchById(ctx.scope(options), options.batchId);
          const fileId = fileIdOf(batch, options.kind);
          if (!fileId) throw new Error(`${batch.id} has no ${FILE_KIND[options.kind].label.toLowerCase()}.`);
          return { batch, kind: options.kind, fileId };
        },
        async () => options.destination,
      ),
    ),
  ];
}

/**
 * Download File…: from a file row, a batch row (asks which file), or the palette (asks which batch), then
 * where to save it. Streams to disk with cancellable progress; returns the saved file's URI.
 */
async function download(
  ctx: CommandContext,
  target: () => Promise<FileTarget | undefined>,
  destination: (target: FileTarget) => Thenable<vscode.Uri | undefined>,
): Promise<vscode.Uri | undefined> {
  try {
    const chosen = await target();
    if (!chosen) return undefined;
    const to = await destination(chosen);
    if (!to) return undefined;
    return await saveTo(ctx, chosen, to);
  } catch (e) {
    showError('The download failed', e, ctx.log);
    return undefined;
  }
}

function askDestination(target: FileTarget): Thenable<vscode.Uri | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
  return vscode.window.showSaveDialog({
    title: `Save the ${FILE_KIND[target.kind].label.toLowerCase()} of ${target.batch.id}`,
    defaultUri: vscode.Uri.joinPath(folder, defaultDownloadName(target.batch.id, target.kind)),
    filters: { 'JSON Lines': ['jsonl'] },
    saveLabel: 'Download',
  });
}

async function saveTo(ctx: CommandContext, target: FileTarget, to: vscode.Uri): Promise<vscode.Uri | undefined> {
  if (to.scheme !== 'file') throw new Error(`Downloads go to a local folder; ${to.toString()} is not one.`);
  const name = path.basename(to.fsPath);
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Downloading ${name}`, cancellable: true },
    async (progress, token) => {
      const client = await ctx.session.readyClient();
      const signal = abortSignalFor(token);
      const meta = await ctx.files.load(client, target.fileId, { retry: true, signal });
      const total = meta.bytes;
      const started = Date.now();
      const bytes = await downloadFile(client, target.fileId, to.fsPath, {
        signal,
        expectedBytes: total,
        onProgress: progressReporter(total, (message, increment) => progress.report({ message, increment })),
      });
      ctx.log.info(`Downloaded ${target.fileId} (${bytes} bytes) to ${to.fsPath} in ${Date.now() - started} ms.`);
      offerSaved(to, `Saved ${name} (${formatBytes(bytes)}).`);
      return to;
    },
  );
}

/**
 * What to do with a saved file. The OS file manager is only reachable from a desktop window on this
 * machine; in a browser or a remote window the file is revealed in the Explorer view instead (when it
 * is in the workspace, where a download goes by default).
 */
function offerSaved(file: vscode.Uri, message: string): void {
  const osReveal = vscode.env.uiKind === vscode.UIKind.Desktop && vscode.env.remoteName === undefined;
  const reveal = osReveal ? 'Reveal' : vscode.workspace.getWorkspaceFolder(file) ? 'Reveal in Explorer View' : undefined;
  const actions = ['Open', reveal].filter((a): a is string => !!a);
  void vscode.window.showInformationMessage(message, ...actions).then((choice) => {
    if (choice === 'Open') void vscode.commands.executeCommand('vscode.open', file);
    else if (choice === 'Reveal') void vscode.commands.executeCommand('revealFileInOS', file);
    else if (choice === 'Reveal in Explorer View') void vscode.commands.executeCommand('revealInExplorer', file);
  });
}
