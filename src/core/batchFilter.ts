import type { Batch } from './batch';
import { statusLabel } from './status';

/** How far back a filter reaches, by `created_at`. */
export const FILTER_AGES = {
  any: { label: 'Any age', short: '', seconds: undefined },
  '24h': { label: 'Last 24 hours', short: '24 hours', seconds: 24 * 3600 },
  '7d': { label: 'Last 7 days', short: '7 days', seconds: 7 * 24 * 3600 },
  '30d': { label: 'Last 30 days', short: '30 days', seconds: 30 * 24 * 3600 },
} as const;

export type FilterAge = keyof typeof FILTER_AGES;

export interface BatchFilter {
  /** Normalised statuses (`failed`, `in_progress`); none: any status. */
  readonly statuses: readonly string[];
  /**
   * Words that must each appear (any case) in the batch's id, metadata, model, endpoint or input file
   * name; blank: any batch.
   */
  readonly text: string;
  readonly age: FilterAge;
}

export const NO_FILTER: BatchFilter = { statuses: [], text: '', age: 'any' };

export function isFilterActive(filter: BatchFilter | undefined): filter is BatchFilter {
  return filter !== undefined && (filter.statuses.length > 0 || filter.text.trim() !== '' || filter.age !== 'any');
}

/** The oldest `created_at` (seconds) a filter lets in at `nowMs`; undefined for any age. */
export function ageCutoff(age: FilterAge, nowMs: number): number | undefined {
  const seconds = FILTER_AGES[age].seconds;
  return seconds === undefined ? undefined : Math.floor(nowMs / 1000) - seconds;
}

/**
 * The filter as a predicate, its age measured from `nowMs`. `fileName` names an input file when its
 * metadata is known (a name not yet fetched cannot match).
 */
export function batchMatcher(filter: BatchFilter, nowMs: number, fileName: (fileId: string) => string | undefined = () => undefined): (batch: Batch) => boolean {
  const statuses = new Set(filter.statuses);
  const words = filter.text.toLowerCase().split(/\s+/).filter(Boolean);
  const cutoff = ageCutoff(filter.age, nowMs);
  return (batch) => {
    if (statuses.size > 0 && !statuses.has(batch.status)) return false;
    // A batch without a creation time cannot be shown to be recent.
    if (cutoff !== undefined && (batch.createdAt === undefined || batch.createdAt < cutoff)) return false;
    if (words.length === 0) return true;
    const haystack = searchableText(batch, fileName).toLowerCase();
    return words.every((w) => haystack.includes(w));
  };
}

function searchableText(batch: Batch, fileName: (fileId: string) => string | undefined): string {
  const parts: (string | undefined)[] = [batch.id, batch.model, batch.endpoint, batch.inputFileId && fileName(batch.inputFileId)];
  for (const [key, value] of Object.entries(batch.metadata ?? {})) parts.push(key, value);
  // A separator no word can span, so a word matches within one field.
  return parts.filter((p): p is string => typeof p === 'string').join('\n');
}

/** What the view's description says of an active filter: "failed · gpt-4o · 7 days". */
export function filterDescription(filter: BatchFilter): string {
  const parts: string[] = [];
  if (filter.statuses.length > 0) parts.push(filter.statuses.map((s) => statusLabel(s).toLowerCase()).join(', '));
  const text = filter.text.trim();
  if (text) parts.push(text.length > 40 ? `${text.slice(0, 39)}…` : text);
  if (filter.age !== 'any') parts.push(FILTER_AGES[filter.age].short);
  return parts.join(' · ');
}

/** What Find in All Batches pages through: the loaded batches of one account and their cursor. */
export interface PagedBatches {
  readonly batches: readonly Batch[];
  readonly hasMore: boolean;
  readonly loaded: boolean;
  readonly hasSource: boolean;
  readonly lastError?: { readonly kind: string; readonly error: unknown };
  /** Loads the next page (the first one when nothing is loaded). */
  loadMore(): Promise<void>;
}

/**
 * Why Find stopped: it has the matches it wanted; the last page reached past the age limit (pages come
 * newest first, so no older batch can match); the list ended; the user cancelled; a page failed.
 */
export type FindEnd = 'enough' | 'ageLimit' | 'end' | 'cancelled' | 'failed';

export interface FindResult {
  readonly end: FindEnd;
  /** Pages requested by this search. */
  readonly pages: number;
  /** Loaded batches that match, when it stopped. */
  readonly matches: number;
  readonly error?: unknown;
}

/**
 * Loads page after page (one request each, kept loaded) until `want` loaded batches match, a page reaches
 * past `cutoff` (`created_at` seconds), the list ends, `signal` is aborted or a page fails. What is
 * already loaded counts: nothing is requested when it holds enough.
 */
export async function findInAllBatches(
  store: PagedBatches,
  matches: (batch: Batch) => boolean,
  options: { readonly want: number; readonly cutoff?: number; readonly signal?: AbortSignal; readonly onPage?: (pages: number, matches: number) => void },
): Promise<FindResult> {
  let pages = 0;
  let counted = 0;
  let found = 0;
  const result = (end: FindEnd, error?: unknown): FindResult => ({ end, pages, matches: found, error });
  for (;;) {
    // Only what arrived since the last count is read again.
    const batches = store.batches;
    if (batches.length < counted) counted = found = 0; // reset under us: count afresh
    for (; counted < batches.length; counted++) if (matches(batches[counted])) found++;
    if (pages > 0) options.onPage?.(pages, found);
    if (found >= options.want) return result('enough');
    const oldest = batches[batches.length - 1]?.createdAt;
    if (options.cutoff !== undefined && oldest !== undefined && oldest < options.cutoff) return result('ageLimit');
    if (!store.hasSource || (store.loaded && !store.hasMore)) return result('end');
    if (options.signal?.aborted) return result('cancelled');
    const before = batches.length;
    await store.loadMore();
    pages++;
    const failure = store.lastError;
    if (failure && (failure.kind === 'more' || failure.kind === 'first')) return result('failed', failure.error);
    // A page that added nothing while more is still said to exist: stop rather than ask again.
    if (store.batches.length === before && store.hasMore) return result('end');
  }
}
