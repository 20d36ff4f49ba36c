import * as assert from 'node:assert/strict';
import { ApiError, connectionError, connectionFailureReason, describeError, errorFromResponse, isApiError } from '../../src/core/apiError';
import { retryDelayMs, shouldRetryError, shouldRetryResponse } from '../../src/core/retryPolicy';

describe('errorFromResponse', () => {
  it("reads OpenAI's error body, with status and request id in the sentence", () => {
    const e = errorFromResponse(404, '{"error":{"message":"No batch found with id \'b\'.","type":"invalid_request_error","param":null,"code":null}}', 'application/json', 'req_1', false);
    assert.equal(e.status, 404);
    assert.equal(e.type, 'invalid_request_error');
    assert.equal(e.describe(), "No batch found with id 'b'. (HTTP 404, request ID req_1)");
  });

  it('turns an HTML proxy page into one clear sentence', () => {
    const e = errorFromResponse(502, '<html><body><h1>502 Bad Gateway</h1></body></html>', 'text/html', undefined, true);
    assert.equal(e.describe(), 'The server answered 502 Bad Gateway with an HTML page (a proxy or gateway in the way?). (HTTP 502)');
    assert.equal(e.retryable, true);
  });

  it('names a rejected key and a quota problem', () => {
    const auth = errorFromResponse(401, '{"error":{"message":"Incorrect API key provided: sk-ab***yz.","type":"invalid_request_error","code":"invalid_api_key"}}', null, 'req_2', false);
    assert.ok(auth.isAuthError);
    assert.match(auth.describe(), /^The API key was rejected: Incorrect API key provided/);
    const quota = errorFromResponse(429, '{"error":{"message":"You exceeded your current quota.","type":"insufficient_quota","code":"insufficient_quota"}}', null, undefined, true);
    assert.ok(quota.isQuotaError);
    assert.match(quota.describe(), /billing/);
    assert.equal(shouldRetryError(quota, 0), false);
  });

  it('copes with empty and plain-text bodies', () => {
    assert.match(errorFromResponse(500, '', null, undefined, true).message, /500 Internal Server Error with an empty response/);
    assert.equal(errorFromResponse(400, '{"error":"bad limit"}', null, undefined, false).message, 'bad limit');
  });
});

describe('connection failures', () => {
  it('name the system or TLS error in plain words, whatever the message says', () => {
    const reason = (code: string) => connectionFailureReason(Object.assign(new Error(`request to https://h/v1 failed, reason: ${code} blah`), { code }));
    assert.deepEqual(
      ['ECONNREFUSED', 'ENOTFOUND', 'ECONNRESET', 'ETIMEDOUT', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'ERR_TLS_CERT_ALTNAME_INVALID', 'ERR_SSL_WRONG_VERSION_NUMBER', 'EWHATEVER'].map(reason),
      [
        'connection refused',
        'host not found',
        'connection reset',
        'connection timed out',
        'its certificate has expired',
        'its certificate is self-signed',
        'its certificate is not trusted',
        'its certificate is for another host',
        'the secure connection failed',
        'network error',
      ],
    );
    assert.equal(connectionFailureReason({ cause: { code: 'ECONNREFUSED' } }), 'connection refused');
    assert.equal(connectionFailureReason('weird'), 'network error');
  });

  it('read as one sentence naming the host, retryable', () => {
    const e = connectionError('api.example.test:8443', { code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND api.example.test' });
    assert.equal(e.describe(), "Can't reach the API at api.example.test:8443 (host not found)");
    assert.equal(e.kind, 'connection');
    assert.equal(e.retryable, true);
  });
});

describe('retry policy', () => {
  it('retries rate limits, timeouts and server errors; not client errors; x-should-retry overrules', () => {
    assert.deepEqual([408, 429, 500, 503, 400, 401, 404, 409].map((s) => shouldRetryResponse(s, null)), [true, true, true, true, false, false, false, false]);
    assert.equal(shouldRetryResponse(500, 'false'), false);
    assert.equal(shouldRetryResponse(400, 'true'), true);
  });

  it('stops after two retries', () => {
    const e = new ApiError({ kind: 'connection', message: 'x', retryable: true });
    assert.deepEqual([0, 1, 2].map((n) => shouldRetryError(e, n)), [true, true, false]);
  });

  it('waits as the server says when within 60 s, else backs off exponentially with jitter', () => {
    const now = Date.UTC(2026, 0, 1);
    assert.equal(retryDelayMs(0, { retryAfterMs: '250' }, now), 250);
    assert.equal(retryDelayMs(0, { retryAfter: '2' }, now), 2000);
    assert.equal(retryDelayMs(0, { retryAfter: new Date(now + 5000).toUTCString() }, now), 5000);
    assert.equal(retryDelayMs(0, { retryAfter: '3600' }, now, () => 0), 500);
    assert.equal(retryDelayMs(1, {}, now, () => 0), 1000);
    assert.equal(retryDelayMs(10, {}, now, () => 0), 8000);
    assert.equal(retryDelayMs(0, {}, now, () => 1), 375);
  });
});

describe('isApiError', () => {
  it('knows an ApiError made by another copy of the module, as a lazily loaded bundle has', () => {
    const modulePath = require.resolve('../../src/core/apiError');
    const own = require.cache[modulePath];
    delete require.cache[modulePath];
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const other = require(modulePath) as typeof import('../../src/core/apiError');
      assert.notEqual(other.ApiError, ApiError);
      const foreign = new other.ApiError({ kind: 'http', message: 'Incorrect API key provided.', status: 401, requestId: 'req_9' });
      assert.equal(isApiError(foreign), true);
      assert.equal(describeError(foreign), 'The API key was rejected: Incorrect API key provided. (HTTP 401, request ID req_9)');
    } finally {
      if (own) require.cache[modulePath] = own;
    }
  });

  it('is false for other errors and for look-alikes', () => {
    assert.equal(isApiError(new Error('x')), false);
    assert.equal(isApiError({ kind: 'http', status: 401, message: 'x' }), false);
    assert.equal(isApiError(undefined), false);
    assert.equal(isApiError('ApiError'), false);
  });
});
