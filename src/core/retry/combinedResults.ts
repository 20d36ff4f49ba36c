// A batch and its retries read as one: for every request of the original input, the latest outcome across
// the chain (the original, then each retry in the order they were created). The result is an ordinary
// results index whose rows point into whichever batch's files hold their lines, so everything that works
// on one batch's results (the table, details, export, retry) works on the combination.
import type { Batch } from '../batch';
import { isActiveStatus } from '../status';
import { OUTCOMES, type CombinedSummary, type ResultRow } from '../results/protocol';
import { RESULT_FILE, ROW_FLAG, rowOf, StringTable, summarize, TextColumn, type ResultsColumns, type ResultsIndex, type ResultsTables } from '../results/resultsIndex';

export interface ChainMember {
  readonly batch: Batch;
  readonly index: ResultsIndex;
}

/** More than this many batches cannot be told apart in a row's member column. */
export const MAX_CHAIN = 255;

const SUCCEEDED = OUTCOMES.indexOf('succeeded');

/**
 * Joins `chain` (the original batch first, then its retries oldest first) on custom_id. A request takes
 * the result of the last batch that has one for it; a retry that has no result for it (still running, or
 * lost) leaves the earlier one standing. Rows are the original's, in its input order.
 */
export function combineResults(chain: readonly ChainMember[]): ResultsIndex {
  if (chain.length === 0 || chain.length > MAX_CHAIN) throw new Error(`A chain has 1 to ${MAX_CHAIN} batches, not ${chain.length}.`);
  if (chain.some((m) => m.index.members)) throw new Error('Combined results cannot be combined again.');
  const original = chain[0].index;
  const rows = original.rowCount;
  const member = new Uint8Array(rows);
  const source = new Uint32Array(rows);
  for (let row = 0; row < rows; row++) source[row] = row;
  for (let k = 1; k < chain.length; k++) {
    const answered = answeredRows(chain[k].index);
    for (let row = 0; row < original.inputRows; row++) {
      const id = original.columns.customId[row];
      const at = id === undefined ? undefined : answered.get(id);
      if (at === undefined) continue;
      member[row] = k;
      source[row] = at;
    }
  }

  const { columns, tables } = copyColumns(chain.map((m) => m.index), member, source);
  let succeeded = 0;
  let recovered = 0;
  for (let row = 0; row < original.inputRows; row++) {
    if (columns.outcome[row] !== SUCCEEDED) continue;
    if (original.columns.outcome[row] === SUCCEEDED) succeeded++;
    else recovered++;
  }
  const combined: CombinedSummary = { batchIds: chain.map((m) => m.batch.id), succeeded, recovered, total: original.inputRows };
  const base = summarize(chain[0].batch, columns, tables, original.inputRows, original.summary.anomalies, original.summary.files);
  // While a retry runs, what it has not answered yet is pending, not lost.
  const summary = { ...base, pending: chain.some((m) => isActiveStatus(m.batch.status)), combined };
  return {
    summary,
    rowCount: rows,
    inputRows: original.inputRows,
    paths: original.paths,
    members: { member, paths: chain.map((m) => m.index.paths), batchIds: chain.map((m) => m.batch.id) },
    columns,
    tables,
    row: (id): ResultRow => (member[id] > 0 ? { ...rowOf(columns, tables, id), attempt: member[id] } : rowOf(columns, tables, id)),
  };
}

/** custom_id → the first input row of a retry that has a result line for it. */
function answeredRows(index: ResultsIndex): Map<string, number> {
  const c = index.columns;
  const answered = new Map<string, number>();
  for (let row = 0; row < index.inputRows; row++) {
    const id = c.customId[row];
    if (id !== undefined && c.resultFile[row] !== RESULT_FILE.none && !answered.has(id)) answered.set(id, row);
  }
  return answered;
}

/**
 * The combined columns: each row's values from its member's row (string ids mapped into shared tables),
 * except what belongs to the original line: its line number, custom_id, and its anomaly flags.
 */
function copyColumns(indexes: readonly ResultsIndex[], member: Uint8Array, source: Uint32Array): { columns: ResultsColumns; tables: ResultsTables } {
  const original = indexes[0].columns;
  const rows = member.length;
  const names = ['errorCode', 'errorMessage', 'errorKey', 'finishReason', 'model'] as const;
  const shared = Object.fromEntries(names.map((n) => [n, new StringTable()])) as Record<(typeof names)[number], StringTable>;
  // Per member and table: its string ids → the shared table's.
  const remap = indexes.map((index) => Object.fromEntries(names.map((n) => [n, index.tables[n].map((value) => shared[n].id(value || undefined))])) as Record<(typeof names)[number], number[]>);
  const copy = <T extends Float64Array | Uint32Array | Int32Array | Uint8Array>(make: (n: number) => T, pick: (c: ResultsColumns) => T): T => {
    const out = make(rows);
    for (let row = 0; row < rows; row++) out[row] = pick(indexes[member[row]].columns)[source[row]];
    return out;
  };
  const strings = (name: (typeof names)[number]): Uint32Array => {
    const out = new Uint32Array(rows);
    for (let row = 0; row < rows; row++) out[row] = remap[member[row]][name][indexes[member[row]].columns[name][source[row]]];
    return out;
  };
  const f64 = (n: number) => new Float64Array(n);
  const preview = new TextColumn();
  const flags = new Uint8Array(rows);
  for (let row = 0; row < rows; row++) {
    const from = indexes[member[row]].columns;
    preview.set(row, from.preview.text(source[row]));
    flags[row] = (original.flags[row] & ~ROW_FLAG.usage) | (from.flags[source[row]] & ROW_FLAG.usage);
  }
  const columns: ResultsColumns = {
    inputLine: original.inputLine.slice(0, rows),
    inputOffset: copy(f64, (c) => c.inputOffset),
    inputLength: copy(f64, (c) => c.inputLength),
    outcome: copy((n) => new Uint8Array(n), (c) => c.outcome),
    status: copy((n) => new Int32Array(n), (c) => c.status),
    errorCode: strings('errorCode'),
    errorMessage: strings('errorMessage'),
    errorKey: strings('errorKey'),
    finishReason: strings('finishReason'),
    model: strings('model'),
    tokensInput: copy(f64, (c) => c.tokensInput),
    tokensCached: copy(f64, (c) => c.tokensCached),
    tokensOutput: copy(f64, (c) => c.tokensOutput),
    tokensReasoning: copy(f64, (c) => c.tokensReasoning),
    flags,
    resultFile: copy((n) => new Uint8Array(n), (c) => c.resultFile),
    resultLine: copy((n) => new Uint32Array(n), (c) => c.resultLine),
    resultOffset: copy(f64, (c) => c.resultOffset),
    resultLength: copy(f64, (c) => c.resultLength),
    customId: original.customId.slice(0, rows),
    preview: preview.finish(rows),
  };
  const tables: ResultsTables = Object.fromEntries(names.map((n) => [n, shared[n].values])) as unknown as ResultsTables;
  return { columns, tables };
}
