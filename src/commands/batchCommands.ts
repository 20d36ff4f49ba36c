import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ApiError } from '../core/apiError';
import { FILE_KIND, fileIdOf, type Batch, type FileKind } from '../core/batch';
import { changedSince, type InputOrigin } from '../core/inputOrigins';
import { FIRST_LINES, readFileForEditor, tooLargeReason } from '../core/editorFile';
import type { FileObject } from '../core/fileObject';
import { formatBytes, formatCount } from '../core/format';
import { BatchFileProvider } from '../documents/batchFileProvider';
import { BatchJsonProvider } from '../documents/batchJsonProvider';
import { abortSignalFor } from '../documents/cancellation';
import { BATCHES_VIEW_ID, Command, Scheme } from '../constants';
import { largeFileThresholdBytes, openSettings } from '../services/settings';
import type { ValidationErrorNode } from '../views/treeNodes';
import { asBatchOrFileNode, fileNode, resolveBatch, resolveFile, type FileTarget } from './batchTarget';
import type { CommandContext } from './context';
import { showError } from './showError';

export function registerBatchCommands(ctx: CommandContext): vscode.Disposable[] {
  const fileCommand = (kind: FileKind) => (arg: unknown) => openBatchFile(ctx.scope(arg), kind, arg);
  return [
    vscode.commands.registerCommand(Command.openBatchJson, (arg: unknown) => openBatchJson(ctx.scope(arg), arg)),
    vscode.commands.registerCommand(Command.openInputFile, fileCommand('input')),
    vscode.commands.registerCommand(Command.openOutputFile, fileCommand('output')),
    vscode.commands.registerCommand(Command.openErrorFile, fileCommand('error')),
    vscode.commands.registerCommand(Command.openFirstLines, (arg: unknown) => openFirstLines(ctx.scope(arg), arg)),
    vscode.commands.registerCommand(Command.openErrorLine, (arg: unknown) => openErrorLine(ctx.scope(arg), arg)),
    vscode.commands.registerCommand(Command.copyBatchId, (arg: unknown) => copyBatchId(ctx.scope(arg), arg)),
    vscode.commands.registerCommand(Command.copyFileId, (arg: unknown) => copyFileId(ctx.scope(arg), arg)),
    vscode.commands.registerCommand(Command.refreshDocument, (uri?: vscode.Uri) => refreshDocument(ctx, uri)),
  ];
}

async function openBatchJson(ctx: CommandContext, arg: unknown): Promise<vscode.TextEditor | undefined> {
  try {
    const batch = await resolveBatch(ctx, arg, { title: 'Open Batch JSON' });
    if (!batch) return undefined;
    const uri = BatchJsonProvider.uri(batch.id, ctx.session.connection.name);
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

/**
 * A validation error's line: in the local file the batch was created from in this workspace, when it is
 * still there, else in the uploaded input file (as Open Input File opens it, size limit included).
 */
async function openErrorLine(ctx: CommandContext, arg: unknown): Promise<vscode.TextEditor | undefined> {
  const node = arg as Partial<ValidationErrorNode> | undefined;
  if (node?.type !== 'validationError' || !node.batch || !node.error) return undefined;
  const { line } = node.error;
  try {
    const batch = ctx.store.get(node.batch.id) ?? node.batch;
    const local = await localInput(ctx.origins.get(batch.inputFileId));
    if (local) {
      const doc = await vscode.workspace.openTextDocument(local.uri);
      const editor = await vscode.window.showTextDocument(doc, { preview: true });
      if (line !== undefined) revealLine(editor, line);
      if (local.changed && batch.inputFileId) offerUploaded(ctx, batch, local.uri, line);
      return editor;
    }
    if (!batch.inputFileId) {
      void vscode.window.showInformationMessage(`${batch.id} has no input file to open.`);
      return undefined;
    }
    return await openInEditor(ctx, { batch, kind: 'input', fileId: batch.inputFileId }, 'whole', line);
  } catch (e) {
    showError(`Could not open ${line !== undefined ? `line ${line} of ` : ''}the input file`, e, ctx.log);
    return undefined;
  }
}

/** The local file an input was uploaded from, if it is still there, and whether it changed since. */
async function localInput(origin: InputOrigin | undefined): Promise<{ uri: vscode.Uri; changed: boolean } | undefined> {
  if (!origin) return undefined;
  const uri = vscode.Uri.parse(origin.uri);
  try {
    return { uri, changed: changedSince(origin, await fs.stat(uri.fsPath)) };
  } catch {
    return undefined; // moved or deleted: the uploaded copy is what is left
  }
}

/** The local file changed since it was uploaded: its lines may have moved; the uploaded copy has them as validated. */
function offerUploaded(ctx: CommandContext, batch: Batch, local: vscode.Uri, line: number | undefined): void {
  const choice = 'Open Uploaded File';
  const which = line !== undefined ? `line ${line}` : 'the lines the errors name';
  void vscode.window.showWarningMessage(`${path.basename(local.fsPath)} changed since it was uploaded: ${which} may have moved.`, choice).then((picked) => {
    if (picked && batch.inputFileId) {
      void openInEditor(ctx, { batch, kind: 'input', fileId: batch.inputFileId }, 'whole', line).catch((e: unknown) => showError('Could not open the input file', e, ctx.log));
    }
  });
}

/** Selects 1-based `line` (the API's numbering) and scrolls it into view; past the end, the last line, and says so. */
function revealLine(editor: vscode.TextEditor, line: number): void {
  const doc = editor.document;
  const index = Math.min(Math.max(0, line - 1), Math.max(0, doc.lineCount - 1));
  const range = doc.lineAt(index).range;
  editor.selection = new vscode.Selection(range.start, range.end);
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  if (line - 1 > index) vscode.window.setStatusBarMessage(`Line ${formatCount(line)} is past the end of this file (${formatCount(doc.lineCount)} lines).`, 5000);
}

/**
 * Fetches a file (or its first lines) with cancellable progress and shows it read-only as JSON Lines;
 * `line` (1-based) is selected and scrolled to.
 */
async function openInEditor(ctx: CommandContext, target: FileTarget, part: 'whole' | 'firstLines', line?: number): Promise<vscode.TextEditor | undefined> {
  const editor = await openFileInEditor(ctx, target, part, line);
  if (editor && line !== undefined) revealLine(editor, line);
  return editor;
}

async function openFileInEditor(ctx: CommandContext, target: FileTarget, part: 'whole' | 'firstLines', line: number | undefined): Promise<vscode.TextEditor | undefined> {
  const ref = { batchId: target.batch.id, kind: target.kind, fileId: target.fileId };
  const wholeUri = BatchFileProvider.uri(ref, ctx.session.connection.name);
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
      offerLargeFile(ctx, target, file, line);
      return undefined;
    }
    if (token.isCancellationRequested) return undefined;
    const uri = file.kind === 'firstLines' ? BatchFileProvider.uri({ ...ref, firstLines: { lines: file.lines, bytes: file.bytes } }, ctx.session.connection.name) : wholeUri;
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
 * because only those stay until the user acts (the file row offers the same, too). Opened for a `line`
 * among the first lines, the first lines open at it.
 */
function offerLargeFile(ctx: CommandContext, target: FileTarget, file: { readonly file: FileObject; readonly bytes?: number; readonly limit: number }, line?: number): void {
  const name = file.file.filename ?? `The ${FILE_KIND[target.kind].label.toLowerCase()}`;
  const atLine = line !== undefined && line <= FIRST_LINES;
  const where = line === undefined ? '' : atLine ? `; line ${formatCount(line)} is among its first ${formatCount(FIRST_LINES)} lines` : `; line ${formatCount(line)} is past its first ${formatCount(FIRST_LINES)} lines: download it to see that line`;
  void vscode.window.showErrorMessage(`${name} ${tooLargeReason(file)}${where}.`, OPEN_FIRST_LINES, DOWNLOAD, CHANGE_LIMIT).then((choice) => {
    if (choice === OPEN_FIRST_LINES && atLine) void openInEditor(ctx, target, 'firstLines', line).catch((e: unknown) => showError('Could not open the first lines', e, ctx.log));
    else if (choice === OPEN_FIRST_LINES) void vscode.commands.executeCommand(Command.openFirstLines, fileNode(target));
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
