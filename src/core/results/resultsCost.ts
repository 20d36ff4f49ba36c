import type { PriceOf } from '../usage';
import type { ResultsCost, TokenTotals } from './protocol';

/** Prices each model's tokens; what has no price is counted, never guessed. */
export function resultsCost(byModel: ReadonlyMap<string, TokenTotals>, price: PriceOf): ResultsCost {
  let usd = 0;
  let pricedResponses = 0;
  const sources = new Set<string>();
  const unpriced: { model: string; responses: number }[] = [];
  for (const [model, t] of byModel) {
    const estimate = model === '' ? undefined : price(model, { input: t.input, cachedInput: t.cached, output: t.output });
    if (!estimate) {
      unpriced.push({ model, responses: t.responses });
      continue;
    }
    usd += estimate.usd;
    pricedResponses += t.responses;
    sources.add(estimate.source);
  }
  unpriced.sort((a, b) => b.responses - a.responses || (a.model < b.model ? -1 : 1));
  return { ...(pricedResponses > 0 ? { usd } : {}), pricedResponses, sources: [...sources].sort(), unpriced };
}
