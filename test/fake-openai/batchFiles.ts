// A batch's three files, made to join. Every request's fate is decided first (so many of each, placed over
// the input by a seeded shuffle); then the input file (every request, in order), the output file (the
// requests that got a 2xx answer) and the error file (those that failed, expired or were cancelled), both in
// one shuffled completion order, are written line by line from templates: lines with holes for the
// custom_id's number, the heads of generated ids, timestamps, token counts and added answer text.
// A line's length depends only on its fate and its rank among that fate's requests, never on where the
// shuffle put it, so a file's size and the batch's usage are sums taken from prefix sums, without placing a
// request (the 250-batch demo account is sized in a few milliseconds). The files are streamed whenever they
// are read, never held in memory.
import { createWriteStream } from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Rng } from './rng';

// ---------------------------------------------------------------------------------------------------------
// Vocabulary

export interface ModelInfo {
  readonly alias: string;
  readonly snapshot: string;
  readonly reasoning?: boolean;
}

export const MODELS: Readonly<Record<string, readonly ModelInfo[]>> = {
  '/v1/chat/completions': [
    { alias: 'gpt-4o-mini', snapshot: 'gpt-4o-mini-2024-07-18' },
    { alias: 'gpt-4o-mini', snapshot: 'gpt-4o-mini-2024-07-18' },
    { alias: 'gpt-4o', snapshot: 'gpt-4o-2024-08-06' },
    { alias: 'gpt-4.1-mini', snapshot: 'gpt-4.1-mini-2025-04-14' },
    { alias: 'gpt-4.1-nano', snapshot: 'gpt-4.1-nano-2025-04-14' },
  ],
  '/v1/responses': [
    { alias: 'gpt-4.1', snapshot: 'gpt-4.1-2025-04-14' },
    { alias: 'o4-mini', snapshot: 'o4-mini-2025-04-16', reasoning: true },
    { alias: 'gpt-5-mini', snapshot: 'gpt-5-mini-2025-08-07', reasoning: true },
  ],
  '/v1/embeddings': [
    { alias: 'text-embedding-3-small', snapshot: 'text-embedding-3-small' },
    { alias: 'text-embedding-3-large', snapshot: 'text-embedding-3-large' },
  ],
  '/v1/completions': [{ alias: 'gpt-3.5-turbo-instruct', snapshot: 'gpt-3.5-turbo-instruct' }],
  '/v1/moderations': [{ alias: 'omni-moderation-latest', snapshot: 'omni-moderation-2024-09-26' }],
};

/** Prompt/answer pairs. Some answers carry non-ASCII text, embedded JSON and newlines on purpose. */
const EXCHANGES: readonly (readonly [string, string])[] = [
  [
    'Summarize the following customer review in one sentence: The blender is powerful but very loud, and the lid cracked after two weeks.',
    'The blender performs well, but it is noisy and its lid broke within two weeks.',
  ],
  [
    'Classify the sentiment of this support ticket as positive, negative or neutral: My order arrived two days late but the support team was helpful.',
    'neutral',
  ],
  ['Translate to French: The meeting has been moved to Thursday at 3 pm.', 'La réunion a été déplacée à jeudi, 15 h.'],
  ['Extract the company names as a JSON array: Acme Corp signed a deal with Globex and Initech last quarter.', '["Acme Corp", "Globex", "Initech"]'],
  [
    'Write a short product description for a stainless steel water bottle (750 ml, keeps drinks cold for 24 hours).',
    'Stay refreshed all day with this 750 ml stainless steel bottle.\n\nDouble-wall insulation keeps drinks ice-cold for 24 hours, and the leak-proof lid fits any bag.',
  ],
  ['Answer with a single word: what is the capital of Australia?', 'Canberra'],
  [
    'Rewrite this sentence in plain English: Pursuant to the aforementioned agreement, remittance shall be effected forthwith.',
    'As agreed, payment must be made right away.',
  ],
  [
    'List three risks mentioned in this incident report: The backup job failed silently, disk usage reached 97% and alerts were routed to an inactive channel.',
    '1. Backups failing without notice\n2. Disks close to full (97%)\n3. Alerts sent to a channel nobody watches',
  ],
];

const SYSTEM_PROMPTS = ['You are a helpful assistant.', 'You are a precise data-labeling assistant. Reply with the label only.', 'You are a concise copywriter.'];

/**
 * Text that lengthens answers (and pads generated files): ASCII with nothing JSON escapes, so its bytes are
 * its length wherever it is cut.
 */
export const FILL_TEXT =
  'the quick brown fox jumps over the lazy dog while the team reviews every batch result and writes a short summary of what changed, ' +
  'then checks the numbers against last week, notes which answers were cut off, and files a ticket for anything that needs a second look. ';

const MESSAGES = {
  context: "This model's maximum context length is 128000 tokens. However, your messages resulted in 131072 tokens. Please reduce the length of the messages.",
  server: 'The server had an error processing your request. Sorry about that! You can retry your request, or contact us through our help center at help.openai.com if you keep seeing this error.',
  rate: (model: string) => `Rate limit reached for ${model} in organization org-batches on tokens per min (TPM): Limit 200000, Used 199000, Requested 2000.`,
  expired: 'This request could not be executed before the completion window expired.',
  cancelled: 'This request was not executed because the batch was cancelled.',
};

// ---------------------------------------------------------------------------------------------------------
// Fates

/** What becomes of a request. */
export const FATES = ['stop', 'length', 'tool_calls', 'content_filter', 'rate_limited_in_output', 'context_length', 'rate_limited', 'server_error', 'expired', 'cancelled', 'none'] as const;
export type Fate = (typeof FATES)[number];
export type FateCounts = Readonly<Partial<Record<Fate, number>>>;
export type BatchFileKind = 'input' | 'output' | 'error';

/**
 * Which file a fate's line goes to (`none`: no line, pending while the batch runs, missing after) and how
 * request_counts counts it. `rate_limited_in_output` is a 429 in the output file, as some servers write it.
 */
const FATE_INFO: Readonly<Record<Fate, { file: 'output' | 'error' | null; counted: 'completed' | 'failed' | null }>> = {
  stop: { file: 'output', counted: 'completed' },
  length: { file: 'output', counted: 'completed' },
  tool_calls: { file: 'output', counted: 'completed' },
  content_filter: { file: 'output', counted: 'completed' },
  rate_limited_in_output: { file: 'output', counted: 'failed' },
  context_length: { file: 'error', counted: 'failed' },
  rate_limited: { file: 'error', counted: 'failed' },
  server_error: { file: 'error', counted: 'failed' },
  expired: { file: 'error', counted: 'failed' },
  cancelled: { file: 'error', counted: 'failed' },
  none: { file: null, counted: null },
};

/** What a batch's files are made from: plain data, so a dataset holding it compares and prints as data. */
export interface BatchFilesSpec {
  readonly seed: number;
  readonly endpoint: string;
  readonly model: ModelInfo;
  /** Requests per fate; their sum is the number of input lines. */
  readonly fates: FateCounts;
  /** Unix seconds the batch ran between: answers are `created` in that span (the last 3 hours by default). */
  readonly startedAt?: number;
  readonly finishedAt: number;
  /** Characters added to each answer, on average (±30%): long answers make large output files. Default 0. */
  readonly answerChars?: number;
  /** Input lines (1-based) that a failed validation reports, broken the way its error code says. */
  readonly broken?: { readonly code: 'invalid_json_line' | 'invalid_url'; readonly lines: readonly number[] };
}

export function requestTotal(fates: FateCounts): number {
  return FATES.reduce((sum, f) => sum + (fates[f] ?? 0), 0);
}

/** request_counts as the batch reports them once its files are written. */
export function countsOf(fates: FateCounts): { total: number; completed: number; failed: number } {
  let completed = 0;
  let failed = 0;
  for (const f of FATES) {
    if (FATE_INFO[f].counted === 'completed') completed += fates[f] ?? 0;
    else if (FATE_INFO[f].counted === 'failed') failed += fates[f] ?? 0;
  }
  return { total: requestTotal(fates), completed, failed };
}

/** The outcomes the Results view must report for a finished batch's files (see core/results). */
export function expectedOutcomes(fates: FateCounts): { total: number; succeeded: number; failed: number; expired: number; cancelled: number; missing: number } {
  const n = (f: Fate) => fates[f] ?? 0;
  const { total, completed, failed } = countsOf(fates);
  return { total, succeeded: completed, failed: failed - n('expired') - n('cancelled'), expired: n('expired'), cancelled: n('cancelled'), missing: n('none') };
}

/** Request n's custom_id in a batch of `total`: numbered from 1, zero-padded to the widest. */
export function customIdOf(n: number, total: number): string {
  return `request-${String(n).padStart(decimalDigits(total), '0')}`;
}

// ---------------------------------------------------------------------------------------------------------
// Lines: built as JSON by the functions below, with markers where the holes go

/** A line's variable parts: markers when compiling templates, or values for lines built whole. */
export interface LineHoles {
  /** The custom_id's number. */
  readonly number: string;
  /** The first 8 characters of each generated id. */
  readonly head: string;
  readonly time: number | string;
  readonly completion: number | string;
  readonly total: number | string;
  /** Appended to the answer (to the prompt in a request line, to the message in an error). */
  readonly fill: string;
}

/** What one of PERIOD template variants says: the exchange, the token counts, the ids' fixed tails. */
export interface Variant {
  readonly exchange: readonly [string, string];
  readonly system: string;
  readonly maxTokens: number;
  readonly promptTokens: number;
  /** Without the added answer text; reasoning tokens included, as in `usage`. */
  readonly completionTokens: number;
  readonly cachedTokens: number;
  readonly reasoningTokens: number;
  readonly flagged: boolean;
  readonly fingerprint: string;
  readonly tail: string;
  readonly embedding: readonly number[];
}

export function makeVariant(rng: Rng, endpoint: string, model: ModelInfo): Variant {
  const exchange = rng.pick(EXCHANGES);
  const promptTokens = rng.int(18, 420);
  const reasoningTokens = model.reasoning ? rng.int(64, 512) : 0;
  const embedding: number[] = [];
  for (let i = 0; i < 16; i++) embedding.push(Math.round((rng.next() - 0.5) * 0.2 * 1e9) / 1e9);
  return {
    exchange,
    system: rng.pick(SYSTEM_PROMPTS),
    maxTokens: rng.pick([256, 512, 1000]),
    promptTokens,
    completionTokens: Math.max(1, Math.ceil(exchange[1].length / 4) + rng.int(0, 6)) + reasoningTokens,
    // Only chat completions and the responses API report cached tokens.
    cachedTokens: rng.chance(0.25) && (endpoint === '/v1/chat/completions' || endpoint === '/v1/responses') ? Math.floor(promptTokens / 2) : 0,
    reasoningTokens,
    flagged: rng.chance(0.1),
    fingerprint: `fp_${rng.hex(10)}`,
    tail: rng.hex(24),
    embedding,
  };
}

function requestBody(endpoint: string, model: ModelInfo, v: Variant, prompt: string): Record<string, unknown> {
  switch (endpoint) {
    case '/v1/embeddings':
    case '/v1/moderations':
      return { model: model.alias, input: prompt };
    case '/v1/responses':
      return { model: model.alias, instructions: v.system, input: prompt, max_output_tokens: v.maxTokens };
    case '/v1/completions':
      return { model: model.alias, prompt, max_tokens: v.maxTokens };
    default:
      return {
        model: model.alias,
        messages: [
          { role: 'system', content: v.system },
          { role: 'user', content: prompt },
        ],
        max_tokens: v.maxTokens,
      };
  }
}

export function requestLine(endpoint: string, model: ModelInfo, v: Variant, h: LineHoles): string {
  return JSON.stringify({ custom_id: `request-${h.number}`, method: 'POST', url: endpoint, body: requestBody(endpoint, model, v, `${v.exchange[0]}${h.fill}`) });
}

/** The body of a 2xx answer, by endpoint; a fate an endpoint cannot have reads as `stop`. */
function responseBody(endpoint: string, model: ModelInfo, v: Variant, fate: Fate, h: LineHoles): Record<string, unknown> {
  const answer = `${v.exchange[1]}${h.fill}`;
  const id = `${h.head}${v.tail.slice(0, 21)}`;
  switch (endpoint) {
    case '/v1/embeddings':
      return { object: 'list', data: [{ object: 'embedding', index: 0, embedding: v.embedding }], model: model.snapshot, usage: { prompt_tokens: v.promptTokens, total_tokens: v.promptTokens } };
    case '/v1/moderations': {
      const categories = { harassment: v.flagged, hate: false, 'self-harm': false, sexual: false, violence: false };
      const scores = { harassment: v.flagged ? 0.8731 : 0.0000212, hate: 0.0000041, 'self-harm': 0.0000013, sexual: 0.0000377, violence: 0.0000529 };
      return { id: `modr-${id}`, model: model.snapshot, results: [{ flagged: v.flagged, categories, category_scores: scores }] };
    }
    case '/v1/responses': {
      const incomplete = fate === 'length' ? 'max_output_tokens' : fate === 'content_filter' ? 'content_filter' : null;
      const output: unknown[] = model.reasoning ? [{ id: `rs_${id}`, type: 'reasoning', summary: [] }] : [];
      if (fate === 'tool_calls') output.push({ id: `fc_${id}`, type: 'function_call', status: 'completed', call_id: `call_${id}`, name: 'lookup_order', arguments: '{"order_id":"A-1042"}' });
      else output.push({ id: `msg_${id}`, type: 'message', status: incomplete ? 'incomplete' : 'completed', role: 'assistant', content: [{ type: 'output_text', text: answer, annotations: [] }] });
      return {
        id: `resp_${id}`,
        object: 'response',
        created_at: h.time,
        status: incomplete ? 'incomplete' : 'completed',
        ...(incomplete ? { incomplete_details: { reason: incomplete } } : {}),
        model: model.snapshot,
        output,
        usage: {
          input_tokens: v.promptTokens,
          input_tokens_details: { cached_tokens: v.cachedTokens },
          output_tokens: h.completion,
          output_tokens_details: { reasoning_tokens: v.reasoningTokens },
          total_tokens: h.total,
        },
      };
    }
    case '/v1/completions':
      return {
        id: `cmpl-${id}`,
        object: 'text_completion',
        created: h.time,
        model: model.snapshot,
        choices: [{ text: answer, index: 0, logprobs: null, finish_reason: fate === 'length' ? 'length' : 'stop' }],
        usage: { prompt_tokens: v.promptTokens, completion_tokens: h.completion, total_tokens: h.total },
      };
    default: {
      const toolCalls = fate === 'tool_calls' ? { tool_calls: [{ id: `call_${id}`, type: 'function', function: { name: 'lookup_order', arguments: '{"order_id":"A-1042"}' } }] } : {};
      const content = fate === 'tool_calls' || fate === 'content_filter' ? null : answer;
      return {
        id: `chatcmpl-${id}`,
        object: 'chat.completion',
        created: h.time,
        model: model.snapshot,
        choices: [{ index: 0, message: { role: 'assistant', content, ...toolCalls, refusal: null, annotations: [] }, logprobs: null, finish_reason: fate === 'length' || fate === 'tool_calls' || fate === 'content_filter' ? fate : 'stop' }],
        usage: {
          prompt_tokens: v.promptTokens,
          completion_tokens: h.completion,
          total_tokens: h.total,
          prompt_tokens_details: { cached_tokens: v.cachedTokens, audio_tokens: 0 },
          completion_tokens_details: { reasoning_tokens: v.reasoningTokens, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
        },
        service_tier: 'default',
        system_fingerprint: v.fingerprint,
      };
    }
  }
}

function httpError(status: number, message: string, type: string, param: string | null, code: string | null): { status: number; body: unknown } {
  return { status, body: { error: { message, type, param, code } } };
}

/**
 * An output or error line. Failures come in two shapes: the request ran and got a 4xx/5xx (`response` set,
 * `error` null), or it never ran (`response` null, `error` set: batch_expired, batch_cancelled).
 */
export function resultLine(endpoint: string, model: ModelInfo, v: Variant, fate: Exclude<Fate, 'none'>, h: LineHoles): string {
  const line = { id: `batch_req_${h.head}${v.tail}`, custom_id: `request-${h.number}`, response: null as unknown, error: null as unknown };
  let answer: { status: number; body: unknown } | undefined;
  switch (fate) {
    case 'expired':
      line.error = { code: 'batch_expired', message: `${MESSAGES.expired}${h.fill}` };
      break;
    case 'cancelled':
      line.error = { code: 'batch_cancelled', message: `${MESSAGES.cancelled}${h.fill}` };
      break;
    case 'rate_limited':
    case 'rate_limited_in_output':
      answer = httpError(429, `${MESSAGES.rate(model.alias)}${h.fill}`, 'tokens', null, 'rate_limit_exceeded');
      break;
    case 'context_length':
      answer = httpError(400, `${MESSAGES.context}${h.fill}`, 'invalid_request_error', endpoint === '/v1/chat/completions' ? 'messages' : 'input', 'context_length_exceeded');
      break;
    case 'server_error':
      answer = httpError(500, `${MESSAGES.server}${h.fill}`, 'server_error', null, null);
      break;
    default:
      answer = { status: 200, body: responseBody(endpoint, model, v, fate, h) };
  }
  if (answer) line.response = { status_code: answer.status, request_id: `${h.head}${v.tail}`, body: answer.body };
  return JSON.stringify(line);
}

// ---------------------------------------------------------------------------------------------------------
// Templates

export const HOLE = { number: 0, head: 1, time: 2, fill: 3, completion: 4, total: 5, pad: 6 } as const;
export const HEAD_CHARS = 8;
export const MARKERS: LineHoles = { number: '@@N@@', head: '@@H@@', time: '@@T@@', completion: '@@C@@', total: '@@S@@', fill: '@@F@@' };
/** Where filler stretches a line to an exact size (generated files, see dataset.ts). */
export const MARK_PAD = '@@P@@';
const MARK_CODES: Readonly<Record<string, number>> = { N: HOLE.number, H: HOLE.head, T: HOLE.time, F: HOLE.fill, C: HOLE.completion, S: HOLE.total, P: HOLE.pad };

/** A line with holes, and what its fixed part adds up to. */
export interface Template {
  readonly parts: readonly (Buffer | number)[];
  /** Bytes of the static parts and the id heads, with the final '\n'. */
  readonly fixed: number;
  readonly numbers: number;
  readonly times: number;
  readonly fill: boolean;
  readonly tokens: boolean;
  /** The line reports usage (moderations do not). */
  readonly usage: boolean;
  readonly variant: Variant;
}

/** Numbers are holes too: their markers lose the quotes JSON put around them. */
export function compileTemplate(line: string, variant: Variant): Template {
  const parts: (Buffer | number)[] = [];
  let fixed = 1;
  let numbers = 0;
  let times = 0;
  let fill = false;
  let tokens = false;
  const unquoted = line.replace(/"@@([TCS])@@"/g, '@@$1@@');
  for (const [i, piece] of unquoted.split(/@@([NHTFCSP])@@/).entries()) {
    if (i % 2 === 0) {
      if (piece === '') continue;
      const bytes = Buffer.from(piece, 'utf8');
      parts.push(bytes);
      fixed += bytes.length;
      continue;
    }
    const hole = MARK_CODES[piece];
    parts.push(hole);
    if (hole === HOLE.head) fixed += HEAD_CHARS;
    else if (hole === HOLE.number) numbers++;
    else if (hole === HOLE.time) times++;
    else if (hole === HOLE.fill) fill = true;
    else if (hole === HOLE.completion || hole === HOLE.total) tokens = true;
  }
  return { parts, fixed, numbers, times, fill, tokens, usage: line.includes('"usage":'), variant };
}

/** Distinct variants per endpoint and model. */
const PERIOD = 32;
/**
 * Which variant the k-th request of a fate gets: a fixed random sequence, entered at an offset per batch and
 * fate. A line's length then depends on its fate and rank alone, not on where the shuffle put the request,
 * so a file's size is a sum along this sequence, taken from prefix sums (see `batchFilesFacts`).
 */
const CYCLE = 1024;
const VARIANT_SEQUENCE = ((rng) => Uint8Array.from({ length: CYCLE }, () => rng.int(0, PERIOD - 1)))(new Rng(0x7a51e));
/** How long the k-th lengthened answer is, as a share of `answerChars` (±30%): a sequence for the same reason. */
const FILL_SEQUENCE = ((rng) => Float64Array.from({ length: CYCLE }, () => 0.7 + 0.6 * rng.next()))(new Rng(0xf111));

interface TemplateSet {
  readonly variants: readonly Variant[];
  readonly input: readonly Template[];
  readonly results: Map<Fate, readonly Template[]>;
  readonly broken: Map<string, Template>;
}

const templateSets = new Map<string, TemplateSet>();

/** The same for every batch of an endpoint and model: built once, on first use. */
function templateSet(endpoint: string, model: ModelInfo): TemplateSet {
  const key = `${endpoint}|${model.alias}|${model.snapshot}|${model.reasoning === true}`;
  let set = templateSets.get(key);
  if (!set) {
    const rng = new Rng(stringSeed(key));
    const variants = Array.from({ length: PERIOD }, () => makeVariant(rng, endpoint, model));
    set = { variants, input: variants.map((v) => compileTemplate(requestLine(endpoint, model, v, { ...MARKERS, fill: '' }), v)), results: new Map(), broken: new Map() };
    templateSets.set(key, set);
  }
  return set;
}

function resultTemplates(set: TemplateSet, endpoint: string, model: ModelInfo, fate: Exclude<Fate, 'none'>): readonly Template[] {
  let templates = set.results.get(fate);
  if (!templates) {
    // Answers grow with the added text; errors do not.
    const answers = FATE_INFO[fate].counted === 'completed';
    templates = set.variants.map((v) => compileTemplate(resultLine(endpoint, model, v, fate, { ...MARKERS, fill: answers ? MARKERS.fill : '' }), v));
    set.results.set(fate, templates);
  }
  return templates;
}

/** A request line as a failed validation found it: cut mid-object, or sent to another URL. */
function brokenTemplate(set: TemplateSet, endpoint: string, model: ModelInfo, code: string, variant: number): Template {
  const key = `${code}:${variant}`;
  let template = set.broken.get(key);
  if (!template) {
    const v = set.variants[variant];
    const line = requestLine(endpoint, model, v, { ...MARKERS, fill: '' });
    const broken = code === 'invalid_url' ? line.replace(/"url":"[^"]*"/, '"url":"/v1/chat/completion"') : line.slice(0, Math.floor(line.length * 0.6));
    template = compileTemplate(broken, v);
    set.broken.set(key, template);
  }
  return template;
}

// ---------------------------------------------------------------------------------------------------------
// Writing lines

/** A bijective mix of the line number (murmur3's finalizer): per-line id heads never repeat within a file. */
export function lineHash(seed: number, line: number): number {
  let h = (Math.imul(line, 0x9e3779b1) ^ Math.imul(seed | 0, 0x85ebca6b)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The next id head of a line: xorshift32 is a bijection too, so each slot stays unique per line. */
export function nextHead(h: number): number {
  h ^= h << 13;
  h ^= h >>> 17;
  h ^= h << 5;
  return h >>> 0;
}

export function decimalDigits(n: number): number {
  if (n < 100_000) return n < 10 ? 1 : n < 100 ? 2 : n < 1000 ? 3 : n < 10_000 ? 4 : 5;
  let digits = 6;
  for (let rest = Math.floor(n / 1_000_000); rest > 0; rest = Math.floor(rest / 10)) digits++;
  return digits;
}

const HEX_DIGITS = Buffer.from('0123456789abcdef');
export const FILL_BYTES = Buffer.from(FILL_TEXT, 'ascii');
/** Where words start in FILL_TEXT: added text starts with a whole word. */
const FILL_WORDS = [...FILL_TEXT.matchAll(/(?<= )\S/g)].map((m) => m.index);

export function writeHex8(buf: Buffer, pos: number, h: number): void {
  for (let i = 0; i < HEAD_CHARS; i++) buf[pos + i] = HEX_DIGITS[(h >>> (i * 4)) & 15];
}

export function writeDecimal(buf: Buffer, pos: number, n: number, digits: number): void {
  for (let i = digits - 1; i >= 0; i--) {
    buf[pos + i] = 48 + (n % 10);
    n = Math.floor(n / 10);
  }
}

/** `length` bytes of FILL_TEXT from `offset` on, cycling. */
export function writeFill(buf: Buffer, pos: number, length: number, offset: number): number {
  let from = offset % FILL_BYTES.length;
  for (let left = length; left > 0; ) {
    const take = Math.min(left, FILL_BYTES.length - from);
    FILL_BYTES.copy(buf, pos, from, from + take);
    pos += take;
    left -= take;
    from = 0;
  }
  return pos;
}

/** Per fate (by index): 0 no line, 1 output file, 2 error file; and whether it counts as completed. */
const FILE_OF = Uint8Array.from(FATES, (f) => (FATE_INFO[f].file === 'output' ? 1 : FATE_INFO[f].file === 'error' ? 2 : 0));
const COMPLETED = Uint8Array.from(FATES, (f) => (FATE_INFO[f].counted === 'completed' ? 1 : 0));
const FILE_CODE: Readonly<Record<BatchFileKind, number>> = { input: 0, output: 1, error: 2 };

function tokenDigits(t: Template, completion: number): number {
  return t.tokens ? decimalDigits(completion) + decimalDigits(t.variant.promptTokens + completion) : 0;
}

/** Prefix sums of per-template figures along VARIANT_SEQUENCE. */
interface RunSums {
  /** Bytes without the number, times and added text. */
  readonly bytes: Float64Array;
  readonly numbers: Float64Array;
  readonly times: Float64Array;
  readonly prompt: Float64Array;
  readonly cached: Float64Array;
  readonly reasoning: Float64Array;
  readonly completion: Float64Array;
}

const runSums = new WeakMap<readonly Template[], RunSums>();

function sumsOf(templates: readonly Template[]): RunSums {
  let sums = runSums.get(templates);
  if (!sums) {
    const prefix = (value: (t: Template) => number): Float64Array => {
      const perVariant = Float64Array.from(templates, value);
      const out = new Float64Array(CYCLE + 1);
      for (let k = 0; k < CYCLE; k++) out[k + 1] = out[k] + perVariant[VARIANT_SEQUENCE[k]];
      return out;
    };
    const usage = (value: (v: Variant) => number) => (t: Template) => (t.usage ? value(t.variant) : 0);
    sums = {
      bytes: prefix((t) => t.fixed + tokenDigits(t, t.variant.completionTokens)),
      numbers: prefix((t) => t.numbers),
      times: prefix((t) => t.times),
      prompt: prefix(usage((v) => v.promptTokens)),
      cached: prefix(usage((v) => v.cachedTokens)),
      reasoning: prefix(usage((v) => v.reasoningTokens)),
      completion: prefix((t) => (t.usage && t.tokens ? t.variant.completionTokens : 0)),
    };
    runSums.set(templates, sums);
  }
  return sums;
}

/** The sum of the sequence's entries offset .. offset + count - 1 (cycling), from its prefix sums. */
function cyclicSum(prefix: Float64Array, offset: number, count: number): number {
  const rest = count % CYCLE;
  const whole = ((count - rest) / CYCLE) * prefix[CYCLE];
  const end = offset + rest;
  return whole + (end <= CYCLE ? prefix[end] - prefix[offset] : prefix[CYCLE] - prefix[offset] + prefix[end - CYCLE]);
}

/** How one batch's lines look: the parts that do not depend on where its requests are placed. */
class BatchShape {
  readonly set: TemplateSet;
  readonly total: number;
  /** Digits of every custom_id's number (zero-padded to the widest). */
  readonly width: number;
  readonly timeDigits: number;
  readonly timeWindow: number;
  readonly answerChars: number;
  /** Where each fate enters VARIANT_SEQUENCE. */
  readonly offsets: Uint16Array;
  readonly results: (readonly Template[] | undefined)[];

  constructor(readonly spec: BatchFilesSpec) {
    this.set = templateSet(spec.endpoint, spec.model);
    this.total = requestTotal(spec.fates);
    this.width = decimalDigits(this.total);
    this.timeDigits = decimalDigits(spec.finishedAt);
    const run = spec.finishedAt - (spec.startedAt ?? spec.finishedAt - 3 * 3600);
    this.timeWindow = Math.max(1, Math.min(run, spec.finishedAt - 10 ** (this.timeDigits - 1)));
    this.answerChars = spec.answerChars ?? 0;
    this.offsets = Uint16Array.from(FATES, (_, f) => lineHash(spec.seed, f + 1) % CYCLE);
    this.results = FATES.map((f) => (f !== 'none' && (spec.fates[f] ?? 0) > 0 ? resultTemplates(this.set, spec.endpoint, spec.model, f) : undefined));
  }

  variant(fate: number, rank: number): number {
    return VARIANT_SEQUENCE[(this.offsets[fate] + rank) % CYCLE];
  }

  /** Characters added to the answer of a fate's rank-th request. */
  fill(t: Template, fate: number, rank: number): number {
    return t.fill ? this.fillAt((this.offsets[fate] + rank) % CYCLE) : 0;
  }

  fillAt(k: number): number {
    return Math.round(this.answerChars * FILL_SEQUENCE[k]);
  }

  length(t: Template, fill: number): number {
    return t.fixed + t.numbers * this.width + t.times * this.timeDigits + fill + tokenDigits(t, t.variant.completionTokens + Math.ceil(fill / 4));
  }

  brokenInput(n: number, variant: number): Template | undefined {
    const broken = this.spec.broken;
    return broken?.lines.includes(n) ? brokenTemplate(this.set, this.spec.endpoint, this.spec.model, broken.code, variant) : undefined;
  }
}

/** Where a batch's requests are: each one's fate (an index into FATES) and rank among its fate's requests. */
interface Placement {
  readonly fates: Uint8Array;
  readonly ranks: Uint32Array;
}

/** The fates spread over the input by a seeded shuffle. */
function place(shape: BatchShape): Placement {
  const fates = new Uint8Array(shape.total);
  let at = 0;
  FATES.forEach((f, i) => {
    const count = shape.spec.fates[f] ?? 0;
    fates.fill(i, at, at + count);
    at += count;
  });
  shuffleInPlace(fates, new Rng(shape.spec.seed));
  const ranks = new Uint32Array(fates.length);
  const next = new Uint32Array(FATES.length);
  for (let i = 0; i < fates.length; i++) ranks[i] = next[fates[i]]++;
  return { fates, ranks };
}

/** The requests that have a result line, in the order they completed (one order for both files). */
function completionOrder(shape: BatchShape, { fates }: Placement): Uint32Array {
  let count = 0;
  for (let i = 0; i < fates.length; i++) if (FILE_OF[fates[i]] !== 0) count++;
  const order = new Uint32Array(count);
  let k = 0;
  for (let i = 0; i < fates.length; i++) if (FILE_OF[fates[i]] !== 0) order[k++] = i + 1;
  shuffleInPlace(order, new Rng(shape.spec.seed ^ 0x0c0ffee));
  return order;
}

function shuffleInPlace(items: Uint8Array | Uint32Array, rng: Rng): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const t = items[i];
    items[i] = items[j];
    items[j] = t;
  }
}

/** FNV-1a: a stable seed from a string. */
export function stringSeed(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

// ---------------------------------------------------------------------------------------------------------
// What the files add up to, and the files themselves

export interface BatchFilesFacts {
  readonly lines: Readonly<Record<BatchFileKind, number>>;
  readonly bytes: Readonly<Record<BatchFileKind, number>>;
  /** Token totals of the 2xx answers (written or still to be), as the batch's `usage` reports them. */
  readonly usage: { readonly input: number; readonly cached: number; readonly output: number; readonly reasoning: number };
}

/**
 * Sizes, line counts and usage without writing or placing a line: sums along the sequences per fate, in
 * time independent of the number of requests.
 */
export function batchFilesFacts(spec: BatchFilesSpec): BatchFilesFacts {
  const shape = new BatchShape(spec);
  const lines = [shape.total, 0, 0];
  const bytes = [0, 0, 0];
  const usage = { input: 0, cached: 0, output: 0, reasoning: 0 };
  const input = sumsOf(shape.set.input);
  FATES.forEach((f, fate) => {
    const count = spec.fates[f] ?? 0;
    if (count === 0) return;
    const offset = shape.offsets[fate];
    bytes[0] += cyclicSum(input.bytes, offset, count) + shape.width * count;
    const templates = shape.results[fate];
    if (!templates) return;
    const sums = sumsOf(templates);
    const file = FILE_OF[fate];
    lines[file] += count;
    bytes[file] += cyclicSum(sums.bytes, offset, count) + shape.width * cyclicSum(sums.numbers, offset, count) + shape.timeDigits * cyclicSum(sums.times, offset, count);
    if (COMPLETED[fate] === 1) {
      usage.input += cyclicSum(sums.prompt, offset, count);
      usage.cached += cyclicSum(sums.cached, offset, count);
      usage.reasoning += cyclicSum(sums.reasoning, offset, count);
      usage.output += cyclicSum(sums.completion, offset, count);
    }
    if (shape.answerChars > 0 && templates[0].fill) {
      // Lengthened answers: the added text, and token counts that grow with it, along the same sequence.
      const more = new Float64Array(CYCLE + 1);
      const tokens = new Float64Array(CYCLE + 1);
      for (let k = 0; k < CYCLE; k++) {
        const t = templates[VARIANT_SEQUENCE[k]];
        const fill = shape.fillAt(k);
        const added = Math.ceil(fill / 4);
        more[k + 1] = more[k] + fill + tokenDigits(t, t.variant.completionTokens + added) - tokenDigits(t, t.variant.completionTokens);
        tokens[k + 1] = tokens[k] + (t.usage && t.tokens ? added : 0);
      }
      bytes[file] += cyclicSum(more, offset, count);
      if (COMPLETED[fate] === 1) usage.output += cyclicSum(tokens, offset, count);
    }
  });
  if (spec.broken) {
    // A batch that ran nothing has one fate, and request n is its (n - 1)-th: no need to place them.
    const only = FATES.findIndex((f) => spec.fates[f] === shape.total);
    const placement = only >= 0 ? undefined : place(shape);
    for (const n of new Set(spec.broken.lines)) {
      if (n < 1 || n > shape.total) continue;
      const variant = placement ? shape.variant(placement.fates[n - 1], placement.ranks[n - 1]) : shape.variant(only, n - 1);
      bytes[0] += shape.length(shape.brokenInput(n, variant)!, 0) - shape.length(shape.set.input[variant], 0);
    }
  }
  return { lines: { input: lines[0], output: lines[1], error: lines[2] }, bytes: { input: bytes[0], output: bytes[1], error: bytes[2] }, usage };
}

/** A file's bytes in chunks of about `chunkSize`: the input in request order, results in completion order. */
export function* batchFileChunks(spec: BatchFilesSpec, kind: BatchFileKind, chunkSize = 256 * 1024): Generator<Buffer> {
  const shape = new BatchShape(spec);
  const placement = place(shape);
  const { fates, ranks } = placement;
  const file = FILE_CODE[kind];
  const numbers = file === 0 ? undefined : completionOrder(shape, placement);
  const count = numbers ? numbers.length : shape.total;
  let chunk = Buffer.allocUnsafe(chunkSize);
  let pos = 0;
  for (let i = 0; i < count; i++) {
    const n = numbers ? numbers[i] : i + 1;
    const fate = fates[n - 1];
    if (numbers && FILE_OF[fate] !== file) continue;
    const rank = ranks[n - 1];
    const variant = shape.variant(fate, rank);
    const t = numbers ? shape.results[fate]![variant] : (shape.brokenInput(n, variant) ?? shape.set.input[variant]);
    const fill = shape.fill(t, fate, rank);
    const len = shape.length(t, fill);
    if (pos + len > chunk.length) {
      if (pos > 0) yield chunk.subarray(0, pos);
      chunk = Buffer.allocUnsafe(Math.max(chunkSize, len));
      pos = 0;
    }
    pos = writeBatchLine(shape, chunk, pos, t, n, fill);
  }
  if (pos > 0) yield chunk.subarray(0, pos);
}

/** Writes request n's line from its template; ids and times come from hashes of n. Returns the end. */
function writeBatchLine(shape: BatchShape, buf: Buffer, pos: number, t: Template, n: number, fill: number): number {
  let head = lineHash(shape.spec.seed, n);
  const h = nextHead(head ^ 0x5bd1e995);
  const completion = t.variant.completionTokens + Math.ceil(fill / 4);
  for (const part of t.parts) {
    if (typeof part !== 'number') {
      part.copy(buf, pos);
      pos += part.length;
    } else if (part === HOLE.head) {
      head = nextHead(head);
      writeHex8(buf, pos, head);
      pos += HEAD_CHARS;
    } else if (part === HOLE.number) {
      writeDecimal(buf, pos, n, shape.width);
      pos += shape.width;
    } else if (part === HOLE.time) {
      writeDecimal(buf, pos, shape.spec.finishedAt - (h % shape.timeWindow), shape.timeDigits);
      pos += shape.timeDigits;
    } else if (part === HOLE.fill) {
      if (fill > 0) {
        buf[pos++] = 32;
        pos = writeFill(buf, pos, fill - 1, FILL_WORDS[h % FILL_WORDS.length]);
      }
    } else {
      const value = part === HOLE.completion ? completion : t.variant.promptTokens + completion;
      const digits = decimalDigits(value);
      writeDecimal(buf, pos, value, digits);
      pos += digits;
    }
  }
  buf[pos++] = 10;
  return pos;
}

/** Writes a batch's three files into `dir` (streamed); returns their paths. */
export async function writeBatchFiles(dir: string, spec: BatchFilesSpec): Promise<Record<BatchFileKind, string>> {
  const paths = { input: path.join(dir, 'input.jsonl'), output: path.join(dir, 'output.jsonl'), error: path.join(dir, 'error.jsonl') };
  for (const kind of ['input', 'output', 'error'] as const) await pipeline(Readable.from(batchFileChunks(spec, kind)), createWriteStream(paths[kind]));
  return paths;
}
