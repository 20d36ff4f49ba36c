import * as vscode from 'vscode';
import type { Batch } from '../core/batch';
import { batchAppearance, batchLabel, type LabelMode } from '../core/batchSummary';
import { countOf, formatCount, formatUsd } from '../core/format';
import { PRICES_SETTING } from '../core/pricing';
import { batchCost, sumUsage, tokensText, usageLines, type PriceOf, type UsageTotals } from '../core/usage';
import { labelMode } from '../services/settings';
import type { UsageCosts } from '../services/usageCosts';
import { Command } from '../constants';
import type { TreeNode } from '../views/treeNodes';
import type { CommandContext } from './context';
import { showError } from './showError';

/** What Show Usage summed, for whoever ran it (tests among them). */
export interface UsageReport {
  readonly batchIds: readonly string[];
  readonly totals: UsageTotals;
}

export function registerUsageCommand(ctx: CommandContext, costs: UsageCosts): vscode.Disposable[] {
  // From the view: (row, selected rows) — VS Code passes the selection second when several rows are selected.
  return [vscode.commands.registerCommand(Command.showUsage, (row?: unknown, selected?: unknown) => showUsage(ctx, costs, row, selected))];
}

/**
 * Show Usage: the tokens and estimated cost of the selected batches (a group row stands for its loaded
 * batches), or, from the palette, of every loaded batch. Shown in a quick pick that also offers the prices
 * setting and a copy as text.
 */
async function showUsage(ctx: CommandContext, costs: UsageCosts, row: unknown, selected: unknown): Promise<UsageReport | undefined> {
  try {
    const fromView = asNode(row) !== undefined;
    if (!fromView) {
      await ctx.session.readyClient();
      await ctx.store.ensureLoaded();
    }
    const batches = fromView ? batchesOf(ctx, rowsChosen(row, selected)) : ctx.store.batches;
    const price = await costs.priceOf();
    const totals = sumUsage(batches, price);
    const scope = fromView ? countOf(batches.length, 'batch', 'batches') : `the ${countOf(batches.length, 'loaded batch', 'loaded batches')}${ctx.store.hasMore ? ' (more behind Load More)' : ''}`;
    present(`Usage of ${scope}`, batches, totals, price);
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
  readonly run?: () => void;
}

/** Per-batch rows are listed for a selection, not for every loaded batch. */
const MAX_LISTED = 50;

/** Not awaited: the report stays up until dismissed, and the command resolves with what it shows. */
function present(title: string, batches: readonly Batch[], totals: UsageTotals, price: PriceOf): void {
  const items: UsageItem[] = [];
  if (totals.withUsage > 0) {
    items.push(
      { label: `$(arrow-right) Input: ${formatCount(totals.input)} tokens`, description: totals.cached ? `${formatCount(totals.cached)} of them cached` : undefined },
      { label: `$(arrow-left) Output: ${formatCount(totals.output)} tokens`, description: totals.reasoning ? `${formatCount(totals.reasoning)} of them reasoning` : undefined },
    );
  }
  if (totals.cost) {
    const some = totals.cost.batches === totals.withUsage ? undefined : `for ${formatCount(totals.cost.batches)} of the ${countOf(totals.withUsage, 'batch', 'batches')} with usage`;
    items.push({ label: `$(credit-card) Estimated cost: ${formatUsd(totals.cost.usd)}`, description: some, detail: `An estimate at batch prices, from ${totals.cost.sources.join('; ')}` });
  }
  for (const { model, batches: n } of totals.unpriced) {
    items.push({ label: `$(info) ${model === '' ? 'No model named' : `No price known for ${model}`}`, description: `${countOf(n, 'batch', 'batches')}: tokens only` });
  }
  const withoutUsage = totals.batches - totals.withUsage;
  if (withoutUsage > 0) items.push({ label: `$(info) ${countOf(withoutUsage, 'batch', 'batches')} report no usage`, description: 'created before the API reported it, or not run' });
  if (batches.length > 1 && batches.length <= MAX_LISTED) {
    const mode = labelMode();
    items.push({ label: 'Batches', kind: vscode.QuickPickItemKind.Separator });
    for (const batch of batches) items.push(batchItem(batch, mode, price));
  }
  items.push(
    { label: 'Prices', kind: vscode.QuickPickItemKind.Separator },
    { label: '$(settings-gear) Set Your Own Prices…', description: PRICES_SETTING, run: () => void vscode.commands.executeCommand('workbench.action.openSettings', PRICES_SETTING) },
    {
      label: '$(copy) Copy as Text',
      run: () => void vscode.env.clipboard.writeText([title, ...usageLines(totals)].join('\n')).then(() => vscode.window.setStatusBarMessage('$(copy) Copied the usage', 3000)),
    },
  );
  const qp = vscode.window.createQuickPick<UsageItem>();
  qp.title = title;
  qp.placeholder = 'Tokens and estimated cost at batch prices';
  qp.matchOnDescription = true;
  qp.items = items;
  qp.onDidAccept(() => {
    const run = qp.activeItems[0]?.run;
    qp.hide();
    run?.();
  });
  qp.onDidHide(() => qp.dispose());
  qp.show();
}

/** A batch of the selection: its label, tokens and estimate. */
function batchItem(batch: Batch, mode: LabelMode, price: PriceOf): UsageItem {
  const label = `$(${batchAppearance(batch).icon}) ${batchLabel(batch, mode)}`;
  if (!batch.usage) return { label, description: 'no usage reported' };
  const cost = batchCost(batch, price);
  return { label, description: [tokensText(sumUsage([batch], price)), cost.kind === 'estimate' ? `est. ${formatUsd(cost.estimate.usd)}` : 'tokens only'].join(' · ') };
}
