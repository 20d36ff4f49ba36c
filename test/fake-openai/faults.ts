// Fault injection for the fake OpenAI server: the rule queue, and the canned bodies real servers and the
// proxies in front of them send when things go wrong. Kept apart from the server so tests can read, in one
// place, exactly what each injected fault looks like on the wire.

export type Fault =
  | { kind: 'status'; status: number; body?: unknown /* JSON body; default an OpenAI error body */; headers?: Record<string, string> /* e.g. retry-after */ }
  | { kind: 'html'; status: number } // proxy-style HTML error page (text/html)
  | { kind: 'reset' } // destroy the socket without a response
  | { kind: 'resetMidBody' } // send headers + part of the body, then destroy the socket
  | { kind: 'stallMidBody' } // file content: send half, then nothing while keeping the connection open
  | { kind: 'delay'; ms: number } // delay, then answer normally
  | { kind: 'malformedJson' } // 200 with a truncated, invalid JSON body (file content: JSONL cut mid-line)
  | { kind: 'emptyPageHasMore' } // list: {data: [], has_more: true} (elsewhere: consumed, normal answer)
  | { kind: 'stuckCursor' } // list: ignores `after` and returns the first page again (elsewhere: as above)
  | { kind: 'echoKey'; status: number }; // an error whose message repeats the request's bearer token, unmasked (a careless upstream)

export interface FaultRule {
  method?: string;
  /** Matched against the raw (still percent-encoded) pathname, e.g. /^\/v1\/batches$/. */
  path?: string | RegExp;
  /** Default 1; Infinity allowed. */
  times?: number;
  fault: Fault;
}

/** The message of an `echoKey` fault: what a careless upstream says, with the token exactly as it arrived. */
export function echoedKeyMessage(token: string): string {
  return `Upstream rejected the credentials in "Authorization: Bearer ${token}".`;
}

/** OpenAI's error envelope: `param` and `code` are present and often null. */
export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | number | null };
}

export function errorBody(message: string, type: string, param: string | null = null, code: string | number | null = null): OpenAIErrorBody {
  return { error: { message, type, param, code } };
}

/** A queued rule as a test sees it: how often it has fired, so a test can prove its fault happened. */
export interface FaultHandle {
  readonly rule: FaultRule;
  /** Requests this rule has answered or damaged so far. */
  readonly fired: number;
}

class QueuedFault implements FaultHandle {
  fired = 0;
  constructor(
    readonly rule: FaultRule,
    public left: number,
  ) {}
}

/**
 * Holds the queued rules. The first rule that matches a request wins and is consumed once;
 * a rule whose count reaches 0 is dropped, so later rules for the same route take over.
 */
export class FaultQueue {
  private rules: QueuedFault[] = [];

  add(rule: FaultRule): FaultHandle {
    const entry = new QueuedFault(rule, rule.times ?? 1);
    if (entry.left > 0) this.rules.push(entry); // `times: 0` (or NaN) can never fire: do not keep it around
    return entry;
  }

  clear(): void {
    this.rules = [];
  }

  /** Finds and consumes the fault for this request, if any. */
  take(method: string, pathname: string): Fault | undefined {
    const index = this.rules.findIndex(({ rule }) => matches(rule, method, pathname));
    if (index < 0) return undefined;
    const entry = this.rules[index];
    entry.left -= 1;
    entry.fired += 1;
    if (entry.left <= 0) this.rules.splice(index, 1);
    return entry.rule.fault;
  }
}

function matches(rule: FaultRule, method: string, pathname: string): boolean {
  if (rule.method !== undefined && rule.method.toUpperCase() !== method.toUpperCase()) return false;
  if (rule.path === undefined) return true;
  if (typeof rule.path === 'string') return rule.path === pathname;
  rule.path.lastIndex = 0; // a /g or /y regex keeps state between test() calls
  return rule.path.test(pathname);
}

/**
 * What OpenAI (or Cloudflare in front of it) sends for a status when a test injects one without a body.
 * The 502/504 bodies really carry a numeric `code` and a `cf_*` type: clients must not assume strings.
 */
export function defaultErrorBody(status: number, method: string, pathname: string): OpenAIErrorBody {
  switch (status) {
    case 400:
      return errorBody('Invalid request.', 'invalid_request_error');
    case 401:
      return errorBody('Your authentication token has expired. Please try signing in again.', 'invalid_request_error', null, 'token_expired');
    case 403:
      return errorBody('Country, region, or territory not supported', 'request_forbidden', null, 'unsupported_country_region_territory');
    case 404:
      return errorBody(`Invalid URL (${method} ${pathname})`, 'invalid_request_error');
    case 408:
      return errorBody('Request timed out.', 'timeout');
    case 409:
      return errorBody('The request conflicted with another request. Please try again.', 'invalid_request_error', null, 'conflict');
    case 429:
      return errorBody(
        'Rate limit reached for requests. Please try again in 1s. Visit https://platform.openai.com/account/rate-limits to learn more.',
        'requests',
        null,
        'rate_limit_exceeded',
      );
    case 500:
      return errorBody(
        'The server had an error while processing your request. Sorry about that! You can retry your request, or contact us through our help center at help.openai.com if the error persists.',
        'server_error',
      );
    case 502:
      return errorBody('Bad gateway.', 'cf_bad_gateway', null, 502);
    case 503:
      return errorBody('The server is overloaded or not ready yet.', 'server_error');
    case 504:
      return errorBody('Gateway timeout.', 'cf_gateway_timeout', null, 504);
    default:
      return errorBody(`HTTP ${status}`, status >= 500 ? 'server_error' : 'invalid_request_error');
  }
}

/** Ready-made bodies for the 429s that look alike but mean different things (retry vs. tell the user). */
export const quotaErrors = {
  insufficientQuota: errorBody(
    'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
    'insufficient_quota',
    null,
    'insufficient_quota',
  ),
  billingHardLimit: errorBody('Billing hard limit has been reached', 'invalid_request_error', null, 'billing_hard_limit_reached'),
} as const;

const reasonPhrases: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Temporarily Unavailable',
  504: 'Gateway Time-out',
};

/** The nginx/Cloudflare-style page a reverse proxy answers with instead of JSON. */
export function proxyHtmlPage(status: number): string {
  const title = `${status} ${reasonPhrases[status] ?? 'Error'}`;
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n`;
}
