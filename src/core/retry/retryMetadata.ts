import type { Batch } from '../batch';
import { formatCount } from '../format';

/** The Batch API's limits on `metadata`: more is an HTTP 400, so a retry's metadata stays within them. */
export const METADATA_LIMITS = { pairs: 16, keyLength: 64, valueLength: 512 } as const;

/** The metadata key that links a retry to the batch it retries. */
export const RETRY_OF_KEY = 'retry_of';
const DESCRIPTION_KEY = 'description';

/**
 * Metadata for a batch that retries `requests` requests of `parent`: `retry_of` names the parent, the
 * description says what it is, and the parent's other metadata is carried over as far as the limits
 * allow (pairs beyond 16 are dropped, values cut to 512 characters, over-long keys left out).
 */
export function retryMetadata(parent: Batch, requests: number): Record<string, string> {
  const { pairs, keyLength, valueLength } = METADATA_LIMITS;
  const cut = (s: string) => (s.length > valueLength ? `${s.slice(0, valueLength - 1)}…` : s);
  const described = parent.metadata?.[DESCRIPTION_KEY]?.trim() || parent.id;
  // A retry of a retry counts up ("Retry 2 of nightly eval") instead of nesting the sentence.
  const earlier = /^Retry(?: (\d+))? of (.+): [\d,]+ requests?$/s.exec(described);
  const what = earlier ? `Retry ${Number(earlier[1] ?? 1) + 1} of ${earlier[2]}` : `Retry of ${described}`;
  const out: Record<string, string> = {
    [RETRY_OF_KEY]: cut(parent.id),
    [DESCRIPTION_KEY]: cut(`${what}: ${formatCount(requests)} request${requests === 1 ? '' : 's'}`),
  };
  for (const [key, value] of Object.entries(parent.metadata ?? {})) {
    if (Object.keys(out).length >= pairs) break;
    if (key in out || key.length === 0 || key.length > keyLength) continue;
    out[key] = cut(value);
  }
  return out;
}
