import * as vscode from 'vscode';
import { ApiError } from '../core/apiError';
import { FILE_KIND, fileIdOf, type Batch, type FileKind } from '../core/batch';
import { readFileForEditor, tooLargeReason } from '../core/editorFile';
import { dashboardUrl } from '../core/connection';
import { formatBytes } from '../core/format';
import { BatchFileProvider, largeFileThresholdBytes } from '../documents/batchFileProvider';
import { BatchJsonProvider } from '../documents/batchJsonProvider';
import { abortSignalFor } from '../documents/cancellation';
import { BATCHES_VIEW_ID, Command, Scheme } from '../constants';
import type { FileNode } from '../views/treeNodes';
import { asBatchOrFileNode, resolveBatch } from './batchTarget';
import type { CommandContext } from './context';
import { showError } from './showError';

export function registerBatchCommands(ctx: CommandContext): vscode.Disposable[] {
  const fileCommand = (kind: FileKind) => (arg: unknown) => openBatchFile(ctx, kind, arg);
  return [
    vscode.commands.registerCommand(Command.openBatchJson, (arg: unknown) => openBatchJson(ctx, arg)),
    vscode.commands.registerCommand(Command.openInputFile, fileCommand('input')),
    vscode.commands.registerCommand(Command.openOutputFile, fileCommand('output')),
    vscode.commands.registerCommand(Command.openErrorFile, fileCommand('error')),
    vscode.commands.registerCommand(Command.copyBatchId, (arg: unknown) => copyBatchId(ctx, arg)),
    vscode.commands.registerCommand(Command.openInDashboard, (arg: unknown) => openInDashboard(ctx, arg)),
    vscode.commands.registerCommand(Command.refreshDocument, (uri?: vscode.Uri) => refreshDocument(ctx, uri)),
  ];
}

async function openBatchJson(ctx: CommandContext, arg: unknown): Promise<vscode.TextEditor | undefined> {
  try {
    const batch = await resolveBatch(ctx, arg, { title: 'Open Batch JSON' });
    if (!batch) return undefined;
    const uri = BatchJsonProvider.uri(batch.id);
    return await vscode.window.withProgress({ location: { viewId: BATCHES_VIEW_ID } }, async () => {
      const open = findOpenDocument(uri);
      if (open) {
        await ctx.batchJson.refresh(uri); // same tab, fresh content
        return vscode.window.showTextDocument(open, { preview: true });
      }
      await ctx.batchJson.fetch(uri);
      return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true });
    });
  } catch (e) {
    showError('Could not open the batch', e, ctx.log);
    return undefined;
  }
}

async function openBatchFile(ctx: CommandContext, kind: FileKind, arg: unknown): Promise<vscode.TextEditor | undefined> {
  try {
    const batch = await resolveBatch(ctx, arg, {
      title: `Open ${FILE_KIND[kind].label}`,
      filter: (b) => fileIdOf(b, kind) !== undefined,
    });
    if (!batch) return undefined;
    const node = asBatchOrFileNode(arg);
    const fileId = node?.type === 'file' && node.kind === kind ? node.fileId : fileIdOf(batch, kind);
    if (!fileId) {
      void vscode.window.showInformationMessage(noFileMessage(batch, kind));
      return undefined;
    }
    const uri = BatchFileProvider.uri({ batchId: batch.id, kind, fileId });
    const open = findOpenDocument(uri);
    if (open) return await vscode.window.showTextDocument(open, { preview: true });
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Opening the ${FILE_KIND[kind].label.toLowerCase()} of ${batch.id}`, cancellable: true },
      async (progress, token) => {
        let reported = 0;
        const file = await readFileForEditor(await ctx.session.readyClient(), fileId, largeFileThresholdBytes(), {
          signal: abortSignalFor(token),
          onProgress: (received, total) => {
            const pct = total ? (received / total) * 100 : 0;
            progress.report({ message: `${formatBytes(received)} of ${formatBytes(total ?? 0)}`, increment: pct - reported });
            reported = pct;
          },
        });
        if (file.kind === 'tooLarge') {
          offerDownload(batch, kind, fileId, file);
          return undefined;
        }
        if (token.isCancellationRequested) return undefined;
        ctx.batchFiles.prefetch(uri, file.text);
        try {
          const doc = await vscode.workspace.openTextDocument(uri);
          const typed = doc.languageId === 'jsonl' ? doc : await vscode.languages.setTextDocumentLanguage(doc, 'jsonl');
          return await vscode.window.showTextDocument(typed, { preview: true });
        } finally {
          ctx.batchFiles.forget(uri);
        }
      },
    );
  } catch (e) {
    showError(`Could not open the ${FILE_KIND[kind].label.toLowerCase()}`, e, ctx.log);
    return undefined;
  }
}

function offerDownload(batch: Batch, kind: FileKind, fileId: string, file: { bytes?: number; limit: number }): void {
  void vscode.window
    .showWarningMessage(
      `The ${FILE_KIND[kind].label.toLowerCase()} of ${batch.id} (${fileId}) ${tooLargeReason(file)} (setting openaiBatches.largeFileThresholdMB).`,
      'Download…',
    )
    .then((choice) => {
      if (choice) void vscode.commands.executeCommand(Command.downloadFile, { type: 'file', batch, kind, fileId } satisfies FileNode);
    });
}

function noFileMessage(batch: Batch, kind: FileKind): string {
  if (kind === 'output' && batch.errorFileId) return `${batch.id} has no output file: no request succeeded. Its error file has the details.`;
  if (kind === 'error') return `${batch.id} has no error file: no request failed (so far).`;
  return `${batch.id} has no ${FILE_KIND[kind].label.toLowerCase()}${batch.status === 'completed' ? '' : ' yet'}.`;
}

async function copyBatchId(ctx: CommandContext, arg: unknown): Promise<void> {
  try {
    const batch = await resolveBatch(ctx, arg, { title: 'Copy Batch ID' });
    if (!batch) return;
    await vscode.env.clipboard.writeText(batch.id);
    vscode.window.setStatusBarMessage(`$(copy) Copied ${batch.id}`, 3000);
  } catch (e) {
    showError('Could not copy the batch id', e, ctx.log);
  }
}

async function openInDashboard(ctx: CommandContext, arg: unknown): Promise<void> {
  try {
    const batch = await resolveBatch(ctx, arg, { title: 'Open in OpenAI Dashboard' });
    if (batch) await vscode.env.openExternal(vscode.Uri.parse(dashboardUrl(batch.id)));
  } catch (e) {
    showError('Could not open the dashboard', e, ctx.log);
  }
}

async function refreshDocument(ctx: CommandContext, uri: vscode.Uri | undefined): Promise<void> {
  const target = uri ?? vscode.window.activeTextEditor?.document.uri;
  if (target?.scheme !== Scheme.batch) {
    showError('Nothing to refresh', new ApiError({ kind: 'config', message: 'The active editor is not a batch document.' }), ctx.log);
    return;
  }
  try {
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Refreshing batch' }, () => ctx.batchJson.refresh(target));
  } catch (e) {
    showError('Could not refresh the batch', e, ctx.log);
  }
}

function findOpenDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
  const key = uri.toString();
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === key && !d.isClosed);
}
