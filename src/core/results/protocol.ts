// The Results view's vocabulary, shared by the pure core (which computes it), the panel adapter (which
// carries it) and the webview page (which shows it). Types, small constant tables and labels only: the webview
// bundle imports this file too, so nothing here may touch Node or VS Code.
import { formatCount } from '../format';

/** What became of one request of the input file. The UI names them exactly so. */
export type Outcome = 'succeeded' | 'failed' | 'expired' | 'cancelled' | 'missing';

/** In the order the summary, the bar and the filters list them. */
export const OUTCOMES: readonly Outcome[] = ['succeeded', 'failed', 'expired', 'cancelled', 'missing'];

export const OUTCOME_LABEL: Readonly<Record<Outcome, string>> = {
  succeeded: 'Succeeded',
  failed: 'Failed',
  expired: 'Expired',
  cancelled: 'Cancelled',
  missing: 'Missing',
};

/** `missing` reads "Pending" while the batch is still running: nothing is lost yet. */
export function outcomeLabel(outcome: Outcome, pending: boolean): string {
  return outcome === 'missing' && pending ? 'Pending' : OUTCOME_LABEL[outcome];
}

export type ResultFileKind = 'input' | 'output' | 'error';

/** A line of one of the batch's files, 1-based. */
export interface LineRef {
  readonly file: ResultFileKind;
  readonly line: number;
  readonly customId?: string;
  /** Why an unreadable line is unreadable (`not valid JSON`, `no custom_id`, …). */
  readonly reason?: string;
}

/** How far each of the three files got: a missing or failed file still leaves the others joined. */
export interface ResultFileState {
  readonly kind: ResultFileKind;
  readonly fileId?: string;
  /** `none`: the batch has no such file; `failed`: it could not be fetched (expired, 404, cut off). */
  readonly state: 'loaded' | 'none' | 'failed';
  readonly bytes?: number;
  readonly lines?: number;
  /** Why it failed, as one sentence. */
  readonly message?: string;
}

export interface OutcomeCount {
  readonly outcome: Outcome;
  readonly count: number;
  /** count / total, 0..1 (0 when there are no requests). */
  readonly share: number;
}

/**
 * One row of the error table: failures grouped by error code, or by HTTP status when there is no code.
 * `key` is what a filter names (`code:rate_limit_exceeded`, `status:500`).
 */
export interface ErrorGroup {
  readonly key: string;
  readonly outcome: Outcome;
  readonly code?: string;
  readonly status?: number;
  readonly count: number;
  /** One message seen with it, truncated. */
  readonly example: string;
}

export interface FinishReasonCount {
  readonly reason: string;
  readonly count: number;
  /** `length` or `content_filter`: the answer was cut off. */
  readonly cutOff: boolean;
}

export interface TokenTotals {
  readonly input: number;
  readonly cached: number;
  readonly output: number;
  readonly reasoning: number;
  /** How many responses carried usage. */
  readonly responses: number;
}

/**
 * The estimated cost of the responses' usage at batch prices, each response priced by its model. Set by
 * the extension (which has the prices), not by the index.
 */
export interface ResultsCost {
  /** Over the responses whose model has a price; absent when none has. */
  readonly usd?: number;
  readonly pricedResponses: number;
  /** Where the prices came from, e.g. "gpt-tokenizer 4.0.0 catalogue, batch prices". */
  readonly sources: readonly string[];
  /** Responses with usage but no price, by model ('' for responses that name none). */
  readonly unpriced: readonly { readonly model: string; readonly responses: number }[];
}

/** Lines that do not fit the join, each list capped (the counts are exact). */
export interface JoinAnomalies {
  /** Output or error lines whose custom_id is not in the input (or more results than input lines for it). */
  readonly orphanCount: number;
  readonly orphans: readonly LineRef[];
  /** Input lines whose custom_id was used on an earlier line. */
  readonly duplicateCount: number;
  readonly duplicates: readonly LineRef[];
  /** Lines that are not JSON objects, or have no string custom_id. */
  readonly unreadableCount: number;
  readonly unreadable: readonly LineRef[];
}

export interface ResultsSummary {
  readonly batchId: string;
  /** The batch's `metadata.description`, the name people gave it. */
  readonly description?: string;
  readonly endpoint?: string;
  readonly batchStatus: string;
  /** The batch is still running: `missing` is shown as Pending. */
  readonly pending: boolean;
  /** Requests in the input (its non-blank lines); the outcome counts add up to it. */
  readonly total: number;
  readonly outcomes: readonly OutcomeCount[];
  readonly errors: readonly ErrorGroup[];
  readonly finishReasons: readonly FinishReasonCount[];
  readonly tokens?: TokenTotals;
  /** The tokens' estimated cost, when prices could be looked up. */
  readonly cost?: ResultsCost;
  readonly anomalies: JoinAnomalies;
  readonly files: readonly ResultFileState[];
  /** Set for a batch and its retries read as one (Combined): the outcomes are each request's latest. */
  readonly combined?: CombinedSummary;
}

/** `2,943 succeeded + 55 recovered by retries = 2,998 of 3,000`, as numbers (`combinedSummaryText` says it). */
export interface CombinedSummary {
  /** The original batch, then each retry in the order they were created. */
  readonly batchIds: readonly string[];
  /** Requests that succeeded in the original batch and still stand. */
  readonly succeeded: number;
  /** Requests that did not succeed in the original batch and did in a retry. */
  readonly recovered: number;
  /** The original batch's requests. */
  readonly total: number;
}

export type SortColumn = 'line' | 'customId' | 'outcome' | 'status' | 'finishReason' | 'tokens' | 'preview';

export interface ResultsQuery {
  /** Empty or absent: every outcome. */
  readonly outcomes?: readonly Outcome[];
  /** An ErrorGroup key. */
  readonly errorKey?: string;
  /** Case-insensitive text in custom_id, preview or error message. */
  readonly search?: string;
  readonly sort?: { readonly column: SortColumn; readonly descending: boolean };
}

/** One table row as the page shows it: short strings only, never a whole body. */
export interface ResultRow {
  /** Stable row id within one index (input order; rows for orphan results come after the input's). */
  readonly id: number;
  /** 1-based input line; absent for an orphan result. */
  readonly line?: number;
  readonly customId?: string;
  readonly outcome: Outcome;
  readonly status?: number;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  readonly finishReason?: string;
  readonly model?: string;
  /** input + output tokens, when the response carried usage. */
  readonly tokens?: number;
  /** The answer in a line (≤ ~200 characters), or the error message. */
  readonly preview: string;
  readonly orphan?: boolean;
  readonly duplicate?: boolean;
  /** An input line that is not a JSON object with a string custom_id (its preview says why). */
  readonly unreadable?: boolean;
  /** Combined results: the retry whose result this is (1: the first retry); absent for the original batch's. */
  readonly attempt?: number;
}

/** A row opened: its request and its response or error, read from disk by offset and pretty-printed. */
export interface RowDetails {
  readonly id: number;
  readonly customId?: string;
  readonly request?: string;
  readonly result?: string;
  readonly resultKind: 'output' | 'error' | 'none';
  /** Bodies above the display limit are cut; Open in Editor shows them whole. */
  readonly truncated: boolean;
}

/** `2,943 succeeded + 55 recovered by retries = 2,998 of 3,000` */
export function combinedSummaryText(c: CombinedSummary): string {
  return `${formatCount(c.succeeded)} succeeded + ${formatCount(c.recovered)} recovered by retries = ${formatCount(c.succeeded + c.recovered)} of ${formatCount(c.total)}`;
}

/** The most rows one message may carry: the page asks for windows, never for everything. */
export const MAX_ROWS_PER_MESSAGE = 200;

/** Page → panel. `seq` ties an answer to the query it answers, so stale answers are dropped. */
export type PageMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'query'; readonly seq: number; readonly query: ResultsQuery }
  | { readonly type: 'rows'; readonly seq: number; readonly start: number; readonly count: number }
  | { readonly type: 'details'; readonly id: number }
  | { readonly type: 'openInEditor'; readonly id: number; readonly part: 'request' | 'result' }
  | { readonly type: 'copy'; readonly text: string }
  | { readonly type: 'export' }
  | { readonly type: 'retry' }
  /** Show the batch alone, or with its retries (Combined). */
  | { readonly type: 'combined'; readonly on: boolean }
  /** The prices setting, from the cost line. */
  | { readonly type: 'openPrices' }
  | { readonly type: 'reload' };

/** Panel → page. */
export type PanelMessage =
  | { readonly type: 'progress'; readonly message: string; readonly fraction?: number }
  /** `combinable`: the batch retries another or has retries, so Combined is offered. */
  | { readonly type: 'summary'; readonly summary: ResultsSummary; readonly combinable?: boolean }
  | { readonly type: 'queryResult'; readonly seq: number; readonly total: number }
  | { readonly type: 'rows'; readonly seq: number; readonly start: number; readonly rows: readonly ResultRow[] }
  | { readonly type: 'details'; readonly details: RowDetails }
  | { readonly type: 'failed'; readonly message: string };

/** What the webview keeps with `setState`, and the serializer gets back after a reload. */
export interface ResultsPanelState {
  readonly batchId: string;
  /** The connection the batch is of (absent: the default one). */
  readonly connection?: string;
  readonly query?: ResultsQuery;
  /** Combined was on. */
  readonly combined?: boolean;
}
