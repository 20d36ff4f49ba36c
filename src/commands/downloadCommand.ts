import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { FILE_KIND, fileIdOf, FILE_KINDS, type Batch, type FileKind } from '../core/batch';
import { defaultDownloadName, downloadFile } from '../core/download';
import { formatBytes } from '../core/format';
import { abortSignalFor } from '../documents/cancellation';
import { Command, InternalCommand, type DownloadOptions } from '../constants';
import { asBatchOrFileNode, batchById, resolveBatch } from './batchTarget';
import type { CommandContext } from './context';
import { showError } from './showError';


interface DownloadTarget {
  readonly batch: Batch;
  readonly kind: FileKind;
  readonly fileId: string;
}

export function registerDownloadCommand(ctx: CommandContext): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Command.downloadFile, (arg?: unknown) => download(ctx, () => resolveTarget(ctx, arg), askDestination)),
    vscode.commands.registerCommand(InternalCommand.downloadFile, (options: DownloadOptions) =>
      download(
        ctx,
        async () => {
          const batch = await batchById(ctx, options.batchId);
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
  target: () => Promise<DownloadTarget | undefined>,
  destination: (target: DownloadTarget) => Thenable<vscode.Uri | undefined>,
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

async function resolveTarget(ctx: CommandContext, arg: unknown): Promise<DownloadTarget | undefined> {
  const node = asBatchOrFileNode(arg);
  if (node?.type === 'file') return { batch: node.batch, kind: node.kind, fileId: node.fileId };
  const batch = await resolveBatch(ctx, arg, { title: 'Download File…', filter: (b) => FILE_KINDS.some((k) => fileIdOf(b, k)) });
  if (!batch) return undefined;
  const kinds = FILE_KINDS.filter((k) => fileIdOf(batch, k));
  if (kinds.length === 0) {
    void vscode.window.showInformationMessage(`${batch.id} has no files yet.`);
    return undefined;
  }
  const kind =
    kinds.length === 1
      ? kinds[0]
      : (await vscode.window.showQuickPick(
          kinds.map((k) => ({ label: `$(${FILE_KIND[k].icon}) ${FILE_KIND[k].label}`, description: fileIdOf(batch, k), fileKind: k })),
          { title: `Download a file of ${batch.id}` },
        ))?.fileKind;
  return kind ? { batch, kind, fileId: fileIdOf(batch, kind)! } : undefined;
}

function askDestination(target: DownloadTarget): Thenable<vscode.Uri | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
  return vscode.window.showSaveDialog({
    title: `Save the ${FILE_KIND[target.kind].label.toLowerCase()} of ${target.batch.id}`,
    defaultUri: vscode.Uri.joinPath(folder, defaultDownloadName(target.batch.id, target.kind)),
    filters: { 'JSON Lines': ['jsonl'] },
    saveLabel: 'Download',
  });
}

async function saveTo(ctx: CommandContext, target: DownloadTarget, to: vscode.Uri): Promise<vscode.Uri | undefined> {
  if (to.scheme !== 'file') throw new Error(`Downloads go to a local folder; ${to.toString()} is not one.`);
  const name = path.basename(to.fsPath);
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Downloading ${name}`, cancellable: true },
    async (progress, token) => {
      const client = await ctx.session.readyClient();
      const signal = abortSignalFor(token);
      const meta = await client.retrieveFile(target.fileId, signal);
      const total = meta.bytes;
      const started = Date.now();
      let reportedPct = 0;
      let lastReport = 0;
      const bytes = await downloadFile(client, target.fileId, to.fsPath, {
        signal,
        expectedBytes: total,
        onProgress: (received) => {
          const now = Date.now();
          if (now - lastReport < 200 && received !== total) return; // a notification redraw per chunk would cost more than the chunk
          lastReport = now;
          const rate = received / Math.max(0.001, (now - started) / 1000);
          const pct = total ? (received / total) * 100 : 0;
          const of = total ? ` of ${formatBytes(total)} (${pct.toFixed(0)}%)` : '';
          progress.report({ message: `${formatBytes(received)}${of} · ${formatBytes(rate)}/s`, increment: pct - reportedPct });
          reportedPct = pct;
        },
      });
      ctx.log.info(`Downloaded ${target.fileId} (${bytes} bytes) to ${to.fsPath} in ${Date.now() - started} ms.`);
      void vscode.window.showInformationMessage(`Saved ${name} (${formatBytes(bytes)}).`, 'Reveal').then((choice) => {
        if (choice) void vscode.commands.executeCommand('revealFileInOS', to);
      });
      return to;
    },
  );
}
