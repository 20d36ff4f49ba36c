// Export of a batch's joined results, streamed to a temporary file beside the destination and renamed
// only when complete: a cancelled or failed export leaves nothing behind. Bodies are copied from the
// files byte for byte (JSON Lines) or read whole for the answer text (CSV).
import { randomBytes } from 'node:crypto';
import { createWriteStream, promises as fs, type WriteStream } from 'node:fs';
import * as path from 'node:path';
import { cancelled } from './lineReader';
import { memberRanges } from './jsonSkim';
import { OUTCOMES } from './protocol';
import type { ResultFileKind } from './protocol';
import { readResultLine } from './requestPreview';
import { linePath, NO_STATUS, RESULT_FILE, ROW_FLAG, type ResultsIndex } from './resultsIndex';

export type ExportFormat = 'jsonl' | 'csv';

export interface ExportOptions {
  readonly signal?: AbortSignal;
  /** Rows written so far, of all. */
  readonly onProgress?: (done: number, total: number) => void;
}

export const CSV_COLUMNS = ['custom_id', 'outcome', 'status', 'error_code', 'finish_reason', 'tokens', 'answer_text'] as const;

/**
 * Writes the rows `ids` (or all) in input order. JSON Lines: one object per row with custom_id, outcome,
 * status_code, request (the request body), response (the response body) and error (the line's error, or
 * a failed response's body.error), the bodies copied from the files byte for byte, and batch_id when the
 * rows come from several batches. CSV: the columns of CSV_COLUMNS, RFC 4180 quoting, cells that a
 * spreadsheet would run as a formula made inert.
 */
export async function exportResults(
  index: ResultsIndex,
  ids: Uint32Array | 'all',
  format: ExportFormat,
  destination: string,
  options: ExportOptions = {},
): Promise<{ rows: number; bytes: number }> {
  if (options.signal?.aborted) throw cancelled();
  const rows = ids === 'all' ? undefined : ids.slice().sort();
  const total = rows ? rows.length : index.rowCount;
  const files = new LineFiles(index);
  try {
    const { bytes } = await writeAtomically(
      destination,
      async (write) => {
        if (format === 'csv') await write(`${CSV_COLUMNS.join(',')}\r\n`);
        for (let i = 0; i < total; i++) {
          if (options.signal?.aborted) throw cancelled();
          const row = rows ? rows[i] : i;
          if (row >= index.rowCount) throw new Error(`There is no row ${row}.`);
          await write(format === 'csv' ? await csvRow(index, files, row) : await jsonRow(index, files, row));
          if ((i & 255) === 255) options.onProgress?.(i + 1, total);
        }
      },
      options.signal,
    );
    options.onProgress?.(total, total);
    return { rows: total, bytes };
  } finally {
    await files.close();
  }
}

/** Appends to the file being written; resolves once the stream can take more. */
export type Write = (chunk: string | Buffer) => Promise<void>;

/**
 * Writes `destination` through a temporary file beside it, renamed into place only once `produce` has
 * written everything: a cancelled or failed write leaves nothing behind, and never half a file.
 */
export async function writeAtomically(destination: string, produce: (write: Write) => Promise<void>, signal?: AbortSignal): Promise<{ bytes: number }> {
  if (signal?.aborted) throw cancelled();
  const temp = path.join(path.dirname(destination), `.${path.basename(destination)}.${randomBytes(4).toString('hex')}.part`);
  const out = createWriteStream(temp, { flags: 'wx' });
  let failure: Error | undefined;
  out.on('error', (e) => (failure ??= e));
  let bytes = 0;
  const write: Write = async (chunk) => {
    if (failure) throw failure;
    bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk, 'utf8') : chunk.length;
    if (!out.write(chunk)) await drained(out);
    if (failure) throw failure;
  };
  try {
    await produce(write);
    await new Promise<void>((resolve, reject) => {
      out.once('error', reject);
      out.end(() => resolve());
    });
    if (failure) throw failure;
    if (signal?.aborted) throw cancelled();
    await fs.rename(temp, destination);
    return { bytes };
  } catch (e) {
    // The file may still be opening: remove it only once the stream has closed.
    await new Promise<void>((resolve) => {
      if (out.closed) return resolve();
      out.once('close', () => resolve());
      out.destroy();
    });
    await fs.rm(temp, { force: true });
    throw e;
  }
}

async function jsonRow(index: ResultsIndex, files: LineFiles, row: number): Promise<Buffer> {
  const c = index.columns;
  const customId = c.customId[row];
  let request: Buffer = NULL;
  if (c.inputLine[row] !== 0 && !(c.flags[row] & ROW_FLAG.unreadable)) {
    const line = await files.read(row, 'input', c.inputOffset[row], c.inputLength[row]);
    request = member(line, memberRanges(line, 0, line.length), 'body');
  }
  let response: Buffer = NULL;
  let error: Buffer = NULL;
  if (c.resultFile[row] !== RESULT_FILE.none) {
    const line = await files.read(row, c.resultFile[row] === RESULT_FILE.output ? 'output' : 'error', c.resultOffset[row], c.resultLength[row]);
    const members = memberRanges(line, 0, line.length);
    const responseRange = members?.get('response');
    const responseMembers = responseRange ? memberRanges(line, responseRange[0], responseRange[1]) : undefined;
    response = member(line, responseMembers, 'body');
    error = member(line, members, 'error');
    // A non-2xx response carries its error in the body: that is the request's error.
    if (error.equals(NULL) && c.outcome[row] !== OUTCOMES.indexOf('succeeded')) {
      const bodyRange = responseMembers?.get('body');
      const bodyMembers = bodyRange ? memberRanges(line, bodyRange[0], bodyRange[1]) : undefined;
      error = member(line, bodyMembers, 'error');
    }
  }
  const status = c.status[row] === NO_STATUS ? 'null' : String(c.status[row]);
  const head = `{"custom_id":${customId === undefined ? 'null' : JSON.stringify(customId)},"outcome":"${OUTCOMES[c.outcome[row]]}","status_code":${status},"request":`;
  // Rows of several batches (a batch and its retries) say which batch answered.
  const from = index.members ? `,"batch_id":${JSON.stringify(index.members.batchIds[index.members.member[row]])}` : '';
  return Buffer.concat([Buffer.from(head), request, RESPONSE, response, ERROR, error, Buffer.from(from), END]);
}

const NULL = Buffer.from('null');
const RESPONSE = Buffer.from(',"response":');
const ERROR = Buffer.from(',"error":');
const END = Buffer.from('}\n');

/** A member's JSON text as it is in the file (bytes that are not UTF-8 included), or null. */
function member(line: Buffer, members: Map<string, [number, number]> | undefined, name: string): Buffer {
  const range = members?.get(name);
  return range ? line.subarray(range[0], range[1]) : NULL;
}

async function csvRow(index: ResultsIndex, files: LineFiles, row: number): Promise<string> {
  const c = index.columns;
  const t = index.tables;
  let answer = '';
  if (c.outcome[row] === OUTCOMES.indexOf('succeeded')) {
    const line = await files.read(row, c.resultFile[row] === RESULT_FILE.output ? 'output' : 'error', c.resultOffset[row], c.resultLength[row]);
    const facts = readResultLine(line, 0, line.length, 'whole');
    answer = typeof facts === 'string' ? '' : (facts.answer ?? '');
  }
  const cells = [
    textCell(c.customId[row] ?? ''),
    OUTCOMES[c.outcome[row]],
    c.status[row] === NO_STATUS ? '' : String(c.status[row]),
    textCell(t.errorCode[c.errorCode[row]]),
    textCell(t.finishReason[c.finishReason[row]]),
    c.flags[row] & ROW_FLAG.usage ? String(c.tokensInput[row] + c.tokensOutput[row]) : '',
    textCell(answer),
  ];
  return `${cells.join(',')}\r\n`;
}

/**
 * One CSV field from untrusted text: quoted when it holds a comma, quote or line break (RFC 4180), and
 * prefixed with ' when it starts like a formula (=, +, -, @, tab, CR), so a spreadsheet shows it as text.
 */
export function textCell(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The files of an index's rows, each opened once for a whole pass and read by offset. */
export class LineFiles {
  private readonly open = new Map<string, Promise<fs.FileHandle>>();

  constructor(private readonly index: ResultsIndex) {}

  /** `length` bytes at `offset` of row `row`'s input or result file. */
  async read(row: number, kind: ResultFileKind, offset: number, length: number): Promise<Buffer> {
    const path = linePath(this.index, row, kind);
    if (!path) throw new Error(`The ${kind} file is not available.`);
    let handle = this.open.get(path);
    if (!handle) {
      handle = fs.open(path, 'r');
      this.open.set(path, handle);
    }
    const file = await handle;
    const bytes = Buffer.allocUnsafe(length);
    for (let read = 0; read < length; ) {
      const { bytesRead } = await file.read(bytes, read, length - read, offset + read);
      if (bytesRead === 0) throw new Error(`The ${kind} file ends early: it changed after it was read.`);
      read += bytesRead;
    }
    return bytes;
  }

  async close(): Promise<void> {
    for (const handle of this.open.values()) await (await handle.catch(() => undefined))?.close();
  }
}

/** Resolves when the stream wants more, or has failed (the caller then finds `failure` set). */
function drained(out: WriteStream): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
  });
}
