import type { Logger } from '../core/logger';
import { parsePriceOverrides, type Pricing } from '../core/pricing';
import { priceOf, type PriceOf } from '../core/usage';
import { setting } from './settings';

/**
 * Prices for the costs of batches that ran: the catalogue (loaded on first use, in its own bundle) with
 * the user's `openaiBatches.prices` as they are now.
 */
export class UsageCosts {
  private reported = '';

  constructor(
    private readonly pricing: () => Promise<Pricing>,
    private readonly log: Logger,
  ) {}

  async priceOf(): Promise<PriceOf> {
    const pricing = await this.pricing();
    const { overrides, problems } = parsePriceOverrides(setting('prices'));
    // Said once, not on every hover.
    const said = problems.join('\n');
    if (said !== this.reported) for (const p of problems) this.log.warn(p);
    this.reported = said;
    return priceOf(pricing, overrides);
  }
}
