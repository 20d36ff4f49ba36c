// Seeded generator of realistic OpenAI Batch API data: batch objects, file objects, and the content of their
// files. A batch's input, output and error files join (see batchFiles.ts): they are written from the batch's
// plan whenever they are read, at their real size. Files of an exact size that belong to no batch
// (`generateContentChunks`) serve download tests. Everything derives from a tiny PRNG, so a seed (plus
// `now`) always yields the same dataset.
import { batchFileChunks, batchFilesFacts, compileTemplate, countsOf, decimalDigits, FILL_TEXT, HEAD_CHARS, HOLE, lineHash, makeVariant, MARK_PAD, MARKERS, MODELS, nextHead, requestLine, resultLine, writeDecimal, writeFill, writeHex8 } from './batchFiles';
import type { BatchFileKind, BatchFilesFacts, BatchFilesSpec, Fate, FateCounts, Template } from './batchFiles';
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
  /** Average line size to aim for (longer answers/prompts); default ~1 KB. */
  lineBytes?: number;
}

/** One of a generated batch's files, written from the batch's plan each time it is read. */
export interface BatchFileContent {
  batchFile: BatchFileKind;
  spec: BatchFilesSpec;
  bytes: number;
}

/** Bytes made by a function each time the file is read (hand-made files: 10 MB lines, bytes that are not UTF-8). */
export interface StreamedContent {
  streamedBytes: number;
  chunks: () => Iterable<Buffer>;
}

export interface FakeFile {
  meta: FakeFileMeta;
  content: string | GeneratedContent | BatchFileContent | StreamedContent;
}

/** The byte size of a file's content, whatever its kind. */
export function contentBytes(content: FakeFile['content']): number {
  if (typeof content === 'string') return Buffer.byteLength(content, 'utf8');
  if ('batchFile' in content) return content.bytes;
  return Math.max(0, Math.floor('streamedBytes' in content ? content.streamedBytes : content.generatedBytes));
}

/** A file's content as chunks, whatever its kind. */
export function contentChunks(content: FakeFile['content'], chunkSize?: number): Iterable<Buffer> {
  if (typeof content === 'string') return [Buffer.from(content, 'utf8')];
  if ('batchFile' in content) return batchFileChunks(content.spec, content.batchFile, chunkSize);
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
/** A failed validation reports bad lines among the first ones. */
const REPORTED_LINES = 20;

const ENDPOINT_WEIGHTS: readonly (readonly [string, number])[] = [
  ['/v1/chat/completions', 74],
  ['/v1/embeddings', 12],
  ['/v1/responses', 11],
  ['/v1/completions', 2],
  ['/v1/moderations', 1],
];

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

// ---------------------------------------------------------------------------------------------------------
// Files of an exact size: line templates stamped in blocks, streamed in chunks
//
// A generated file is a cycle of PERIOD distinct lines (realistic content, random-looking ids baked in).
// What must differ per line is patched in: the line number in custom_id, and the first 8 hex digits of each
// id, taken from a bijection of the line number so no id repeats within a file. Runs of PERIOD lines with
// the same line-number width are one memcpy of a prebuilt block plus those patches: the cost per byte is
// close to a memcpy, which keeps a 200 MB download near loopback speed.

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

const compiledCache = new Map<string, CompiledKind>();

function compiledKind(kind: GeneratedKind, seed: number, lineBytes: number): CompiledKind {
  const key = `${kind}:${seed}:${lineBytes}`;
  const cached = compiledCache.get(key);
  if (cached) return cached;
  const rng = new Rng(seed ^ 0x5eed);
  const endpoint = '/v1/chat/completions';
  const model = MODELS[endpoint][0];
  const created = 1_750_000_000 + rng.int(0, 30 * DAY);
  const build = (pad: boolean): Template => {
    const v = makeVariant(rng, endpoint, model);
    const fate: Exclude<Fate, 'none'> = kind === 'error' ? rng.weighted<Exclude<Fate, 'none'>>([['context_length', 3], ['server_error', 1], ['expired', 4]]) : 'stop';
    const time = created + rng.int(0, 3 * HOUR);
    // Only the number and the id heads are holes here: everything else is baked in.
    const line = (fill: string) => {
      const holes = { ...MARKERS, time, completion: v.completionTokens, total: v.promptTokens + v.completionTokens, fill };
      return kind === 'input' ? requestLine(endpoint, model, v, holes) : resultLine(endpoint, model, v, fate, holes);
    };
    if (pad) return compileTemplate(line(MARK_PAD), v);
    // Lengthens a line's free text towards `lineBytes` (±20%), like verbose answers would.
    const extra = Math.round(lineBytes * (0.8 + 0.4 * rng.next())) - Buffer.byteLength(line('')) - 1;
    return compileTemplate(line(extra > 0 ? ` ${FILL_TEXT.repeat(Math.ceil(extra / FILL_TEXT.length)).slice(0, extra - 1)}` : ''), v);
  };
  const cycle: Template[] = [];
  for (let i = 0; i < PERIOD; i++) cycle.push(build(false));
  const compiled = { cycle, pad: build(true), blocks: new Map<number, Block>() };
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
      if (part === HOLE.number) {
        numberAt[i] = pos;
        pos += digits;
      } else if (part === HOLE.head) {
        heads.push(pos);
        pos += HEAD_CHARS;
      } else if (typeof part !== 'number') {
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

function writeLine(buf: Buffer, pos: number, t: Template, line: number, padLen: number, seed: number): number {
  let h = lineHash(seed, line);
  for (const part of t.parts) {
    if (part === HOLE.number) {
      const digits = decimalDigits(line);
      writeDecimal(buf, pos, line, digits);
      pos += digits;
    } else if (part === HOLE.head) {
      h = nextHead(h);
      writeHex8(buf, pos, h);
      pos += HEAD_CHARS;
    } else if (part === HOLE.pad) {
      pos = writeFill(buf, pos, padLen, 0);
    } else if (typeof part !== 'number') {
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

/** Splits `count` requests among the given fates, by weight, the last one taking what is left. */
function split(rng: Rng, count: number, weights: readonly (readonly [Fate, number])[]): Partial<Record<Fate, number>> {
  const out: Partial<Record<Fate, number>> = {};
  let left = count;
  let weightLeft = weights.reduce((sum, [, w]) => sum + w, 0);
  weights.forEach(([fate, w], i) => {
    const n = i === weights.length - 1 ? left : Math.min(left, Math.round(left * (w / weightLeft) * (0.5 + rng.next())));
    if (n > 0) out[fate] = (out[fate] ?? 0) + n;
    left -= n;
    weightLeft -= w;
  });
  return out;
}

/**
 * What becomes of each request, from the counts the batch reports: answers (a few cut off at max_tokens
 * where the endpoint has answers), failures of the kinds real batches have, and for an expired or cancelled
 * batch the requests it never ran. A batch still validating, or failed at validation, has run nothing.
 */
function fatesFor(rng: Rng, status: BatchStatus, endpoint: string, counts: BatchRequestCounts, plannedTotal: number): FateCounts {
  if (counts.total === 0) return { none: plannedTotal };
  const answers = endpoint !== '/v1/embeddings' && endpoint !== '/v1/moderations';
  const cutOff = answers && rng.chance(0.4) ? Math.min(counts.completed, rng.int(0, Math.ceil(counts.completed * 0.03))) : 0;
  // Expired and cancelled batches fail a few of the requests they ran; the rest of `failed` never ran.
  const unrun = status === 'expired' || status === 'cancelled' ? Math.max(0, counts.failed - Math.floor(counts.completed * 0.01 * rng.next())) : 0;
  const errors = split(rng, counts.failed - unrun, rng.shuffle<readonly [Fate, number]>([
    ['context_length', 6],
    ['rate_limited', 2],
    ['server_error', 2],
  ]));
  return {
    stop: counts.completed - cutOff,
    ...(cutOff > 0 ? { length: cutOff } : {}),
    ...errors,
    ...(unrun > 0 ? { [status === 'expired' ? 'expired' : 'cancelled']: unrun } : {}),
    none: counts.total - counts.completed - counts.failed,
  };
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
        invalidLines = sampleDistinct(rng, rng.int(1, 4), Math.min(plannedTotal, REPORTED_LINES), new Set()).sort((a, b) => a - b);
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
      break;
    }
    case 'expired': {
      ts.in_progress_at = created + rng.int(8, 600);
      ts.expired_at = created + DAY + rng.int(1 * MINUTE, 15 * MINUTE);
      counts.completed = Math.floor(plannedTotal * (0.3 + rng.next() * 0.65));
      counts.failed = plannedTotal - counts.completed;
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
      break;
    }
  }

  // Files. Ids follow OpenAI's current `file-` + 22 base62. Output and error files exist once the batch
  // has finished, with the lines its counts promise; the input file always holds every request.
  const contentRng = rng.fork();
  const brokenCode = errors?.data[0].code;
  const spec: BatchFilesSpec = {
    seed: Math.floor(contentRng.next() * 0x100000000),
    endpoint,
    model,
    fates: fatesFor(contentRng, status, endpoint, counts, plannedTotal),
    finishedAt: ts.completed_at ?? ts.expired_at ?? ts.cancelled_at ?? ts.finalizing_at ?? now,
    startedAt: ts.in_progress_at ?? created,
    ...(invalidLines.length > 0 && (brokenCode === 'invalid_json_line' || brokenCode === 'invalid_url') ? { broken: { code: brokenCode, lines: invalidLines } } : {}),
  };
  const facts = batchFilesFacts(spec);
  const files: FakeFile[] = [];
  const inputId = `file-${rng.base62(22)}`;
  const inputCreated = created - rng.int(3, 10 * MINUTE);
  const filenamePattern = rng.pick(INPUT_FILENAMES);
  const inputName = filenamePattern.replace('{date}', formatDate(inputCreated)).replace('{n}', String(rng.int(1, 40)).padStart(3, '0'));
  files.push(batchFile(inputId, inputName, 'batch', inputCreated, spec, 'input', facts));

  const finishedAt = ts.completed_at ?? ts.expired_at ?? ts.cancelled_at;
  let outputId: string | null = null;
  let errorId: string | null = null;
  if (finishedAt !== null) {
    if (facts.lines.output > 0) {
      outputId = `file-${rng.base62(22)}`;
      files.push(batchFile(outputId, `${id}_output.jsonl`, 'batch_output', finishedAt, spec, 'output', facts));
    }
    if (facts.lines.error > 0) {
      errorId = `file-${rng.base62(22)}`;
      files.push(batchFile(errorId, `${id}_error.jsonl`, 'batch_output', finishedAt, spec, 'error', facts));
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
    ...(withModel ? { usage: usageOf(facts) } : {}),
    metadata: rng.chance(0.4) ? { ...rng.pick(METADATA) } : null,
  };
  return { batch, files };
}

/** What the batch reports having used: the sums of its answers' usage. */
function usageOf(facts: BatchFilesFacts): BatchUsage {
  const { input, cached, output, reasoning } = facts.usage;
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: cached },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: reasoning },
    total_tokens: input + output,
  };
}

function batchFile(id: string, filename: string, purpose: string, created: number, spec: BatchFilesSpec, kind: BatchFileKind, facts: BatchFilesFacts): FakeFile {
  return {
    meta: { id, object: 'file', bytes: facts.bytes[kind], created_at: created, filename, purpose, status: 'processed', expires_at: created + FILE_RETENTION, status_details: null },
    content: { batchFile: kind, spec, bytes: facts.bytes[kind] },
  };
}

/**
 * A realistic account: newest first, mostly completed, every status at least once when `count` >= 8,
 * with input, output and error files that join. Same (count, seed, now) → same dataset.
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
 * Gives a finished batch `requests` requests and answers long enough for its output file to be about
 * `outputBytes`: the same failures, the rest answered.
 */
function enlarge(dataset: Dataset, batch: FakeBatch, requests: number, outputBytes: number): void {
  const files = [batch.input_file_id, batch.output_file_id, batch.error_file_id].map((id) => dataset.files.find((f) => f.meta.id === id));
  const content = files[0]?.content;
  if (!content || typeof content === 'string' || !('batchFile' in content)) return;
  const failures = Object.fromEntries(Object.entries(content.spec.fates).filter(([fate]) => fate !== 'stop' && fate !== 'length' && fate !== 'none')) as FateCounts;
  const failed = countsOf(failures).failed;
  const fates: FateCounts = { ...failures, stop: requests - failed };
  const plain = batchFilesFacts({ ...content.spec, fates, answerChars: 0 });
  const answerChars = Math.max(0, Math.round((outputBytes - plain.bytes.output) / Math.max(1, plain.lines.output)));
  const spec: BatchFilesSpec = { ...content.spec, fates, answerChars };
  const facts = batchFilesFacts(spec);
  for (const file of files) {
    if (!file || typeof file.content === 'string' || !('batchFile' in file.content)) continue;
    const kind = file.content.batchFile;
    file.content = { batchFile: kind, spec, bytes: facts.bytes[kind] };
    file.meta.bytes = facts.bytes[kind];
  }
  const { total, completed } = countsOf(fates);
  batch.request_counts = { total, completed, failed };
  if (batch.usage) batch.usage = usageOf(facts);
}

/**
 * ~250 batches for `npm start`: the generated account, where two completed chat batches have long answers
 * and output files of about 75 MB and 391 MB (the size reported in openai/openai-java#649).
 */
export function demoDataset(now: number = nowSeconds(), seed = 20250601): Dataset {
  const dataset = generateDataset({ count: 250, seed, now });
  const chat = dataset.batches.filter((b) => b.status === 'completed' && b.output_file_id !== null && b.endpoint === '/v1/chat/completions');
  if (chat[1]) enlarge(dataset, chat[1], 40_000, 75 * 1024 * 1024);
  if (chat[6]) enlarge(dataset, chat[6], 50_000, 391_505_535);
  return dataset;
}

/** A new id in OpenAI's shape: hex creation time, then random hex (batch_) or base62 (file-). */
export function newBatchId(now: number, rng: Rng): string {
  return `batch_${now.toString(16).padStart(8, '0')}${rng.hex(24)}`;
}

export function newFileId(rng: Rng): string {
  return `file-${rng.base62(22)}`;
}
