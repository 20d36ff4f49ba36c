// Bundled on its own as dist/catalogue.js and loaded only when a price is first needed: the model
// catalogue is gpt-tokenizer's, refreshed from OpenAI's published prices with each release. What is
// computed from prices (usage costs, their sums and the Show Usage report) comes with it, so that none of
// it is in the bundle loaded at activation.
import * as models from 'gpt-tokenizer/models';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { version } = require('gpt-tokenizer/package.json') as { version: string };

export const catalogueModels: Readonly<Record<string, unknown>> = models;
export const catalogueSource = `gpt-tokenizer ${version} catalogue`;

export * as usage from '../core/usage';
export { resultsCost } from '../core/results/resultsCost';
export { modelLabel, pricedByModel } from '../core/deployments';
