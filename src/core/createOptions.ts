/** What a new batch may be given besides its file: the API's limits, and durations as people write them. */

/** `metadata` values are at most 512 characters. */
export const MAX_DESCRIPTION = 512;
/** `output_expires_after.seconds` and the upload's `expires_after[seconds]`: 1 hour to 30 days. */
export const MIN_EXPIRY_SECONDS = 3600;
export const MAX_EXPIRY_SECONDS = 30 * 86400;

/** Why `seconds` is not an expiry the API accepts, or undefined when it is. */
export function expiryProblem(seconds: number): string | undefined {
  if (!Number.isInteger(seconds) || seconds < MIN_EXPIRY_SECONDS || seconds > MAX_EXPIRY_SECONDS) return 'Between 1 hour and 30 days (3600 to 2592000 seconds).';
  return undefined;
}

/** `36h`, `36 hours`, `7d`, `7 days` → seconds; undefined for anything else. */
export function parseDuration(text: string): number | undefined {
  const m = /^\s*(\d+)\s*(h|hours?|d|days?)\s*$/i.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * (m[2].toLowerCase().startsWith('h') ? 3600 : 86400);
}

/** `1 hour`, `36 hours`, `1 day`, `30 days`. */
export function describeDuration(seconds: number): string {
  const days = seconds / 86400;
  if (Number.isInteger(days)) return `${days} day${days === 1 ? '' : 's'}`;
  const hours = Math.round(seconds / 3600);
  return `${hours} hour${hours === 1 ? '' : 's'}`;
}

/** A file's name as its batch's description, within the limit. */
export function defaultDescription(fileName: string): string {
  return fileName.slice(0, MAX_DESCRIPTION);
}
