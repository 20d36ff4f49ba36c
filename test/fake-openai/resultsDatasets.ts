// Finished batches whose three files are made to be joined: small hand-made ones, each showing edge cases
// of real result files (shuffled output, 4xx/5xx, expired and cancelled partial output, missing requests,
// orphans, duplicates, unreadable and 10 MB lines, HTML in answers, wrong types), and a generated
// 50,000-request batch whose ~200 MB output file is produced as a stream, never held in memory.
import { createWriteStream } from 'node:fs';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { contentBytes, Rng } from './dataset';
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
    ...(options.large ? [largeResultsBatch({ ...LARGE_RESULTS, created: now - 2 * HOUR })] : []),
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
// The large batch: 50,000 requests, generated line by line

export interface LargeResultsSpec {
  readonly requests: number;
  readonly seed: number;
  /** Average answer length in characters: sets the output file's size. */
  readonly answerChars: number;
  /** The batch's created_at. */
  readonly created?: number;
}

/** 50,000 requests with ~3.6 KB answers: an output file of about 200 MB. */
export const LARGE_RESULTS: LargeResultsSpec = { requests: 50_000, seed: 50_000, answerChars: 3_560 };

/** What becomes of each request; the shares are per mille. */
const FATES = [
  { fate: 'stop', share: 930 },
  { fate: 'length', share: 25 },
  { fate: 'tool_calls', share: 15 },
  { fate: 'content_filter', share: 2 },
  { fate: 'rate_limited_in_output', share: 4 },
  { fate: 'context_length', share: 16 },
  { fate: 'server_error', share: 6 },
  { fate: 'missing', share: 2 },
] as const;
type Fate = (typeof FATES)[number]['fate'];
const ERROR_FILE_FATES: ReadonlySet<Fate> = new Set(['context_length', 'server_error']);

export interface LargeResultsPlan {
  readonly spec: LargeResultsSpec;
  /** Index into FATES per request (request n at n - 1). */
  readonly fates: Uint8Array;
  /** Request numbers in completion order (every request; the files take theirs in this order). */
  readonly order: Uint32Array;
  /** Requests per fate. */
  readonly counts: Readonly<Record<Fate, number>>;
}

const plans = new Map<string, LargeResultsPlan>();

export function largeResultsPlan(spec: LargeResultsSpec = LARGE_RESULTS): LargeResultsPlan {
  const key = `${spec.requests}:${spec.seed}:${spec.answerChars}`;
  const cached = plans.get(key);
  if (cached) return cached;
  const rng = new Rng(spec.seed);
  const fates = new Uint8Array(spec.requests);
  const counts = Object.fromEntries(FATES.map((f) => [f.fate, 0])) as Record<Fate, number>;
  for (let i = 0; i < spec.requests; i++) {
    let r = rng.int(0, 999);
    let f = 0;
    while (r >= FATES[f].share) r -= FATES[f++].share;
    fates[i] = f;
    counts[FATES[f].fate]++;
  }
  const order = new Uint32Array(spec.requests);
  for (let i = 0; i < spec.requests; i++) order[i] = i + 1;
  const shuffle = rng.fork();
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(shuffle.next() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  const plan = { spec, fates, order, counts };
  plans.set(key, plan);
  return plan;
}

export function largeCustomId(n: number): string {
  return `request-${n}`;
}

const PROMPTS = [
  'Summarize the following customer review in one sentence.',
  'Classify the sentiment of this support ticket as positive, negative or neutral.',
  'Translate to French: The meeting has been moved to Thursday at 3 pm.',
  'Write a short product description for a stainless steel water bottle.',
  'List three risks mentioned in this incident report.',
];
const ANSWER_WORDS =
  'The review praises the blender’s power but notes it is loud; the lid cracked after two weeks, so the customer wants a replacement. La réunion a été déplacée à jeudi. ';

function largeInputLine(n: number): string {
  return chatRequest(largeCustomId(n), `${PROMPTS[n % PROMPTS.length]} (item ${n})`);
}

function largeOutputLine(plan: LargeResultsPlan, n: number): string {
  const fate = FATES[plan.fates[n - 1]].fate;
  const rng = new Rng(plan.spec.seed * 31 + n);
  const customId = largeCustomId(n);
  if (fate === 'rate_limited_in_output') return httpError(customId, n, 429, RATE_MESSAGE, 'tokens', 'rate_limit_exceeded');
  if (fate === 'context_length') return httpError(customId, n, 400, CONTEXT_MESSAGE, 'invalid_request_error', 'context_length_exceeded');
  if (fate === 'server_error') return httpError(customId, n, 500, SERVER_MESSAGE, 'server_error', null);
  const length = Math.round(plan.spec.answerChars * (0.7 + 0.6 * rng.next()));
  const start = rng.int(0, ANSWER_WORDS.length - 1);
  const text = `Answer ${n}: ${ANSWER_WORDS.repeat(Math.ceil((length + start) / ANSWER_WORDS.length) + 1).slice(start, start + length)}`;
  const prompt = rng.int(20, 400);
  const usage: ChatAnswer['usage'] = [prompt, Math.ceil(length / 4), rng.chance(0.3) ? Math.floor(prompt / 2) : 0, 0];
  if (fate === 'tool_calls') return chatResult(customId, n, { content: null, toolCalls: ['lookup_order'], usage });
  if (fate === 'content_filter') return chatResult(customId, n, { content: null, finish: 'content_filter', usage });
  return chatResult(customId, n, { content: text, finish: fate, usage });
}

/** JSONL text in chunks of about `size` bytes. */
function* chunked(lines: Iterable<string>, size = 256 * 1024): Generator<Buffer> {
  let parts: string[] = [];
  let length = 0;
  for (const line of lines) {
    parts.push(line, '\n');
    length += line.length + 1;
    if (length >= size) {
      yield Buffer.from(parts.join(''), 'utf8');
      parts = [];
      length = 0;
    }
  }
  if (parts.length > 0) yield Buffer.from(parts.join(''), 'utf8');
}

export type LargeFileKind = 'input' | 'output' | 'error';

/** The lines of one of the large batch's files: input in order, output and error in completion order. */
export function* largeResultsLines(plan: LargeResultsPlan, kind: LargeFileKind): Generator<string> {
  if (kind === 'input') {
    for (let n = 1; n <= plan.spec.requests; n++) yield largeInputLine(n);
    return;
  }
  for (const n of plan.order) {
    const fate = FATES[plan.fates[n - 1]].fate;
    if (fate === 'missing' || ERROR_FILE_FATES.has(fate) !== (kind === 'error')) continue;
    yield largeOutputLine(plan, n);
  }
}

export function largeResultsChunks(plan: LargeResultsPlan, kind: LargeFileKind): Iterable<Buffer> {
  return chunked(largeResultsLines(plan, kind));
}

const sizes = new Map<string, number>();

/** A file's byte size: counted by generating it once (the fake must announce it before streaming). */
export function largeResultsBytes(plan: LargeResultsPlan, kind: LargeFileKind): number {
  const key = `${plan.spec.requests}:${plan.spec.seed}:${plan.spec.answerChars}:${kind}`;
  let bytes = sizes.get(key);
  if (bytes === undefined) {
    bytes = 0;
    for (const chunk of largeResultsChunks(plan, kind)) bytes += chunk.length;
    sizes.set(key, bytes);
  }
  return bytes;
}

/** Outcome counts the large batch's files must join to. */
export function largeResultsExpected(plan: LargeResultsPlan): { succeeded: number; failed: number; missing: number; total: number } {
  const c = plan.counts;
  return {
    succeeded: c.stop + c.length + c.tool_calls + c.content_filter,
    failed: c.rate_limited_in_output + c.context_length + c.server_error,
    missing: c.missing,
    total: plan.spec.requests,
  };
}

/** The large batch and its three files, streamed whenever they are read. */
export function largeResultsBatch(spec: LargeResultsSpec = LARGE_RESULTS): { batch: FakeBatch; files: FakeFile[] } {
  const plan = largeResultsPlan(spec);
  const created = spec.created ?? Math.floor(Date.now() / 1000) - 2 * HOUR;
  const finished = created + 5 * HOUR;
  const expected = largeResultsExpected(plan);
  const slug = 'results-50k';
  const file = (kind: LargeFileKind, purpose: string, at: number): FakeFile => {
    const bytes = largeResultsBytes(plan, kind);
    return {
      meta: { id: `file-${slug}-${kind}`, object: 'file', bytes, created_at: at, filename: kind === 'input' ? `${slug}.jsonl` : `${RESULTS_BATCH_IDS.large}_${kind}.jsonl`, purpose, status: 'processed', expires_at: at + 30 * DAY, status_details: null },
      content: streamed(bytes, () => largeResultsChunks(plan, kind)),
    };
  };
  const files = [file('input', 'batch', created - 60), file('output', 'batch_output', finished), file('error', 'batch_output', finished)];
  const batch = build({
    id: RESULTS_BATCH_IDS.large,
    status: 'completed',
    created,
    input: [],
    counts: [expected.total, expected.succeeded, expected.failed],
    description: `Results: ${spec.requests.toLocaleString('en-US')} requests`,
  }).batch;
  batch.input_file_id = files[0].meta.id;
  batch.output_file_id = files[1].meta.id;
  batch.error_file_id = files[2].meta.id;
  return { batch, files };
}

/** Writes the large batch's three files into `dir` (streamed); returns their paths. */
export async function writeLargeResultsFiles(dir: string, spec: LargeResultsSpec = LARGE_RESULTS): Promise<Record<LargeFileKind, string>> {
  const plan = largeResultsPlan(spec);
  const paths = { input: path.join(dir, 'input.jsonl'), output: path.join(dir, 'output.jsonl'), error: path.join(dir, 'error.jsonl') };
  for (const kind of ['input', 'output', 'error'] as const) {
    await pipeline(Readable.from(largeResultsChunks(plan, kind)), createWriteStream(paths[kind]));
  }
  return paths;
}

/** For tests: a file's whole content (small files only). */
export function fileContent(file: FakeFile): Buffer {
  if (typeof file.content === 'string') return Buffer.from(file.content, 'utf8');
  const parts: Buffer[] = [];
  for (const chunk of 'streamedBytes' in file.content ? file.content.chunks() : []) parts.push(chunk);
  const out = Buffer.concat(parts);
  if (out.length !== contentBytes(file.content)) throw new Error(`${file.meta.id}: ${out.length} bytes streamed, ${contentBytes(file.content)} announced`);
  return out;
}
