import { FILE_KINDS, type FileKind } from './batch';

/**
 * Paths of the read-only documents. Ids are server data: each is percent-encoded into one path segment
 * so any id (slashes, dots, spaces) parses back to itself. The last segment is the tab's title.
 */

export function batchJsonPath(batchId: string): string {
  return `/${encodeURIComponent(batchId)}.json`;
}

export function parseBatchJsonPath(path: string): string | undefined {
  const m = /^\/([^/]+)\.json$/.exec(path);
  return m ? safeDecode(m[1]) : undefined;
}

export interface FileDocumentRef {
  readonly batchId: string;
  readonly kind: FileKind;
  readonly fileId: string;
}

export function fileDocumentPath(ref: FileDocumentRef): string {
  return `/${encodeURIComponent(ref.fileId)}/${encodeURIComponent(ref.batchId)}_${ref.kind}.jsonl`;
}

export function parseFileDocumentPath(path: string): FileDocumentRef | undefined {
  const m = /^\/([^/]+)\/([^/]+)_([a-z]+)\.jsonl$/.exec(path);
  if (!m || !(FILE_KINDS as readonly string[]).includes(m[3])) return undefined;
  const fileId = safeDecode(m[1]);
  const batchId = safeDecode(m[2]);
  return fileId !== undefined && batchId !== undefined ? { fileId, batchId, kind: m[3] as FileKind } : undefined;
}

function safeDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}
