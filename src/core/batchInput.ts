import { createReadStream } from 'node:fs';
import { formatCount } from './format';

/**
 * Endpoints a batch can target, as `BatchCreateParams.endpoint` lists them in the official Node SDK:
 * openai/openai-node v7.5.0, src/resources/batches.ts (commit 7b7d6ca71130d37ec09792c50056b47861f2eccf,
 * https://github.com/openai/openai-node/blob/7b7d6ca71130d37ec09792c50056b47861f2eccf/src/resources/batches.ts).
 */
export const BATCH_ENDPOINTS = [
  '/v1/responses',
  '/v1/chat/completions',
  '/v1/embeddings',
  '/v1/completions',
  '/v1/moderations',
  '/v1/images/generations',
  '/v1/images/edits',
  '/v1/videos',
] as const;

/**
 * A batch endpoint in OpenAI's spelling (`/v1/chat/completions`), for a URL that names one: Azure OpenAI's
 * input files may leave out the `/v1` (`/chat/completions`), as its batches echo the endpoint.
 */
export function canonicalEndpoint(url: string): string | undefined {
  const endpoints: readonly string[] = BATCH_ENDPOINTS;
  if (endpoints.includes(url)) return url;
  return endpoints.includes(`/v1${url}`) ? `/v1${url}` : undefined;
}

/** The same SDK file: at most 50,000 requests and 200 MB per input file, and 50,000 embedding inputs per batch. */
const MAX_REQUESTS = 50_000;
const MAX_INPUT_BYTES = 200 * 1024 * 1024;
const MAX_EMBEDDING_INPUTS = 50_000;
/** Enough to fix a file; the count says how many more there are. */
const MAX_REPORTED = 200;
/** How much of a text is checked before the event loop gets a turn. */
const TEXT_SLICE_CHARS = 512 * 1024;

export interface InputProblem {
  /** 1-based: every check names the line it is about. */
  readonly line: number;
  readonly message: string;
}

export interface InputCheck {
  /** Non-blank lines: each one is a request to the API, valid or not. */
  readonly requests: number;
  readonly endpoint?: string;
  readonly model?: string;
  /** Inputs across all requests, for an `/v1/embeddings` file. */
  readonly embeddingInputs?: number;
  /** Size of what was checked, line breaks included (UTF-8). */
  readonly bytes: number;
  readonly problems: readonly InputProblem[];
  /** All problems found, including those beyond the reported ones. */
  readonly problemCount: number;
}

/**
 * Checks a batch input line by line, the way the API will, before anything is uploaded: every line a
 * JSON object with a unique `custom_id`, `method` POST, a `url` that is the batch's endpoint (one per
 * file) and a `body` object naming the model (one per file); at most 50,000 requests, 200 MB and, for
 * embeddings, 50,000 inputs. Each problem is reported on the line where it happens. Holds only the
 * ids seen: memory stays flat however large the file.
 */
export class BatchInputChecker {
  private readonly problems: InputProblem[] = [];
  private problemCount = 0;
  private readonly ids = new Map<string, number>();
  private endpoint?: { url: string; line: number };
  private model?: { name: string; line: number };
  private requests = 0;
  private embeddingInputs = 0;
  private bytes = 0;
  private line = 0;
  private blankRun: number[] = [];
  private overBytes = false;
  private overEmbeddings = false;

  /** The next line, without its line break; `bytes` is its UTF-8 size with the line break. */
  add(text: string, bytes: number): void {
    const n = ++this.line;
    this.bytes += bytes;
    if (text.trim() === '') {
      this.blankRun.push(n);
      return;
    }
    // Blank lines are an error only between requests, not at the end of the file.
    for (const b of this.blankRun) this.report(b, 'Empty line: every line must be one JSON request.');
    this.blankRun = [];
    const index = ++this.requests;
    if (index === MAX_REQUESTS + 1) this.report(n, `Request ${formatCount(index)}: a batch input file holds at most ${formatCount(MAX_REQUESTS)} requests.`);
    if (!this.overBytes && this.bytes > MAX_INPUT_BYTES) {
      this.overBytes = true;
      this.report(n, 'The file passes 200 MB on this line: a batch input file is at most 200 MB.');
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      this.report(n, `Not valid JSON: ${(e as Error).message}`);
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.report(n, 'Each line must be a JSON object with custom_id, method, url and body.');
      return;
    }
    this.checkRequest(n, value as Record<string, unknown>);
  }

  result(): InputCheck {
    if (this.requests === 0) this.report(1, 'The file has no requests.');
    return {
      requests: this.requests,
      endpoint: this.endpoint?.url,
      model: this.model?.name,
      ...(this.endpoint && canonicalEndpoint(this.endpoint.url) === '/v1/embeddings' ? { embeddingInputs: this.embeddingInputs } : {}),
      bytes: this.bytes,
      problems: this.problems,
      problemCount: this.problemCount,
    };
  }

  private checkRequest(n: number, r: Record<string, unknown>): void {
    const id = r.custom_id;
    if (typeof id !== 'string' || id === '') this.report(n, '"custom_id" must be a non-empty string.');
    else if (this.ids.has(id)) this.report(n, `"custom_id" ${JSON.stringify(id)} is already used on line ${this.ids.get(id)}; each must be unique.`);
    else this.ids.set(id, n);

    if (r.method !== 'POST') this.report(n, `"method" must be "POST"${r.method === undefined ? '' : `, not ${JSON.stringify(r.method)}`}.`);

    const url = r.url;
    if (typeof url !== 'string') this.report(n, '"url" must be the endpoint, e.g. "/v1/chat/completions".');
    else if (!canonicalEndpoint(url)) this.report(n, `"url" ${JSON.stringify(url)} is not an endpoint the Batch API supports (${BATCH_ENDPOINTS.join(', ')}; on Azure OpenAI also without /v1).`);
    else if (!this.endpoint) this.endpoint = { url, line: n };
    else if (url !== this.endpoint.url) this.report(n, `"url" is ${url} but line ${this.endpoint.line} uses ${this.endpoint.url}; one file holds requests for one endpoint.`);

    const body = r.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      this.report(n, '"body" must be a JSON object (the request to send).');
      return;
    }
    const b = body as Record<string, unknown>;
    const m = b.model;
    if (typeof m !== 'string' || m === '') this.report(n, '"body.model" must name the model.');
    else if (!this.model) this.model = { name: m, line: n };
    else if (m !== this.model.name) this.report(n, `"body.model" is ${m} but line ${this.model.line} uses ${this.model.name}; one file holds requests for one model.`);

    if (typeof url === 'string' && canonicalEndpoint(url) === '/v1/embeddings') {
      this.embeddingInputs += embeddingInputCount(b.input);
      if (!this.overEmbeddings && this.embeddingInputs > MAX_EMBEDDING_INPUTS) {
        this.overEmbeddings = true;
        this.report(n, `The embedding inputs pass ${formatCount(MAX_EMBEDDING_INPUTS)} on this line (${formatCount(this.embeddingInputs)} so far): an embeddings batch takes at most ${formatCount(MAX_EMBEDDING_INPUTS)} inputs in all.`);
      }
    }
  }

  private report(line: number, message: string): void {
    this.problemCount++;
    if (this.problems.length < MAX_REPORTED) this.problems.push({ line, message });
  }
}

/** A string or a token array is one input; an array of strings (or of token arrays) is one per element. */
function embeddingInputCount(input: unknown): number {
  if (!Array.isArray(input)) return 1;
  if (input.length > 0 && input.every((x) => typeof x === 'number')) return 1;
  return input.length;
}

/**
 * Checks a file on disk as it streams: lines are split on the bytes, so nothing but the current chunk
 * (and a line that spans two chunks) is held. `signal` stops it between chunks.
 */
export async function checkBatchInputFile(filePath: string, options: { signal?: AbortSignal } = {}): Promise<InputCheck> {
  const checker = new BatchInputChecker();
  let carry: Buffer | undefined;
  // Large chunks: fewer turns through the loop and fewer lines spanning two chunks.
  for await (const chunk of createReadStream(filePath, { signal: options.signal, highWaterMark: 1024 * 1024 })) {
    let buf = chunk as Buffer;
    if (carry) {
      buf = Buffer.concat([carry, buf]);
      carry = undefined;
    }
    let start = 0;
    for (let end = buf.indexOf(10, start); end >= 0; end = buf.indexOf(10, start)) {
      const stop = end > start && buf[end - 1] === 13 ? end - 1 : end;
      checker.add(buf.toString('utf8', start, stop), end + 1 - start);
      start = end + 1;
    }
    if (start < buf.length) carry = buf.subarray(start);
  }
  if (carry) checker.add(carry.toString('utf8', 0, carry[carry.length - 1] === 13 ? carry.length - 1 : carry.length), carry.length);
  return checker.result();
}

/**
 * Checks a text (an editor's unsaved content) in slices, giving the event loop a turn after each, so a
 * large document never blocks the extension host; `signal` stops it between slices.
 */
export async function checkBatchInputText(text: string, options: { signal?: AbortSignal } = {}): Promise<InputCheck> {
  const checker = new BatchInputChecker();
  let start = 0;
  let sliceEnd = TEXT_SLICE_CHARS;
  while (start < text.length) {
    if (start >= sliceEnd) {
      await new Promise((resolve) => setImmediate(resolve));
      options.signal?.throwIfAborted();
      sliceEnd = start + TEXT_SLICE_CHARS;
    }
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline;
    const stop = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    const line = text.slice(start, stop);
    checker.add(line, Buffer.byteLength(line) + (end - stop) + (newline < 0 ? 0 : 1));
    start = end + 1;
  }
  return checker.result();
}

/** Checks lines given one by one (each counted with a `\n`). */
export async function checkBatchInputLines(lines: AsyncIterable<string> | Iterable<string>): Promise<InputCheck> {
  const checker = new BatchInputChecker();
  for await (const line of lines) checker.add(line, Buffer.byteLength(line) + 1);
  return checker.result();
}

/** How many non-blank lines decide whether a text looks like batch requests. */
const SNIFF_LINES = 5;

/**
 * Whether a JSONL text looks like batch requests (and not, say, a batch's output): among its first
 * non-blank lines, the first that says anything is a request (a `custom_id` with a `method`, `url` or
 * `body`) rather than an output line (a `response`). A line still being typed (not yet valid JSON) is
 * judged by its keys; one that says nothing (`{oops`) is passed over.
 */
export function looksLikeBatchInput(head: string): boolean {
  const lines = head.split('\n').filter((l) => l.trim() !== '').slice(0, SNIFF_LINES);
  for (const line of lines) {
    const verdict = lineKind(line);
    if (verdict !== undefined) return verdict === 'request';
  }
  return false;
}

/** A request, something else (an output line, other JSON), or undecided (a broken or partial line). */
function lineKind(line: string): 'request' | 'other' | undefined {
  let has: (key: string) => boolean;
  let parsed = false;
  try {
    const value: unknown = JSON.parse(line);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    has = (key) => key in value;
    parsed = true;
  } catch {
    has = (key) => new RegExp(`"${key}"\\s*:`).test(line);
  }
  if (has('response')) return 'other';
  if (has('custom_id') && (has('method') || has('url') || has('body'))) return 'request';
  return parsed && !has('custom_id') ? 'other' : undefined;
}
