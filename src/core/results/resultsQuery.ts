// Filter, search and sort over an index, windows of rows for the page, and a row's bodies read back from
// disk by byte offset. One query at a time: the order it produced is kept for the windows that follow.
import { promises as fs } from 'node:fs';
import { MAX_ROWS_PER_MESSAGE, OUTCOMES } from './protocol';
import type { Outcome, ResultFileKind, ResultRow, ResultsQuery, ResultsSummary, RowDetails, SortColumn } from './protocol';
import { linePath, NO_STATUS, RESULT_FILE, ROW_FLAG, type ResultsIndex } from './resultsIndex';

/** Bodies above this many bytes are cut in the details pane; Open in Editor shows them whole. */
export const DETAILS_DISPLAY_BYTES = 256 * 1024;

export class ResultsView {
  /** The current query's rows, in its order. */
  private order: Uint32Array;
  /** Lower-cased custom_id, preview and error message per row, made on the first search. */
  private haystack?: string[];
  /** Sort ranks of the text columns, made on first use. */
  private readonly ranks = new Map<SortColumn, Float64Array>();

  constructor(private readonly index: ResultsIndex) {
    this.order = allRows(index.rowCount);
  }

  get summary(): ResultsSummary {
    return this.index.summary;
  }

  /** Applies a query; returns how many rows match. */
  query(query: ResultsQuery): number {
    const { columns: c, rowCount } = this.index;
    const outcomes = new Set<number>((query.outcomes ?? []).map((o: Outcome) => OUTCOMES.indexOf(o)));
    const errorKey = query.errorKey === undefined ? undefined : this.index.tables.errorKey.indexOf(query.errorKey);
    const needle = query.search?.trim().toLowerCase() ?? '';
    const haystack = needle ? this.searchText() : undefined;
    // Outcome and error filters count the input's requests, as the summary does: results without an
    // input line show only when nothing narrows the outcome.
    const narrowed = outcomes.size > 0 || errorKey !== undefined;
    const matches = new Uint32Array(rowCount);
    let n = 0;
    for (let row = 0; row < rowCount; row++) {
      if (narrowed && c.flags[row] & ROW_FLAG.orphan) continue;
      if (outcomes.size > 0 && !outcomes.has(c.outcome[row])) continue;
      if (errorKey !== undefined && (errorKey <= 0 || c.errorKey[row] !== errorKey)) continue;
      if (haystack && !haystack[row].includes(needle)) continue;
      matches[n++] = row;
    }
    this.order = matches.slice(0, n);
    if (query.sort && !(query.sort.column === 'line' && !query.sort.descending)) this.sort(query.sort.column, query.sort.descending);
    return n;
  }

  /** Rows start..start+count of the current query's order (at most MAX_ROWS_PER_MESSAGE). */
  rows(start: number, count: number): ResultRow[] {
    const from = Math.max(0, Math.floor(start) || 0);
    const to = Math.min(this.order.length, from + Math.max(0, Math.min(MAX_ROWS_PER_MESSAGE, Math.floor(count) || 0)));
    const rows: ResultRow[] = [];
    for (let i = from; i < to; i++) rows.push(this.index.row(this.order[i]));
    return rows;
  }

  /** Row ids of the current query, in input order (what Export and Retry take). */
  matchingIds(): Uint32Array {
    return this.order.slice().sort();
  }

  /** The row's request and its response or error, read from disk, pretty-printed, long ones cut. */
  async details(id: number): Promise<RowDetails> {
    this.check(id);
    const request = await this.readPart(id, 'request', DETAILS_DISPLAY_BYTES);
    const result = await this.readPart(id, 'result', DETAILS_DISPLAY_BYTES);
    const kind = this.index.columns.resultFile[id];
    const customId = this.index.columns.customId[id];
    return {
      id,
      ...(customId !== undefined ? { customId } : {}),
      ...(request ? { request: request.text } : {}),
      ...(result ? { result: result.text } : {}),
      resultKind: kind === RESULT_FILE.output ? 'output' : kind === RESULT_FILE.error ? 'error' : 'none',
      truncated: Boolean(request?.truncated || result?.truncated),
    };
  }

  /** The whole request or result line, pretty-printed, for a read-only editor tab. */
  async fullText(id: number, part: 'request' | 'result'): Promise<string> {
    this.check(id);
    const read = await this.readPart(id, part, Infinity);
    if (!read) throw new Error(part === 'request' ? `Row ${id} has no request line (its custom_id is not in the input file).` : `Row ${id} has no result line.`);
    return read.text;
  }

  private check(id: number): void {
    if (!Number.isInteger(id) || id < 0 || id >= this.index.rowCount) throw new Error(`There is no row ${id}.`);
  }

  /** A line of a file, pretty-printed (or as it is when it is not JSON), cut at `limit` bytes. */
  private async readPart(id: number, part: 'request' | 'result', limit: number): Promise<{ text: string; truncated: boolean } | undefined> {
    const c = this.index.columns;
    let kind: ResultFileKind;
    let offset: number;
    let length: number;
    if (part === 'request') {
      if (c.inputLine[id] === 0) return undefined;
      kind = 'input';
      offset = c.inputOffset[id];
      length = c.inputLength[id];
    } else {
      if (c.resultFile[id] === RESULT_FILE.none) return undefined;
      kind = c.resultFile[id] === RESULT_FILE.output ? 'output' : 'error';
      offset = c.resultOffset[id];
      length = c.resultLength[id];
    }
    const path = linePath(this.index, id, kind);
    const line = part === 'request' ? c.inputLine[id] : c.resultLine[id];
    if (!path) return { text: `(The ${kind} file is not available.)`, truncated: false };
    let bytes: Buffer;
    try {
      bytes = await readRange(path, offset, Math.min(length, limit));
    } catch (e) {
      return { text: `(Line ${line} of the ${kind} file could not be read: ${(e as Error).message})`, truncated: false };
    }
    if (length > limit) return { text: bytes.toString('utf8'), truncated: true };
    const text = prettyJson(bytes.toString('utf8'));
    return text.length > limit ? { text: text.slice(0, limit), truncated: true } : { text, truncated: false };
  }

  private searchText(): string[] {
    if (!this.haystack) {
      const { columns: c, tables: t, rowCount } = this.index;
      const haystack = new Array<string>(rowCount);
      for (let row = 0; row < rowCount; row++) {
        haystack[row] = `${c.customId[row] ?? ''}\n${c.preview.text(row)}\n${t.errorMessage[c.errorMessage[row]]}`.toLowerCase();
      }
      this.haystack = haystack;
    }
    return this.haystack;
  }

  /** Sorts the current rows by a column; ties (and the rows with no value, always last) keep input order. */
  private sort(column: SortColumn, descending: boolean): void {
    const keys = this.sortKeys(column);
    const direction = descending ? -1 : 1;
    this.order.sort((a, b) => {
      const ka = keys[a];
      const kb = keys[b];
      if (ka !== kb) {
        if (Number.isNaN(ka)) return 1;
        if (Number.isNaN(kb)) return -1;
        return ka < kb ? -direction : direction;
      }
      return a - b;
    });
  }

  /** One number per row to sort on; NaN where the row has no value. */
  private sortKeys(column: SortColumn): Float64Array {
    const cached = this.ranks.get(column);
    if (cached) return cached;
    const { columns: c, tables: t, rowCount } = this.index;
    const keys = new Float64Array(rowCount);
    switch (column) {
      case 'line':
        for (let row = 0; row < rowCount; row++) keys[row] = c.inputLine[row] === 0 ? NaN : c.inputLine[row];
        break;
      case 'outcome':
        for (let row = 0; row < rowCount; row++) keys[row] = c.outcome[row];
        break;
      case 'status':
        for (let row = 0; row < rowCount; row++) keys[row] = c.status[row] === NO_STATUS ? NaN : c.status[row];
        break;
      case 'tokens':
        for (let row = 0; row < rowCount; row++) keys[row] = c.flags[row] & ROW_FLAG.usage ? c.tokensInput[row] + c.tokensOutput[row] : NaN;
        break;
      case 'finishReason': {
        const rank = rankOf(t.finishReason);
        for (let row = 0; row < rowCount; row++) keys[row] = c.finishReason[row] === 0 ? NaN : rank[c.finishReason[row]];
        break;
      }
      case 'customId':
        rankTexts(keys, rowCount, (row) => c.customId[row]);
        break;
      case 'preview':
        rankTexts(keys, rowCount, (row) => c.preview.text(row) || undefined);
        break;
    }
    this.ranks.set(column, keys);
    return keys;
  }
}

function allRows(count: number): Uint32Array {
  const rows = new Uint32Array(count);
  for (let i = 0; i < count; i++) rows[i] = i;
  return rows;
}

/** Natural order for people: case-insensitive, numbers by value (request-9 before request-10). */
const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** The rank of each table entry in collated order (entry 0, "none", ranks NaN). */
function rankOf(values: readonly string[]): Float64Array {
  const ids = values.map((_, i) => i).slice(1);
  ids.sort((a, b) => collator.compare(values[a], values[b]) || a - b);
  const rank = new Float64Array(values.length).fill(NaN);
  ids.forEach((id, i) => (rank[id] = i));
  return rank;
}

/** Fills keys with each row's rank in collated order of its text (NaN: no text). */
function rankTexts(keys: Float64Array, rowCount: number, text: (row: number) => string | undefined): void {
  const texts = new Array<string | undefined>(rowCount);
  const rows: number[] = [];
  for (let row = 0; row < rowCount; row++) {
    texts[row] = text(row);
    if (texts[row] === undefined) keys[row] = NaN;
    else rows.push(row);
  }
  rows.sort((a, b) => collator.compare(texts[a]!, texts[b]!) || a - b);
  // Equal texts share a rank, so the sort's tie-break (input order) decides between them.
  let rank = 0;
  rows.forEach((row, i) => {
    if (i > 0 && collator.compare(texts[rows[i - 1]]!, texts[row]!) !== 0) rank = i;
    keys[row] = rank;
  });
}

/** Reads `length` bytes at `offset`. */
export async function readRange(path: string, offset: number, length: number): Promise<Buffer> {
  const file = await fs.open(path, 'r');
  try {
    const bytes = Buffer.allocUnsafe(length);
    let read = 0;
    while (read < length) {
      const { bytesRead } = await file.read(bytes, read, length - read, offset + read);
      if (bytesRead === 0) throw new Error(`the file ends ${length - read} bytes early`);
      read += bytesRead;
    }
    return bytes;
  } finally {
    await file.close();
  }
}

/**
 * JSON text indented by two spaces, token for token as written (numbers, escapes and member order kept,
 * unlike a parse and stringify); text that is not JSON comes back as it is.
 */
export function prettyJson(text: string): string {
  try {
    JSON.parse(text);
  } catch {
    return text;
  }
  const out: string[] = [];
  let depth = 0;
  let start = 0; // of the pending run of copied characters
  const indent = (d: number) => '\n' + '  '.repeat(d);
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x22) {
      // Strings are copied as they are: find the closing quote.
      i++;
      while (i < text.length && text.charCodeAt(i) !== 0x22) i += text.charCodeAt(i) === 0x5c ? 2 : 1;
      continue;
    }
    let insert: string | undefined;
    let skip = false;
    if (ch === 0x7b || ch === 0x5b) {
      // An empty container stays on one line.
      let j = i + 1;
      while (j < text.length && isJsonSpace(text.charCodeAt(j))) j++;
      const close = ch === 0x7b ? 0x7d : 0x5d;
      if (text.charCodeAt(j) === close) {
        out.push(text.slice(start, i), ch === 0x7b ? '{}' : '[]');
        i = j;
        start = j + 1;
        continue;
      }
      depth++;
      out.push(text.slice(start, i + 1), indent(depth));
      start = i + 1;
      continue;
    }
    if (ch === 0x7d || ch === 0x5d) {
      depth--;
      insert = indent(depth);
    } else if (ch === 0x2c) {
      out.push(text.slice(start, i + 1), indent(depth));
      start = i + 1;
      continue;
    } else if (ch === 0x3a) {
      out.push(text.slice(start, i + 1), ' ');
      start = i + 1;
      continue;
    } else if (isJsonSpace(ch)) skip = true;
    if (skip) {
      out.push(text.slice(start, i));
      start = i + 1;
    } else if (insert !== undefined) {
      out.push(text.slice(start, i), insert);
      start = i;
    }
  }
  out.push(text.slice(start));
  return out.join('').trim();
}

function isJsonSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}
