import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { countOf, formatBytes, formatCount } from '../core/format';
import { abortSignalFor } from '../documents/cancellation';
import type { ResultsPanel } from '../views/resultsPanel';
import type { ResultsCommandContext } from './resultsCommands';
import { showError } from './showError';

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
