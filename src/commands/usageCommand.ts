import * as vscode from 'vscode';
import type { Batch } from '../core/batch';
import { batchLabel } from '../core/batchSummary';
import { countOf } from '../core/format';
import { PRICES_SETTING } from '../core/pricing';
import type { ReportItem, UsageTotals } from '../core/usage';
import { labelMode } from '../services/settings';
import type { UsageCosts } from '../services/usageCosts';
import type { TreeNode } from '../views/treeNodes';
import type { CommandContext } from './context';
import { showError } from './showError';

/** What Show Usage summed, for whoever ran it (tests among them). */
export interface UsageReport {
  readonly batchIds: readonly string[];
  readonly totals: UsageTotals;
}

/**
 * Show Usage: the tokens and estimated cost of the selected batches (a group row stands for its loaded
 * batches), or, from the palette, of every loaded batch. Shown in a quick pick that also offers the prices
 * setting and a copy as text.
 */
export async function showUsage(ctx: CommandContext, costs: UsageCosts, row: unknown, selected: unknown): Promise<UsageReport | undefined> {
  try {
    const fromView = asNode(row) !== undefined;
    if (!fromView) {
      await ctx.session.readyClient();
      await ctx.store.ensureLoaded();
    }
    const batches = fromView ? batchesOf(ctx, rowsChosen(row, selected)) : ctx.store.batches;
    const { price, usage } = await costs.prices();
    const totals = usage.sumUsage(batches, price);
    const scope = fromView ? countOf(batches.length, 'batch', 'batches') : `the ${countOf(batches.length, 'loaded batch', 'loaded batches')}${ctx.store.hasMore ? ' (more behind Load More)' : ''}`;
    const title = `Usage of ${scope}`;
    const mode = labelMode();
    present(title, usage.usageReport(batches, totals, price, (b) => batchLabel(b, mode)), [title, ...usage.usageLines(totals)].join('\n'));
    return { batchIds: batches.map((b) => b.id), totals };
  } catch (e) {
    showError('Could not show the usage', e, ctx.log);
    return undefined;
  }
}

function asNode(value: unknown): TreeNode | undefined {
  const node = value as Partial<TreeNode> | undefined;
  return node && typeof node === 'object' && typeof node.type === 'string' ? (node as TreeNode) : undefined;
}

/** The selection when the row is part of it (a right-click elsewhere acts on that row alone), else the row. */
function rowsChosen(row: unknown, selected: unknown): TreeNode[] {
  const node = asNode(row)!;
  const rows = Array.isArray(selected) ? selected.map(asNode).filter((n): n is TreeNode => n !== undefined) : [];
  return rows.includes(node) ? rows : [node];
}

/** The batches the rows stand for, each once, as loaded now: a batch or one of its rows, or a group's batches. */
function batchesOf(ctx: CommandContext, rows: readonly TreeNode[]): Batch[] {
  const out = new Map<string, Batch>();
  const add = (batch: Batch) => out.set(batch.id, ctx.store.get(batch.id) ?? batch);
  for (const row of rows) {
    if (row.type === 'group') ctx.store.batches.filter((b) => b.status === row.status).forEach(add);
    else if (row.type === 'batch' || row.type === 'file' || row.type === 'validationError') add(row.batch);
  }
  return [...out.values()];
}

interface UsageItem extends vscode.QuickPickItem {
  readonly action?: ReportItem['action'];
}

/** Not awaited: the report stays up until dismissed, and the command resolves with what it shows. */
function present(title: string, report: readonly ReportItem[], text: string): void {
  const qp = vscode.window.createQuickPick<UsageItem>();
  qp.title = title;
  qp.placeholder = 'Tokens and estimated cost at batch prices';
  qp.matchOnDescription = true;
  qp.items = report.map((item) => (item.separator ? { label: item.label, kind: vscode.QuickPickItemKind.Separator } : item));
  qp.onDidAccept(() => {
    const action = qp.activeItems[0]?.action;
    qp.hide();
    if (action === 'prices') void vscode.commands.executeCommand('workbench.action.openSettings', PRICES_SETTING);
    else if (action === 'copy') void vscode.env.clipboard.writeText(text).then(() => vscode.window.setStatusBarMessage('$(copy) Copied the usage', 3000));
  });
  qp.onDidHide(() => qp.dispose());
  qp.show();
}
