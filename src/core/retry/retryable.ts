// What a retry may resubmit, and which batches may have something to retry: light enough for the code
// loaded at activation (the tree, pickers and menus), unlike the selection itself, which is in the engine.
import type { Batch } from '../batch';
import type { Outcome } from '../results/protocol';
import { isActiveStatus } from '../status';

/** The outcomes a retry can resubmit, in the order the picker lists them. */
export type RetryOutcome = Exclude<Outcome, 'succeeded'>;
export const RETRY_OUTCOMES: readonly RetryOutcome[] = ['failed', 'expired', 'cancelled', 'missing'];

/**
 * What to resubmit: whole outcomes (`failed`, `expired`, `cancelled`, `missing`) and groups of failed
 * requests by their ErrorGroup key (`code:rate_limit_exceeded`, `status:500`). `'all'`: everything that
 * did not succeed.
 */
export type RetryInclude = readonly string[] | 'all';

const FINISHED: ReadonlySet<string> = new Set(['completed', 'expired', 'cancelled', 'failed']);

/** Finished, with an input file and, by its request counts, something that did not succeed. */
export function mayHaveSomethingToRetry(batch: Batch): boolean {
  if (!batch.inputFileId || isActiveStatus(batch.status) || !FINISHED.has(batch.status)) return false;
  const c = batch.requestCounts;
  // A batch that failed validation, or a server that sends no counts: only its files can tell.
  if (!c || c.total === 0) return true;
  return c.failed > 0 || c.completed < c.total;
}
