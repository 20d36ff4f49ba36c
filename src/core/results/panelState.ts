import { DEFAULT_CONNECTION } from '../connections';
import type { ResultsPanelState } from './protocol';

/**
 * The batch and connection a Results page's saved state names, to restore its panel after a reload; a
 * state saved before panels knew their connection is of the default one. Undefined when it names no batch.
 */
export function restoredPanel(state: unknown): { readonly batchId: string; readonly connection: string } | undefined {
  const { batchId, connection = DEFAULT_CONNECTION } = (state ?? {}) as Partial<ResultsPanelState>;
  return typeof batchId === 'string' && batchId !== '' && typeof connection === 'string' ? { batchId, connection } : undefined;
}
