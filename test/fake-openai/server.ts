// A fake of OpenAI's Batch + Files API over real HTTP (node:http only), for tests, benchmarks and demos.
// It follows the contract in /work/shared/reference/openai-batch-api.md: OpenAI's error envelope and
// messages, explicit nulls, newest-first cursor paging, streamed file content, x-request-id on everything,
// plus injectable faults (see faults.ts) for what real servers and proxies do on bad days.
// Modes: `openai` (the default), `azure` (an Azure OpenAI resource: the `api-key` header or an Entra ID Bearer token, the
// v1 paths under /openai/v1 and the older ones under /openai with a required api-version, Azure's 401 and 404 bodies) and
// `compatible` (a proxy's quirks: no has_more, statuses in upper case, fields left out).

import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { TextDecoder } from 'node:util';
import { stringSeed } from './batchFiles';
import { contentBytes, contentChunks, generateDataset, newBatchId, newFileId, Rng } from './dataset';
import type { FakeBatch, FakeFile, GeneratedKind } from './dataset';
import { defaultErrorBody, echoedKeyMessage, errorBody, FaultQueue, proxyHtmlPage } from './faults';
import type { Fault, FaultHandle, FaultRule, OpenAIErrorBody } from './faults';

export type { BatchError, BatchFileContent, BatchRequestCounts, BatchStatus, BatchUsage, FakeBatch, FakeFile, FakeFileMeta, GeneratedContent, GeneratedKind, StreamedContent } from './dataset';
export type { Fault, FaultHandle, FaultRule, OpenAIErrorBody } from './faults';
export { echoedKeyMessage, quotaErrors } from './faults';

export interface RecordedRequest {
  method: string;
  /** Raw pathname as sent (ids still percent-encoded). */
  path: string;
  /** First value of each query parameter. */
  query: Record<string, string>;
  headers: { authorization?: string; 'api-key'?: string; 'openai-organization'?: string; 'openai-project'?: string; 'content-type'?: string; 'user-agent'?: string };
  /** Date.now() when the request arrived. */
  time: number;
  /** The injected fault this request got, if any. */
  fault?: Fault['kind'];
  /** A JSON body as the server parsed it (e.g. `POST /v1/batches`: metadata, output_expires_after). */
  body?: unknown;
  /** A multipart upload's fields besides the file (`purpose`, `expires_after[anchor]`, `expires_after[seconds]`). */
  fields?: Record<string, string>;
  /** The status of the answer, once it was sent completely: absent for a reset, a cut or a stalled answer. */
  status?: number;
}

export interface FakeOpenAIOptions {
  /** Default 'sk-fake-0123456789abcdef'. */
  apiKey?: string;
  /** Initial batches, newest first. When given, nothing is generated. */
  batches?: FakeBatch[];
  /** Initial files (mostly useful together with `batches`). */
  files?: FakeFile[];
  /** Generate this many batches (and their files) when `batches` is not given. Default 0: an empty account. */
  count?: number;
  seed?: number;
  /** Unix seconds used by the generator. */
  now?: number;
  /** Default 0 (any free port). Always bound to 127.0.0.1. */
  port?: number;
  /** Default 'openai'. */
  mode?: FakeMode;
  /** Azure mode: an Entra ID access token accepted as `Authorization: Bearer <token>` in place of the key. */
  entraToken?: string;
}

/** Which server the fake plays: OpenAI, an Azure OpenAI resource, or an OpenAI-compatible proxy with its quirks. */
export type FakeMode = 'openai' | 'azure' | 'compatible';

/** The api-version values the Azure mode accepts on its older (non-v1) paths. */
export const AZURE_API_VERSIONS = ['2024-10-21', '2025-03-01-preview'];

export const DEFAULT_API_KEY = 'sk-fake-0123456789abcdef';

const ENDPOINTS = ['/v1/responses', '/v1/chat/completions', '/v1/embeddings', '/v1/completions', '/v1/moderations', '/v1/images/generations', '/v1/images/edits', '/v1/videos'];
const FILE_PURPOSES = ['assistants', 'batch', 'fine-tune', 'vision', 'user_data', 'evals'];
const CANCELLABLE = new Set(['validating', 'in_progress', 'finalizing']);
const DAY = 86400;
const MAX_JSON_BODY = 4 * 1024 * 1024;
const MAX_UPLOAD_BYTES = 200 * 1024 * 1024;
/** A body nobody reads would otherwise stall the keep-alive connection it arrived on. */
function drainRequest(req: http.IncomingMessage): void {
  req.resume();
}

type Reply =
  | { kind: 'json'; status: number; body: unknown; headers?: Record<string, string> }
  | { kind: 'file'; file: FakeFile };

/** How the normal answer is to be damaged, from the fault that matched. */
type Damage = 'none' | 'resetMidBody' | 'stallMidBody' | 'malformedJson';
type ListMode = 'normal' | 'emptyPageHasMore' | 'stuckCursor';

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: OpenAIErrorBody | AzureErrorBody,
  ) {
    super(body.error.message);
  }
}

/** Azure's gateway answers with its own envelope: a string code, no type. */
interface AzureErrorBody {
  error: { code: string; message: string };
}

const AZURE_ACCESS_DENIED: AzureErrorBody = {
  error: {
    code: '401',
    message: 'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
  },
};
const AZURE_BAD_TOKEN: AzureErrorBody = {
  error: { code: '401', message: 'Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired.' },
};
const AZURE_NOT_FOUND: AzureErrorBody = { error: { code: '404', message: 'Resource not found' } };

const invalidRequest = (status: number, message: string, param: string | null = null, code: string | null = null): HttpError =>
  new HttpError(status, errorBody(message, 'invalid_request_error', param, code));

export class FakeOpenAI {
  readonly apiKey: string;
  readonly mode: FakeMode;
  /** Azure mode: the Entra ID token accepted now (tests change it to play an expired one). */
  entraToken?: string;
  readonly requests: RecordedRequest[] = [];
  /** Server state, newest first. Tests may mutate it (e.g. change a status) between requests. */
  batches: FakeBatch[];
  files: Map<string, FakeFile>;

  private readonly server: http.Server;
  private readonly faults = new FaultQueue();
  private readonly rng = new Rng(randomBytes(4).readUInt32LE(0));
  private readonly sleepers = new Set<() => void>();
  private url = '';
  private closed = false;

  static async start(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
    const fake = new FakeOpenAI(options);
    await fake.listen(options.port ?? 0);
    return fake;
  }

  private constructor(options: FakeOpenAIOptions) {
    this.apiKey = options.apiKey ?? DEFAULT_API_KEY;
    this.mode = options.mode ?? 'openai';
    this.entraToken = options.entraToken;
    let files = options.files ?? [];
    if (options.batches) {
      this.batches = options.batches;
    } else {
      const dataset = generateDataset({ count: options.count ?? 0, seed: options.seed, now: options.now });
      this.batches = dataset.batches;
      files = [...dataset.files, ...files];
    }
    this.files = new Map(files.map((f) => [f.meta.id, f]));
    this.server = http.createServer((req, res) => {
      // Whatever goes wrong in here must not become an unhandled rejection in the test process.
      this.handle(req, res).catch(() => res.destroy());
    });
  }

  /** 'http://127.0.0.1:PORT/v1'; in Azure mode the v1 API's base, 'http://127.0.0.1:PORT/openai/v1'. */
  get baseUrl(): string {
    return this.mode === 'azure' ? `${this.url}/openai/v1` : `${this.url}/v1`;
  }

  /** 'http://127.0.0.1:PORT': what an Azure resource calls its endpoint. */
  get origin(): string {
    return this.url;
  }

  /** Queues a fault; the handle tells how often it fired. */
  fault(rule: FaultRule): FaultHandle {
    return this.faults.add(rule);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  resetRequests(): void {
    this.requests.length = 0;
  }

  /** Puts it first (newest). */
  addBatch(batch: FakeBatch): void {
    this.batches.unshift(batch);
  }

  addFile(file: FakeFile): void {
    this.files.set(file.meta.id, file);
  }

  /**
   * A file whose content (valid JSONL, exactly `bytes` long, deterministic for the id) is generated while it
   * streams, so hundreds of MB cost no memory. Purpose 'batch' gives request lines, otherwise output lines.
   */
  addLargeFile(id: string, bytes: number, opts: { filename?: string; purpose?: string; kind?: GeneratedKind; lineBytes?: number } = {}): FakeFile {
    const purpose = opts.purpose ?? 'batch_output';
    const created = nowSeconds();
    const file: FakeFile = {
      meta: {
        id,
        object: 'file',
        bytes,
        created_at: created,
        filename: opts.filename ?? (purpose === 'batch' ? 'batchinput.jsonl' : `${id}_output.jsonl`),
        purpose,
        status: 'processed',
        expires_at: created + 30 * DAY,
        status_details: null,
      },
      content: {
        generatedBytes: bytes,
        seed: stringSeed(id),
        kind: opts.kind ?? (purpose === 'batch' ? 'input' : 'output'),
        ...(opts.lineBytes === undefined ? {} : { lineBytes: opts.lineBytes }),
      },
    };
    this.addFile(file);
    return file;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const wake of this.sleepers) wake();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        const address = this.server.address() as AddressInfo;
        this.url = `http://127.0.0.1:${address.port}`;
        resolve();
      });
    });
  }

  // -------------------------------------------------------------------------------------------------------
  // Request pipeline: record → fault → auth → route → send (possibly damaged)

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const started = Date.now();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const recorded = this.record(req, method, url, started);
    req.on('error', () => undefined); // a client abort mid-upload is not a server error
    res.on('error', () => undefined);
    res.on('finish', () => (recorded.status = res.statusCode));
    res.setHeader('x-request-id', `req_${randomBytes(16).toString('hex')}`);
    res.setHeader('openai-version', '2020-10-01');

    let damage: Damage = 'none';
    let listMode: ListMode = 'normal';
    const fault = this.faults.take(method, url.pathname);
    if (fault) {
      recorded.fault = fault.kind;
      const outcome = await this.applyFault(fault, req, res, method, url.pathname, started);
      if (outcome === 'answered') return;
      if (outcome !== 'continue') {
        if (outcome === 'resetMidBody' || outcome === 'stallMidBody' || outcome === 'malformedJson') damage = outcome;
        else listMode = outcome;
      }
    }

    let reply: Reply;
    try {
      reply = await this.route(req, method, url, listMode, recorded);
    } catch (err) {
      if (req.destroyed && !(err instanceof HttpError)) return; // client went away while we read its body
      reply =
        err instanceof HttpError
          ? { kind: 'json', status: err.status, body: err.body }
          : { kind: 'json', status: 500, body: defaultErrorBody(500, method, url.pathname) };
    }
    drainRequest(req);
    res.setHeader('openai-processing-ms', String(Date.now() - started));
    if (reply.kind === 'json') sendJson(res, reply.status, reply.body, reply.headers, damage);
    else await sendFileContent(res, reply.file.content, damage);
  }

  private record(req: http.IncomingMessage, method: string, url: URL, time: number): RecordedRequest {
    const query: Record<string, string> = {};
    for (const [key, value] of url.searchParams) {
      // defineProperty: a parameter named `__proto__` must be recorded, not become the prototype.
      if (!Object.hasOwn(query, key)) Object.defineProperty(query, key, { value, enumerable: true, writable: true, configurable: true });
    }
    const headers: RecordedRequest['headers'] = {};
    for (const name of ['authorization', 'api-key', 'openai-organization', 'openai-project', 'content-type', 'user-agent'] as const) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const recorded: RecordedRequest = { method, path: url.pathname, query, headers, time };
    this.requests.push(recorded);
    return recorded;
  }

  /** Returns 'answered' when the fault already produced the whole outcome, or how to alter the normal answer. */
  private async applyFault(
    fault: Fault,
    req: http.IncomingMessage,
    res: http.ServerResponse,
    method: string,
    pathname: string,
    started: number,
  ): Promise<'answered' | 'continue' | Exclude<Damage, 'none'> | Exclude<ListMode, 'normal'>> {
    switch (fault.kind) {
      case 'reset':
        req.socket.destroy();
        return 'answered';
      case 'status':
        drainRequest(req);
        res.setHeader('openai-processing-ms', String(Date.now() - started));
        sendJson(res, fault.status, fault.body === undefined ? defaultErrorBody(fault.status, method, pathname) : fault.body, fault.headers, 'none');
        return 'answered';
      case 'echoKey': {
        drainRequest(req);
        const token = this.mode === 'azure' ? String(req.headers['api-key'] ?? '') : (/^Bearer\s+(.*)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '');
        const type = fault.status >= 500 ? 'server_error' : 'invalid_request_error';
        sendJson(res, fault.status, errorBody(echoedKeyMessage(token), type, null, fault.status === 401 ? 'invalid_api_key' : null), undefined, 'none');
        return 'answered';
      }
      case 'html': {
        drainRequest(req);
        const page = Buffer.from(proxyHtmlPage(fault.status));
        res.writeHead(fault.status, { 'content-type': 'text/html; charset=UTF-8', 'content-length': page.length });
        res.end(page);
        return 'answered';
      }
      case 'delay':
        await this.sleep(fault.ms);
        if (this.closed) {
          req.socket.destroy();
          return 'answered';
        }
        return 'continue';
      case 'resetMidBody':
      case 'stallMidBody':
      case 'malformedJson':
      case 'emptyPageHasMore':
      case 'stuckCursor':
        return fault.kind;
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }

  private async route(req: http.IncomingMessage, method: string, url: URL, listMode: ListMode, recorded: RecordedRequest): Promise<Reply> {
    if (this.mode === 'azure') {
      // A Bearer token is Entra ID's; Azure checks it instead of the key.
      const bearer = /^Bearer\s+(.*)$/i.exec(req.headers.authorization ?? '')?.[1];
      if (bearer !== undefined) {
        if (this.entraToken === undefined || bearer !== this.entraToken) return { kind: 'json', status: 401, body: AZURE_BAD_TOKEN };
      } else if (req.headers['api-key'] !== this.apiKey) return { kind: 'json', status: 401, body: AZURE_ACCESS_DENIED };
    } else {
      const authError = checkAuth(req.headers.authorization, this.apiKey);
      if (authError) return { kind: 'json', status: 401, body: authError };
    }

    const invalidUrl = this.mode === 'azure' ? new HttpError(404, AZURE_NOT_FOUND) : invalidRequest(404, `Invalid URL (${method} ${url.pathname})`);
    const raw = url.pathname.split('/');
    const prefix = this.apiPrefix(raw, url.searchParams);
    if (prefix === undefined) throw invalidUrl;
    let segments: string[];
    try {
      segments = raw.slice(prefix).map((s) => decodeURIComponent(s));
    } catch {
      throw invalidUrl;
    }
    if (segments.length > 3 || segments.some((s) => s === '')) throw invalidUrl;
    const [collection, id, action] = segments;
    const route = `${method} ${collection}${id === undefined ? '' : '/:id'}${action === undefined ? '' : `/${action}`}`;

    switch (route) {
      case 'GET batches':
        return this.listBatches(url.searchParams, listMode);
      case 'POST batches': {
        const body = await readJson(req);
        recorded.body = body;
        return this.createBatch(body);
      }
      case 'GET batches/:id':
        return { kind: 'json', status: 200, body: this.wire(this.findBatch(id)) };
      case 'POST batches/:id/cancel':
        return this.cancelBatch(id);
      case 'POST files':
        return this.uploadFile(req, recorded);
      case 'GET files/:id':
        return { kind: 'json', status: 200, body: this.findFile(id).meta };
      case 'GET files/:id/content':
        return { kind: 'file', file: this.findFile(id) };
      case 'DELETE files/:id':
        this.findFile(id);
        this.files.delete(id);
        return { kind: 'json', status: 200, body: { id, object: 'file', deleted: true } };
      default:
        throw invalidUrl;
    }
  }

  /**
   * How many path segments (counting the empty one before the first slash) lead to `batches` or `files`;
   * undefined when the path is not this server's API. Azure's older paths need a known api-version.
   */
  private apiPrefix(raw: string[], params: URLSearchParams): number | undefined {
    if (raw[0] !== '') return undefined;
    if (this.mode !== 'azure') return raw[1] === 'v1' ? 2 : undefined;
    if (raw[1] !== 'openai') return undefined;
    if (raw[2] === 'v1') return 3;
    return AZURE_API_VERSIONS.includes(params.get('api-version') ?? '') ? 2 : undefined;
  }

  /** A batch as this server spells it: a compatible proxy upper-cases statuses and leaves fields out. */
  private wire(batch: FakeBatch): unknown {
    if (this.mode !== 'compatible') return batch;
    const sent: Record<string, unknown> = { ...batch, status: batch.status.toUpperCase() };
    delete sent.usage;
    delete sent.model;
    return sent;
  }

  // -------------------------------------------------------------------------------------------------------
  // Batches

  private listBatches(params: URLSearchParams, mode: ListMode): Reply {
    const limit = parseLimit(params.get('limit'));
    if (mode === 'emptyPageHasMore') return this.listReply([], true);
    const after = mode === 'stuckCursor' ? '' : (params.get('after') ?? '');
    let start = 0;
    if (after !== '') {
      const index = this.batches.findIndex((b) => b.id === after);
      // An `after` that is not (or no longer) in the list: OpenAI's behaviour is undocumented; answering an
      // empty last page ends a client's walk instead of restarting it from the top (which could loop).
      if (index < 0) return this.listReply([], false);
      start = index + 1;
    }
    const page = this.batches.slice(start, start + limit);
    return this.listReply(page, start + limit < this.batches.length);
  }

  /** The list envelope; a compatible proxy sends only `object` and `data`. */
  private listReply(page: FakeBatch[], hasMore: boolean): Reply {
    if (this.mode === 'compatible') return { kind: 'json', status: 200, body: { object: 'list', data: page.map((b) => this.wire(b)) } };
    return {
      kind: 'json',
      status: 200,
      body: { object: 'list', data: page, first_id: page[0]?.id ?? null, last_id: page[page.length - 1]?.id ?? null, has_more: hasMore },
    };
  }

  private findBatch(id: string): FakeBatch {
    const batch = this.batches.find((b) => b.id === id);
    if (!batch) throw invalidRequest(404, `No batch found with id '${id}'.`);
    return batch;
  }

  private cancelBatch(id: string): Reply {
    const batch = this.findBatch(id);
    if (!CANCELLABLE.has(batch.status)) throw invalidRequest(409, `Cannot cancel a batch with status '${batch.status}'.`);
    batch.status = 'cancelling';
    batch.cancelling_at = nowSeconds();
    return { kind: 'json', status: 200, body: this.wire(batch) };
  }

  private createBatch(body: Record<string, unknown>): Reply {
    const known = ['input_file_id', 'endpoint', 'completion_window', 'metadata', 'output_expires_after'];
    const unknown = Object.keys(body).find((k) => !known.includes(k));
    if (unknown !== undefined) throw invalidRequest(400, `Unrecognized request argument supplied: ${unknown}`);
    for (const name of ['input_file_id', 'endpoint', 'completion_window']) {
      if (body[name] === undefined) throw invalidRequest(400, `Missing required parameter: '${name}'.`, name, 'missing_required_parameter');
      expectType(name, body[name], 'string');
    }
    const inputFileId = body.input_file_id as string;
    const endpoint = body.endpoint as string;
    // Azure also takes (and echoes) the endpoint without its /v1.
    const endpoints = this.mode === 'azure' ? [...ENDPOINTS, ...ENDPOINTS.map((e) => e.replace(/^\/v1/, ''))] : ENDPOINTS;
    if (!endpoints.includes(endpoint)) throw invalidValue('endpoint', endpoint, endpoints);
    if (body.completion_window !== '24h') throw invalidValue('completion_window', body.completion_window as string, ['24h']);
    const metadata = validateMetadata(body.metadata);
    validateOutputExpiresAfter(body.output_expires_after);

    const input = this.files.get(inputFileId);
    if (!input) throw invalidRequest(400, `No such File object: ${inputFileId}`, 'input_file_id');
    if (input.meta.purpose !== 'batch') {
      throw invalidRequest(400, `Invalid 'input_file_id': file '${inputFileId}' has purpose '${input.meta.purpose}', but batch input files must have purpose 'batch'.`, 'input_file_id', 'invalid_value');
    }

    const now = nowSeconds();
    const model = modelOf(input);
    const batch: FakeBatch = {
      id: newBatchId(now, this.rng),
      object: 'batch',
      endpoint,
      ...(model === undefined ? {} : { model }),
      errors: null,
      input_file_id: inputFileId,
      completion_window: '24h',
      status: 'validating',
      output_file_id: null,
      error_file_id: null,
      created_at: now,
      in_progress_at: null,
      expires_at: now + DAY,
      finalizing_at: null,
      completed_at: null,
      failed_at: null,
      expired_at: null,
      cancelling_at: null,
      cancelled_at: null,
      request_counts: { total: 0, completed: 0, failed: 0 },
      usage: { input_tokens: 0, input_tokens_details: { cached_tokens: 0 }, output_tokens: 0, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 0 },
      metadata,
    };
    this.addBatch(batch);
    return { kind: 'json', status: 200, body: this.wire(batch) };
  }

  // -------------------------------------------------------------------------------------------------------
  // Files

  private findFile(id: string): FakeFile {
    const file = this.files.get(id);
    if (!file) throw invalidRequest(404, `No such File object: ${id}`, 'id');
    return file;
  }

  private async uploadFile(req: http.IncomingMessage, recorded: RecordedRequest): Promise<Reply> {
    const contentType = req.headers['content-type'] ?? '';
    const boundary = /^multipart\/form-data\s*;.*\bboundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
    if (!boundary) {
      throw invalidRequest(
        400,
        `Invalid Content-Type header (${contentType || 'none'}), expected multipart/form-data. (HINT: If you're using curl, you can pass -F 'key=value' in order to send a multipart request.)`,
      );
    }
    const form = await parseMultipart(req as AsyncIterable<Buffer>, boundary[1] ?? boundary[2]);
    recorded.fields = Object.fromEntries(form.fields);
    if (!form.file) throw invalidRequest(400, "Missing required parameter: 'file'.", 'file', 'missing_required_parameter');
    const purpose = form.fields.get('purpose');
    if (purpose === undefined) throw invalidRequest(400, "Missing required parameter: 'purpose'.", 'purpose', 'missing_required_parameter');
    if (!FILE_PURPOSES.includes(purpose)) throw invalidValue('purpose', purpose, FILE_PURPOSES);
    if (form.file.bytes > MAX_UPLOAD_BYTES) {
      throw invalidRequest(400, `File is too large: ${form.file.bytes} bytes. The maximum file size is ${MAX_UPLOAD_BYTES} bytes.`, 'file');
    }
    if (purpose === 'batch' && !form.file.filename.toLowerCase().endsWith('.jsonl')) {
      throw invalidRequest(400, 'Invalid file format for Batch API. Must be .jsonl', 'file');
    }
    let content: string;
    try {
      content = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(form.file.chunks));
    } catch {
      throw invalidRequest(400, 'Invalid file: the content is not valid UTF-8 text.', 'file');
    }

    const created = nowSeconds();
    const anchor = form.fields.get('expires_after[anchor]');
    const seconds = form.fields.get('expires_after[seconds]');
    let expiresAt: number | null = purpose === 'batch' ? created + 30 * DAY : null;
    if (anchor !== undefined || seconds !== undefined) {
      expiresAt = created + validateExpiresAfter('expires_after', anchor, seconds === undefined ? undefined : Number(seconds));
    }
    const file: FakeFile = {
      meta: {
        id: newFileId(this.rng),
        object: 'file',
        bytes: form.file.bytes,
        created_at: created,
        filename: form.file.filename,
        purpose,
        status: 'processed',
        expires_at: expiresAt,
        status_details: null,
      },
      content,
    };
    this.addFile(file);
    return { kind: 'json', status: 200, body: file.meta };
  }
}

// ---------------------------------------------------------------------------------------------------------
// Auth

/** OpenAI's masking: enough of the key to recognise it, never all of it. */
export function maskKey(key: string): string {
  if (key.length >= 20) return `${key.slice(0, 8)}${'*'.repeat(Math.min(key.length - 12, 160))}${key.slice(-4)}`;
  if (key.length >= 8) return `${key.slice(0, 5)}***${key.slice(-2)}`;
  return `${key.slice(0, Math.floor(key.length / 3))}***`;
}

function checkAuth(header: string | undefined, apiKey: string): OpenAIErrorBody | null {
  const token = /^Bearer\s+(\S.*)$/i.exec(header?.trim() ?? '')?.[1].trim();
  if (!token) {
    return errorBody(
      "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys.",
      'invalid_request_error',
    );
  }
  if (token === apiKey) return null;
  return errorBody(
    `Incorrect API key provided: ${maskKey(token)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
    'invalid_request_error',
    null,
    'invalid_api_key',
  );
}

// ---------------------------------------------------------------------------------------------------------
// Validation, in OpenAI's wording

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a decimal';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

function expectType(param: string, value: unknown, type: 'string' | 'object'): void {
  const ok = type === 'string' ? typeof value === 'string' : typeof value === 'object' && value !== null && !Array.isArray(value);
  if (!ok) throw invalidRequest(400, `Invalid type for '${param}': expected ${type === 'string' ? 'a string' : 'an object'}, but got ${describeType(value)} instead.`, param, 'invalid_type');
}

function invalidValue(param: string, value: string, supported: string[]): HttpError {
  const list = supported.map((s) => `'${s}'`);
  const joined = list.length > 1 ? `${list.slice(0, -1).join(', ')}, and ${list[list.length - 1]}` : list[0];
  return invalidRequest(400, `Invalid value: '${value}'. Supported values are: ${joined}.`, param, 'invalid_value');
}

/** `limit` must be an integer in 1..100; OpenAI names each way of missing that differently. */
function parseLimit(raw: string | null): number {
  if (raw === null) return 20;
  if (/^[+-]?\d+$/.test(raw)) {
    const n = Number(raw);
    if (n < 1) throw invalidRequest(400, `Invalid 'limit': integer below minimum value. Expected a value >= 1, but got ${n} instead.`, 'limit', 'integer_below_min_value');
    if (n > 100) throw invalidRequest(400, `Invalid 'limit': integer above maximum value. Expected a value <= 100, but got ${raw.replace(/^\+/, '')} instead.`, 'limit', 'integer_above_max_value');
    return n;
  }
  const got = /^[+-]?(\d+\.\d*|\.\d+)$/.test(raw) ? 'a decimal' : 'a string';
  throw invalidRequest(400, `Invalid type for 'limit': expected an integer, but got ${got} instead.`, 'limit', 'invalid_type');
}

function validateMetadata(value: unknown): Record<string, string> | null {
  if (value === undefined || value === null) return null;
  expectType('metadata', value, 'object');
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > 16) {
    throw invalidRequest(400, `Invalid 'metadata': too many properties. Expected an object with at most 16 properties, but got an object with ${entries.length} properties instead.`, 'metadata', 'object_above_max_properties');
  }
  for (const [key, v] of entries) {
    if (key.length > 64) {
      throw invalidRequest(400, `Invalid 'metadata': string too long. Expected a key with maximum length 64, but got a key with length ${key.length} instead.`, 'metadata', 'string_above_max_length');
    }
    expectType(`metadata.${key}`, v, 'string');
    if ((v as string).length > 512) {
      throw invalidRequest(400, `Invalid 'metadata.${key}': string too long. Expected a string with maximum length 512, but got a string with length ${(v as string).length} instead.`, `metadata.${key}`, 'string_above_max_length');
    }
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

function validateOutputExpiresAfter(value: unknown): void {
  if (value === undefined) return;
  expectType('output_expires_after', value, 'object');
  const { anchor, seconds } = value as { anchor?: unknown; seconds?: unknown };
  if (anchor !== undefined) expectType('output_expires_after.anchor', anchor, 'string');
  if (seconds !== undefined && (typeof seconds !== 'number' || !Number.isInteger(seconds))) {
    throw invalidRequest(400, `Invalid type for 'output_expires_after.seconds': expected an integer, but got ${describeType(seconds)} instead.`, 'output_expires_after.seconds', 'invalid_type');
  }
  validateExpiresAfter('output_expires_after', anchor as string | undefined, seconds as number | undefined);
}

/** Shared by batch `output_expires_after` and upload `expires_after`: anchor created_at, 1 h .. 30 days. */
function validateExpiresAfter(param: string, anchor: string | undefined, seconds: number | undefined): number {
  if (anchor === undefined) throw invalidRequest(400, `Missing required parameter: '${param}.anchor'.`, `${param}.anchor`, 'missing_required_parameter');
  if (anchor !== 'created_at') throw invalidValue(`${param}.anchor`, anchor, ['created_at']);
  if (seconds === undefined) throw invalidRequest(400, `Missing required parameter: '${param}.seconds'.`, `${param}.seconds`, 'missing_required_parameter');
  if (!Number.isInteger(seconds)) throw invalidRequest(400, `Invalid type for '${param}.seconds': expected an integer, but got a string instead.`, `${param}.seconds`, 'invalid_type');
  if (seconds < 3600) throw invalidRequest(400, `Invalid '${param}.seconds': integer below minimum value. Expected a value >= 3600, but got ${seconds} instead.`, `${param}.seconds`, 'integer_below_min_value');
  if (seconds > 2592000) throw invalidRequest(400, `Invalid '${param}.seconds': integer above maximum value. Expected a value <= 2592000, but got ${seconds} instead.`, `${param}.seconds`, 'integer_above_max_value');
  return seconds;
}

// ---------------------------------------------------------------------------------------------------------
// Bodies in and out

async function readJson(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Never leave this loop early: that destroys the request, and the client would see a reset, not the error.
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_JSON_BODY) chunks.push(chunk);
  }
  if (size > MAX_JSON_BODY) throw invalidRequest(413, 'Request body too large.');
  try {
    const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // fall through to OpenAI's parse error
  }
  throw invalidRequest(
    400,
    "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, please contact us through our help center at help.openai.com.)",
  );
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> | undefined, damage: Damage): void {
  let text = JSON.stringify(body);
  if (damage === 'malformedJson') {
    status = 200;
    text = text.slice(0, Math.max(1, Math.floor(text.length / 2))); // cut mid-value: never parseable
  }
  const bytes = Buffer.from(text, 'utf8');
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': bytes.length });
  if (damage === 'resetMidBody') writeThenReset(res, bytes.subarray(0, Math.floor(bytes.length / 2)));
  else res.end(bytes);
}

/** Sends what it is given (with the headers already promising more), then kills the connection. */
function writeThenReset(res: http.ServerResponse, part: Buffer): void {
  const reset = (): void => void res.socket?.destroy();
  if (part.length === 0) {
    res.flushHeaders();
    setImmediate(reset);
  } else {
    res.write(part, reset); // the callback runs once the bytes are handed to the kernel
  }
}

/**
 * Streams a file's bytes. `malformedJson` here means a response that is complete by its headers but whose
 * JSONL stops mid-line; `resetMidBody` promises everything and sends half; `stallMidBody` sends half and waits.
 */
async function sendFileContent(res: http.ServerResponse, content: FakeFile['content'], damage: Damage): Promise<void> {
  const total = contentBytes(content);
  const length = damage === 'malformedJson' ? Math.floor(total / 2) : total;
  const stopAt = damage === 'resetMidBody' || damage === 'stallMidBody' ? Math.floor(total / 2) : length;
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': length });
  const chunks = contentChunks(content);
  // A stall sends half and then nothing more, keeping the connection open until the client gives up.
  const finish = (last: Buffer): void => (damage === 'resetMidBody' ? writeThenReset(res, last) : damage === 'stallMidBody' ? void res.write(last) : void res.end(last));
  if (stopAt === 0) return finish(Buffer.alloc(0));
  // Pull-based: the next chunk is generated only once the socket has taken the previous ones (backpressure).
  let sent = 0;
  for (const chunk of chunks) {
    if (res.destroyed) return; // the client went away: stop generating
    const piece = sent + chunk.length > stopAt ? chunk.subarray(0, stopAt - sent) : chunk;
    sent += piece.length;
    if (sent >= stopAt) return finish(piece);
    if (!res.write(piece)) await drained(res);
  }
  res.end();
}

function drained(res: http.ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

// ---------------------------------------------------------------------------------------------------------
// Multipart (streaming, no dependency)

export interface UploadedFile {
  filename: string;
  bytes: number;
  chunks: Buffer[];
}

export interface MultipartForm {
  fields: Map<string, string>;
  file?: UploadedFile;
}

const MAX_FIELD_BYTES = 64 * 1024;
const MAX_PART_HEADER_BYTES = 16 * 1024;

/**
 * Parses multipart/form-data as it arrives (exported for tests that feed it chosen chunk splits): only a delimiter-sized tail is ever held back, file bytes are
 * counted and kept (up to MAX_UPLOAD_BYTES), text fields are capped. The body is treated as if it began
 * with CRLF, so the first delimiter looks like every other one.
 */
export async function parseMultipart(body: AsyncIterable<Buffer>, boundary: string): Promise<MultipartForm> {
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const headerEnd = Buffer.from('\r\n\r\n');
  const form: MultipartForm = { fields: new Map() };
  const malformed = (): HttpError => invalidRequest(400, 'Could not parse multipart form: the body is malformed or incomplete.');
  type State = 'preamble' | 'afterDelimiter' | 'headers' | 'body' | 'done';
  let state = 'preamble' as State; // `as`: it changes inside consume(), which TypeScript's narrowing cannot see
  let pending: Buffer = Buffer.from('\r\n');
  let part: { name: string; file?: UploadedFile; text: Buffer[]; textBytes: number } | undefined;

  const emit = (data: Buffer): void => {
    if (!part || data.length === 0) return;
    if (part.file) {
      part.file.bytes += data.length;
      if (part.file.bytes <= MAX_UPLOAD_BYTES) part.file.chunks.push(data);
    } else if (part.textBytes < MAX_FIELD_BYTES) {
      part.text.push(data);
      part.textBytes += data.length;
    }
  };
  const finishPart = (): void => {
    if (!part) return;
    if (part.file) form.file ??= part.file;
    else if (!form.fields.has(part.name)) form.fields.set(part.name, Buffer.concat(part.text).toString('utf8'));
    part = undefined;
  };

  const consume = (): void => {
    for (;;) {
      if (state === 'preamble' || state === 'body') {
        const at = pending.indexOf(delimiter);
        if (at < 0) {
          const keep = Math.min(pending.length, delimiter.length - 1);
          if (state === 'body') emit(pending.subarray(0, pending.length - keep));
          pending = pending.subarray(pending.length - keep);
          return;
        }
        if (state === 'body') {
          emit(pending.subarray(0, at));
          finishPart();
        }
        pending = pending.subarray(at + delimiter.length);
        state = 'afterDelimiter';
      } else if (state === 'afterDelimiter') {
        if (pending.length < 2) return;
        if (pending[0] === 0x2d && pending[1] === 0x2d) {
          state = 'done';
          return;
        }
        const eol = pending.indexOf('\r\n'); // transport padding (spaces) may precede the CRLF
        if (eol < 0) {
          if (pending.length > 1024) throw malformed();
          return;
        }
        pending = pending.subarray(eol + 2);
        state = 'headers';
      } else if (state === 'headers') {
        const end = pending.indexOf(headerEnd);
        const blank = pending.subarray(0, 2).equals(Buffer.from('\r\n')); // a part with no headers at all
        if (end < 0 && !blank) {
          if (pending.length > MAX_PART_HEADER_BYTES) throw malformed();
          return;
        }
        const headerText = blank ? '' : pending.subarray(0, end).toString('utf8');
        pending = pending.subarray(blank ? 2 : end + 4);
        const disposition = /^content-disposition:(.*)$/im.exec(headerText)?.[1] ?? '';
        const name = /\bname="([^"]*)"/i.exec(disposition)?.[1] ?? /\bname=([^;\s]+)/i.exec(disposition)?.[1] ?? '';
        const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1] ?? /\bfilename=([^;\s]+)/i.exec(disposition)?.[1];
        part = { name, text: [], textBytes: 0, ...(name === 'file' ? { file: { filename: filename ?? 'file', bytes: 0, chunks: [] } } : {}) };
        state = 'body';
      } else {
        return; // done: ignore the epilogue
      }
    }
  };

  let failure: HttpError | undefined;
  // Never leave this loop early: that destroys the request, and the client would see a reset, not the error.
  for await (const chunk of body) {
    if (state === 'done' || failure) continue;
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    try {
      consume();
    } catch (err) {
      failure = err as HttpError;
    }
  }
  if (failure) throw failure;
  if (state !== 'done') throw malformed();
  return form;
}

// ---------------------------------------------------------------------------------------------------------
// Helpers

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** The model of a new batch comes from its input file's first request, as on OpenAI. */
function modelOf(file: FakeFile): string | undefined {
  let head: string;
  if (typeof file.content === 'string') head = file.content.slice(0, 64 * 1024);
  else {
    const chunk = contentChunks(file.content, 16 * 1024)[Symbol.iterator]().next();
    head = chunk.done ? '' : chunk.value.subarray(0, 64 * 1024).toString('utf8');
  }
  const first = head.split('\n')[0];
  try {
    const model = (JSON.parse(first) as { body?: { model?: unknown } }).body?.model;
    return typeof model === 'string' ? model : undefined;
  } catch {
    return undefined;
  }
}
