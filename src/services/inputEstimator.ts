import { modelOf, type Deployments } from '../core/deployments';
import type { Logger } from '../core/logger';
import { estimateInput, type InputEstimate } from '../core/inputEstimate';
import { parsePriceOverrides, type Pricing } from '../core/pricing';
import type { TokenCounter } from './tokenCounter';
import { setting } from './settings';

/** Tokens (counted in the worker) and their cost at batch prices (catalogue and the user's prices). */
export class InputEstimator {
  constructor(
    private readonly counter: TokenCounter,
    private readonly pricing: () => Promise<Pricing>,
    private readonly log: Logger,
    /** The deployments of the connection in use: a file names them where it would name models. */
    private readonly deployments: () => Deployments,
  ) {}

  async estimate(name: string, source: { path: string } | { text: string }, options: { signal?: AbortSignal; onProgress?: (fraction: number) => void } = {}): Promise<InputEstimate> {
    const model = modelOf(name, this.deployments());
    const [tokens, pricing] = await Promise.all([this.counter.count(model, source, options), this.pricing()]);
    const { overrides, problems } = parsePriceOverrides(setting('prices'));
    for (const p of problems) this.log.warn(p);
    return estimateInput(model, tokens, pricing, overrides);
  }
}
