import type { InputCheck } from './batchInput';
import { compactCount, countOf, formatCount, formatUsd } from './format';
import type { CostEstimate, PriceOverrides, Pricing } from './pricing';
import { IMAGE_TOKENS, totalInputTokens, type InputTokens } from './tokenEstimate';

/** What a batch input will cost to send, as far as it can be known before sending it. */
export interface InputEstimate {
  readonly tokens: InputTokens;
  /** Input only, at batch prices; absent when no price is known for the model. */
  readonly cost?: CostEstimate;
}

export function estimateInput(model: string | undefined, tokens: InputTokens, pricing: Pricing, overrides: PriceOverrides): InputEstimate {
  const cost = model === undefined ? undefined : pricing.estimateCost(model, { input: totalInputTokens(tokens) }, overrides);
  return cost ? { tokens, cost } : { tokens };
}

/** `1,204 requests · gpt-4o-mini · ~2.1M input tokens · est. $0.53`; without an estimate, the first two. */
export function inputSummary(check: InputCheck, estimate?: InputEstimate | 'pending'): string {
  const parts = [countOf(check.requests, 'request')];
  if (check.model) parts.push(check.model);
  if (estimate === 'pending') parts.push('counting tokens…');
  else if (estimate) {
    parts.push(`~${compactCount(totalInputTokens(estimate.tokens))} input tokens`);
    if (estimate.cost) parts.push(`est. ${formatUsd(estimate.cost.usd)}`);
  }
  return parts.join(' · ');
}

/**
 * The estimate spelled out, one statement per line, each saying what is counted and what is only
 * estimated, and where the price comes from.
 */
export function estimateDetails(model: string | undefined, estimate: InputEstimate): string[] {
  const t = estimate.tokens;
  const lines = [`~${formatCount(totalInputTokens(t))} input tokens (estimate):`];
  const sampled = t.sampled ? `; ${formatCount(t.sampled.counted)} of ${countOf(t.requests, 'request')} tokenized, the rest estimated from their length` : '';
  lines.push(`• ${formatCount(t.text)} tokens of text, counted with ${t.encoding}${sampled}`);
  if (t.images > 0) lines.push(`• ${formatCount(t.imageTokens)} for ${countOf(t.images, 'image')}, estimated at ${IMAGE_TOKENS.high} tokens each (${IMAGE_TOKENS.low} at low detail)`);
  if (t.toolTokens > 0) lines.push(`• ${formatCount(t.toolTokens)} for tool and schema definitions, estimated from their JSON`);
  if (t.uncounted > 0) lines.push(`• ${countOf(t.uncounted, 'part')} not counted (audio, files, referenced images): the real count is higher`);
  if (estimate.cost) lines.push(`Estimated input cost: ${formatUsd(estimate.cost.usd)} (${estimate.cost.source}); output is billed as it is generated.`);
  else lines.push(`No price known for ${model ?? 'this model'}: tokens only. Add it to the openaiBatches.prices setting for a cost estimate.`);
  return lines;
}
