import { FILE_KINDS, type FileKind } from './batch';
import { DEFAULT_CONNECTION } from './connections';
import { formatBytes, formatCount } from './format';

/**
 * Paths of the read-only documents. Ids are server data: each is percent-encoded into one path segment
 * so any id (slashes, dots, spaces) parses back to itself. The last segment is the tab's title.
 *
 * The connection a document reads from is its URI's authority: none for the default one (so tabs from
 * before connections keep working), else `c` and the name's UTF-8 bytes in hex (authorities are
 * case-folded and `@`/`:` are special, so the name itself cannot go there). A non-default name is also in
 * the title, as ` · name` before the extension, for reading only.
 */

export function connectionAuthority(connection: string): string {
  return connection === DEFAULT_CONNECTION ? '' : `c${Buffer.from(connection, 'utf8').toString('hex')}`;
}

/** The connection a document's authority names; undefined when it is not one this module wrote. */
export function parseConnectionAuthority(authority: string): string | undefined {
  if (authority === '') return DEFAULT_CONNECTION;
  const m = /^c((?:[0-9a-f]{2})+)$/.exec(authority);
  return m ? Buffer.from(m[1], 'hex').toString('utf8') : undefined;
}

function titleSuffix(connection: string): string {
  return connection === DEFAULT_CONNECTION ? '' : ` · ${connection.replace(/\//g, '∕')}`;
}

export function batchJsonPath(batchId: string, connection = DEFAULT_CONNECTION): string {
  return `/${encodeURIComponent(batchId)}${titleSuffix(connection)}.json`;
}

export function parseBatchJsonPath(path: string): string | undefined {
  const m = /^\/([^/ ]+)(?: · [^/]*)?\.json$/.exec(path);
  return m ? safeDecode(m[1]) : undefined;
}

export interface FileDocumentRef {
  readonly batchId: string;
  readonly kind: FileKind;
  readonly fileId: string;
  /** Only the first lines of a file too large for a tab; the title says how many, and of how much. */
  readonly firstLines?: { readonly lines: number; readonly bytes?: number };
}

/** `/file-9/batch_1_output.jsonl`, or `/file-9/batch_1_output (first 1,000 lines of 312 MB).jsonl` */
export function fileDocumentPath(ref: FileDocumentRef, connection = DEFAULT_CONNECTION): string {
  const first = ref.firstLines;
  const preview = first
    ? ` (first ${formatCount(first.lines)} line${first.lines === 1 ? '' : 's'}${first.bytes === undefined ? '' : ` of ${formatBytes(first.bytes)}`})`
    : '';
  // encodeURIComponent leaves parentheses and never produces a space: the preview part cannot be forged by an id.
  return `/${encodeURIComponent(ref.fileId)}/${encodeURIComponent(ref.batchId)}_${ref.kind}${preview}${titleSuffix(connection)}.jsonl`;
}

export function parseFileDocumentPath(path: string): FileDocumentRef | undefined {
  const m = /^\/([^/]+)\/([^/ ]+)_([a-z]+)(?: \(first ([\d,]+) lines? of ([\d.]+ [KMGT]?B)\)| \(first ([\d,]+) lines?\))?(?: · [^/]*)?\.jsonl$/.exec(path);
  if (!m || !(FILE_KINDS as readonly string[]).includes(m[3])) return undefined;
  const fileId = safeDecode(m[1]);
  const batchId = safeDecode(m[2]);
  if (fileId === undefined || batchId === undefined) return undefined;
  const ref: FileDocumentRef = { fileId, batchId, kind: m[3] as FileKind };
  const lines = m[4] ?? m[6];
  // The size in the title is for reading only; it is fetched again when the tab is restored.
  return lines === undefined ? ref : { ...ref, firstLines: { lines: Number(lines.replace(/,/g, '')) } };
}

function safeDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

export type ResultPart = 'request' | 'result';

/** One row of a Results panel: its request or its result, opened as a read-only JSON tab. */
export interface ResultDocumentRef {
  readonly batchId: string;
  /** The row's id in the batch's results index. */
  readonly rowId: number;
  readonly part: ResultPart;
  /** What the tab is called: the custom_id, or the input line. */
  readonly label: string;
}

const LABEL_MAX = 60;

export function resultDocumentPath(ref: ResultDocumentRef): string {
  const label = ref.label.length > LABEL_MAX ? `${ref.label.slice(0, LABEL_MAX)}…` : ref.label;
  return `/${encodeURIComponent(ref.batchId)}/${ref.rowId}/${encodeURIComponent(label)}.${ref.part}.json`;
}

export function parseResultDocumentPath(path: string): ResultDocumentRef | undefined {
  const m = /^\/([^/]+)\/(\d+)\/([^/]*)\.(request|result)\.json$/.exec(path);
  if (!m) return undefined;
  const batchId = safeDecode(m[1]);
  const label = safeDecode(m[3]);
  return batchId !== undefined && label !== undefined ? { batchId, rowId: Number(m[2]), part: m[4] as ResultPart, label } : undefined;
}
