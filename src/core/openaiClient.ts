import type { Response } from 'node-fetch' with { 'resolution-mode': 'import' };
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ApiError, isApiError, connectionError, connectionFailureReason, errorFromResponse } from './apiError';
import { parseBatch, type Batch } from './batch';
import { parseBatchPage, type BatchPage } from './batchPage';
import type { Connection } from './connection';
import { parseFileObject, type FileObject } from './fileObject';
import { followRedirect, getStream, type HttpResponse } from './httpStream';
import type { Logger } from './logger';
import { authHeaders, type ProviderKind } from './providers';
import { retryDelayMs, shouldRetryError, shouldRetryResponse } from './retryPolicy';

export interface ClientOptions {
  readonly connection: Connection;
  /** Per attempt, for JSON calls. */
  readonly timeoutMs: number;
  /** For content streams: no byte for this long ends the transfer. */
  readonly idleTimeoutMs?: number;
  readonly log: Logger;
  readonly userAgent?: string;
  /**
   * An Entra ID connection's token, asked for before every request (the sign-in keeps it fresh); `renew`
   * after the server refused it, to ask once more. Never kept by the client.
   */
  readonly entraToken?: (renew: boolean) => Promise<string>;
}

export interface CreateBatchParams {
  readonly inputFileId: string;
  readonly endpoint: string;
  readonly completionWindow?: string;
  readonly metadata?: Record<string, string>;
  /** Output and error files expire this long after they are created (3600..2592000); the API's default otherwise. */
  readonly outputExpiresAfterSeconds?: number;
}

export interface MultipartUpload {
  readonly body: Readable;
  readonly contentType: string;
  readonly length: number;
}

export interface ListParams {
  readonly after?: string;
  readonly limit: number;
}

export interface ContentOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (receivedBytes: number) => void;
  /** The file's `bytes` from `GET /files/{id}`: a transfer that brings another count failed, whatever its headers said. */
  readonly expectedBytes?: number;
}

type FetchFn = typeof import('node-fetch', { with: { 'resolution-mode': 'import' } }).default;
let fetchPromise: Promise<FetchFn> | undefined;

/** node-fetch is loaded on the first request, not at activation. */
function loadFetch(): Promise<FetchFn> {
  fetchPromise ??= import('node-fetch').then((m) => m.default);
  return fetchPromise;
}

/**
 * The OpenAI Batch and Files endpoints the extension uses, on OpenAI, Azure OpenAI or a compatible server.
 * Idempotent calls retry transient failures; every failure surfaces as an ApiError; the key appears only
 * in the provider's auth header, and only ever goes to the connection's own origin.
 */
export class OpenAIClient {
  constructor(private readonly options: ClientOptions) {}

  get baseUrl(): string {
    return this.options.connection.baseUrl;
  }

  get provider(): ProviderKind {
    return this.options.connection.provider;
  }

  /** `host:port` of the API, as messages name it. */
  private get host(): string {
    return new URL(this.options.connection.baseUrl).host;
  }

  async listBatches(params: ListParams, signal?: AbortSignal): Promise<BatchPage> {
    const query: Record<string, string> = { limit: String(params.limit) };
    if (params.after !== undefined) query.after = params.after;
    const { json, requestId } = await this.requestJson('GET', '/batches', { query, signal });
    const page = parseBatchPage(json);
    if (!page) throw this.malformed('The batch list response has no "data" array', requestId);
    for (const p of page.problems) this.options.log.warn(`Batch list: ${p}`);
    return page;
  }

  /** The batch exactly as the server sent it (for the JSON document). */
  async retrieveBatchJson(id: string, signal?: AbortSignal): Promise<unknown> {
    return (await this.requestJson('GET', `/batches/${pathSegment(id)}`, { signal })).json;
  }

  async retrieveBatch(id: string, signal?: AbortSignal): Promise<Batch> {
    return this.toBatch(await this.requestJson('GET', `/batches/${pathSegment(id)}`, { signal }));
  }

  async retrieveFile(id: string, signal?: AbortSignal): Promise<FileObject> {
    const { json, requestId } = await this.requestJson('GET', `/files/${pathSegment(id)}`, { signal });
    const file = parseFileObject(json);
    if (!file) throw this.malformed('The file response is not a file object', requestId);
    return file;
  }

  /** `POST /batches/{id}/cancel`: the batch, now cancelling. */
  async cancelBatch(id: string, signal?: AbortSignal): Promise<Batch> {
    return this.toBatch(await this.requestJson('POST', `/batches/${pathSegment(id)}/cancel`, { signal }));
  }

  async createBatch(params: CreateBatchParams, signal?: AbortSignal): Promise<Batch> {
    const body = JSON.stringify({
      input_file_id: params.inputFileId,
      endpoint: params.endpoint,
      completion_window: params.completionWindow ?? '24h',
      ...(params.metadata ? { metadata: params.metadata } : {}),
      ...(params.outputExpiresAfterSeconds === undefined ? {} : { output_expires_after: { anchor: 'created_at', seconds: params.outputExpiresAfterSeconds } }),
    });
    return this.toBatch(await this.requestJson('POST', '/batches', { signal, body, headers: { 'Content-Type': 'application/json' } }));
  }

  /** Uploads a file as multipart/form-data, streamed from disk with a known length. */
  async uploadFile(upload: MultipartUpload, signal?: AbortSignal): Promise<FileObject> {
    const { json, requestId } = await this.requestJson('POST', '/files', {
      signal,
      body: upload.body,
      headers: { 'Content-Type': upload.contentType, 'Content-Length': String(upload.length) },
    });
    const file = parseFileObject(json);
    if (!file) throw this.malformed('The upload response is not a file object', requestId);
    return file;
  }

  /** `DELETE /files/{id}`: tidies up an upload whose batch could not be created. */
  async deleteFile(id: string, signal?: AbortSignal): Promise<void> {
    await this.requestJson('DELETE', `/files/${pathSegment(id)}`, { signal });
  }

  /** A file's whole content as text; callers check the size first. */
  async fileText(id: string, options: ContentOptions = {}): Promise<string> {
    const decoder = new TextDecoder('utf-8');
    const parts: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        parts.push(decoder.decode(chunk, { stream: true }));
        done();
      },
    });
    await this.streamFileContent(id, sink, options);
    parts.push(decoder.decode());
    return parts.join('');
  }

  /**
   * Pipes a file's content into `sink` with backpressure, so memory stays bounded whatever the size.
   * A stall (no byte for the idle timeout) or a broken connection rejects; the request is not retried
   * once bytes flow, and one that does not bring `expectedBytes` fails too. Resolves with the number of
   * bytes received.
   */
  async streamFileContent(id: string, sink: Writable, options: ContentOptions = {}): Promise<number> {
    const { res } = await this.send('GET', `/files/${pathSegment(id)}/content`, { signal: options.signal, stream: true });
    const body = (res.body as unknown as Readable | null) ?? Readable.from([]);
    const idleMs = this.options.idleTimeoutMs ?? this.options.timeoutMs;
    let received = 0;
    let stalled = false;
    // Per chunk, only a count and a time stamp: bytes are counted as they go by (no stream in between to
    // pass them through), and the idle timer is re-armed when it fires, not once per chunk.
    let lastDataAt = Date.now();
    const watch = (ms: number): NodeJS.Timeout =>
      setTimeout(() => {
        const quietFor = Date.now() - lastDataAt;
        if (quietFor < idleMs) {
          idle = watch(idleMs - quietFor);
          return;
        }
        stalled = true;
        body.destroy(new Error('stalled'));
      }, ms);
    let idle = watch(idleMs);
    try {
      const done = pipeline(body, sink, options.signal ? { signal: options.signal } : {});
      body.on('data', (chunk: Buffer) => {
        received += chunk.length;
        lastDataAt = Date.now();
        options.onProgress?.(received);
      });
      await done;
    } catch (e) {
      if (options.signal?.aborted) throw abortedError();
      if (stalled) throw new ApiError({ kind: 'timeout', message: `The transfer stalled: no data for ${Math.round(idleMs / 1000)} s after ${received} bytes.` });
      if (isApiError(e)) throw e;
      this.options.log.warn(`GET /files/${id}/content broke after ${received} bytes: ${this.redact(String((e as Error)?.message ?? e))}`);
      throw new ApiError({
        kind: 'connection',
        message: `The connection to ${this.host} broke after ${received} bytes (${connectionFailureReason(e)})`,
        code: (e as { code?: string } | undefined)?.code,
      });
    } finally {
      clearTimeout(idle);
    }
    if (options.expectedBytes !== undefined && received !== options.expectedBytes) {
      throw new ApiError({ kind: 'connection', message: `The transfer ended early: received ${received} of ${options.expectedBytes} bytes.` });
    }
    return received;
  }

  private toBatch({ json, requestId }: { json: unknown; requestId?: string }): Batch {
    const { batch, problems } = parseBatch(json);
    for (const p of problems) this.options.log.warn(`Batch: ${p}`);
    if (!batch) throw this.malformed('The response is not a batch object', requestId);
    return batch;
  }

  private async requestJson(
    method: string,
    path: string,
    init: RequestInit,
  ): Promise<{ json: unknown; requestId?: string }> {
    const { res, text } = await this.send(method, path, init);
    const requestId = res.headers.get('x-request-id') ?? undefined;
    try {
      return { json: JSON.parse(text), requestId };
    } catch {
      throw this.malformed(`The server sent a response that is not valid JSON (HTTP ${res.status})`, requestId);
    }
  }

  /**
   * One request with its retries; resolves with a 2xx response. JSON bodies are read here, under the
   * request timeout; a stream's body is left to the caller, which applies an idle timeout instead.
   */
  private async send(
    method: string,
    path: string,
    init: RequestInit & { stream?: boolean },
  ): Promise<{ res: Response | HttpResponse; text: string }> {
    const url = this.url(path, init.query);
    const label = `${method} ${path}${init.query ? '?' + new URLSearchParams(init.query).toString() : ''}`;
    let renewToken = false;
    for (let attempt = 0; ; attempt++) {
      if (init.signal?.aborted) throw abortedError();
      const started = Date.now();
      const timeout = new AbortController();
      const timer = setTimeout(() => timeout.abort(), this.options.timeoutMs);
      const signal = init.signal ? AbortSignal.any([init.signal, timeout.signal]) : timeout.signal;
      let error: ApiError;
      let retryHeaders = {};
      let token: string | undefined;
      try {
        token = await this.token(renewToken);
        const headers = { ...this.headers(token), ...init.headers };
        const res = init.stream && method === 'GET' ? await getStream(url, headers, signal) : await this.fetchFollowing(url, method, headers, init.body, signal);
        const requestId = res.headers.get('x-request-id') ?? undefined;
        this.options.log.debug(`${label} → ${res.status} in ${Date.now() - started} ms${requestId ? ` (${requestId})` : ''}`);
        if (res.ok) return { res, text: init.stream ? '' : await res.text() };
        const body = this.redact(await res.text().catch(() => ''), token);
        // A refused token is asked for once more (it may have expired in between); a streamed upload cannot be sent again.
        if (res.status === 401 && token !== undefined && !renewToken && (init.body === undefined || typeof init.body === 'string')) {
          this.options.log.info(`${label} → 401: asking for the Microsoft sign-in's token again.`);
          renewToken = true;
          attempt--;
          continue;
        }
        error = errorFromResponse(res.status, body, res.headers.get('content-type'), requestId, shouldRetryResponse(res.status, res.headers.get('x-should-retry')));
        retryHeaders = { retryAfterMs: res.headers.get('retry-after-ms'), retryAfter: res.headers.get('retry-after') };
      } catch (e) {
        if (init.signal?.aborted) throw abortedError();
        if (timeout.signal.aborted) {
          error = new ApiError({ kind: 'timeout', message: `The request timed out after ${Math.round(this.options.timeoutMs / 1000)} s`, retryable: true });
        } else {
          // The raw text (node-fetch's "request to … failed, reason: …") is for the log only.
          this.options.log.warn(`${label} failed: ${this.redact(String((e as Error)?.message ?? e), token)}`);
          error = e instanceof ApiError ? e : connectionError(this.host, e);
        }
      } finally {
        clearTimeout(timer);
      }
      if (!shouldRetryError(error, attempt) || method !== 'GET') throw error;
      const delay = retryDelayMs(attempt, retryHeaders);
      this.options.log.warn(`${label} failed (${error.describe()}); retry ${attempt + 1} in ${delay} ms`);
      await sleep(delay, init.signal);
    }
  }

  /**
   * node-fetch, following redirects itself: node-fetch would pass an `api-key` header (Azure's) on to
   * another origin, as it strips only `Authorization`. A streamed upload cannot be sent twice, so a
   * redirected upload fails instead.
   */
  private async fetchFollowing(url: string, method: string, headers: Record<string, string>, body: string | Readable | undefined, signal: AbortSignal): Promise<Response> {
    const fetch = await loadFetch();
    for (let redirects = 0; ; redirects++) {
      const res = await fetch(url, { method, headers, body, signal, redirect: 'manual' });
      const next = followRedirect(url, res.status, res.headers.get('location'), headers, redirects);
      if (!next) return res;
      if (body !== undefined && typeof body !== 'string') throw new ApiError({ kind: 'connection', message: `The server at ${this.host} redirected the upload to ${new URL(next.url).host}; it was not sent again.` });
      // 303 (and, as browsers do, 301/302 after a POST) continue as a GET without the body.
      if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
      }
      url = next.url;
      headers = next.headers;
    }
  }

  private url(path: string, query?: Record<string, string>): string {
    const { baseUrl, apiVersion } = this.options.connection;
    // Azure's older paths need the version on every call, content downloads included.
    const params = apiVersion ? { ...query, 'api-version': apiVersion } : query;
    const qs = params ? `?${new URLSearchParams(params).toString()}` : '';
    return `${baseUrl}${path}${qs}`;
  }

  /** The Entra ID token for the next request; undefined for a connection with a key. */
  private async token(renew: boolean): Promise<string | undefined> {
    if (this.options.connection.auth !== 'entra') return undefined;
    if (!this.options.entraToken) throw new ApiError({ kind: 'config', message: 'This connection signs in with Microsoft, which is not available here.' });
    return this.options.entraToken(renew);
  }

  private headers(token: string | undefined): Record<string, string> {
    return {
      ...authHeaders(this.options.connection, token),
      Accept: 'application/json',
      'User-Agent': this.options.userAgent ?? 'openai-batches-vscode',
    };
  }

  /** A misbehaving proxy may echo the request; the key must not travel further. */
  private redact(text: string, token?: string): string {
    for (const secret of [this.options.connection.apiKey, token]) if (secret && secret.length >= 4) text = text.split(secret).join('***');
    return text;
  }

  private malformed(message: string, requestId: string | undefined): ApiError {
    return new ApiError({ kind: 'malformed', message: `${message}.`, requestId });
  }
}

interface RequestInit {
  readonly query?: Record<string, string>;
  readonly signal?: AbortSignal;
  readonly headers?: Record<string, string>;
  /** Only for POSTs, which are never retried: a stream cannot be sent twice. */
  readonly body?: string | Readable;
}

/**
 * Server ids are opaque: encode them so an id like `../files/x` cannot change the request, and refuse
 * the dot segments URL parsers would resolve even when encoded.
 */
export function pathSegment(id: string): string {
  if (id === '' || /^(\.|%2e){1,2}$/i.test(id)) throw new ApiError({ kind: 'config', message: `"${id}" is not a valid id.` });
  return encodeURIComponent(id);
}

function abortedError(): ApiError {
  return new ApiError({ kind: 'aborted', message: 'The request was cancelled.' });
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortedError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
