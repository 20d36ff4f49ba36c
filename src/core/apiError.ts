/**
 * One error type for everything a request can end in, so every caller can show one clear sentence
 * (with the request id support asks for) and decide whether trying again makes sense.
 */
export type ApiErrorKind =
  | 'http' // the server answered with an error status
  | 'connection' // no answer: refused, reset, DNS
  | 'timeout' // no answer in time
  | 'malformed' // an answer that is not what the API sends
  | 'aborted' // the user (or a newer request) cancelled it
  | 'config'; // never sent: no key, a bad base URL, a refused insecure URL

export interface ApiErrorInit {
  kind: ApiErrorKind;
  message: string;
  status?: number;
  type?: string;
  code?: string;
  param?: string;
  requestId?: string;
  retryable?: boolean;
}

/** Billing codes behind a 429 that waiting will not fix. */
const QUOTA_CODES = new Set(['insufficient_quota', 'billing_hard_limit_reached', 'billing_not_active', 'quota_exceeded']);

/** Marks an ApiError whichever bundle made it: the lazily loaded chunks carry their own copy of this class. */
const API_ERROR = Symbol.for('openaiBatches.ApiError');

export class ApiError extends Error {
  readonly [API_ERROR] = true;
  readonly kind: ApiErrorKind;
  readonly status?: number;
  readonly type?: string;
  readonly code?: string;
  readonly param?: string;
  readonly requestId?: string;
  readonly retryable: boolean;

  constructor(init: ApiErrorInit) {
    super(init.message);
    this.name = 'ApiError';
    this.kind = init.kind;
    this.status = init.status;
    this.type = init.type;
    this.code = init.code;
    this.param = init.param;
    this.requestId = init.requestId;
    this.retryable = init.retryable ?? false;
  }

  /** The key was rejected, or there is none: the way out is Set API Key. */
  get isAuthError(): boolean {
    return this.status === 401 || (this.kind === 'config' && this.code === 'noApiKey');
  }

  get isQuotaError(): boolean {
    return this.status === 429 && (QUOTA_CODES.has(this.code ?? '') || QUOTA_CODES.has(this.type ?? ''));
  }

  get isAborted(): boolean {
    return this.kind === 'aborted';
  }

  /** One sentence for a notification or an error node: what happened, the status, the request id. */
  describe(): string {
    const tail = [this.status !== undefined ? `HTTP ${this.status}` : undefined, this.requestId ? `request ID ${this.requestId}` : undefined]
      .filter(Boolean)
      .join(', ');
    let text: string;
    if (this.status === 401) text = `The API key was rejected: ${this.message}`;
    else if (this.isQuotaError) text = `The account has run out of quota or hit its billing limit: ${this.message} Check billing at https://platform.openai.com/settings/organization/billing.`;
    else text = this.message;
    return tail ? `${text} (${tail})` : text;
  }
}

export function isApiError(e: unknown): e is ApiError {
  return typeof e === 'object' && e !== null && (e as { [API_ERROR]?: unknown })[API_ERROR] === true;
}

/** Anything thrown, as one readable sentence. */
export function describeError(e: unknown): string {
  if (isApiError(e)) return e.describe();
  if (e instanceof Error) return e.message;
  return String(e);
}

/** System and TLS error codes, as a person would say them. */
const CONNECTION_REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ECONNABORTED: 'connection aborted',
  EPIPE: 'connection closed',
  ERR_STREAM_PREMATURE_CLOSE: 'connection closed early',
  ETIMEDOUT: 'connection timed out',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  CERT_HAS_EXPIRED: 'its certificate has expired',
  CERT_NOT_YET_VALID: 'its certificate is not valid yet',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'its certificate is self-signed',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its certificate is not trusted',
  UNABLE_TO_GET_ISSUER_CERT: 'its certificate is not trusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its certificate is not trusted',
  CERT_UNTRUSTED: 'its certificate is not trusted',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its certificate is for another host',
  EPROTO: 'the secure connection failed',
};

/**
 * Why a request got no answer, in plain words: the system error code node-fetch (or Node) passes on,
 * never its message (which quotes the whole URL and reads like a stack trace).
 */
export function connectionFailureReason(error: unknown): string {
  const code = errorCode(error) ?? errorCode((error as { cause?: unknown } | undefined)?.cause);
  if (code && CONNECTION_REASONS[code]) return CONNECTION_REASONS[code];
  if (code && /CERT/i.test(code)) return 'a certificate problem';
  if (code && /SSL|TLS/i.test(code)) return 'the secure connection failed';
  return 'network error';
}

/** "Can't reach the API at 127.0.0.1:41900 (connection refused)": one sentence for every caller. */
export function connectionError(host: string, cause: unknown): ApiError {
  return new ApiError({
    kind: 'connection',
    message: `Can't reach the API at ${host} (${connectionFailureReason(cause)})`,
    code: errorCode(cause),
    retryable: true,
  });
}

function errorCode(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code !== '' ? code : undefined;
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  409: 'Conflict',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/**
 * Builds the error for a non-2xx answer. OpenAI sends `{"error":{message,type,param,code}}`; proxies
 * send HTML or plain text, which becomes a sentence instead of a parser exception.
 */
export function errorFromResponse(status: number, bodyText: string, contentType: string | null, requestId: string | undefined, retryable: boolean): ApiError {
  const base = { kind: 'http' as const, status, requestId, retryable };
  const parsed = tryParseJson(bodyText);
  const err = typeof parsed === 'object' && parsed !== null ? (parsed as { error?: unknown }).error : undefined;
  if (typeof err === 'object' && err !== null) {
    const e = err as Record<string, unknown>;
    return new ApiError({
      ...base,
      message: typeof e.message === 'string' && e.message.trim() ? e.message.trim() : `The server answered ${statusText(status)}.`,
      type: typeof e.type === 'string' ? e.type : undefined,
      code: typeof e.code === 'string' ? e.code : undefined,
      param: typeof e.param === 'string' ? e.param : undefined,
    });
  }
  if (typeof err === 'string' && err.trim()) return new ApiError({ ...base, message: err.trim() });
  const looksHtml = /html/i.test(contentType ?? '') || /^\s*<(!doctype|html)/i.test(bodyText);
  const what = looksHtml ? 'an HTML page' : bodyText.trim() ? 'a response that is not an API error' : 'an empty response';
  return new ApiError({ ...base, message: `The server answered ${statusText(status)} with ${what}${looksHtml ? ' (a proxy or gateway in the way?)' : ''}.` });
}

function statusText(status: number): string {
  return STATUS_TEXT[status] ? `${status} ${STATUS_TEXT[status]}` : `${status}`;
}

function tryParseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
