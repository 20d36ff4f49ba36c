import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { fileIdOf, FILE_KINDS, type Batch } from '../core/batch';
import { parseBatchJsonPath, parseConnectionAuthority } from '../core/documentPaths';
import { countOf, formatBytes, formatCount } from '../core/format';
import { abortSignalFor } from '../documents/cancellation';
import { ResultDocumentProvider } from '../documents/resultDocumentProvider';
import type { ResultsEngine } from '../services/resultsEngine';
import { Command, Scheme } from '../constants';
import type { LazyResultsPanels } from '../views/lazyResultsPanels';
import type { ResultsPanel } from '../views/resultsPanel';
import { batchById, resolveBatch } from './batchTarget';
import type { CommandContext } from './context';
import { showError } from './showError';

export interface ResultsCommandContext extends CommandContext {
  readonly panels: LazyResultsPanels;
  readonly engine: () => Promise<ResultsEngine>;
}

/** The palette offers only batches with something to join. */
const hasResults = (b: Batch) => b.outputFileId !== undefined || b.errorFileId !== undefined;

export function registerResultsCommands(ctx: ResultsCommandContext): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Command.openResults, (arg?: unknown) => openResults(ctx, arg)),
    vscode.commands.registerCommand(Command.exportResults, () => exportFromPalette(ctx)),
    vscode.commands.registerCommand(Command.clearResultsCache, () => clearCache(ctx)),
  ];
}

/**
 * Open Results: from a batch row (its node), the editor title of a batch JSON tab (its Uri), or the palette
 * (a pick among the loaded batches with an output or error file). Reveals the batch's panel if it is open.
 */
async function openResults(ctx: ResultsCommandContext, arg: unknown): Promise<ResultsPanel | undefined> {
  try {
    const [batch, connection] = await batchFor(ctx, arg);
    if (!batch) return undefined;
    if (!FILE_KINDS.some((kind) => fileIdOf(batch, kind))) {
      void vscode.window.showInformationMessage(`${batch.id} has no files yet: its results appear once it has an input, output or error file.`);
      return undefined;
    }
    return await ctx.panels.open(batch, connection);
  } catch (e) {
    showError('Could not open the results', e, ctx.log);
    return undefined;
  }
}

/** The batch and its connection: a batch JSON tab's own (whichever is in use), else the one in use. */
async function batchFor(ctx: ResultsCommandContext, arg: unknown): Promise<[Batch | undefined, string]> {
  const active = ctx.session.connection.name;
  if (arg instanceof vscode.Uri) {
    const id = arg.scheme === Scheme.batch ? parseBatchJsonPath(arg.path) : undefined;
    const connection = parseConnectionAuthority(arg.authority);
    if (id === undefined || connection === undefined) throw new Error(`${arg.toString()} is not a batch document.`);
    return [connection === active ? await batchById(ctx, id) : await (await ctx.session.clientFor(connection)).retrieveBatch(id), connection];
  }
  return [await resolveBatch(ctx, arg, { title: 'Open Results', filter: hasResults }), active];
}

async function clearCache(ctx: ResultsCommandContext): Promise<void> {
  try {
    const { files, bytes } = await (await ctx.engine()).cache.clear();
    const kept = ctx.panels.all.length > 0 ? ' Files of open Results panels are kept.' : '';
    const message =
      files === 0 ? `The results cache holds nothing to remove.${kept}` : `Cleared the results cache: ${formatCount(files)} file${files === 1 ? '' : 's'}, ${formatBytes(bytes)} freed.${kept}`;
    ctx.log.info(message);
    void vscode.window.showInformationMessage(message);
  } catch (e) {
    showError('Could not clear the results cache', e, ctx.log);
  }
}

/** Export Results… from the palette: the Results panel in front, else a batch the user picks. */
async function exportFromPalette(ctx: ResultsCommandContext): Promise<vscode.Uri | undefined> {
  let panel = ctx.panels.active;
  try {
    if (!panel) {
      const batch = await resolveBatch(ctx, undefined, { title: 'Export Results…', filter: hasResults });
      if (!batch) return undefined;
      panel = await ctx.panels.open(batch);
      await panel.settled();
    }
  } catch (e) {
    showError('Could not export the results', e, ctx.log);
    return undefined;
  }
  return exportPanel(ctx, panel);
}

interface ScopePick extends vscode.QuickPickItem {
  readonly scope: 'filter' | 'all';
}
interface FormatPick extends vscode.QuickPickItem {
  readonly format: 'jsonl' | 'csv';
}

/** Asks what (the current filter or everything) and how (JSON Lines or CSV), then where; streams it there. */
export async function exportPanel(ctx: ResultsCommandContext, panel: ResultsPanel): Promise<vscode.Uri | undefined> {
  try {
    return await exportView(ctx, panel);
  } catch (e) {
    if (!(e instanceof Error && e.name === 'AbortError')) showError('The export failed', e, ctx.log);
    return undefined;
  }
}

async function exportView(ctx: ResultsCommandContext, panel: ResultsPanel): Promise<vscode.Uri | undefined> {
  const { view, index } = panel;
  if (!view || !index) {
    void vscode.window.showInformationMessage(`The results of ${panel.batchId} are not loaded yet.`);
    return undefined;
  }
  const q = panel.query;
  const filtered = (q.outcomes?.length ?? 0) > 0 || !!q.errorKey || !!q.search;
  const total = index.rowCount;
  let scope: 'filter' | 'all' = 'all';
  if (filtered) {
    const pick = await vscode.window.showQuickPick<ScopePick>(
      [
        { label: 'Current filter', description: `${formatCount(panel.matching)} of ${countOf(total, 'request')}`, scope: 'filter' },
        { label: 'Everything', description: countOf(total, 'request'), scope: 'all' },
      ],
      { title: `Export the results of ${panel.batchId}`, placeHolder: 'Which requests?', ignoreFocusOut: true },
    );
    if (!pick) return undefined;
    scope = pick.scope;
  }
  const format = (
    await vscode.window.showQuickPick<FormatPick>(
      [
        { label: 'JSON Lines', description: '.jsonl', detail: 'One object per request, in input order: custom_id, outcome, status code, request body, response body, error', format: 'jsonl' },
        { label: 'CSV', description: '.csv', detail: 'custom_id, outcome, status, error code, finish reason, tokens, answer text', format: 'csv' },
      ],
      { title: `Export the results of ${panel.batchId}`, placeHolder: 'Which format?', ignoreFocusOut: true },
    )
  )?.format;
  if (!format) return undefined;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
  const name = `${panel.batchId.replace(/[\\/:*?"<>|\s]+/g, '_')}_${panel.combined ? 'combined' : 'results'}.${format}`;
  const to = await vscode.window.showSaveDialog({
    title: `Export the results of ${panel.batchId}`,
    defaultUri: vscode.Uri.joinPath(folder, name),
    filters: format === 'csv' ? { CSV: ['csv'] } : { 'JSON Lines': ['jsonl'] },
    saveLabel: 'Export',
  });
  if (!to) return undefined;
  if (to.scheme !== 'file') throw new Error(`Exports go to a local folder; ${to.toString()} is not one.`);
  const ids = scope === 'filter' ? view.matchingIds() : 'all';
  const file = path.basename(to.fsPath);
  const { module: engine } = await ctx.engine();
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Exporting ${file}`, cancellable: true },
    async (progress, token) => {
      let reported = 0;
      return engine.exportResults(index, ids, format, to.fsPath, {
        signal: abortSignalFor(token),
        onProgress: (done, all) => {
          const pct = all > 0 ? (done / all) * 100 : 100;
          if (pct - reported < 1 && done !== all) return;
          progress.report({ message: `${formatCount(done)} of ${countOf(all, 'request')}`, increment: pct - reported });
          reported = pct;
        },
      });
    },
  );
  ctx.log.info(`Exported ${result.rows} results of ${panel.batchId} (${format}, ${result.bytes} bytes) to ${to.fsPath}.`);
  void vscode.window.showInformationMessage(`Exported ${formatCount(result.rows)} request${result.rows === 1 ? '' : 's'} to ${file} (${formatBytes(result.bytes)}).`, 'Open').then((choice) => {
    if (choice) void vscode.commands.executeCommand('vscode.open', to);
  });
  return to;
}

/** Open in Editor: a row's request or result as a read-only JSON tab beside the panel. */
export async function openRowDocument(ctx: CommandContext, panel: ResultsPanel, rowId: number, part: 'request' | 'result'): Promise<void> {
  try {
    const uri = ResultDocumentProvider.uri({ batchId: panel.batchId, rowId, part, label: panel.rowLabel(rowId) }, panel.connection);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
  } catch (e) {
    showError(`Could not open the ${part}`, e, ctx.log);
  }
}
