// Which input lines to resubmit after a batch: those that did not succeed, chosen by outcome and by error
// group, taken from the input file byte for byte and in input order. Works on any results index: one
// batch's, or a batch and its retries combined (the lines are then read from whichever batch holds them).
import { cancelled } from '../results/lineReader';
import { OUTCOMES, type Outcome } from '../results/protocol';
import { LineFiles, writeAtomically } from '../results/resultsExport';
import { ROW_FLAG, type ResultsIndex } from '../results/resultsIndex';
import { RETRY_OUTCOMES, type RetryInclude, type RetryOutcome } from './retryable';

export interface FailedGroupCount {
  /** The ErrorGroup key: `code:<code>`, `status:<n>`, or `status:none`. */
  readonly key: string;
  readonly code?: string;
  readonly status?: number;
  readonly count: number;
}

export interface RetryCounts {
  /** Requests that can be resubmitted, per outcome. */
  readonly outcomes: Readonly<Record<RetryOutcome, number>>;
  /** The failed ones by error code (or HTTP status when there is none), largest first. */
  readonly failedGroups: readonly FailedGroupCount[];
  /** All requests that can be resubmitted. */
  readonly total: number;
  readonly succeeded: number;
  /** Input lines that are not requests (not a JSON object with a custom_id): never resubmitted. */
  readonly unreadable: number;
  /** Lines whose custom_id succeeded on another line, or comes again after a line that is resubmitted. */
  readonly repeated: number;
}

const SUCCEEDED = OUTCOMES.indexOf('succeeded');

/**
 * Visits the input's rows that may be resubmitted, in input order: readable, not succeeded, and the first
 * such line of their custom_id, whose custom_id succeeded on no line. A custom_id is resubmitted at most
 * once (the API takes each once per batch). `within` limits the visit to those rows (a filter).
 */
function eligibleRows(index: ResultsIndex, within: Uint32Array | undefined, visit: (row: number) => void): { succeeded: number; unreadable: number; repeated: number } {
  const c = index.columns;
  const succeededIds = new Set<string>();
  for (let row = 0; row < index.inputRows; row++) {
    const id = c.customId[row];
    if (id !== undefined && c.outcome[row] === SUCCEEDED) succeededIds.add(id);
  }
  const taken = new Set<string>();
  const counts = { succeeded: 0, unreadable: 0, repeated: 0 };
  const only = within ? new Uint8Array(index.inputRows) : undefined;
  if (within && only) for (const row of within) if (row < index.inputRows) only[row] = 1;
  for (let row = 0; row < index.inputRows; row++) {
    const id = c.customId[row];
    const inScope = !only || only[row] === 1;
    if (id === undefined || c.flags[row] & ROW_FLAG.unreadable) {
      if (inScope) counts.unreadable++;
      continue;
    }
    if (c.outcome[row] === SUCCEEDED) {
      if (inScope) counts.succeeded++;
      continue;
    }
    if (succeededIds.has(id) || taken.has(id)) {
      if (inScope) counts.repeated++;
      continue;
    }
    taken.add(id);
    if (inScope) visit(row);
  }
  return counts;
}

/** What could be resubmitted, counted per outcome and per failure group (of the rows `within`, if given). */
export function retryCounts(index: ResultsIndex, within?: Uint32Array): RetryCounts {
  const c = index.columns;
  const byOutcome = new Array<number>(OUTCOMES.length).fill(0);
  const byKey = new Map<number, { count: number; first: number }>();
  const failed = OUTCOMES.indexOf('failed');
  const skipped = eligibleRows(index, within, (row) => {
    byOutcome[c.outcome[row]]++;
    if (c.outcome[row] !== failed) return;
    const group = byKey.get(c.errorKey[row]);
    if (group) group.count++;
    else byKey.set(c.errorKey[row], { count: 1, first: row });
  });
  const t = index.tables;
  const failedGroups = [...byKey.entries()]
    .map(([key, { count, first }]): FailedGroupCount => {
      const code = c.errorCode[first] !== 0 ? t.errorCode[c.errorCode[first]] : undefined;
      const status = c.status[first] >= 0 ? c.status[first] : undefined;
      return { key: t.errorKey[key], ...(code !== undefined ? { code } : {}), ...(status !== undefined ? { status } : {}), count };
    })
    .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1));
  const outcomes = Object.fromEntries(RETRY_OUTCOMES.map((o) => [o, byOutcome[OUTCOMES.indexOf(o)]])) as Record<RetryOutcome, number>;
  return { outcomes, failedGroups, total: RETRY_OUTCOMES.reduce((sum, o) => sum + outcomes[o], 0), ...skipped };
}

/** The rows to resubmit, in input order: the eligible ones whose outcome, or failure group, is included. */
export function selectRetryRows(index: ResultsIndex, include: RetryInclude, within?: Uint32Array): Uint32Array {
  const c = index.columns;
  const outcomes = new Set<number>();
  const keys = new Set<number>();
  if (include === 'all') RETRY_OUTCOMES.forEach((o) => outcomes.add(OUTCOMES.indexOf(o)));
  else {
    for (const name of include) {
      const outcome = OUTCOMES.indexOf(name as Outcome);
      if (outcome >= 0 && outcome !== SUCCEEDED) outcomes.add(outcome);
      else {
        const key = index.tables.errorKey.indexOf(name);
        if (key > 0) keys.add(key);
      }
    }
  }
  const failed = OUTCOMES.indexOf('failed');
  const rows: number[] = [];
  eligibleRows(index, within, (row) => {
    if (outcomes.has(c.outcome[row]) || (c.outcome[row] === failed && keys.has(c.errorKey[row]))) rows.push(row);
  });
  return Uint32Array.from(rows);
}

/** What `include` names that `selectRetryRows` does not know: a mistyped outcome or error group. */
export function unknownRetryNames(index: ResultsIndex, include: readonly string[]): string[] {
  return include.filter((name) => !(RETRY_OUTCOMES as readonly string[]).includes(name) && index.tables.errorKey.indexOf(name) <= 0);
}

/**
 * Writes the input lines of `rows` (in input order), each exactly as the input file has it followed by
 * "\n", through a temporary file renamed into place when complete.
 */
export async function writeRetryFile(index: ResultsIndex, rows: Uint32Array, destination: string, options: { signal?: AbortSignal } = {}): Promise<{ lines: number; bytes: number }> {
  const ordered = rows.slice().sort();
  const c = index.columns;
  const files = new LineFiles(index);
  const newline = Buffer.from('\n');
  try {
    const { bytes } = await writeAtomically(
      destination,
      async (write) => {
        for (const row of ordered) {
          if (options.signal?.aborted) throw cancelled();
          if (row >= index.inputRows || c.inputLine[row] === 0) throw new Error(`Row ${row} is not a line of the input file.`);
          await write(await files.read(row, 'input', c.inputOffset[row], c.inputLength[row]));
          await write(newline);
        }
      },
      options.signal,
    );
    return { lines: ordered.length, bytes };
  } finally {
    await files.close();
  }
}
