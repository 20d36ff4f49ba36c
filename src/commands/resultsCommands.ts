import * as vscode from 'vscode';
import { fileIdOf, FILE_KINDS, type Batch } from '../core/batch';
import { parseBatchJsonPath, parseConnectionAuthority } from '../core/documentPaths';
import { formatBytes, formatCount } from '../core/format';
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
    vscode.commands.registerCommand(Command.openResults, (arg?: unknown) => openResults({ ...ctx, ...ctx.scope(arg) }, arg)),
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

/** Asks what (the current filter or everything) and how (JSON Lines or CSV), then where; streams it there. */
export async function exportPanel(ctx: ResultsCommandContext, panel: ResultsPanel): Promise<vscode.Uri | undefined> {
  try {
    // The flow is bundled with the panels (dist/results.js): the panel it exports is loaded already.
    return await (await ctx.engine()).module.exportPanel(ctx, panel);
  } catch (e) {
    showError('The export failed', e, ctx.log);
    return undefined;
  }
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
