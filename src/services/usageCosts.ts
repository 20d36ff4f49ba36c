import type { Logger } from '../core/logger';
import { parsePriceOverrides, type Pricing } from '../core/pricing';
import type { PriceOf } from '../core/usage';
import { setting } from './settings';

/** dist/catalogue.js: the catalogue, and what is computed from prices (core/usage.ts, the Results view's cost). */
export type CatalogueModule = typeof import('../tokens/catalogue');

/** Prices as they are now, and the functions that use them. */
export interface Costs {
  readonly price: PriceOf;
  readonly usage: CatalogueModule['usage'];
  readonly resultsCost: CatalogueModule['resultsCost'];
}

/**
 * Prices for the costs of batches that ran: the catalogue (loaded on first use, in its own bundle) with
 * the user's `openaiBatches.prices` as they are now.
 */
export class UsageCosts {
  private reported = '';

  constructor(
    private readonly catalogue: () => Promise<CatalogueModule>,
    private readonly pricing: () => Promise<Pricing>,
    private readonly log: Logger,
  ) {}

  async prices(): Promise<Costs> {
    const [module, pricing] = await Promise.all([this.catalogue(), this.pricing()]);
    const { overrides, problems } = parsePriceOverrides(setting('prices'));
    // Said once, not on every hover.
    const said = problems.join('\n');
    if (said !== this.reported) for (const p of problems) this.log.warn(p);
    this.reported = said;
    return { price: module.usage.priceOf(pricing, overrides), usage: module.usage, resultsCost: module.resultsCost };
  }
}
