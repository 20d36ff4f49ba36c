// Batches in the states the happy path misreads, shaped as real servers send them (OpenAI's explicit nulls,
// the `""` some compatible servers send for "no file", counts as the API reports them), with the files they
// name. Shared by the unit tests (the rules) and the integration tests (the rows, tooltips and menus).
import type { BatchUsage, FakeBatch, FakeFile } from './dataset';

const HOUR = 3600;
const DAY = 86400;

/** The states, by what they are about. */
export interface TerminalStates {
  /** Completed with usage; `error_file_id: ""` (nothing failed) as LiteLLM-style proxies send it. */
  readonly emptyStringIds: FakeBatch;
  /** In progress with both result ids `""` and no input id (`""` too). */
  readonly emptyStringRunning: FakeBatch;
  /** Completed, every request in the error file, `output_file_id: null`. */
  readonly allFailed: FakeBatch;
  /** Expired with an output file of what finished (820 of 1,000) and the rest in the error file (`batch_expired`). */
  readonly expiredPartial: FakeBatch;
  /** Cancelled after 300 of 1,000, with an output file. */
  readonly cancelledPartial: FakeBatch;
  /** Expired with nothing done: no output file. */
  readonly expiredNothing: FakeBatch;
  /** Finalizing with every request counted: it is writing its results. */
  readonly finalizingComplete: FakeBatch;
  /** Still in progress two hours after its `expires_at`. */
  readonly pastExpiry: FakeBatch;
  /** Failed validation: two lines of the input named in `errors.data`, and one error with no line. */
  readonly failedValidation: FakeBatch;
  /** Named by `metadata.description`, with usage on a model of its own (priced by the prices setting only). */
  readonly described: FakeBatch;
}

export interface TerminalStatesAccount {
  readonly states: TerminalStates;
  /** Newest first, as the list returns them. */
  readonly batches: FakeBatch[];
  readonly files: FakeFile[];
}

/** The lines `failedValidation` names in its input file (1-based, as the API numbers them). */
export const INVALID_LINES = [2, 5] as const;

function usage(input: number, cached: number, output: number, reasoning: number): BatchUsage {
  return { input_tokens: input, input_tokens_details: { cached_tokens: cached }, output_tokens: output, output_tokens_details: { reasoning_tokens: reasoning }, total_tokens: input + output };
}

function file(id: string, filename: string, purpose: string, created: number, lines: string[]): FakeFile {
  const content = lines.map((l) => `${l}\n`).join('');
  return {
    meta: { id, object: 'file', bytes: Buffer.byteLength(content, 'utf8'), created_at: created, filename, purpose, status: 'processed', expires_at: created + 30 * DAY, status_details: null },
    content,
  };
}

const input = (n: number, model: string) =>
  Array.from({ length: n }, (_, i) => JSON.stringify({ custom_id: `req-${i + 1}`, method: 'POST', url: '/v1/chat/completions', body: { model, messages: [{ role: 'user', content: `Question ${i + 1}` }] } }));
const ok = (i: number, model: string) =>
  JSON.stringify({
    id: `batch_req_ok${i}`,
    custom_id: `req-${i}`,
    response: { status_code: 200, request_id: `req_${i}`, body: { model, choices: [{ index: 0, message: { role: 'assistant', content: `Answer ${i}` }, finish_reason: 'stop' }], usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 } } },
    error: null,
  });
const failed = (i: number, code: string, message: string) => JSON.stringify({ id: `batch_req_err${i}`, custom_id: `req-${i}`, response: null, error: { code, message } });

/** Every timestamp null, as OpenAI sends the ones that have not happened. */
function base(id: string, created: number, status: string, model: string | undefined): FakeBatch {
  return {
    id,
    object: 'batch',
    endpoint: '/v1/chat/completions',
    ...(model === undefined ? {} : { model }),
    errors: null,
    input_file_id: `file-in-${id}`,
    completion_window: '24h',
    status,
    output_file_id: null,
    error_file_id: null,
    created_at: created,
    in_progress_at: null,
    expires_at: created + DAY,
    finalizing_at: null,
    completed_at: null,
    failed_at: null,
    expired_at: null,
    cancelling_at: null,
    cancelled_at: null,
    request_counts: { total: 0, completed: 0, failed: 0 },
    metadata: null,
  };
}

/** The account: each state once, with its files (a few lines each: the counts speak for the rest). */
export function terminalStatesAccount(now = Math.floor(Date.now() / 1000)): TerminalStatesAccount {
  const files: FakeFile[] = [];
  const add = (f: FakeFile) => (files.push(f), f.meta.id);
  const inputOf = (b: FakeBatch, n: number) => add(file(b.input_file_id!, `${b.id}.jsonl`, 'batch', b.created_at - 60, input(n, b.model ?? 'gpt-4o')));

  const emptyStringIds = base('batch_empty_ids', now - 3 * HOUR, 'completed', 'gpt-4o');
  inputOf(emptyStringIds, 3);
  Object.assign(emptyStringIds, {
    in_progress_at: emptyStringIds.created_at + 10,
    finalizing_at: emptyStringIds.created_at + HOUR,
    completed_at: emptyStringIds.created_at + HOUR + 60,
    output_file_id: add(file('file-out-empty-ids', 'batch_empty_ids_output.jsonl', 'batch_output', now - 2 * HOUR, [1, 2, 3].map((i) => ok(i, 'gpt-4o-2024-08-06')))),
    error_file_id: '',
    request_counts: { total: 3, completed: 3, failed: 0 },
    usage: usage(2_000_000, 500_000, 400_000, 0),
  });

  const emptyStringRunning = base('batch_empty_running', now - 20 * 60, 'in_progress', 'gpt-4o');
  Object.assign(emptyStringRunning, { input_file_id: '', output_file_id: '', error_file_id: '', in_progress_at: now - 19 * 60, request_counts: { total: 50, completed: 10, failed: 0 } });

  const allFailed = base('batch_all_failed', now - 5 * HOUR, 'completed', 'gpt-4o');
  inputOf(allFailed, 4);
  Object.assign(allFailed, {
    in_progress_at: allFailed.created_at + 10,
    finalizing_at: allFailed.created_at + 2 * HOUR,
    completed_at: allFailed.created_at + 2 * HOUR + 30,
    error_file_id: add(file('file-err-all-failed', 'batch_all_failed_error.jsonl', 'batch_output', now - 3 * HOUR, [1, 2, 3, 4].map((i) => failed(i, 'invalid_request', 'The model `gpt-4o` does not support this parameter.')))),
    request_counts: { total: 120, completed: 0, failed: 120 },
    usage: usage(0, 0, 0, 0),
  });

  const expiredPartial = base('batch_expired_partial', now - 30 * HOUR, 'expired', 'o3');
  inputOf(expiredPartial, 5);
  Object.assign(expiredPartial, {
    in_progress_at: expiredPartial.created_at + 60,
    expired_at: expiredPartial.created_at + DAY + 300,
    output_file_id: add(file('file-out-expired', 'batch_expired_partial_output.jsonl', 'batch_output', now - 6 * HOUR, [1, 2, 3].map((i) => ok(i, 'o3-2025-04-16')))),
    error_file_id: add(file('file-err-expired', 'batch_expired_partial_error.jsonl', 'batch_output', now - 6 * HOUR, [4, 5].map((i) => failed(i, 'batch_expired', 'This request could not be executed before the completion window expired.')))),
    request_counts: { total: 1000, completed: 820, failed: 180 },
    usage: usage(1_000_000, 0, 300_000, 120_000),
  });

  const cancelledPartial = base('batch_cancelled_partial', now - 8 * HOUR, 'cancelled', 'gpt-3.5-turbo');
  inputOf(cancelledPartial, 4);
  Object.assign(cancelledPartial, {
    in_progress_at: cancelledPartial.created_at + 60,
    cancelling_at: cancelledPartial.created_at + 2 * HOUR,
    cancelled_at: cancelledPartial.created_at + 2 * HOUR + 400,
    output_file_id: add(file('file-out-cancelled', 'batch_cancelled_partial_output.jsonl', 'batch_output', now - 6 * HOUR, [1, 2].map((i) => ok(i, 'gpt-3.5-turbo-0125')))),
    error_file_id: add(file('file-err-cancelled', 'batch_cancelled_partial_error.jsonl', 'batch_output', now - 6 * HOUR, [3, 4].map((i) => failed(i, 'batch_cancelled', 'This request was not executed because the batch was cancelled.')))),
    request_counts: { total: 1000, completed: 300, failed: 700 },
    usage: usage(4_000_000, 0, 1_000_000, 0),
  });

  const expiredNothing = base('batch_expired_nothing', now - 40 * HOUR, 'expired', undefined);
  inputOf(expiredNothing, 2);
  Object.assign(expiredNothing, {
    expired_at: expiredNothing.created_at + DAY + 120,
    error_file_id: add(file('file-err-expired-nothing', 'batch_expired_nothing_error.jsonl', 'batch_output', now - 15 * HOUR, [1, 2].map((i) => failed(i, 'batch_expired', 'This request could not be executed before the completion window expired.')))),
    request_counts: { total: 2, completed: 0, failed: 2 },
  });

  const finalizingComplete = base('batch_finalizing_complete', now - 10 * HOUR, 'finalizing', 'gpt-4o');
  inputOf(finalizingComplete, 3);
  Object.assign(finalizingComplete, {
    in_progress_at: finalizingComplete.created_at + 30,
    finalizing_at: now - 3 * HOUR,
    request_counts: { total: 1000, completed: 997, failed: 3 },
  });

  const pastExpiry = base('batch_past_expiry', now - 26 * HOUR, 'in_progress', 'gpt-4o');
  inputOf(pastExpiry, 3);
  Object.assign(pastExpiry, { in_progress_at: pastExpiry.created_at + 30, request_counts: { total: 1000, completed: 640, failed: 2 } });

  const failedValidation = base('batch_failed_validation', now - 4 * HOUR, 'failed', 'gpt-4o');
  const lines = input(6, 'gpt-4o');
  for (const n of INVALID_LINES) lines[n - 1] = lines[n - 1].slice(0, 30); // cut mid-object: not JSON
  add(file(failedValidation.input_file_id!, 'failed_validation.jsonl', 'batch', failedValidation.created_at - 60, lines));
  Object.assign(failedValidation, {
    failed_at: failedValidation.created_at + 20,
    errors: {
      object: 'list',
      data: [
        ...INVALID_LINES.map((line) => ({ code: 'invalid_json_line', message: 'This line is not parseable as valid JSON.', param: null, line })),
        { code: 'token_limit_exceeded', message: 'Enqueued token limit reached for gpt-4o in organization org-abc. Limit: 90,000 enqueued tokens.', param: null, line: null },
      ],
    },
  });

  const described = base('batch_described', now - 2 * HOUR, 'completed', 'ft:gpt-4o-mini-2024-07-18:acme::x1');
  inputOf(described, 2);
  Object.assign(described, {
    in_progress_at: described.created_at + 10,
    completed_at: described.created_at + HOUR,
    output_file_id: add(file('file-out-described', 'batch_described_output.jsonl', 'batch_output', now - HOUR, [1, 2].map((i) => ok(i, 'ft:gpt-4o-mini-2024-07-18:acme::x1')))),
    request_counts: { total: 2, completed: 2, failed: 0 },
    usage: usage(3_000_000, 1_000_000, 500_000, 0),
    metadata: { description: '  nightly   eval\nof the\tsearch ranker ', team: 'search' },
  });

  const states: TerminalStates = { emptyStringIds, emptyStringRunning, allFailed, expiredPartial, cancelledPartial, expiredNothing, finalizingComplete, pastExpiry, failedValidation, described };
  const batches = Object.values(states).sort((a, b) => b.created_at - a.created_at);
  return { states, batches, files };
}
