import * as vscode from 'vscode';
import { ApiError } from '../core/apiError';
import { FILE_KIND, fileIdOf, type Batch, type FileKind } from '../core/batch';
import { FIRST_LINES, readFileForEditor, tooLargeReason } from '../core/editorFile';
import { dashboardUrl } from '../core/connection';
import type { FileObject } from '../core/fileObject';
import { formatBytes, formatCount } from '../core/format';
import { BatchFileProvider } from '../documents/batchFileProvider';
import { BatchJsonProvider } from '../documents/batchJsonProvider';
import { abortSignalFor } from '../documents/cancellation';
import { BATCHES_VIEW_ID, Command, Scheme } from '../constants';
import { largeFileThresholdBytes, openSettings } from '../services/settings';
import { asBatchOrFileNode, fileNode, resolveBatch, resolveFile, type FileTarget } from './batchTarget';
import type { CommandContext } from './context';
import { showError } from './showError';

export function registerBatchCommands(ctx: CommandContext): vscode.Disposable[] {
  const fileCommand = (kind: FileKind) => (arg: unknown) => openBatchFile(ctx, kind, arg);
  return [
    vscode.commands.registerCommand(Command.openBatchJson, (arg: unknown) => openBatchJson(ctx, arg)),
    vscode.commands.registerCommand(Command.openInputFile, fileCommand('input')),
    vscode.commands.registerCommand(Command.openOutputFile, fileCommand('output')),
    vscode.commands.registerCommand(Command.openErrorFile, fileCommand('error')),
    vscode.commands.registerCommand(Command.openFirstLines, (arg: unknown) => openFirstLines(ctx, arg)),
    vscode.commands.registerCommand(Command.copyBatchId, (arg: unknown) => copyBatchId(ctx, arg)),
    vscode.commands.registerCommand(Command.copyFileId, (arg: unknown) => copyFileId(ctx, arg)),
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
    return await openInEditor(ctx, { batch, kind, fileId }, 'whole');
  } catch (e) {
    showError(`Could not open the ${FILE_KIND[kind].label.toLowerCase()}`, e, ctx.log);
    return undefined;
  }
}

/** Open First Lines: the first lines of a file too large for a tab, streamed, in a read-only tab that says so. */
async function openFirstLines(ctx: CommandContext, arg: unknown): Promise<vscode.TextEditor | undefined> {
  try {
    const target = await resolveFile(ctx, arg, 'Open First Lines');
    return target ? await openInEditor(ctx, target, 'firstLines') : undefined;
  } catch (e) {
    showError('Could not open the first lines', e, ctx.log);
    return undefined;
  }
}

/** Fetches a file (or its first lines) with cancellable progress and shows it read-only as JSON Lines. */
async function openInEditor(ctx: CommandContext, target: FileTarget, part: 'whole' | 'firstLines'): Promise<vscode.TextEditor | undefined> {
  const ref = { batchId: target.batch.id, kind: target.kind, fileId: target.fileId };
  const wholeUri = BatchFileProvider.uri(ref);
  const open = part === 'whole' ? findOpenDocument(wholeUri) : undefined;
  if (open) return vscode.window.showTextDocument(open, { preview: true });
  const label = FILE_KIND[target.kind].label.toLowerCase();
  const title = part === 'whole' ? `Opening the ${label} of ${target.batch.id}` : `Reading the first ${formatCount(FIRST_LINES)} lines of the ${label} of ${target.batch.id}`;
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    let reported = 0;
    const file = await readFileForEditor(await ctx.session.readyClient(), target.fileId, largeFileThresholdBytes(), {
      signal: abortSignalFor(token),
      files: ctx.files,
      firstLines: part === 'firstLines' ? FIRST_LINES : undefined,
      onProgress: (received, total) => {
        if (part === 'firstLines') return progress.report({ message: formatBytes(received) });
        const pct = total ? (received / total) * 100 : 0;
        progress.report({ message: `${formatBytes(received)} of ${formatBytes(total ?? 0)}`, increment: pct - reported });
        reported = pct;
      },
    });
    if (file.kind === 'tooLarge') {
      offerLargeFile(target, file);
      return undefined;
    }
    if (token.isCancellationRequested) return undefined;
    const uri = file.kind === 'firstLines' ? BatchFileProvider.uri({ ...ref, firstLines: { lines: file.lines, bytes: file.bytes } }) : wholeUri;
    const already = findOpenDocument(uri);
    if (already) return vscode.window.showTextDocument(already, { preview: true });
    ctx.batchFiles.prefetch(uri, file.text);
    try {
      const doc = await vscode.workspace.openTextDocument(uri);
      const typed = doc.languageId === 'jsonl' ? doc : await vscode.languages.setTextDocumentLanguage(doc, 'jsonl');
      return await vscode.window.showTextDocument(typed, { preview: true });
    } finally {
      ctx.batchFiles.forget(uri);
    }
  });
}

const OPEN_FIRST_LINES = 'Open First Lines';
const DOWNLOAD = 'Download…';
const CHANGE_LIMIT = 'Change Limit';

/**
 * A file too large for a tab: its first lines, a download, or a larger limit. An error notification,
 * because only those stay until the user acts (the file row offers the same, too).
 */
function offerLargeFile(target: FileTarget, file: { readonly file: FileObject; readonly bytes?: number; readonly limit: number }): void {
  const name = file.file.filename ?? `The ${FILE_KIND[target.kind].label.toLowerCase()}`;
  void vscode.window.showErrorMessage(`${name} ${tooLargeReason(file)}.`, OPEN_FIRST_LINES, DOWNLOAD, CHANGE_LIMIT).then((choice) => {
    if (choice === OPEN_FIRST_LINES) void vscode.commands.executeCommand(Command.openFirstLines, fileNode(target));
    else if (choice === DOWNLOAD) void vscode.commands.executeCommand(Command.downloadFile, fileNode(target));
    else if (choice === CHANGE_LIMIT) void openSettings('largeFileThresholdMB');
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

async function copyFileId(ctx: CommandContext, arg: unknown): Promise<void> {
  try {
    const target = await resolveFile(ctx, arg, 'Copy File ID');
    if (!target) return;
    await vscode.env.clipboard.writeText(target.fileId);
    vscode.window.setStatusBarMessage(`$(copy) Copied ${target.fileId}`, 3000);
  } catch (e) {
    showError('Could not copy the file id', e, ctx.log);
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
