// Finished batches whose three files are made to be joined: small hand-made ones, each showing edge cases
// of real result files (shuffled output, 4xx/5xx, expired and cancelled partial output, missing requests,
// orphans, duplicates, unreadable and 10 MB lines, HTML in answers, wrong types), and a generated
// 50,000-request batch whose ~200 MB output file is produced as a stream, never held in memory.
import { batchFilesFacts, countsOf, requestTotal } from './batchFiles';
import type { BatchFileKind, BatchFilesSpec, Fate } from './batchFiles';
import type { Dataset, FakeBatch, FakeFile, StreamedContent } from './dataset';

export const RESULTS_BATCH_IDS = {
  /** completed, chat: every join edge case in small files. */
  mixed: 'batch_results_mixed',
  /** completed, chat: a 10 MB answer and a 10 MB unreadable line. */
  huge: 'batch_results_huge',
  /** expired: partial output, the rest batch_expired in the error file. */
  expired: 'batch_results_expired',
  /** cancelled: partial output, batch_cancelled errors, one request missing. */
  cancelled: 'batch_results_cancelled',
  /** completed with output_file_id null: every request failed. */
  allFailed: 'batch_results_all_failed',
  /** completed with error_file_id "": CRLF line ends, no final newline. */
  noErrors: 'batch_results_no_errors',
  /** in_progress: only the input file; every request pending. */
  running: 'batch_results_running',
  /** completed, but its output file is gone (404): input and error files still join. */
  outputGone: 'batch_results_output_gone',
  responses: 'batch_results_responses',
  embeddings: 'batch_results_embeddings',
  moderations: 'batch_results_moderations',
  completions: 'batch_results_completions',
  images: 'batch_results_images',
  /** completed, chat: 50,000 requests, a ~200 MB output file (see LARGE_RESULTS). */
  large: 'batch_results_50k',
} as const;

// ---------------------------------------------------------------------------------------------------------
// Lines

const CHAT = '/v1/chat/completions';
const MODEL = 'gpt-4o-mini';
const SNAPSHOT = 'gpt-4o-mini-2024-07-18';

function chatRequest(customId: string, prompt: string): string {
  return JSON.stringify({ custom_id: customId, method: 'POST', url: CHAT, body: { model: MODEL, messages: [{ role: 'user', content: prompt }], max_tokens: 500 } });
}

function requestLine(customId: string, url: string, body: Record<string, unknown>): string {
  return JSON.stringify({ custom_id: customId, method: 'POST', url, body });
}

interface ChatAnswer {
  content?: string | null;
  finish?: string;
  toolCalls?: string[];
  refusal?: string;
  usage?: [prompt: number, completion: number, cached?: number, reasoning?: number];
}

function chatBody(a: ChatAnswer, n: number): Record<string, unknown> {
  const [prompt, completion, cached, reasoning] = a.usage ?? [20 + n, 10 + n, 0, 0];
  return {
    id: `chatcmpl-results${n}`,
    object: 'chat.completion',
    created: 1_750_000_000 + n,
    model: SNAPSHOT,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: a.content === undefined ? null : a.content,
          refusal: a.refusal ?? null,
          ...(a.toolCalls ? { tool_calls: a.toolCalls.map((name, i) => ({ id: `call_${n}_${i}`, type: 'function', function: { name, arguments: `{"q":${i}}` } })) } : {}),
        },
        logprobs: null,
        finish_reason: a.finish ?? (a.toolCalls ? 'tool_calls' : 'stop'),
      },
    ],
    usage: {
      prompt_tokens: prompt,
      completion_tokens: completion,
      total_tokens: prompt + completion,
      prompt_tokens_details: { cached_tokens: cached ?? 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: reasoning ?? 0, audio_tokens: 0 },
    },
    system_fingerprint: 'fp_results',
  };
}

function resultLine(customId: string, n: number, status: number, body: unknown): string {
  return JSON.stringify({ id: `batch_req_results${n}`, custom_id: customId, response: { status_code: status, request_id: `req_results${n}`, body }, error: null });
}

function chatResult(customId: string, n: number, a: ChatAnswer): string {
  return resultLine(customId, n, 200, chatBody(a, n));
}

function httpError(customId: string, n: number, status: number, message: string, type: string, code: string | null): string {
  return resultLine(customId, n, status, { error: { message, type, param: null, code } });
}

function requestError(customId: string, n: number, code: string, message: string): string {
  return JSON.stringify({ id: `batch_req_results${n}`, custom_id: customId, response: null, error: { code, message } });
}

const EXPIRED_MESSAGE = 'This request could not be executed before the completion window expired.';
const CANCELLED_MESSAGE = 'This request was not executed because the batch was cancelled.';
const CONTEXT_MESSAGE = "This model's maximum context length is 128000 tokens. However, your messages resulted in 131072 tokens. Please reduce the length of the messages.";
const SERVER_MESSAGE = 'The server had an error processing your request. Sorry about that! You can retry your request, or contact us through our help center at help.openai.com if you keep seeing this error.';
const RATE_MESSAGE = 'Rate limit reached for gpt-4o-mini in organization org-results on tokens per min (TPM): Limit 200000, Used 199000, Requested 2000.';

/** Text that must show as text: markup in answers is data, never HTML. */
export const HTML_ANSWER = '<script>alert("results")</script><img src=x onerror="alert(1)"> <b>bold</b> & &amp;';

// ---------------------------------------------------------------------------------------------------------
// Files and batches

const HOUR = 3600;
const DAY = 86400;

type Line = string | Buffer;

/** A file from its lines. Buffers allow bytes that are not valid UTF-8; `eol` and `finalNewline` shape line ends. */
function makeFile(id: string, filename: string, purpose: string, created: number, lines: Line[], options: { eol?: string; finalNewline?: boolean } = {}): FakeFile {
  const eol = options.eol ?? '\n';
  const parts: Buffer[] = lines.map((l, i) => Buffer.concat([typeof l === 'string' ? Buffer.from(l, 'utf8') : l, Buffer.from(i < lines.length - 1 || options.finalNewline !== false ? eol : '')]));
  const bytes = Buffer.concat(parts);
  const content = lines.some((l) => typeof l !== 'string') ? streamed(bytes.length, () => [bytes]) : bytes.toString('utf8');
  return { meta: { id, object: 'file', bytes: bytes.length, created_at: created, filename, purpose, status: 'processed', expires_at: created + 30 * DAY, status_details: null }, content };
}

function streamed(bytes: number, chunks: () => Iterable<Buffer>): StreamedContent {
  return { streamedBytes: bytes, chunks };
}

interface BatchPlan {
  id: string;
  status: string;
  endpoint?: string;
  created: number;
  input: Line[] | null;
  output?: Line[] | null;
  error?: Line[] | null;
  counts: [total: number, completed: number, failed: number];
  description: string;
  /** Ids the batch names but the server no longer has (404). */
  goneOutput?: boolean;
  /** What to send for "no error file": null (OpenAI) or "" (some servers). */
  noErrorFile?: null | '';
  fileOptions?: { eol?: string; finalNewline?: boolean };
}

function build(plan: BatchPlan): { batch: FakeBatch; files: FakeFile[] } {
  const slug = plan.id.replace(/^batch_/, '').replace(/_/g, '-');
  const files: FakeFile[] = [];
  const finished = plan.created + 2 * HOUR;
  const fileOf = (kind: string, lines: Line[] | null | undefined, purpose: string, created: number): string | null => {
    if (!lines) return null;
    const id = `file-${slug}-${kind}`;
    files.push(makeFile(id, kind === 'input' ? `${slug}.jsonl` : `${plan.id}_${kind}.jsonl`, purpose, created, lines, plan.fileOptions));
    return id;
  };
  const inputId = fileOf('input', plan.input, 'batch', plan.created - 60);
  let outputId = fileOf('output', plan.output, 'batch_output', finished);
  if (plan.goneOutput) outputId = `file-${slug}-output`;
  const errorId = fileOf('error', plan.error, 'batch_output', finished) ?? (plan.noErrorFile === '' ? '' : null);
  const terminal = !['validating', 'in_progress', 'finalizing', 'cancelling'].includes(plan.status);
  const [total, completed, failed] = plan.counts;
  const batch: FakeBatch = {
    id: plan.id,
    object: 'batch',
    endpoint: plan.endpoint ?? CHAT,
    model: MODEL,
    errors: null,
    input_file_id: inputId,
    completion_window: '24h',
    status: plan.status,
    output_file_id: outputId,
    error_file_id: errorId,
    created_at: plan.created,
    in_progress_at: plan.created + 30,
    expires_at: plan.created + DAY,
    finalizing_at: terminal && plan.status === 'completed' ? finished - 60 : null,
    completed_at: plan.status === 'completed' ? finished : null,
    failed_at: null,
    expired_at: plan.status === 'expired' ? plan.created + DAY + 60 : null,
    cancelling_at: plan.status === 'cancelled' ? finished - 120 : null,
    cancelled_at: plan.status === 'cancelled' ? finished : null,
    request_counts: { total, completed, failed },
    metadata: { description: plan.description },
  };
  return { batch, files };
}

const ids = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}-${String(i + 1).padStart(2, '0')}`);

/** Every join edge case, in files small enough to read by eye. */
function mixedBatch(created: number): BatchPlan {
  const r = ids('mixed', 16);
  const input: Line[] = [
    ...r.slice(0, 8).map((id, i) => chatRequest(id, `Question ${i + 1}`)),
    '',
    chatRequest('mixed-dup', 'The first of two lines with one custom_id'),
    ...r.slice(8, 12).map((id, i) => chatRequest(id, `Question ${i + 9}`)),
    '{"custom_id": 17, "method": "POST", "url": "/v1/chat/completions", "body": {}}',
    chatRequest('mixed-dup', 'The second line with that custom_id'),
    '{"custom_id": "mixed-broken", "method": "POST", "url": "/v1/chat/comp',
    '{"method": "POST", "url": "/v1/chat/completions", "body": {"model": "gpt-4o-mini"}}',
    ...r.slice(12).map((id, i) => chatRequest(id, `Question ${i + 13}`)),
  ];
  // Completion order, not input order; a 429 in the output file; an orphan; an answer with bytes that
  // are not UTF-8; lines that are not JSON or have no custom_id.
  const output: Line[] = [
    chatResult(r[4], 5, { content: 'A long answer that stopped at max_tokens and', finish: 'length', usage: [50, 500] }),
    chatResult(r[0], 1, { content: 'Canberra', usage: [25, 2, 10, 0] }),
    chatResult('mixed-dup', 100, { content: 'Answer to the first duplicate line' }),
    httpError(r[8], 9, 429, RATE_MESSAGE, 'tokens', 'rate_limit_exceeded'),
    chatResult(r[2], 3, { content: null, toolCalls: ['get_weather', 'lookup_order'] }),
    'this line is not JSON',
    chatResult(r[5], 6, { content: HTML_ANSWER }),
    chatResult('mixed-ghost', 99, { content: 'A result for a request the input does not have' }),
    JSON.stringify({ id: 'batch_req_results_nocid', response: { status_code: 200, body: {} }, error: null }),
    chatResult(r[1], 2, { content: 'La réunion a été déplacée à jeudi, 15 h. 会議は木曜日に移動しました 🎉', usage: [30, 20, 0, 8] }),
    chatResult(r[3], 4, { content: null, finish: 'content_filter', refusal: undefined }),
    replaceBytes(Buffer.from(chatResult(r[6], 7, { content: 'Invalid bytes follow: @@BAD@@' })), '@@BAD@@', Buffer.from([0xff, 0xfe])),
    JSON.stringify({ id: 'batch_req_results_types', custom_id: r[7], response: { status_code: '200', body: { choices: {}, usage: 'lots' } }, error: null }),
    JSON.stringify({ id: 'batch_req_results10', custom_id: r[9], response: { status_code: 200, request_id: 'req_10', body: { choices: [{ message: { content: 42 } }], usage: { prompt_tokens: '12', completion_tokens: -1 } } }, error: null }),
  ];
  const error: Line[] = [
    httpError(r[11], 12, 400, CONTEXT_MESSAGE, 'invalid_request_error', 'context_length_exceeded'),
    httpError(r[12], 13, 500, SERVER_MESSAGE, 'server_error', null),
    httpError('mixed-dup', 101, 400, CONTEXT_MESSAGE, 'invalid_request_error', 'context_length_exceeded'),
    httpError(r[10], 11, 503, 'The engine is currently overloaded, please try again later.', 'server_error', null),
    '',
    chatResult(r[0], 98, { content: 'A second result for mixed-01: more results than input lines' }),
    requestError(r[13], 14, 'invalid_request', 'The request body is missing the required field "messages".'),
  ];
  // mixed-15 and mixed-16 are in neither file: missing.
  return { id: RESULTS_BATCH_IDS.mixed, status: 'completed', created, input, output, error, counts: [21, 9, 7], description: 'Results: join edge cases' };
}

/** Replaces the first occurrence of an ASCII marker with raw bytes. */
function replaceBytes(buf: Buffer, marker: string, bytes: Buffer): Buffer {
  const at = buf.indexOf(marker);
  return at < 0 ? buf : Buffer.concat([buf.subarray(0, at), bytes, buf.subarray(at + marker.length)]);
}

/** Bytes of the 10 MB lines. */
export const HUGE_LINE_BYTES = 10 * 1024 * 1024;

function hugeBatch(created: number): { batch: FakeBatch; files: FakeFile[] } {
  const plan: BatchPlan = {
    id: RESULTS_BATCH_IDS.huge,
    status: 'completed',
    created,
    input: [chatRequest('huge-1', 'Write a very long story'), chatRequest('huge-2', 'And another'), chatRequest('huge-3', 'A short one')],
    output: [chatResult('huge-3', 3, { content: 'Short.' })],
    error: null,
    counts: [3, 3, 0],
    description: 'Results: 10 MB lines',
  };
  const built = build(plan);
  // The output file: a 10 MB answer, a 10 MB line cut off mid-string, and a short answer, made on demand.
  const head = Buffer.from(chatResult('huge-1', 1, { content: 'HUGE' }));
  const [before, after] = [head.subarray(0, head.indexOf('HUGE')), head.subarray(head.indexOf('HUGE') + 4)];
  const filler = Buffer.alloc(1024 * 1024, 'All work and no play makes a long answer. ');
  const fillBytes = HUGE_LINE_BYTES - before.length - after.length;
  const brokenHead = Buffer.from('{"custom_id": "huge-2", "response": {"status_code": 200, "body": {"text": "');
  const short = Buffer.from(`${chatResult('huge-3', 3, { content: 'Short.' })}\n`);
  const bytes = HUGE_LINE_BYTES + 1 + HUGE_LINE_BYTES + 1 + short.length;
  function* chunks(): Generator<Buffer> {
    yield before;
    for (let left = fillBytes; left > 0; left -= filler.length) yield filler.subarray(0, Math.min(left, filler.length));
    yield Buffer.concat([after, Buffer.from('\n'), brokenHead]);
    for (let left = HUGE_LINE_BYTES - brokenHead.length; left > 0; left -= filler.length) yield filler.subarray(0, Math.min(left, filler.length));
    yield Buffer.from('\n');
    yield short;
  }
  const output = built.files.find((f) => f.meta.id === built.batch.output_file_id)!;
  output.content = streamed(bytes, chunks);
  output.meta.bytes = bytes;
  return built;
}

function expiredBatch(created: number): BatchPlan {
  const r = ids('expired', 12);
  const done = [6, 1, 9, 3, 11, 0, 4];
  const expired = [2, 5, 7, 8, 10];
  return {
    id: RESULTS_BATCH_IDS.expired,
    status: 'expired',
    created,
    input: r.map((id, i) => chatRequest(id, `Question ${i + 1}`)),
    output: done.map((i) => chatResult(r[i], i + 1, { content: `Answer ${i + 1}` })),
    error: expired.map((i) => requestError(r[i], i + 1, 'batch_expired', EXPIRED_MESSAGE)),
    counts: [12, 7, 5],
    description: 'Results: expired with partial output',
  };
}

function cancelledBatch(created: number): BatchPlan {
  const r = ids('cancelled', 10);
  return {
    id: RESULTS_BATCH_IDS.cancelled,
    status: 'cancelled',
    created,
    input: r.map((id, i) => chatRequest(id, `Question ${i + 1}`)),
    output: [3, 0, 7, 1].map((i) => chatResult(r[i], i + 1, { content: `Answer ${i + 1}` })),
    error: [9, 2, 4, 5, 6].map((i) => requestError(r[i], i + 1, 'batch_cancelled', CANCELLED_MESSAGE)),
    counts: [10, 4, 5],
    description: 'Results: cancelled with partial output',
  };
}

function allFailedBatch(created: number): BatchPlan {
  const r = ids('failed', 5);
  return {
    id: RESULTS_BATCH_IDS.allFailed,
    status: 'completed',
    created,
    input: r.map((id, i) => chatRequest(id, `Question ${i + 1}`)),
    output: null,
    error: [
      httpError(r[3], 4, 429, RATE_MESSAGE, 'tokens', 'rate_limit_exceeded'),
      httpError(r[0], 1, 429, RATE_MESSAGE, 'tokens', 'rate_limit_exceeded'),
      httpError(r[4], 5, 500, SERVER_MESSAGE, 'server_error', null),
      httpError(r[1], 2, 400, CONTEXT_MESSAGE, 'invalid_request_error', 'context_length_exceeded'),
      httpError(r[2], 3, 429, RATE_MESSAGE, 'tokens', 'rate_limit_exceeded'),
    ],
    counts: [5, 0, 5],
    description: 'Results: every request failed (no output file)',
  };
}

function noErrorsBatch(created: number): BatchPlan {
  const r = ids('clean', 5);
  return {
    id: RESULTS_BATCH_IDS.noErrors,
    status: 'completed',
    created,
    input: r.map((id, i) => chatRequest(id, `Question ${i + 1}`)),
    output: [2, 4, 0, 3, 1].map((i) => chatResult(r[i], i + 1, { content: `Answer ${i + 1}` })),
    noErrorFile: '',
    counts: [5, 5, 0],
    description: 'Results: no errors (error_file_id "", CRLF)',
    fileOptions: { eol: '\r\n', finalNewline: false },
  };
}

function runningBatch(created: number): BatchPlan {
  return {
    id: RESULTS_BATCH_IDS.running,
    status: 'in_progress',
    created,
    input: ids('running', 8).map((id, i) => chatRequest(id, `Question ${i + 1}`)),
    counts: [8, 3, 0],
    description: 'Results: still running',
  };
}

function outputGoneBatch(created: number): BatchPlan {
  const r = ids('gone', 6);
  return {
    id: RESULTS_BATCH_IDS.outputGone,
    status: 'completed',
    created,
    input: r.map((id, i) => chatRequest(id, `Question ${i + 1}`)),
    goneOutput: true,
    error: [httpError(r[4], 5, 400, CONTEXT_MESSAGE, 'invalid_request_error', 'context_length_exceeded')],
    counts: [6, 5, 1],
    description: 'Results: output file deleted (404)',
  };
}

function responsesBatch(created: number): BatchPlan {
  const url = '/v1/responses';
  const r = ids('resp', 4);
  const body = (n: number, output: unknown[], extra: Record<string, unknown> = {}) => ({
    id: `resp_results${n}`,
    object: 'response',
    created_at: 1_750_000_000,
    status: 'completed',
    model: 'o4-mini-2025-04-16',
    output,
    usage: { input_tokens: 100 + n, input_tokens_details: { cached_tokens: 64 }, output_tokens: 50 + n, output_tokens_details: { reasoning_tokens: 32 }, total_tokens: 150 + 2 * n },
    ...extra,
  });
  const message = (text: string) => ({ id: 'msg_1', type: 'message', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text, annotations: [] }] });
  return {
    id: RESULTS_BATCH_IDS.responses,
    status: 'completed',
    endpoint: url,
    created,
    input: r.map((id, i) => requestLine(id, url, { model: 'o4-mini', input: `Question ${i + 1}`, max_output_tokens: 200 })),
    output: [
      resultLine(r[1], 2, 200, body(2, [{ id: 'rs_1', type: 'reasoning', summary: [] }, message('Part one.'), message('Part two.')])),
      resultLine(r[0], 1, 200, body(1, [message('The capital of Australia is Canberra.')])),
      resultLine(r[2], 3, 200, body(3, [{ id: 'rs_2', type: 'reasoning', summary: [] }], { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } })),
      resultLine(r[3], 4, 200, body(4, [{ id: 'fc_1', type: 'function_call', call_id: 'call_1', name: 'search_docs', arguments: '{"q":"batch"}' }])),
    ],
    counts: [4, 4, 0],
    description: 'Results: responses API',
  };
}

function embeddingsBatch(created: number): BatchPlan {
  const url = '/v1/embeddings';
  const r = ids('emb', 3);
  const vector = (n: number, dims: number) => Array.from({ length: dims }, (_, i) => Math.round(Math.sin(n * 1000 + i) * 1e6) / 1e7);
  const body = (n: number, vectors: number) => ({
    object: 'list',
    data: Array.from({ length: vectors }, (_, i) => ({ object: 'embedding', index: i, embedding: vector(n + i, 1536) })),
    model: 'text-embedding-3-small',
    usage: { prompt_tokens: 8 * vectors, total_tokens: 8 * vectors },
  });
  return {
    id: RESULTS_BATCH_IDS.embeddings,
    status: 'completed',
    endpoint: url,
    created,
    input: r.map((id, i) => requestLine(id, url, { model: 'text-embedding-3-small', input: i === 2 ? ['one', 'two'] : `Text ${i + 1}` })),
    output: [resultLine(r[2], 3, 200, body(3, 2)), resultLine(r[0], 1, 200, body(1, 1)), resultLine(r[1], 2, 200, body(2, 1))],
    counts: [3, 3, 0],
    description: 'Results: embeddings',
  };
}

function moderationsBatch(created: number): BatchPlan {
  const url = '/v1/moderations';
  const r = ids('mod', 2);
  const body = (n: number, flagged: string[]) => ({
    id: `modr-results${n}`,
    model: 'omni-moderation-2024-09-26',
    results: [
      {
        flagged: flagged.length > 0,
        categories: Object.fromEntries(['harassment', 'hate', 'self-harm', 'violence'].map((c) => [c, flagged.includes(c)])),
        category_scores: { harassment: 0.01, hate: 0.02, 'self-harm': 0.0001, violence: flagged.includes('violence') ? 0.97 : 0.001 },
      },
    ],
  });
  return {
    id: RESULTS_BATCH_IDS.moderations,
    status: 'completed',
    endpoint: url,
    created,
    input: r.map((id, i) => requestLine(id, url, { model: 'omni-moderation-latest', input: `Text ${i + 1}` })),
    output: [resultLine(r[1], 2, 200, body(2, ['harassment', 'violence'])), resultLine(r[0], 1, 200, body(1, []))],
    counts: [2, 2, 0],
    description: 'Results: moderations',
  };
}

function completionsBatch(created: number): BatchPlan {
  const url = '/v1/completions';
  const r = ids('cmpl', 2);
  const body = (n: number, text: string, finish: string) => ({
    id: `cmpl-results${n}`,
    object: 'text_completion',
    created: 1_750_000_000,
    model: 'gpt-3.5-turbo-instruct',
    choices: [{ text, index: 0, logprobs: null, finish_reason: finish }],
    usage: { prompt_tokens: 5, completion_tokens: 7, total_tokens: 12 },
  });
  return {
    id: RESULTS_BATCH_IDS.completions,
    status: 'completed',
    endpoint: url,
    created,
    input: r.map((id, i) => requestLine(id, url, { model: 'gpt-3.5-turbo-instruct', prompt: `Say ${i + 1}`, max_tokens: 7 })),
    output: [resultLine(r[0], 1, 200, body(1, '\n\nOne, two, three', 'stop')), resultLine(r[1], 2, 200, body(2, ' and then it went on and', 'length'))],
    counts: [2, 2, 0],
    description: 'Results: completions',
  };
}

function imagesBatch(created: number): BatchPlan {
  const url = '/v1/images/generations';
  const r = ids('img', 2);
  const png = Buffer.alloc(3000, 7).toString('base64');
  const body = (images: number) => ({ created: 1_750_000_000, data: Array.from({ length: images }, () => ({ b64_json: png })), usage: { input_tokens: 40, output_tokens: 4160, total_tokens: 4200 } });
  return {
    id: RESULTS_BATCH_IDS.images,
    status: 'completed',
    endpoint: url,
    created,
    input: r.map((id, i) => requestLine(id, url, { model: 'gpt-image-1', prompt: `A lighthouse, picture ${i + 1}`, n: i + 1 })),
    output: [resultLine(r[1], 2, 200, body(2)), resultLine(r[0], 1, 200, body(1))],
    counts: [2, 2, 0],
    description: 'Results: images',
  };
}

export interface ResultsDatasetOptions {
  /** Unix seconds; defaults to now. */
  readonly now?: number;
  /** Also the 50,000-request batch (its files are streamed when read). */
  readonly large?: boolean;
}

/** The results batches (newest first) and their files. */
export function resultsDataset(options: ResultsDatasetOptions = {}): Dataset {
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const plans = [
    mixedBatch,
    expiredBatch,
    cancelledBatch,
    allFailedBatch,
    noErrorsBatch,
    runningBatch,
    outputGoneBatch,
    responsesBatch,
    embeddingsBatch,
    moderationsBatch,
    completionsBatch,
    imagesBatch,
  ];
  const built = [
    ...(options.large ? [largeResultsBatch(LARGE_RESULTS, now - 2 * HOUR)] : []),
    hugeBatch(now - 3 * HOUR),
    ...plans.map((plan, i) => build(plan(now - (4 + i) * HOUR))),
  ];
  return { batches: built.map((b) => b.batch), files: built.flatMap((b) => b.files) };
}

/** Adds the results batches to a running fake (newest first, ahead of what it has); returns them. */
export function addResultsBatches(fake: { addBatch(b: FakeBatch): void; addFile(f: FakeFile): void }, options: ResultsDatasetOptions = {}): FakeBatch[] {
  const { batches, files } = resultsDataset(options);
  for (const f of files) fake.addFile(f);
  for (const b of [...batches].reverse()) fake.addBatch(b);
  return batches;
}

// ---------------------------------------------------------------------------------------------------------
// The large batch: 50,000 requests, its files made by the generator every batch of the fake uses

/** What becomes of a large batch's requests, per mille: what real large batches show, edge cases included. */
const LARGE_SHARES: readonly (readonly [Fate, number])[] = [
  ['length', 25],
  ['tool_calls', 15],
  ['content_filter', 2],
  ['rate_limited_in_output', 4],
  ['context_length', 16],
  ['server_error', 6],
  ['none', 2],
];

/** A large chat batch: `requests` requests, answers of about `answerChars` characters, the rest answered. */
export function largeResultsSpec(options: { requests: number; seed: number; answerChars: number; finishedAt?: number }): BatchFilesSpec {
  const fates: Partial<Record<Fate, number>> = {};
  for (const [fate, share] of LARGE_SHARES) fates[fate] = Math.round((options.requests * share) / 1000);
  fates.stop = options.requests - requestTotal(fates);
  return {
    seed: options.seed,
    endpoint: CHAT,
    model: { alias: MODEL, snapshot: SNAPSHOT },
    fates,
    finishedAt: options.finishedAt ?? 1_750_000_000,
    startedAt: (options.finishedAt ?? 1_750_000_000) - 5 * HOUR,
    answerChars: options.answerChars,
  };
}

/** 50,000 requests with ~3.4 KB answers: an output file of about 200 MB. */
export const LARGE_RESULTS = largeResultsSpec({ requests: 50_000, seed: 50_000, answerChars: 3_400 });

/** The large batch and its three files, streamed whenever they are read. */
export function largeResultsBatch(spec: BatchFilesSpec = LARGE_RESULTS, created = Math.floor(Date.now() / 1000) - 2 * HOUR): { batch: FakeBatch; files: FakeFile[] } {
  const finished = created + 5 * HOUR;
  const timed: BatchFilesSpec = { ...spec, startedAt: created + 30, finishedAt: finished };
  const facts = batchFilesFacts(timed);
  const slug = 'results-50k';
  const file = (kind: BatchFileKind, purpose: string, at: number): FakeFile => ({
    meta: { id: `file-${slug}-${kind}`, object: 'file', bytes: facts.bytes[kind], created_at: at, filename: kind === 'input' ? `${slug}.jsonl` : `${RESULTS_BATCH_IDS.large}_${kind}.jsonl`, purpose, status: 'processed', expires_at: at + 30 * DAY, status_details: null },
    content: { batchFile: kind, spec: timed, bytes: facts.bytes[kind] },
  });
  const files = [file('input', 'batch', created - 60), file('output', 'batch_output', finished), file('error', 'batch_output', finished)];
  const { total, completed, failed } = countsOf(spec.fates);
  const batch = build({
    id: RESULTS_BATCH_IDS.large,
    status: 'completed',
    created,
    input: [],
    counts: [total, completed, failed],
    description: `Results: ${total.toLocaleString('en-US')} requests`,
  }).batch;
  batch.input_file_id = files[0].meta.id;
  batch.output_file_id = files[1].meta.id;
  batch.error_file_id = files[2].meta.id;
  return { batch, files };
}
