import { parseBatch, type Batch } from './batch';

export interface BatchPage {
  readonly batches: readonly Batch[];
  /**
   * The server's `has_more`; undefined when it sent none (Groq, some proxies): whoever pages then judges
   * by whether the page came back full.
   */
  readonly hasMore: boolean | undefined;
  /** Entries that were dropped or degraded, for the log. */
  readonly problems: readonly string[];
}

/** Parses `GET /batches`; undefined when the body is not a list at all. */
export function parseBatchPage(json: unknown): BatchPage | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const { data, has_more: hasMore } = json as { data?: unknown; has_more?: unknown };
  if (!Array.isArray(data)) return undefined;
  const batches: Batch[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  data.forEach((entry, i) => {
    const parsed = parseBatch(entry);
    problems.push(...parsed.problems.map((p) => (parsed.batch ? p : `entry ${i} skipped: ${p}`)));
    if (!parsed.batch) return;
    if (seen.has(parsed.batch.id)) {
      problems.push(`entry ${i} skipped: ${parsed.batch.id} appears twice on one page`);
      return;
    }
    seen.add(parsed.batch.id);
    batches.push(parsed.batch);
  });
  return { batches, hasMore: hasMore === undefined || hasMore === null ? undefined : hasMore === true || hasMore === 'true', problems };
}
