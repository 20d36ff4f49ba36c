/**
 * Which local file each uploaded batch input came from (remembered by Create, per workspace), so that a
 * validation error can open its line in the file the user edits rather than in the uploaded copy.
 */

export interface InputOrigin {
  /** The local file, as a URI string. */
  readonly uri: string;
  /** Its size and modification time when it was uploaded: a file changed since may have moved its lines. */
  readonly bytes: number;
  readonly mtimeMs: number;
  /** When it was remembered (ms since the epoch): the oldest are forgotten first. */
  readonly at: number;
}

/** Enough for months of batches; a workspace's state stays small. */
export const MAX_INPUT_ORIGINS = 500;

/** The origins as stored, with `fileId` → `origin` added and the oldest dropped beyond `max`. */
export function withOrigin(stored: unknown, fileId: string, origin: InputOrigin, max = MAX_INPUT_ORIGINS): Record<string, InputOrigin> {
  const entries = Object.entries(readOrigins(stored)).filter(([id]) => id !== fileId);
  entries.push([fileId, origin]);
  entries.sort((a, b) => a[1].at - b[1].at);
  return Object.fromEntries(entries.slice(Math.max(0, entries.length - max)));
}

export function originOf(stored: unknown, fileId: string | undefined): InputOrigin | undefined {
  return fileId === undefined ? undefined : readOrigins(stored)[fileId];
}

/** The file is not as it was uploaded: its lines may not be the ones the errors name. */
export function changedSince(origin: InputOrigin, now: { readonly size: number; readonly mtimeMs: number }): boolean {
  return now.size !== origin.bytes || Math.abs(now.mtimeMs - origin.mtimeMs) >= 1;
}

/** Workspace state is only as good as what wrote it: entries that do not fit are left out. */
function readOrigins(stored: unknown): Record<string, InputOrigin> {
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return {};
  const out: Record<string, InputOrigin> = {};
  for (const [id, value] of Object.entries(stored as Record<string, unknown>)) {
    const v = value as Partial<InputOrigin> | null;
    if (v && typeof v.uri === 'string' && typeof v.bytes === 'number' && typeof v.mtimeMs === 'number' && typeof v.at === 'number') {
      out[id] = { uri: v.uri, bytes: v.bytes, mtimeMs: v.mtimeMs, at: v.at };
    }
  }
  return out;
}
