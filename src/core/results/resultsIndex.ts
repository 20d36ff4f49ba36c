// One streaming pass per file (input, then output, then error) joins a batch's results to its requests on
// custom_id and keeps what the view needs in columns: typed arrays for numbers and codes, string tables
// for values that repeat, a short preview per row. Bodies stay on disk, found again by byte offset.
import { promises as fs } from 'node:fs';
import type { Batch } from '../batch';
import { isActiveStatus } from '../status';
import { cancelled, readLines, type LineSink } from './lineReader';
import { OUTCOMES } from './protocol';
import type { ErrorGroup, FinishReasonCount, LineRef, Outcome, ResultFileKind, ResultFileState, ResultRow, ResultsSummary, TokenTotals } from './protocol';
import { readRequestLine, readResultLine, singleLine, type ResultFacts } from './requestPreview';

export interface ResultsSources {
  readonly batch: Batch;
  readonly input?: FileSource;
  readonly output?: FileSource;
  readonly error?: FileSource;
}

/** A file read from `path`, or one that could not be fetched (`failed` says why). */
export type FileSource = { readonly path: string; readonly fileId?: string } | { readonly failed: string; readonly fileId?: string };

export interface ResultsIndexOptions {
  readonly signal?: AbortSignal;
  /** Fraction of all bytes read, 0..1, and what is being read. */
  readonly onProgress?: (fraction: number, message: string) => void;
}

/** Bits of `ResultsColumns.flags`. */
export const ROW_FLAG = {
  /** The input line repeats an earlier line's custom_id. */
  duplicate: 1,
  /** A result whose custom_id is not in the input (or one more than the input has lines for). */
  orphan: 2,
  /** An input line that is not a JSON object with a string custom_id. */
  unreadable: 4,
  /** The response carried token usage. */
  usage: 8,
} as const;

/** `ResultsColumns.resultFile`: where a row's result line is. */
export const RESULT_FILE = { none: 0, output: 1, error: 2 } as const;

export const NO_STATUS = -1;

/** One entry per row; string columns hold an index into `ResultsIndex.tables` (0: none). */
export interface ResultsColumns {
  /** 1-based line in the input file; 0 for a row without one. */
  readonly inputLine: Uint32Array;
  readonly inputOffset: Float64Array;
  readonly inputLength: Float64Array;
  /** Index into OUTCOMES. */
  readonly outcome: Uint8Array;
  /** HTTP status, or NO_STATUS. */
  readonly status: Int32Array;
  readonly errorCode: Uint32Array;
  readonly errorMessage: Uint32Array;
  /** The row's ErrorGroup key (`code:…`, `status:…`). */
  readonly errorKey: Uint32Array;
  readonly finishReason: Uint32Array;
  readonly model: Uint32Array;
  readonly tokensInput: Float64Array;
  readonly tokensCached: Float64Array;
  readonly tokensOutput: Float64Array;
  readonly tokensReasoning: Float64Array;
  /** ROW_FLAG bits. */
  readonly flags: Uint8Array;
  readonly resultFile: Uint8Array;
  readonly resultLine: Uint32Array;
  readonly resultOffset: Float64Array;
  readonly resultLength: Float64Array;
  readonly customId: readonly (string | undefined)[];
  /** Previews, kept as UTF-8 bytes outside the JavaScript heap. */
  readonly preview: TextColumn;
}

/** String tables; entry 0 is '' and means "none". */
export interface ResultsTables {
  readonly errorCode: readonly string[];
  readonly errorMessage: readonly string[];
  readonly errorKey: readonly string[];
  readonly finishReason: readonly string[];
  readonly model: readonly string[];
}

export interface ResultsIndex {
  readonly summary: ResultsSummary;
  readonly rowCount: number;
  /** Rows 0..inputRows-1 are the input's requests in order; later rows are results with no input line. */
  readonly inputRows: number;
  /** The files read, for reading lines back by offset. */
  readonly paths: FilePaths;
  /** Set when rows come from several batches (a batch and its retries, combined): where each row's lines are. */
  readonly members?: RowMembers;
  readonly columns: ResultsColumns;
  readonly tables: ResultsTables;
  /** One row as the table shows it. */
  row(id: number): ResultRow;
}

export type FilePaths = Readonly<Partial<Record<ResultFileKind, string>>>;

/** Rows drawn from several batches' files: row `r`'s lines are in `paths[member[r]]`, of batch `batchIds[member[r]]`. */
export interface RowMembers {
  readonly member: Uint8Array;
  readonly paths: readonly FilePaths[];
  readonly batchIds: readonly string[];
}

/** Where a row's input or result line is: the index's file, or its member batch's. */
export function linePath(index: ResultsIndex, row: number, kind: ResultFileKind): string | undefined {
  return index.members ? index.members.paths[index.members.member[row]]?.[kind] : index.paths[kind];
}

/** Anomaly lists keep this many entries; their counts are exact. */
export const ANOMALY_LIST_CAP = 100;


export async function buildResultsIndex(sources: ResultsSources, options: ResultsIndexOptions = {}): Promise<ResultsIndex> {
  const kinds: ResultFileKind[] = ['input', 'output', 'error'];
  const batchFileIds: Record<ResultFileKind, string | undefined> = { input: sources.batch.inputFileId, output: sources.batch.outputFileId, error: sources.batch.errorFileId };
  const states = new Map<ResultFileKind, ResultFileState>();
  const readable: { kind: ResultFileKind; path: string; fileId?: string; bytes: number }[] = [];
  for (const kind of kinds) {
    const source = sources[kind];
    const fileId = source?.fileId ?? batchFileIds[kind];
    if (!source) states.set(kind, { kind, ...(fileId ? { fileId } : {}), state: 'none' });
    else if ('failed' in source) states.set(kind, { kind, ...(fileId ? { fileId } : {}), state: 'failed', message: source.failed });
    else {
      try {
        readable.push({ kind, path: source.path, fileId, bytes: (await fs.stat(source.path)).size });
      } catch (e) {
        states.set(kind, { kind, ...(fileId ? { fileId } : {}), state: 'failed', message: `The downloaded copy cannot be read: ${(e as Error).message}` });
      }
    }
  }

  const hasInput = readable.some((f) => f.kind === 'input');
  const builder = new IndexBuilder(hasInput);
  const totalBytes = readable.reduce((sum, f) => sum + f.bytes, 0);
  let doneBytes = 0;
  const paths: Partial<Record<ResultFileKind, string>> = {};
  for (const file of readable) {
    if (options.signal?.aborted) throw cancelled();
    const message = `Reading the ${file.kind} file`;
    options.onProgress?.(totalBytes > 0 ? doneBytes / totalBytes : 0, message);
    const sink = file.kind === 'input' ? builder.inputSink() : builder.resultSink(file.kind);
    let read: { lines: number; bytes: number };
    try {
      read = await readLines(file.path, sink, {
        signal: options.signal,
        onBytes: (bytes) => options.onProgress?.(totalBytes > 0 ? Math.min(1, (doneBytes + bytes) / totalBytes) : 1, message),
      });
    } catch (e) {
      if (options.signal?.aborted) throw cancelled();
      throw new Error(`Could not read the ${file.kind} file: ${(e as Error).message}`, { cause: e });
    }
    doneBytes += file.bytes;
    paths[file.kind] = file.path;
    states.set(file.kind, { kind: file.kind, ...(file.fileId ? { fileId: file.fileId } : {}), state: 'loaded', bytes: read.bytes, lines: sink.nonBlankLines });
  }
  options.onProgress?.(1, 'Joining');
  return builder.finish(sources.batch, paths, kinds.map((k) => states.get(k)!));
}

/** Strings that repeat (codes, models, reasons) stored once; 0 is "none". */
export class StringTable {
  readonly values: string[] = [''];
  private readonly ids = new Map<string, number>([['', 0]]);

  id(value: string | undefined): number {
    if (value === undefined) return 0;
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.ids.set(value, id);
    }
    return id;
  }
}

/** A growable typed column. */
class Column<T extends Float64Array | Uint32Array | Int32Array | Uint8Array> {
  data: T;
  constructor(
    private readonly make: (n: number) => T,
    private readonly fill = 0,
  ) {
    this.data = make(1024);
    if (fill !== 0) this.data.fill(fill);
  }
  set(row: number, value: number): void {
    if (row >= this.data.length) {
      const grown = this.make(Math.max(row + 1, this.data.length * 2));
      if (this.fill !== 0) grown.fill(this.fill);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[row] = value;
  }
  get(row: number): number {
    return row < this.data.length ? this.data[row] : this.fill;
  }
  finish(rows: number): T {
    if (this.data.length === rows) return this.data;
    const out = this.make(rows);
    if (this.fill !== 0) out.fill(this.fill);
    out.set(this.data.subarray(0, Math.min(rows, this.data.length)));
    return out;
  }
}

/**
 * A short text per row, as UTF-8 in one growing buffer: 50,000 previews are one allocation the garbage
 * collector never has to walk or copy, where 50,000 strings would be moved on every collection.
 */
export class TextColumn {
  private bytes = Buffer.allocUnsafe(64 * 1024);
  private used = 0;
  private starts = new Float64Array(1024);
  private lengths = new Uint32Array(1024);

  set(row: number, text: string): void {
    if (row >= this.starts.length) {
      const size = Math.max(row + 1, this.starts.length * 2);
      const starts = new Float64Array(size);
      starts.set(this.starts);
      const lengths = new Uint32Array(size);
      lengths.set(this.lengths);
      this.starts = starts;
      this.lengths = lengths;
    }
    const room = text.length * 3;
    if (this.used + room > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.used + room, this.bytes.length * 2));
      this.bytes.copy(grown, 0, 0, this.used);
      this.bytes = grown;
    }
    const written = this.bytes.write(text, this.used, 'utf8');
    this.starts[row] = this.used;
    this.lengths[row] = written;
    this.used += written;
  }

  text(row: number): string {
    return row < this.starts.length ? this.bytes.toString('utf8', this.starts[row], this.starts[row] + this.lengths[row]) : '';
  }

  /** Frees the slack once all rows are in. */
  finish(rows: number): TextColumn {
    const done = new TextColumn();
    done.bytes = Buffer.from(this.bytes.subarray(0, this.used));
    done.used = this.used;
    done.starts = this.starts.slice(0, rows);
    done.lengths = this.lengths.slice(0, rows);
    return done;
  }
}

const f64 = (n: number) => new Float64Array(n);
const u32 = (n: number) => new Uint32Array(n);
const i32 = (n: number) => new Int32Array(n);
const u8 = (n: number) => new Uint8Array(n);
const MISSING = OUTCOMES.indexOf('missing');
const OUTCOME_CODE = new Map<Outcome, number>(OUTCOMES.map((o, i) => [o, i]));

interface CountingSink extends LineSink {
  nonBlankLines: number;
}

class IndexBuilder {
  private rows = 0;
  private inputRows = 0;
  private readonly inputLine = new Column(u32);
  private readonly inputOffset = new Column(f64);
  private readonly inputLength = new Column(f64);
  private readonly outcome = new Column(u8, MISSING);
  private readonly status = new Column(i32, NO_STATUS);
  private readonly errorCode = new Column(u32);
  private readonly errorMessage = new Column(u32);
  private readonly errorKey = new Column(u32);
  private readonly finishReason = new Column(u32);
  private readonly model = new Column(u32);
  private readonly tokensInput = new Column(f64);
  private readonly tokensCached = new Column(f64);
  private readonly tokensOutput = new Column(f64);
  private readonly tokensReasoning = new Column(f64);
  private readonly flags = new Column(u8);
  private readonly resultFile = new Column(u8);
  private readonly resultLine = new Column(u32);
  private readonly resultOffset = new Column(f64);
  private readonly resultLength = new Column(f64);
  private readonly customId: (string | undefined)[] = [];
  private readonly preview = new TextColumn();
  private readonly tables = {
    errorCode: new StringTable(),
    errorMessage: new StringTable(),
    errorKey: new StringTable(),
    finishReason: new StringTable(),
    model: new StringTable(),
  };
  /** custom_id → its first input row. */
  private readonly firstRow = new IdTable(this.customId);
  /** Input rows sharing a custom_id, chained in input order (-1 ends a chain). */
  private readonly nextSameId = new Column(i32, -1);
  private readonly lastSameId = new Map<string, number>();
  /** For repeated custom_ids only: the next row of the chain still waiting for a result (-1: none). */
  private readonly chainCursor = new Map<string, number>();
  private readonly orphans = new Anomalies();
  private readonly duplicates = new Anomalies();
  private readonly unreadable = new Anomalies();

  constructor(private readonly hasInput: boolean) {}

  inputSink(): CountingSink {
    const sink: CountingSink = {
      nonBlankLines: 0,
      line: (buf, start, end, offset, line) => {
        if (isBlank(buf, start, end)) return;
        sink.nonBlankLines++;
        const row = this.newInputRow(line, offset, end - start);
        const request = readRequestLine(buf, start, end);
        if (typeof request === 'string') {
          this.markUnreadable(row, 'input', line, request);
          return;
        }
        const customId = request.customId;
        this.customId[row] = customId;
        if (request.model !== undefined) this.model.set(row, this.tables.model.id(request.model));
        const first = this.firstRow.find(customId, request.idHash);
        if (first < 0) {
          this.firstRow.add(request.idHash, row);
          return;
        }
        // A repeated custom_id: flagged, and chained so results are matched to these lines in order.
        this.flags.set(row, ROW_FLAG.duplicate);
        this.duplicates.add({ file: 'input', line, customId });
        const last = this.lastSameId.get(customId) ?? first;
        this.nextSameId.set(last, row);
        this.lastSameId.set(customId, row);
      },
      tooLong: (offset, length, line) => {
        sink.nonBlankLines++;
        this.markUnreadable(this.newInputRow(line, offset, length), 'input', line, 'longer than the 64 MB a line may have');
      },
    };
    return sink;
  }

  resultSink(file: 'output' | 'error'): CountingSink {
    const fileCode = file === 'output' ? RESULT_FILE.output : RESULT_FILE.error;
    const sink: CountingSink = {
      nonBlankLines: 0,
      line: (buf, start, end, offset, line) => {
        if (isBlank(buf, start, end)) return;
        sink.nonBlankLines++;
        const facts = readResultLine(buf, start, end);
        if (typeof facts === 'string') {
          this.unreadable.add({ file, line, reason: facts });
          return;
        }
        const row = this.rowForResult(facts, file, line);
        this.resultFile.set(row, fileCode);
        this.resultLine.set(row, line);
        this.resultOffset.set(row, offset);
        this.resultLength.set(row, end - start);
        this.setFacts(row, facts);
      },
      tooLong: (_offset, _length, line) => {
        sink.nonBlankLines++;
        this.unreadable.add({ file, line, reason: 'longer than the 64 MB a line may have' });
      },
    };
    return sink;
  }

  private newInputRow(line: number, offset: number, length: number): number {
    const row = this.rows++;
    this.inputRows = this.rows;
    this.inputLine.set(row, line);
    this.inputOffset.set(row, offset);
    this.inputLength.set(row, length);
    this.customId.push(undefined);
    return row;
  }

  private markUnreadable(row: number, file: ResultFileKind, line: number, reason: string): void {
    this.flags.set(row, this.flags.get(row) | ROW_FLAG.unreadable);
    this.preview.set(row, `Unreadable line: ${reason}.`);
    this.unreadable.add({ file, line, reason });
  }

  /** The input row waiting for this custom_id, or a new row for a result the input has no line for. */
  private rowForResult(facts: ResultFacts, file: 'output' | 'error', line: number): number {
    const customId = facts.customId;
    const first = this.firstRow.find(customId, facts.idHash);
    if (first >= 0) {
      if (this.nextSameId.get(first) === -1) {
        if (this.resultFile.get(first) === RESULT_FILE.none) return first;
      } else {
        const waiting = this.chainCursor.get(customId) ?? first;
        if (waiting >= 0) {
          this.chainCursor.set(customId, this.nextSameId.get(waiting));
          return waiting;
        }
      }
    }
    const row = this.rows++;
    this.customId.push(customId);
    // Without an input file every result is a row of its own, not an orphan.
    if (this.hasInput) {
      this.flags.set(row, ROW_FLAG.orphan);
      this.orphans.add({ file, line, customId });
    }
    return row;
  }

  private setFacts(row: number, facts: ResultFacts): void {
    this.outcome.set(row, OUTCOME_CODE.get(facts.outcome)!);
    if (facts.status !== undefined && facts.status >= 0 && facts.status <= 0x7fffffff) this.status.set(row, facts.status);
    if (facts.errorCode !== undefined) this.errorCode.set(row, this.tables.errorCode.id(facts.errorCode));
    if (facts.errorMessage !== undefined) this.errorMessage.set(row, this.tables.errorMessage.id(singleLine(facts.errorMessage)));
    if (facts.outcome !== 'succeeded') this.errorKey.set(row, this.tables.errorKey.id(errorKeyOf(facts.errorCode, facts.status)));
    if (facts.finishReason !== undefined) this.finishReason.set(row, this.tables.finishReason.id(facts.finishReason));
    if (facts.model !== undefined) this.model.set(row, this.tables.model.id(facts.model));
    if (facts.usage) {
      this.flags.set(row, this.flags.get(row) | ROW_FLAG.usage);
      this.tokensInput.set(row, facts.usage.input);
      this.tokensCached.set(row, facts.usage.cached);
      this.tokensOutput.set(row, facts.usage.output);
      this.tokensReasoning.set(row, facts.usage.reasoning);
    }
    this.preview.set(row, facts.preview);
  }

  finish(batch: Batch, paths: Partial<Record<ResultFileKind, string>>, files: ResultFileState[]): ResultsIndex {
    const rows = this.rows;
    const columns: ResultsColumns = {
      inputLine: this.inputLine.finish(rows),
      inputOffset: this.inputOffset.finish(rows),
      inputLength: this.inputLength.finish(rows),
      outcome: this.outcome.finish(rows),
      status: this.status.finish(rows),
      errorCode: this.errorCode.finish(rows),
      errorMessage: this.errorMessage.finish(rows),
      errorKey: this.errorKey.finish(rows),
      finishReason: this.finishReason.finish(rows),
      model: this.model.finish(rows),
      tokensInput: this.tokensInput.finish(rows),
      tokensCached: this.tokensCached.finish(rows),
      tokensOutput: this.tokensOutput.finish(rows),
      tokensReasoning: this.tokensReasoning.finish(rows),
      flags: this.flags.finish(rows),
      resultFile: this.resultFile.finish(rows),
      resultLine: this.resultLine.finish(rows),
      resultOffset: this.resultOffset.finish(rows),
      resultLength: this.resultLength.finish(rows),
      customId: this.customId,
      preview: this.preview.finish(rows),
    };
    const tables: ResultsTables = {
      errorCode: this.tables.errorCode.values,
      errorMessage: this.tables.errorMessage.values,
      errorKey: this.tables.errorKey.values,
      finishReason: this.tables.finishReason.values,
      model: this.tables.model.values,
    };
    // The summary counts the input's requests (or, without an input file, every result).
    const counted = this.hasInput ? this.inputRows : rows;
    const summary = summarize(batch, columns, tables, counted, {
      orphanCount: this.orphans.count,
      orphans: this.orphans.list,
      duplicateCount: this.duplicates.count,
      duplicates: this.duplicates.list,
      unreadableCount: this.unreadable.count,
      unreadable: this.unreadable.list,
    }, files);
    return {
      summary,
      rowCount: rows,
      inputRows: this.inputRows,
      paths,
      columns,
      tables,
      row: (id) => rowOf(columns, tables, id),
    };
  }
}

/**
 * custom_id → row, by a hash computed while the line was read: an open-addressing table of row numbers,
 * whose ids are the rows' own custom_id strings (nothing is stored twice).
 */
class IdTable {
  private rows = new Int32Array(1 << 12).fill(-1);
  private hashes = new Int32Array(1 << 12);
  private size = 0;

  constructor(private readonly ids: readonly (string | undefined)[]) {}

  /** The row holding this custom_id, or -1. */
  find(id: string, hash: number): number {
    const mask = this.rows.length - 1;
    for (let slot = spread(hash) & mask; ; slot = (slot + 1) & mask) {
      const row = this.rows[slot];
      if (row < 0) return -1;
      if (this.hashes[slot] === hash && this.ids[row] === id) return row;
    }
  }

  /** Adds a row whose custom_id is not in the table yet. */
  add(hash: number, row: number): void {
    if ((this.size + 1) * 2 > this.rows.length) this.grow();
    const mask = this.rows.length - 1;
    let slot = spread(hash) & mask;
    while (this.rows[slot] >= 0) slot = (slot + 1) & mask;
    this.rows[slot] = row;
    this.hashes[slot] = hash;
    this.size++;
  }

  private grow(): void {
    const { rows, hashes } = this;
    this.rows = new Int32Array(rows.length * 2).fill(-1);
    this.hashes = new Int32Array(rows.length * 2);
    this.size = 0;
    for (let i = 0; i < rows.length; i++) if (rows[i] >= 0) this.add(hashes[i], rows[i]);
  }
}

/** murmur3's finalizer: ids that differ in their last character land far apart. */
function spread(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

class Anomalies {
  count = 0;
  readonly list: LineRef[] = [];
  add(ref: LineRef): void {
    this.count++;
    if (this.list.length < ANOMALY_LIST_CAP) this.list.push(ref);
  }
}

/** `code:<code>` when there is a code, else `status:<n>`, else `status:none`. */
export function errorKeyOf(code: string | undefined, status: number | undefined): string {
  return code !== undefined ? `code:${code}` : status !== undefined ? `status:${status}` : 'status:none';
}

function isBlank(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = buf[i];
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return false;
  }
  return true;
}

/** The summary of rows 0..counted-1 (the input's requests). */
export function summarize(batch: Batch, c: ResultsColumns, t: ResultsTables, counted: number, anomalies: ResultsSummary['anomalies'], files: readonly ResultFileState[]): ResultsSummary {
  const outcomeCounts = new Array<number>(OUTCOMES.length).fill(0);
  const groups = new Map<number, { count: number; first: number }>();
  const reasons = new Map<number, number>();
  const tokens = { input: 0, cached: 0, output: 0, reasoning: 0, responses: 0 };
  for (let row = 0; row < counted; row++) {
    outcomeCounts[c.outcome[row]]++;
    const key = c.errorKey[row];
    if (key !== 0) {
      const group = groups.get(key);
      if (group) group.count++;
      else groups.set(key, { count: 1, first: row });
    }
    const reason = c.finishReason[row];
    if (reason !== 0) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    if (c.flags[row] & ROW_FLAG.usage) {
      tokens.input += c.tokensInput[row];
      tokens.cached += c.tokensCached[row];
      tokens.output += c.tokensOutput[row];
      tokens.reasoning += c.tokensReasoning[row];
      tokens.responses++;
    }
  }
  const errors: ErrorGroup[] = [...groups.entries()]
    .map(([key, { count, first }]) => {
      const code = c.errorCode[first] !== 0 ? t.errorCode[c.errorCode[first]] : undefined;
      const status = c.status[first] !== NO_STATUS ? c.status[first] : undefined;
      return {
        key: t.errorKey[key],
        outcome: OUTCOMES[c.outcome[first]],
        ...(code !== undefined ? { code } : status !== undefined ? { status } : {}),
        count,
        example: singleLine(t.errorMessage[c.errorMessage[first]]),
      };
    })
    .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1));
  const finishReasons: FinishReasonCount[] = [...reasons.entries()]
    .map(([id, count]) => ({ reason: t.finishReason[id], count, cutOff: CUT_OFF.has(t.finishReason[id]) }))
    .sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : 1));
  return {
    batchId: batch.id,
    description: batch.metadata?.description,
    ...(batch.endpoint ? { endpoint: batch.endpoint } : {}),
    batchStatus: batch.status,
    pending: isActiveStatus(batch.status),
    total: counted,
    outcomes: OUTCOMES.map((outcome, i) => ({ outcome, count: outcomeCounts[i], share: counted > 0 ? outcomeCounts[i] / counted : 0 })),
    errors,
    finishReasons,
    ...(tokens.responses > 0 ? { tokens: tokens as TokenTotals } : {}),
    anomalies,
    files,
  };
}

/** Answers stopped before their end: chat/completions `length`, the responses API's `max_output_tokens`. */
const CUT_OFF: ReadonlySet<string> = new Set(['length', 'content_filter', 'max_output_tokens']);

export function rowOf(c: ResultsColumns, t: ResultsTables, id: number): ResultRow {
  const flags = c.flags[id];
  const row: { -readonly [K in keyof ResultRow]: ResultRow[K] } = { id, outcome: OUTCOMES[c.outcome[id]], preview: c.preview.text(id) };
  if (c.inputLine[id] !== 0) row.line = c.inputLine[id];
  if (c.customId[id] !== undefined) row.customId = c.customId[id];
  if (c.status[id] !== NO_STATUS) row.status = c.status[id];
  if (c.errorCode[id] !== 0) row.errorCode = t.errorCode[c.errorCode[id]];
  if (c.errorMessage[id] !== 0) row.errorMessage = t.errorMessage[c.errorMessage[id]];
  if (c.finishReason[id] !== 0) row.finishReason = t.finishReason[c.finishReason[id]];
  if (c.model[id] !== 0) row.model = t.model[c.model[id]];
  if (flags & ROW_FLAG.usage) row.tokens = c.tokensInput[id] + c.tokensOutput[id];
  if (flags & ROW_FLAG.orphan) row.orphan = true;
  if (flags & ROW_FLAG.duplicate) row.duplicate = true;
  if (flags & ROW_FLAG.unreadable) row.unreadable = true;
  return row;
}
