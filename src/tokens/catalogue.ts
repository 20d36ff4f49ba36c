// Bundled on its own as dist/catalogue.js and loaded only when a price is first needed: the model
// catalogue is gpt-tokenizer's, refreshed from OpenAI's published prices with each release.
import * as models from 'gpt-tokenizer/models';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { version } = require('gpt-tokenizer/package.json') as { version: string };

export const catalogueModels: Readonly<Record<string, unknown>> = models;
export const catalogueSource = `gpt-tokenizer ${version} catalogue`;
