import { toUnixSeconds } from './batch';

/** `GET /files/{id}`: only what the extension uses. */
export interface FileObject {
  readonly id: string;
  /** Unknown when the server leaves it out: callers must not treat that as small. */
  readonly bytes?: number;
  readonly filename?: string;
  readonly purpose?: string;
  readonly createdAt?: number;
}

export function parseFileObject(json: unknown): FileObject | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const o = json as Record<string, unknown>;
  if (typeof o.id !== 'string') return undefined;
  const bytes = typeof o.bytes === 'number' && Number.isFinite(o.bytes) && o.bytes >= 0 ? o.bytes : undefined;
  return {
    id: o.id,
    bytes,
    filename: typeof o.filename === 'string' ? o.filename : undefined,
    purpose: typeof o.purpose === 'string' ? o.purpose : undefined,
    createdAt: toUnixSeconds(o.created_at),
  };
}
