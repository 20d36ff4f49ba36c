import type { Deployments } from '../core/deployments';
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
  /** A model or deployment name as shown: `my-gpt4o (gpt-4o)` for a deployment the connection maps. */
  readonly modelLabel: (name: string) => string;
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
    /** The deployments of the connection named (by default the one in use). */
    private readonly deployments: (connection?: string) => Deployments,
  ) {}

  /** Prices for the batches of `connection` (by default the one in use): its deployments priced as the models they run. */
  async prices(connection?: string): Promise<Costs> {
    const [module, pricing] = await Promise.all([this.catalogue(), this.pricing()]);
    const { overrides, problems } = parsePriceOverrides(setting('prices'));
    // Said once, not on every hover.
    const said = problems.join('\n');
    if (said !== this.reported) for (const p of problems) this.log.warn(p);
    this.reported = said;
    const deployments = this.deployments(connection);
    return { price: module.pricedByModel(module.usage.priceOf(pricing, overrides), deployments), usage: module.usage, resultsCost: module.resultsCost, modelLabel: (name) => module.modelLabel(name, deployments) };
  }
}
