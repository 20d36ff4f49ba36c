/**
 * Cost estimates at batch prices. Prices come from a maintained catalogue (gpt-tokenizer's model
 * catalogue, loaded lazily through an injected loader) and from the user's `openaiBatches.prices`
 * setting, which overrides or adds models. A model neither knows has no estimate: never a made-up cost.
 */

/** US dollars per 1M tokens. */
export interface TokenPrices {
  readonly input: number;
  readonly output?: number;
  /** Cached input; when absent, cached tokens are charged at `input` (and the estimate says so). */
  readonly cachedInput?: number;
}

export interface TokenCounts {
  /** All input tokens, cached ones included (as the API's `usage.input_tokens` counts them). */
  readonly input: number;
  readonly cachedInput?: number;
  readonly output?: number;
}

export interface CostEstimate {
  readonly usd: number;
  /** Where the prices came from, for the label ("est. $0.53 — gpt-tokenizer 4.0.0 catalogue, batch prices"). */
  readonly source: string;
}

export interface PriceCatalogue {
  /** e.g. "gpt-tokenizer 4.0.0 model catalogue". */
  readonly source: string;
  /** Batch prices by model name (aliases and snapshots included). */
  readonly batch: ReadonlyMap<string, TokenPrices>;
}

/**
 * The setting's entries: model names, or prefixes ending in `*` (`"ft:gpt-4o-mini-2024-07-18:acme:*"`)
 * that cover every model starting so; the longest match wins.
 */
export type PriceOverrides = ReadonlyMap<string, TokenPrices>;

export const NO_OVERRIDES: PriceOverrides = new Map();
/** Where users set their own prices: named wherever a cost, or its absence, is shown. */
export const PRICES_SETTING = 'openaiBatches.prices';

export class Pricing {
  constructor(private readonly catalogue: PriceCatalogue) {}

  /** The estimated cost of `tokens` on `model`, or undefined when no price is known for what was used. */
  estimateCost(model: string, tokens: TokenCounts, overrides: PriceOverrides = NO_OVERRIDES): CostEstimate | undefined {
    const override = findOverride(model, overrides);
    const prices = override?.prices ?? this.catalogue.batch.get(model);
    if (!prices) return undefined;
    const cached = Math.min(tokens.cachedInput ?? 0, tokens.input);
    const output = tokens.output ?? 0;
    if (output > 0 && prices.output === undefined) return undefined;
    const cachedPrice = prices.cachedInput ?? prices.input;
    const usd = ((tokens.input - cached) * prices.input + cached * cachedPrice + output * (prices.output ?? 0)) / 1e6;
    const source = override ? `${PRICES_SETTING} "${override.key}"` : `${this.catalogue.source}, batch prices`;
    const caveat = cached > 0 && prices.cachedInput === undefined ? '; cached input at the full input price' : '';
    return { usd, source: source + caveat };
  }
}

function findOverride(model: string, overrides: PriceOverrides): { key: string; prices: TokenPrices } | undefined {
  const exact = overrides.get(model);
  if (exact) return { key: model, prices: exact };
  let best: { key: string; prices: TokenPrices } | undefined;
  for (const [key, prices] of overrides) {
    if (!key.endsWith('*') || !model.startsWith(key.slice(0, -1))) continue;
    if (!best || key.length > best.key.length) best = { key, prices };
  }
  return best;
}

/**
 * Builds the catalogue from gpt-tokenizer's `models` export (name → spec with `price_data.batch`
 * `{ input, output, cached_input }`, USD per 1M tokens). Models without a batch input price are left out.
 */
export function priceCatalogue(models: Readonly<Record<string, unknown>>, source: string): PriceCatalogue {
  const batch = new Map<string, TokenPrices>();
  for (const [name, spec] of Object.entries(models)) {
    const prices = (spec as { price_data?: { batch?: Record<string, unknown> } } | undefined)?.price_data?.batch;
    if (!prices || !isPrice(prices.input)) continue;
    batch.set(name, {
      input: prices.input,
      ...(isPrice(prices.output) ? { output: prices.output } : {}),
      ...(isPrice(prices.cached_input) ? { cachedInput: prices.cached_input } : {}),
    });
  }
  return { source, batch };
}

/**
 * Reads the `openaiBatches.prices` setting: `{ "<model or prefix*>": { "input": 0.15, "output": 0.6,
 * "cachedInput": 0.075 } }` in USD per 1M tokens at batch prices. Entries that do not fit are left out
 * and named in `problems`.
 */
export function parsePriceOverrides(raw: unknown): { overrides: PriceOverrides; problems: string[] } {
  const overrides = new Map<string, TokenPrices>();
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { overrides, problems };
  if (typeof raw !== 'object' || Array.isArray(raw)) return { overrides, problems: [`${PRICES_SETTING} must be an object of models.`] };
  for (const [model, value] of Object.entries(raw as Record<string, unknown>)) {
    const v = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
    const extra = Object.keys(v).filter((k) => !['input', 'output', 'cachedInput'].includes(k));
    if (!isPrice(v.input) || (v.output !== undefined && !isPrice(v.output)) || (v.cachedInput !== undefined && !isPrice(v.cachedInput)) || extra.length > 0) {
      problems.push(`${PRICES_SETTING} "${model}" needs "input" (and may have "output", "cachedInput"): each a price in USD per 1M tokens.`);
      continue;
    }
    overrides.set(model, {
      input: v.input,
      ...(v.output === undefined ? {} : { output: v.output as number }),
      ...(v.cachedInput === undefined ? {} : { cachedInput: v.cachedInput as number }),
    });
  }
  return { overrides, problems };
}

function isPrice(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/** Loads the catalogue once, when first needed; a failed load is tried again next time. */
export function lazyPricing(load: () => Promise<PriceCatalogue>): () => Promise<Pricing> {
  let pending: Promise<Pricing> | undefined;
  return () => {
    pending ??= load().then(
      (catalogue) => new Pricing(catalogue),
      (e: unknown) => {
        pending = undefined;
        throw e;
      },
    );
    return pending;
  };
}
