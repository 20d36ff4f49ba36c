/**
 * What batches used and what that cost: the batch object's `usage` (input, cached input, output, reasoning
 * tokens) priced at batch prices, one batch or summed over many. Every cost is an estimate and says where its
 * prices came from; a batch whose model has no price counts its tokens only.
 */
import type { Batch } from './batch';
import { batchAppearance, batchTooltipMarkdown } from './batchSummary';
import { countOf, escapeMarkdown, formatCount, formatUsd } from './format';
import type { StatusGroup } from './grouping';
import { PRICES_SETTING, type CostEstimate, type PriceOverrides, type Pricing, type TokenCounts } from './pricing';

/** The estimated cost of `tokens` on `model`, or undefined when no price is known. */
export type PriceOf = (model: string, tokens: TokenCounts) => CostEstimate | undefined;

export function priceOf(pricing: Pricing, overrides: PriceOverrides): PriceOf {
  return (model, tokens) => pricing.estimateCost(model, tokens, overrides);
}

export type BatchCost =
  | { readonly kind: 'estimate'; readonly estimate: CostEstimate }
  /** Its model has no price: tokens only. */
  | { readonly kind: 'unpriced'; readonly model: string }
  /** It does not say its model (older batches): tokens only. */
  | { readonly kind: 'noModel' }
  /** It reports no usage (batches created before the API did). */
  | { readonly kind: 'noUsage' };

export function batchCost(batch: Batch, price: PriceOf): BatchCost {
  const u = batch.usage;
  if (!u) return { kind: 'noUsage' };
  if (!batch.model) return { kind: 'noModel' };
  const estimate = price(batch.model, { input: u.inputTokens ?? 0, cachedInput: u.cachedTokens, output: u.outputTokens });
  return estimate ? { kind: 'estimate', estimate } : { kind: 'unpriced', model: batch.model };
}

/** One line for a batch's tooltip: `Est. cost: $1.23 at batch prices (gpt-tokenizer 4.0.0 catalogue, batch prices)`. Markdown. */
export function batchCostMarkdown(cost: BatchCost): string | undefined {
  const e = escapeMarkdown;
  switch (cost.kind) {
    case 'estimate':
      return `Est. cost: ${e(formatUsd(cost.estimate.usd))} — an estimate from ${e(cost.estimate.source)}`;
    case 'unpriced':
      return `Est. cost: none — no price known for ${e(cost.model)}, tokens only (add it to ${e(PRICES_SETTING)})`;
    case 'noModel':
      return 'Est. cost: none — the batch does not say its model, tokens only';
    case 'noUsage':
      return undefined;
  }
}

export interface UsageTotals {
  /** How many batches were summed. */
  readonly batches: number;
  /** How many of them report usage. */
  readonly withUsage: number;
  readonly input: number;
  readonly cached: number;
  readonly output: number;
  readonly reasoning: number;
  readonly total: number;
  /** The estimate over the batches whose model has a price; absent when none has. */
  readonly cost?: { readonly usd: number; readonly batches: number; readonly sources: readonly string[] };
  /** Batches with usage but no price, by model ('' for those that do not say their model). */
  readonly unpriced: readonly { readonly model: string; readonly batches: number }[];
}

/** Sums the usage of `batches` and estimates its cost, batch by batch at each one's model's prices. */
export function sumUsage(batches: Iterable<Batch>, price: PriceOf): UsageTotals {
  let count = 0;
  let withUsage = 0;
  let input = 0;
  let cached = 0;
  let output = 0;
  let reasoning = 0;
  let total = 0;
  let usd = 0;
  let priced = 0;
  const sources = new Set<string>();
  const unpriced = new Map<string, number>();
  for (const batch of batches) {
    count++;
    const u = batch.usage;
    if (!u) continue;
    withUsage++;
    input += u.inputTokens ?? 0;
    cached += u.cachedTokens ?? 0;
    output += u.outputTokens ?? 0;
    reasoning += u.reasoningTokens ?? 0;
    total += u.totalTokens ?? (u.inputTokens ?? 0) + (u.outputTokens ?? 0);
    const cost = batchCost(batch, price);
    if (cost.kind === 'estimate') {
      usd += cost.estimate.usd;
      priced++;
      sources.add(cost.estimate.source);
    } else {
      const model = cost.kind === 'unpriced' ? cost.model : '';
      unpriced.set(model, (unpriced.get(model) ?? 0) + 1);
    }
  }
  return {
    batches: count,
    withUsage,
    input,
    cached,
    output,
    reasoning,
    total,
    ...(priced > 0 ? { cost: { usd, batches: priced, sources: [...sources].sort() } } : {}),
    unpriced: [...unpriced.entries()].map(([model, n]) => ({ model, batches: n })).sort((a, b) => b.batches - a.batches || (a.model < b.model ? -1 : 1)),
  };
}

/** `1,234 in · 56 cached · 789 out · 12 reasoning` */
export function tokensText(t: Pick<UsageTotals, 'input' | 'cached' | 'output' | 'reasoning'>): string {
  return [`${formatCount(t.input)} in`, t.cached ? `${formatCount(t.cached)} cached` : '', `${formatCount(t.output)} out`, t.reasoning ? `${formatCount(t.reasoning)} reasoning` : '']
    .filter(Boolean)
    .join(' · ');
}

/**
 * The totals as plain sentences: tokens, then the estimate with its sources, then what has no price.
 * `Tokens of 10 batches with usage: …` / `Est. cost: $12.34 for 8 of them, at batch prices from …` /
 * `No price for my-model (2 batches): tokens only; add it to openaiBatches.prices`.
 */
export function usageLines(t: UsageTotals): string[] {
  if (t.withUsage === 0) return [t.batches === 0 ? 'No batches.' : `None of ${countOf(t.batches, 'batch', 'batches')} reports its usage.`];
  const lines = [`Tokens of ${t.withUsage === t.batches ? '' : `${formatCount(t.withUsage)} of `}${countOf(t.batches, 'batch', 'batches')}: ${tokensText(t)}`];
  if (t.cost) {
    const some = t.cost.batches === t.withUsage ? '' : ` for ${formatCount(t.cost.batches)} of them`;
    lines.push(`Est. cost: ${formatUsd(t.cost.usd)}${some} — an estimate from ${t.cost.sources.join('; ')}`);
  }
  for (const { model, batches } of t.unpriced) {
    const which = countOf(batches, 'batch', 'batches');
    lines.push(model === '' ? `No model named by ${which}: tokens only` : `No price known for ${model} (${which}): tokens only; add it to ${PRICES_SETTING}`);
  }
  return lines;
}

/** The batch JSON's line above its usage: `Estimated cost: $1.23 — an estimate from …`. */
export function batchCostTitle(cost: BatchCost): string | undefined {
  switch (cost.kind) {
    case 'estimate':
      return `Estimated cost: ${formatUsd(cost.estimate.usd)} — an estimate from ${cost.estimate.source}`;
    case 'unpriced':
      return `Estimated cost: none — no price known for ${cost.model}, tokens only`;
    case 'noModel':
      return 'Estimated cost: none — the batch does not say its model, tokens only';
    case 'noUsage':
      return undefined;
  }
}

/** One line of the Show Usage report: a section starts at a `separator`; `action` is what choosing it does. */
export interface ReportItem {
  readonly label: string;
  readonly description?: string;
  readonly detail?: string;
  readonly separator?: true;
  readonly action?: 'prices' | 'copy';
}

/** Each batch is listed for a selection, not for every loaded batch. */
const MAX_LISTED = 50;

/**
 * The Show Usage report: input and output tokens, the estimate with its source, what has no price, then
 * (for a selection) each batch with its own, then where to set prices and a copy as text.
 */
export function usageReport(batches: readonly Batch[], totals: UsageTotals, price: PriceOf, labelOf: (batch: Batch) => string): ReportItem[] {
  const items: ReportItem[] = [];
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
    items.push({ label: 'Batches', separator: true });
    for (const batch of batches) {
      const label = `$(${batchAppearance(batch).icon}) ${labelOf(batch)}`;
      const cost = batchCost(batch, price);
      items.push(
        batch.usage
          ? { label, description: [tokensText(sumUsage([batch], price)), cost.kind === 'estimate' ? `est. ${formatUsd(cost.estimate.usd)}` : 'tokens only'].join(' · ') }
          : { label, description: 'no usage reported' },
      );
    }
  }
  items.push(
    { label: 'Prices', separator: true },
    { label: '$(settings-gear) Set Your Own Prices…', description: PRICES_SETTING, action: 'prices' },
    { label: '$(copy) Copy as Text', action: 'copy' },
  );
  return items;
}

/**
 * A batch's tooltip (Markdown) with its estimated cost: built on hover, with the prices at hand, so that
 * neither is in the bundle loaded at activation.
 */
export function batchTooltipWithCost(batch: Batch, price: PriceOf, nowMs = Date.now(), modelLabel?: (name: string) => string): string {
  const cost = batch.usage ? batchCostMarkdown(batchCost(batch, price)) : undefined;
  return batchTooltipMarkdown(batch, { nowMs, extra: cost === undefined ? [] : [cost], modelLabel });
}

/**
 * A status group's tooltip (Markdown): how many batches it holds (`partial`: among those loaded so far),
 * then their tokens and estimated cost.
 */
export function groupTooltipMarkdown(group: StatusGroup, partial: boolean, price: PriceOf): string {
  const n = group.batches.length;
  const count = `${countOf(n, `${group.label.toLowerCase()} batch`, `${group.label.toLowerCase()} batches`)}${partial ? ' among those loaded so far; there may be more among the older batches behind "Load More"' : ''}.`;
  return [escapeMarkdown(count), '', ...usageLines(sumUsage(group.batches, price)).map((l) => `${escapeMarkdown(l)}  `)].join('\n');
}
