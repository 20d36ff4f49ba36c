import * as path from 'node:path';
import type { Logger } from '../core/logger';
import type { ResultsFileCache } from '../core/results/fileCache';

export type ResultsEngineModule = typeof import('../results/engine');

/** The engine's functions and the one file cache the extension shares between panels and commands. */
export interface ResultsEngine {
  readonly module: ResultsEngineModule;
  readonly cache: ResultsFileCache;
}

/** Loads dist/results.js on first use (once), and builds the file cache with it. */
export function lazyResultsEngine(distDir: string, cacheOptions: { dir: string; capBytes: () => number; log: Logger }): () => Promise<ResultsEngine> {
  let loaded: Promise<ResultsEngine> | undefined;
  return () =>
    (loaded ??= Promise.resolve().then(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const module = require(path.join(distDir, 'results.js')) as ResultsEngineModule;
      return { module, cache: new module.ResultsFileCache(cacheOptions) };
    }));
}
