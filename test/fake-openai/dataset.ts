// Seeded generator of realistic OpenAI Batch API data: batch objects, file objects, and the JSONL content of
// input/output/error files (small ones as strings, huge ones as a deterministic chunk stream).
// Everything derives from a tiny PRNG so a seed (plus `now`) always yields the same dataset.
import { Rng } from './rng';

export { Rng } from './rng';

// ---------------------------------------------------------------------------------------------------------
// Wire types

export const BATCH_STATUSES = ['validating', 'in_progress', 'finalizing', 'cancelling', 'completed', 'failed', 'expired', 'cancelled'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

/** Every member optional: real servers omit or null them freely. */
export interface BatchError {
  code?: string | null;
  message?: string | null;
  param?: string | null;
  line?: number | null;
}

export interface BatchRequestCounts {
  total: number;
  completed: number;
  failed: number;
}

export interface BatchUsage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

/** The batch object exactly as OpenAI sends it: unset timestamps are explicit `null`, `model`/`usage` may be absent. */
export interface FakeBatch {
  id: string;
  object: 'batch';
  endpoint: string;
  model?: string;
  errors: { object: 'list'; data: BatchError[] } | null;
  input_file_id: string | null;
  completion_window: string;
  /** A BatchStatus on OpenAI; typed `string` so tests can send what other servers send ("Validating", unknown ones). */
  status: string;
  output_file_id: string | null;
  error_file_id: string | null;
  created_at: number;
  in_progress_at: number | null;
  expires_at: number | null;
  finalizing_at: number | null;
  completed_at: number | null;
  failed_at: number | null;
  expired_at: number | null;
  cancelling_at: number | null;
  cancelled_at: number | null;
  request_counts?: BatchRequestCounts | null;
  usage?: BatchUsage;
  metadata: Record<string, string> | null;
}

export interface FakeFileMeta {
  id: string;
  object: 'file';
  bytes: number;
  created_at: number;
  filename: string;
  purpose: string;
  status?: string;
  expires_at?: number | null;
  status_details?: string | null;
}

/** Which kind of JSONL lines generated content consists of. */
export type GeneratedKind = 'input' | 'output' | 'error';

/** Content produced on the fly: `generatedBytes` bytes of JSONL, the same bytes for the same seed and kind. */
export interface GeneratedContent {
  generatedBytes: number;
  seed: number;
  /** Default 'output' (chat completion results). */
  kind?: GeneratedKind;
  /** Average line size to aim for (longer answers/prompts); default ~1 KB. Lets a large file match its request count. */
  lineBytes?: number;
}

/** Bytes made by a function each time the file is read (e.g. files whose lines depend on each other). */
export interface StreamedContent {
  streamedBytes: number;
  chunks: () => Iterable<Buffer>;
}

export interface FakeFile {
  meta: FakeFileMeta;
  content: string | GeneratedContent | StreamedContent;
}

/** The byte size of a file's content, whatever its kind. */
export function contentBytes(content: FakeFile['content']): number {
  if (typeof content === 'string') return Buffer.byteLength(content, 'utf8');
  return Math.max(0, Math.floor('streamedBytes' in content ? content.streamedBytes : content.generatedBytes));
}

/** A file's content as chunks, whatever its kind. */
export function contentChunks(content: FakeFile['content'], chunkSize?: number): Iterable<Buffer> {
  if (typeof content === 'string') return [Buffer.from(content, 'utf8')];
  return 'streamedBytes' in content ? content.chunks() : generateContentChunks(content, chunkSize);
}

export interface Dataset {
  batches: FakeBatch[];
  files: FakeFile[];
}

export interface DatasetOptions {
  count?: number;
  seed?: number;
  /** Unix seconds the dataset is "generated at"; defaults to the current time. Fix it for determinism. */
  now?: number;
  /** Leave out files whose 30-day retention has passed, so their ids 404 like on OpenAI. Default false. */
  expireOldFiles?: boolean;
}

// ---------------------------------------------------------------------------------------------------------
// Vocabulary

const MINUTE = 60;
const HOUR = 3600;
const DAY = 86400;
const FILE_RETENTION = 30 * DAY;
/** Small files hold at most this many lines, whatever request_counts says: enough to look at, cheap to keep. */
const MAX_CONTENT_LINES = 20;

interface ModelInfo {
  alias: string;
  snapshot: string;
  reasoning?: boolean;
}

const MODELS: Record<string, ModelInfo[]> = {
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

const ENDPOINT_WEIGHTS: readonly (readonly [string, number])[] = [
  ['/v1/chat/completions', 74],
  ['/v1/embeddings', 12],
  ['/v1/responses', 11],
  ['/v1/completions', 2],
  ['/v1/moderations', 1],
];

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

const METADATA: readonly Record<string, string>[] = [
  { description: 'nightly eval', team: 'search' },
  { description: 'product descriptions backfill', owner: 'catalog' },
  { customer_id: 'user_123456789', description: 'Nightly eval job' },
  { experiment: 'prompt-v7', run: '3' },
  { description: 'support ticket triage', env: 'prod' },
  { job: 'weekly-embeddings', source: 's3://corpus/2025-06/part-0007' },
  { description: 'évaluation nocturne 🌙', équipe: 'recherche' },
  {
    description:
      'Backfill of structured attributes for the long tail of the catalog: every listing created before the schema migration, re-extracted with the new prompt so the search facets are complete. Owner: data-platform; ticket DATA-4812; rerun only with the same prompt version.',
    ticket: 'DATA-4812',
  },
];

const INPUT_FILENAMES = ['batchinput.jsonl', 'requests.jsonl', 'nightly-eval-{date}.jsonl', 'batch_input_{date}.jsonl', 'embeddings_part_{n}.jsonl', 'tickets-{date}.jsonl'];

const PAD_WORDS =
  'the quick brown fox jumps over the lazy dog while the team reviews every batch result and writes a short summary of what changed ';

// ---------------------------------------------------------------------------------------------------------
// JSONL lines (shared by small string content and the large generated stream)

interface LineIds {
  /** batch_req_… */
  reqId: string;
  /** request_id inside `response` */
  requestId: string;
  /** id of the response body object (chatcmpl-…, resp_…) */
  objectId: string;
  /** Text that goes after `request-` in custom_id. */
  customNumber: string;
}

function customId(ids: LineIds): string {
  return `request-${ids.customNumber}`;
}

function requestBody(endpoint: string, model: ModelInfo, prompt: string, system: string, maxTokens: number): Record<string, unknown> {
  switch (endpoint) {
    case '/v1/embeddings':
    case '/v1/moderations':
      return { model: model.alias, input: prompt };
    case '/v1/responses':
      return { model: model.alias, instructions: system, input: prompt, max_output_tokens: maxTokens };
    case '/v1/completions':
      return { model: model.alias, prompt, max_tokens: maxTokens };
    default:
      return {
        model: model.alias,
        messages: [
          { role: 'system', content: system },
          { role: 'user', content: prompt },
        ],
        max_tokens: maxTokens,
      };
  }
}

function inputLine(ids: LineIds, endpoint: string, model: ModelInfo, prompt: string, system: string, maxTokens: number): string {
  return JSON.stringify({ custom_id: customId(ids), method: 'POST', url: endpoint, body: requestBody(endpoint, model, prompt, system, maxTokens) });
}

interface Completion {
  answer: string;
  promptTokens: number;
  completionTokens: number;
  created: number;
  fingerprint: string;
  embedding: number[];
}

function responseBody(endpoint: string, model: ModelInfo, ids: LineIds, c: Completion): Record<string, unknown> {
  const total = c.promptTokens + c.completionTokens;
  switch (endpoint) {
    case '/v1/embeddings':
      return {
        object: 'list',
        data: [{ object: 'embedding', index: 0, embedding: c.embedding }],
        model: model.snapshot,
        usage: { prompt_tokens: c.promptTokens, total_tokens: c.promptTokens },
      };
    case '/v1/moderations':
      return {
        id: `modr-${ids.objectId}`,
        model: model.snapshot,
        results: [
          {
            flagged: false,
            categories: { harassment: false, hate: false, 'self-harm': false, sexual: false, violence: false },
            category_scores: { harassment: 0.0000212, hate: 0.0000041, 'self-harm': 0.0000013, sexual: 0.0000377, violence: 0.0000529 },
          },
        ],
      };
    case '/v1/responses': {
      const reasoning = model.reasoning ? Math.min(c.completionTokens, 64) : 0;
      return {
        id: `resp_${ids.objectId}`,
        object: 'response',
        created_at: c.created,
        status: 'completed',
        model: model.snapshot,
        output: [
          { id: `msg_${ids.objectId}`, type: 'message', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: c.answer, annotations: [] }] },
        ],
        usage: {
          input_tokens: c.promptTokens,
          input_tokens_details: { cached_tokens: 0 },
          output_tokens: c.completionTokens,
          output_tokens_details: { reasoning_tokens: reasoning },
          total_tokens: total,
        },
      };
    }
    case '/v1/completions':
      return {
        id: `cmpl-${ids.objectId}`,
        object: 'text_completion',
        created: c.created,
        model: model.snapshot,
        choices: [{ text: c.answer, index: 0, logprobs: null, finish_reason: 'stop' }],
        usage: { prompt_tokens: c.promptTokens, completion_tokens: c.completionTokens, total_tokens: total },
      };
    default:
      return {
        id: `chatcmpl-${ids.objectId}`,
        object: 'chat.completion',
        created: c.created,
        model: model.snapshot,
        choices: [{ index: 0, message: { role: 'assistant', content: c.answer, refusal: null, annotations: [] }, logprobs: null, finish_reason: 'stop' }],
        usage: {
          prompt_tokens: c.promptTokens,
          completion_tokens: c.completionTokens,
          total_tokens: total,
          prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
          completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
        },
        service_tier: 'default',
        system_fingerprint: c.fingerprint,
      };
  }
}

function outputLine(ids: LineIds, endpoint: string, model: ModelInfo, c: Completion): string {
  return JSON.stringify({
    id: ids.reqId,
    custom_id: customId(ids),
    response: { status_code: 200, request_id: ids.requestId, body: responseBody(endpoint, model, ids, c) },
    error: null,
  });
}

type ErrorLineKind = 'context_length' | 'server_error' | 'batch_expired' | 'batch_cancelled';

/**
 * Error-file lines come in two shapes: the request ran and got a 4xx/5xx (`response` set, `error` null),
 * or it never ran (`response` null, `error` set).
 */
function errorLine(ids: LineIds, kind: ErrorLineKind, detail: string): string {
  const line = { id: ids.reqId, custom_id: customId(ids), response: null as unknown, error: null as unknown };
  switch (kind) {
    case 'context_length':
      line.response = {
        status_code: 400,
        request_id: ids.requestId,
        body: {
          error: {
            message: `This model's maximum context length is 128000 tokens. However, your messages resulted in 131072 tokens. Please reduce the length of the messages.${detail}`,
            type: 'invalid_request_error',
            param: 'messages',
            code: 'context_length_exceeded',
          },
        },
      };
      break;
    case 'server_error':
      line.response = {
        status_code: 500,
        request_id: ids.requestId,
        body: {
          error: {
            message: `The server had an error processing your request. Sorry about that! You can retry your request, or contact us through our help center at help.openai.com if you keep seeing this error.${detail}`,
            type: 'server_error',
            param: null,
            code: null,
          },
        },
      };
      break;
    case 'batch_expired':
      line.error = { code: 'batch_expired', message: `This request could not be executed before the completion window expired.${detail}` };
      break;
    case 'batch_cancelled':
      line.error = { code: 'batch_cancelled', message: `This request was not executed because the batch was cancelled.${detail}` };
      break;
  }
  return JSON.stringify(line);
}

function makeCompletion(rng: Rng, created: number, exchange: readonly [string, string]): Completion {
  const embedding: number[] = [];
  for (let i = 0; i < 16; i++) embedding.push(Math.round((rng.next() - 0.5) * 0.2 * 1e9) / 1e9);
  return {
    answer: exchange[1],
    promptTokens: rng.int(18, 420),
    completionTokens: Math.max(1, Math.ceil(exchange[1].length / 4) + rng.int(0, 6)),
    created,
    fingerprint: `fp_${rng.hex(10)}`,
    embedding,
  };
}

function randomIds(rng: Rng, n: number): LineIds {
  return { reqId: `batch_req_${rng.hex(32)}`, requestId: rng.hex(32), objectId: rng.base62(29), customNumber: String(n) };
}

// ---------------------------------------------------------------------------------------------------------
// Large generated content: line templates stamped in blocks, streamed in chunks
//
// A generated file is a cycle of PERIOD distinct lines (realistic content, random-looking ids baked in).
// What must differ per line is patched in: the line number in custom_id, and the first 8 hex digits of each
// id, taken from a bijection of the line number so no id repeats within a file. Runs of PERIOD lines with
// the same line-number width are one memcpy of a prebuilt block plus those patches: the cost per byte is
// close to a memcpy, which keeps a 200 MB download near loopback speed.

/** A line with holes: static bytes, an 8-hex-digit id head, the line number, and (pad line only) filler. */
type Part = Buffer | 'head' | 'number' | 'pad';
interface Template {
  parts: Part[];
  /** Bytes of everything except the line number and the filler, including the final '\n'. */
  fixed: number;
}
/** PERIOD lines rendered back to back for one line-number width, with where to patch each line. */
interface Block {
  bytes: Buffer;
  numberAt: Int32Array;
  /** Offsets of the id heads; those of line i are headAt[headStart[i] .. headStart[i + 1]). */
  headAt: Int32Array;
  headStart: Int32Array;
}
interface CompiledKind {
  cycle: Template[];
  /** A line whose filler text stretches to close the file at exactly the requested size. */
  pad: Template;
  blocks: Map<number, Block>;
}

const PERIOD = 64;
const HEAD = 8;
const MARK_HEAD = '@@H@@';
const MARK_NUMBER = '@@N@@';
const MARK_PAD = '@@PAD@@';

function compileTemplate(line: string): Template {
  const parts: Part[] = [];
  let fixed = 1; // the '\n' that ends every line
  for (const [i, piece] of line.split(/@@(H|N|PAD)@@/).entries()) {
    if (i % 2 === 0) {
      if (piece === '') continue;
      const bytes = Buffer.from(piece, 'utf8');
      parts.push(bytes);
      fixed += bytes.length;
    } else if (piece === 'H') {
      parts.push('head');
      fixed += HEAD;
    } else {
      parts.push(piece === 'N' ? 'number' : 'pad');
    }
  }
  return { parts, fixed };
}

const compiledCache = new Map<string, CompiledKind>();

function compiledKind(kind: GeneratedKind, seed: number, lineBytes: number): CompiledKind {
  const key = `${kind}:${seed}:${lineBytes}`;
  const cached = compiledCache.get(key);
  if (cached) return cached;
  const rng = new Rng(seed ^ 0x5eed);
  const endpoint = '/v1/chat/completions';
  const model = MODELS[endpoint][0];
  const created = 1_750_000_000 + rng.int(0, 30 * DAY);
  /** Lengthens a line's free text towards `lineBytes` (±20%), like verbose answers would. */
  const lengthen = (text: string, line: string): string => {
    const extra = Math.round(lineBytes * (0.8 + 0.4 * rng.next())) - line.length - 1;
    return extra > 0 ? `${text} ${PAD_WORDS.repeat(Math.ceil(extra / PAD_WORDS.length)).slice(0, extra)}` : text;
  };
  const build = (filler: string | null): string => {
    const ids: LineIds = {
      reqId: `batch_req_${MARK_HEAD}${rng.hex(24)}`,
      requestId: `${MARK_HEAD}${rng.hex(24)}`,
      objectId: `${MARK_HEAD}${rng.base62(21)}`,
      customNumber: MARK_NUMBER,
    };
    const exchange = rng.pick(EXCHANGES);
    switch (kind) {
      case 'input': {
        const [system, maxTokens] = [rng.pick(SYSTEM_PROMPTS), rng.pick([256, 512, 1000])];
        const prompt = filler ?? lengthen(exchange[0], inputLine(ids, endpoint, model, exchange[0], system, maxTokens));
        return inputLine(ids, endpoint, model, prompt, system, maxTokens);
      }
      case 'error': {
        const errorKind = rng.weighted<ErrorLineKind>([
          ['context_length', 3],
          ['server_error', 1],
          ['batch_expired', 4],
        ]);
        return errorLine(ids, errorKind, filler === null ? '' : ` ${filler}`);
      }
      default: {
        const c = makeCompletion(rng, created + rng.int(0, 3 * HOUR), exchange);
        c.answer = filler ?? lengthen(c.answer, outputLine(ids, endpoint, model, c));
        return outputLine(ids, endpoint, model, c);
      }
    }
  };
  const cycle: Template[] = [];
  for (let i = 0; i < PERIOD; i++) cycle.push(compileTemplate(build(null)));
  const compiled = { cycle, pad: compileTemplate(build(MARK_PAD)), blocks: new Map<number, Block>() };
  compiledCache.set(key, compiled);
  return compiled;
}

function blockFor(compiled: CompiledKind, digits: number): Block {
  const cached = compiled.blocks.get(digits);
  if (cached) return cached;
  const size = compiled.cycle.reduce((sum, t) => sum + t.fixed + digits, 0);
  const bytes = Buffer.alloc(size);
  const numberAt = new Int32Array(PERIOD);
  const heads: number[] = [];
  const headStart = new Int32Array(PERIOD + 1);
  let pos = 0;
  compiled.cycle.forEach((t, i) => {
    headStart[i] = heads.length;
    for (const part of t.parts) {
      if (part === 'number') {
        numberAt[i] = pos;
        pos += digits;
      } else if (part === 'head') {
        heads.push(pos);
        pos += HEAD;
      } else if (Buffer.isBuffer(part)) {
        bytes.set(part, pos);
        pos += part.length;
      }
    }
    bytes[pos++] = 10;
  });
  headStart[PERIOD] = heads.length;
  const block = { bytes, numberAt, headAt: Int32Array.from(heads), headStart };
  compiled.blocks.set(digits, block);
  return block;
}

const HEX_DIGITS = Buffer.from('0123456789abcdef');
const PAD_BYTES = Buffer.from(PAD_WORDS, 'ascii');

function decimalDigits(n: number): number {
  let digits = 1;
  while (n >= 10) {
    n = Math.floor(n / 10);
    digits++;
  }
  return digits;
}

/** A bijective mix of the line number (murmur3's finalizer), so per-line id heads never repeat. */
function lineHash(seed: number, line: number): number {
  let h = (Math.imul(line, 0x9e3779b1) ^ Math.imul(seed | 0, 0x85ebca6b)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The next id head of a line: xorshift32 is a bijection too, so each slot stays unique per line. */
function nextHead(h: number): number {
  h ^= h << 13;
  h ^= h >>> 17;
  h ^= h << 5;
  return h >>> 0;
}

function writeHex8(buf: Buffer, pos: number, h: number): void {
  for (let i = 0; i < HEAD; i++) buf[pos + i] = HEX_DIGITS[(h >>> (i * 4)) & 15];
}

function writeDecimal(buf: Buffer, pos: number, n: number, digits: number): void {
  for (let i = digits - 1; i >= 0; i--) {
    buf[pos + i] = 48 + (n % 10);
    n = Math.floor(n / 10);
  }
}

function writeLine(buf: Buffer, pos: number, t: Template, line: number, padLen: number, seed: number): number {
  let h = lineHash(seed, line);
  for (const part of t.parts) {
    if (part === 'number') {
      const digits = decimalDigits(line);
      writeDecimal(buf, pos, line, digits);
      pos += digits;
    } else if (part === 'head') {
      h = nextHead(h);
      writeHex8(buf, pos, h);
      pos += HEAD;
    } else if (part === 'pad') {
      for (let left = padLen; left > 0; ) {
        const take = Math.min(left, PAD_BYTES.length);
        buf.set(PAD_BYTES.subarray(0, take), pos);
        pos += take;
        left -= take;
      }
    } else {
      buf.set(part, pos);
      pos += part.length;
    }
  }
  buf[pos++] = 10;
  return pos;
}

/** Writes lines first .. first+PERIOD-1 (all of the block's width) at pos; the same bytes writeLine would. */
function writeBlock(buf: Buffer, pos: number, block: Block, first: number, digits: number, seed: number): void {
  buf.set(block.bytes, pos);
  for (let i = 0; i < PERIOD; i++) {
    let h = lineHash(seed, first + i);
    writeDecimal(buf, pos + block.numberAt[i], first + i, digits);
    for (let k = block.headStart[i]; k < block.headStart[i + 1]; k++) {
      h = nextHead(h);
      writeHex8(buf, pos + block.headAt[k], h);
    }
  }
}

/**
 * Yields the content of a generated file: valid JSONL, exactly `generatedBytes` bytes, in chunks of about
 * `chunkSize`. Every line ends with '\n'. The last line carries filler text sized to land on the exact byte
 * count; a file smaller than one line (< ~1 KB) is a single whitespace-padded `{}` line, and a 1-byte file
 * is just "\n" (no JSON fits).
 */
export function* generateContentChunks(spec: GeneratedContent, chunkSize = 256 * 1024): Generator<Buffer> {
  let remaining = Math.max(0, Math.floor(spec.generatedBytes));
  if (remaining === 0) return;
  const compiled = compiledKind(spec.kind ?? 'output', spec.seed, Math.max(0, Math.floor(spec.lineBytes ?? 0)));
  const minPad = (n: number): number => compiled.pad.fixed + decimalDigits(n);
  if (remaining < minPad(1)) {
    yield tinyLine(remaining);
    return;
  }
  let chunk = Buffer.allocUnsafe(chunkSize);
  let pos = 0;
  for (let line = 1; remaining > 0; ) {
    const digits = decimalDigits(line);
    let block: Block | undefined;
    if ((line - 1) % PERIOD === 0 && decimalDigits(line + PERIOD - 1) === digits) {
      const candidate = blockFor(compiled, digits);
      // A whole block only if a valid ending (nothing, or at least a pad line) is still possible after it.
      if (remaining - candidate.bytes.length >= minPad(line + PERIOD)) block = candidate;
    }
    let t = compiled.cycle[(line - 1) % PERIOD];
    let len = block ? block.bytes.length : t.fixed + digits;
    let padLen = 0;
    // A normal line only if what is left after it is nothing or room for at least a pad line;
    // otherwise this is the last line and its filler absorbs the rest.
    if (!block && len !== remaining && remaining - len < minPad(line + 1)) {
      t = compiled.pad;
      padLen = remaining - minPad(line);
      len = remaining;
    }
    if (pos + len > chunk.length) {
      if (pos > 0) yield chunk.subarray(0, pos);
      chunk = Buffer.allocUnsafe(Math.max(chunkSize, len));
      pos = 0;
    }
    if (block) {
      writeBlock(chunk, pos, block, line, digits, spec.seed);
      pos += len;
      line += PERIOD;
    } else {
      pos = writeLine(chunk, pos, t, line, padLen, spec.seed);
      line++;
    }
    remaining -= len;
  }
  if (pos > 0) yield chunk.subarray(0, pos);
}

function tinyLine(bytes: number): Buffer {
  if (bytes < 3) return Buffer.from(bytes === 1 ? '\n' : '{}');
  return Buffer.from(`{${' '.repeat(bytes - 3)}}\n`);
}

// ---------------------------------------------------------------------------------------------------------
// Batches and their files

interface Plan {
  status: BatchStatus;
  created: number;
}

const RECENT_WEIGHTS: readonly (readonly [BatchStatus, number])[] = [
  ['in_progress', 25],
  ['finalizing', 8],
  ['cancelling', 2],
  ['completed', 47],
  ['failed', 10],
  ['cancelled', 5],
];
const OLD_WEIGHTS: readonly (readonly [BatchStatus, number])[] = [
  ['completed', 80],
  ['failed', 7],
  ['expired', 5],
  ['cancelled', 8],
];

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/**
 * Newest first. The first few batches are from the last ~15 h (where unfinished ones live); then a jump of
 * more than a day, so anything older can have expired; then gaps of minutes to days.
 */
function planBatches(rng: Rng, count: number, now: number): Plan[] {
  const recent = Math.min(count, Math.max(5, Math.min(12, Math.round(count * 0.04))));
  const created: number[] = [];
  let t = now - rng.int(20, 10 * MINUTE);
  for (let i = 0; i < count; i++) {
    if (i > 0 && i < recent) t -= rng.int(1 * MINUTE, 80 * MINUTE);
    else if (i === recent) t = Math.min(t, now - 25 * HOUR) - rng.int(0, 15 * HOUR);
    else if (i > recent) {
      const gap = rng.weighted<readonly [number, number]>([
        [[2 * MINUTE, 90 * MINUTE], 65],
        [[90 * MINUTE, 10 * HOUR], 28],
        [[12 * HOUR, 3 * DAY], 7],
      ]);
      t -= rng.int(gap[0], gap[1]);
    }
    created.push(t);
  }

  const statuses: (BatchStatus | undefined)[] = new Array(count).fill(undefined);
  if (count >= 8) {
    // Every status at least once: the unfinished ones among the recent batches (validating the newest of
    // them), `expired` among the old ones, the other terminal ones anywhere still free.
    const inFlight = rng.shuffle([...Array(recent).keys()]).slice(0, 4);
    const [validating, ...others] = inFlight.sort((a, b) => a - b);
    statuses[validating] = 'validating';
    const active = rng.shuffle<BatchStatus>(['in_progress', 'finalizing', 'cancelling']);
    others.forEach((index, k) => (statuses[index] = active[k]));
    statuses[rng.int(recent, count - 1)] = 'expired';
    const free = rng.shuffle([...Array(count).keys()].filter((i) => statuses[i] === undefined));
    (['completed', 'failed', 'cancelled'] as const).forEach((status, k) => (statuses[free[k]] = status));
  }
  return created.map((c, i) => {
    let status = statuses[i];
    if (status === undefined) {
      if (i < recent) status = now - c < 45 * MINUTE && rng.chance(0.08) ? 'validating' : rng.weighted(RECENT_WEIGHTS);
      else status = rng.weighted(OLD_WEIGHTS);
    }
    return { status, created: c };
  });
}

interface Built {
  batch: FakeBatch;
  files: FakeFile[];
}

function timestamps(): Pick<
  FakeBatch,
  'in_progress_at' | 'finalizing_at' | 'completed_at' | 'failed_at' | 'expired_at' | 'cancelling_at' | 'cancelled_at'
> {
  return { in_progress_at: null, finalizing_at: null, completed_at: null, failed_at: null, expired_at: null, cancelling_at: null, cancelled_at: null };
}

function sampleDistinct(rng: Rng, count: number, max: number, exclude: Set<number>): number[] {
  const out = new Set<number>();
  const want = Math.min(count, max - exclude.size);
  while (out.size < want) {
    const n = rng.int(1, max);
    if (!exclude.has(n)) out.add(n);
  }
  return [...out];
}

function formatDate(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 10);
}

function buildBatch(rng: Rng, plan: Plan, now: number, withModel: boolean, usedIds: Set<string>): Built {
  const { status, created } = plan;
  const endpoint = rng.weighted(ENDPOINT_WEIGHTS);
  const model = rng.pick(MODELS[endpoint]);
  let id: string;
  do id = `batch_${created.toString(16).padStart(8, '0')}${rng.hex(24)}`;
  while (usedIds.has(id));
  usedIds.add(id);

  const planned = rng.weighted<readonly [number, number]>([
    [[3, 200], 35],
    [[200, 5000], 45],
    [[5000, 50000], 20],
  ]);
  const plannedTotal = rng.int(planned[0], planned[1]);
  const age = now - created;
  const ts = timestamps();
  let counts: BatchRequestCounts = { total: plannedTotal, completed: 0, failed: 0 };
  let errors: FakeBatch['errors'] = null;
  let invalidLines: number[] = [];
  let errorKind: ErrorLineKind = 'context_length';
  /** How long the whole run took, never past now. */
  const run = (target: number): number => Math.max(3, Math.min(target, age - 2));

  switch (status) {
    case 'validating':
      counts = { total: 0, completed: 0, failed: 0 };
      break;
    case 'failed': {
      ts.failed_at = created + Math.min(rng.int(4, 180), Math.max(1, age - 1));
      counts = { total: 0, completed: 0, failed: 0 };
      const reason = rng.weighted([
        ['token_limit_exceeded', 45],
        ['invalid_json_line', 35],
        ['invalid_url', 20],
      ] as const);
      if (reason === 'token_limit_exceeded') {
        errors = {
          object: 'list',
          data: [
            {
              code: 'token_limit_exceeded',
              message: `Enqueued token limit reached for ${model.alias} in organization org-${rng.base62(24)}. Limit: 2,000,000 enqueued tokens. Please try again once some in_progress batches have been completed.`,
              param: null,
              line: null,
            },
          ],
        };
      } else {
        invalidLines = sampleDistinct(rng, rng.int(1, 4), Math.min(plannedTotal, MAX_CONTENT_LINES), new Set()).sort((a, b) => a - b);
        errors = {
          object: 'list',
          data: invalidLines.map((line) =>
            reason === 'invalid_json_line'
              ? { code: 'invalid_json_line', message: 'This line is not parseable as valid JSON.', param: null, line }
              : { code: 'invalid_url', message: 'The URL provided for this request does not match the batch endpoint.', param: 'url', line },
          ),
        };
      }
      break;
    }
    case 'in_progress': {
      ts.in_progress_at = created + Math.min(rng.int(8, 300), Math.max(1, age - 1));
      const progress = Math.min(0.97, (now - ts.in_progress_at) / rng.int(1 * HOUR, 20 * HOUR));
      counts.completed = Math.floor(plannedTotal * progress);
      counts.failed = Math.floor(counts.completed * rng.next() * 0.02);
      counts.completed -= counts.failed;
      break;
    }
    case 'finalizing': {
      const d = run(rng.int(10 * MINUTE, 18 * HOUR));
      ts.in_progress_at = created + Math.max(1, Math.floor(d * 0.02));
      ts.finalizing_at = created + d;
      counts.failed = rng.chance(0.7) ? 0 : rng.int(1, Math.max(1, Math.floor(plannedTotal * 0.03)));
      counts.completed = plannedTotal - counts.failed;
      break;
    }
    case 'cancelling': {
      if (rng.chance(0.8)) ts.in_progress_at = created + Math.min(rng.int(8, 300), Math.max(1, age - 2));
      ts.cancelling_at = Math.max((ts.in_progress_at ?? created) + 1, now - rng.int(5, 9 * MINUTE));
      if (ts.in_progress_at === null) counts = { total: 0, completed: 0, failed: 0 };
      else counts.completed = Math.floor(plannedTotal * rng.next() * 0.6);
      break;
    }
    case 'completed': {
      const d = run(rng.int(8 * MINUTE, 22 * HOUR));
      ts.in_progress_at = created + Math.max(1, Math.floor(d * 0.02));
      ts.finalizing_at = created + Math.max(2, Math.floor(d * 0.9));
      ts.completed_at = created + d;
      const outcome = rng.weighted([
        ['clean', 68],
        ['some_failed', 25],
        ['all_failed', 7],
      ] as const);
      counts.failed = outcome === 'clean' ? 0 : outcome === 'all_failed' ? plannedTotal : rng.int(1, Math.max(1, Math.floor(plannedTotal * 0.05)));
      counts.completed = plannedTotal - counts.failed;
      errorKind = rng.chance(0.8) ? 'context_length' : 'server_error';
      break;
    }
    case 'expired': {
      ts.in_progress_at = created + rng.int(8, 600);
      ts.expired_at = created + DAY + rng.int(1 * MINUTE, 15 * MINUTE);
      counts.completed = Math.floor(plannedTotal * (0.3 + rng.next() * 0.65));
      counts.failed = plannedTotal - counts.completed;
      errorKind = 'batch_expired';
      break;
    }
    case 'cancelled': {
      const d = run(rng.int(5 * MINUTE, 12 * HOUR));
      if (rng.chance(0.9)) ts.in_progress_at = created + Math.max(1, Math.floor(d * 0.02));
      ts.cancelling_at = created + Math.max(2, Math.floor(d * 0.6));
      ts.cancelled_at = Math.min(created + d, ts.cancelling_at + rng.int(10, 10 * MINUTE));
      if (ts.in_progress_at === null) counts = { total: 0, completed: 0, failed: 0 };
      else {
        counts.completed = Math.floor(plannedTotal * rng.next() * 0.7);
        counts.failed = plannedTotal - counts.completed;
      }
      errorKind = 'batch_cancelled';
      break;
    }
  }

  // Files. Ids follow OpenAI's current `file-` + 22 base62; contents are the first lines only (see MAX_CONTENT_LINES).
  const files: FakeFile[] = [];
  const contentRng = rng.fork();
  const inputId = `file-${rng.base62(22)}`;
  const inputCreated = created - rng.int(3, 10 * MINUTE);
  const filenamePattern = rng.pick(INPUT_FILENAMES);
  const inputName = filenamePattern.replace('{date}', formatDate(inputCreated)).replace('{n}', String(rng.int(1, 40)).padStart(3, '0'));
  const inputLines: string[] = [];
  for (let n = 1; n <= Math.min(plannedTotal, MAX_CONTENT_LINES); n++) {
    const exchange = contentRng.pick(EXCHANGES);
    const line = inputLine(randomIds(contentRng, n), endpoint, model, exchange[0], contentRng.pick(SYSTEM_PROMPTS), contentRng.pick([256, 512, 1000]));
    // The lines a failed validation points at really are broken in the file.
    inputLines.push(invalidLines.includes(n) ? brokenLine(line, errors?.data[0].code ?? '') : line);
  }
  files.push(makeFile(inputId, inputName, 'batch', inputCreated, inputLines));

  const finishedAt = ts.completed_at ?? ts.expired_at ?? ts.cancelled_at;
  let outputId: string | null = null;
  let errorId: string | null = null;
  if (finishedAt !== null) {
    const failedNumbers = sampleDistinct(contentRng, Math.min(counts.failed, MAX_CONTENT_LINES), counts.total, new Set());
    const okNumbers = sampleDistinct(contentRng, Math.min(counts.completed, MAX_CONTENT_LINES), counts.total, new Set(failedNumbers));
    if (counts.completed > 0) {
      outputId = `file-${rng.base62(22)}`;
      const lines = okNumbers.map((n) => outputLine(randomIds(contentRng, n), endpoint, model, makeCompletion(contentRng, finishedAt - contentRng.int(60, 3 * HOUR), contentRng.pick(EXCHANGES))));
      files.push(makeFile(outputId, `${id}_output.jsonl`, 'batch_output', finishedAt, lines));
    }
    if (counts.failed > 0) {
      errorId = `file-${rng.base62(22)}`;
      const lines = failedNumbers.map((n) => errorLine(randomIds(contentRng, n), errorKind, ''));
      files.push(makeFile(errorId, `${id}_error.jsonl`, 'batch_output', finishedAt, lines));
    }
  }

  const batch: FakeBatch = {
    id,
    object: 'batch',
    endpoint,
    ...(withModel ? { model: model.alias } : {}),
    errors,
    input_file_id: inputId,
    completion_window: '24h',
    status,
    output_file_id: outputId,
    error_file_id: errorId,
    created_at: created,
    in_progress_at: ts.in_progress_at,
    expires_at: created + DAY,
    finalizing_at: ts.finalizing_at,
    completed_at: ts.completed_at,
    failed_at: ts.failed_at,
    expired_at: ts.expired_at,
    cancelling_at: ts.cancelling_at,
    cancelled_at: ts.cancelled_at,
    request_counts: counts,
    // `usage` only exists on newer batches (the ones that also report `model`).
    ...(withModel ? { usage: usageFor(rng, endpoint, model, counts.completed) } : {}),
    metadata: rng.chance(0.4) ? { ...rng.pick(METADATA) } : null,
  };
  return { batch, files };
}

function brokenLine(line: string, code: string): string {
  if (code === 'invalid_url') return line.replace(/"url":"[^"]*"/, '"url":"/v1/chat/completion"');
  return line.slice(0, Math.floor(line.length * 0.6)); // cut mid-object: not parseable
}

function usageFor(rng: Rng, endpoint: string, model: ModelInfo, completed: number): BatchUsage {
  const input = completed * rng.int(40, 900);
  const output = endpoint === '/v1/embeddings' || endpoint === '/v1/moderations' ? 0 : completed * rng.int(5, 400);
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: Math.floor(input * rng.next() * 0.3) },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: model.reasoning ? Math.floor(output * 0.6) : 0 },
    total_tokens: input + output,
  };
}

function makeFile(id: string, filename: string, purpose: string, created: number, lines: string[]): FakeFile {
  const content = lines.map((l) => `${l}\n`).join('');
  return {
    meta: {
      id,
      object: 'file',
      bytes: Buffer.byteLength(content, 'utf8'),
      created_at: created,
      filename,
      purpose,
      status: 'processed',
      expires_at: created + FILE_RETENTION,
      status_details: null,
    },
    content,
  };
}

/**
 * A realistic account: newest first, mostly completed, every status at least once when `count` >= 8,
 * with matching input/output/error files. Same (count, seed, now) → same dataset.
 */
export function generateDataset(options: DatasetOptions = {}): Dataset {
  const count = Math.max(0, Math.floor(options.count ?? 20));
  const seed = options.seed ?? 1;
  const now = options.now ?? nowSeconds();
  const rng = new Rng(seed);
  const plans = planBatches(rng.fork(), count, now);
  const usedIds = new Set<string>();
  const batches: FakeBatch[] = [];
  const files: FakeFile[] = [];
  plans.forEach((plan, i) => {
    // `model` is a newer field: older batches lack it, and the oldest one always does (so it is exercised).
    const old = now - plan.created > 30 * DAY;
    const withModel = !(count >= 8 && i === count - 1) && !(old && rng.chance(0.6));
    const built = buildBatch(rng.fork(), plan, now, withModel, usedIds);
    batches.push(built.batch);
    files.push(...built.files);
  });
  const kept = options.expireOldFiles ? files.filter((f) => (f.meta.expires_at ?? Infinity) >= now) : files;
  return { batches, files: kept };
}

/**
 * ~250 batches for `npm start`: the generated account plus two completed batches whose output files are
 * large (75 MB, and the 391,505,535 bytes reported in openai/openai-java#649), streamed on demand.
 */
export function demoDataset(now: number = nowSeconds(), seed = 20250601): Dataset {
  const dataset = generateDataset({ count: 250, seed, now });
  const completed = dataset.batches.filter((b) => b.status === 'completed' && b.output_file_id !== null);
  const large = [
    { batch: completed[1], bytes: 75 * 1024 * 1024, requests: 40_000 },
    { batch: completed[6], bytes: 391_505_535, requests: 50_000 },
  ];
  for (const { batch, bytes, requests } of large) {
    if (!batch?.output_file_id) continue;
    const file = dataset.files.find((f) => f.meta.id === batch.output_file_id);
    if (!file) continue;
    const failed = batch.request_counts?.failed ?? 0;
    // Lines sized so the file holds about as many lines as the batch reports completed requests.
    file.content = { generatedBytes: bytes, seed: batch.created_at, kind: 'output', lineBytes: Math.round(bytes / (requests - failed)) };
    file.meta.bytes = bytes;
    batch.request_counts = { total: requests, completed: requests - failed, failed };
  }
  return dataset;
}

/** A new id in OpenAI's shape: hex creation time, then random hex (batch_) or base62 (file-). */
export function newBatchId(now: number, rng: Rng): string {
  return `batch_${now.toString(16).padStart(8, '0')}${rng.hex(24)}`;
}

export function newFileId(rng: Rng): string {
  return `file-${rng.base62(22)}`;
}
