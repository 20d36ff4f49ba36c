// Proves the fake OpenAI server keeps the contract in /work/shared/reference/openai-batch-api.md, over real
// HTTP with Node's fetch: other tests trust it to behave like OpenAI, so it is tested like a product.

import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import { TextDecoder } from 'node:util';
import { BATCH_STATUSES, contentChunks, demoDataset, generateDataset } from '../fake-openai/dataset';
import { echoedKeyMessage, FakeOpenAI, parseMultipart, quotaErrors } from '../fake-openai/server';
import type { FakeBatch, FakeFile, RecordedRequest } from '../fake-openai/server';
import { waitUntil } from '../support/waitUntil';

const NOW = 1_760_000_000;
const TIMESTAMPS = ['in_progress_at', 'expires_at', 'finalizing_at', 'completed_at', 'failed_at', 'expired_at', 'cancelling_at', 'cancelled_at'] as const;

interface ListBody {
  object: string;
  data: FakeBatch[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
}
interface ErrorBody {
  error: { message: string; type: string; param: string | null; code: string | number | null };
}

function client(api: () => FakeOpenAI) {
  return (path: string, init: RequestInit & { headers?: Record<string, string> } = {}): Promise<Response> =>
    fetch(`${api().baseUrl}${path}`, { ...init, headers: { authorization: `Bearer ${api().apiKey}`, ...init.headers } });
}

async function json<T>(res: Response): Promise<T> {
  assert.equal(res.headers.get('content-type'), 'application/json');
  return (await res.json()) as T;
}

/** Reads a body chunk by chunk (as the extension must), checking every line is JSON. */
async function streamJsonl(res: Response): Promise<{ bytes: number; lines: number; firstLine: Record<string, unknown> | undefined }> {
  assert.ok(res.body);
  const reader = res.body.getReader();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let bytes = 0;
  let lines = 0;
  let carry = '';
  let firstLine: Record<string, unknown> | undefined;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.length;
    const parts = (carry + decoder.decode(value, { stream: true })).split('\n');
    carry = parts.pop() ?? '';
    for (const line of parts) {
      const parsed = JSON.parse(line) as Record<string, unknown>; // throws on an invalid line
      firstLine ??= parsed;
      lines++;
    }
  }
  assert.equal(carry + decoder.decode(), '', 'the file ends with a newline');
  return { bytes, lines, firstLine };
}

/** A request whose body arrives in tiny pieces, so the multipart parser must stitch delimiters across chunks. */
function trickle(url: string, headers: Record<string, string>, body: Buffer, pieceSize: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { ...headers, 'content-length': String(body.length) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    const write = async (): Promise<void> => {
      for (let i = 0; i < body.length; i += pieceSize) {
        req.write(body.subarray(i, i + pieceSize));
        if (i % (pieceSize * 64) === 0) await new Promise((r) => setImmediate(r)); // let pieces go out separately
      }
      req.end();
    };
    void write();
  });
}

/**
 * The recorded requests once the last `expectCompleted` of them that completed have their status: the server
 * sets it when it has handed the answer over, which may be a moment after the client has read it.
 */
async function waitForAnswers(requests: () => RecordedRequest[], expectCompleted: number): Promise<RecordedRequest[]> {
  const deadline = Date.now() + 5_000;
  while (requests().filter((r) => r.status !== undefined).length < expectCompleted) {
    if (Date.now() > deadline) assert.fail(`expected ${expectCompleted} completed answers, got ${JSON.stringify(requests())}`);
    await new Promise((r) => setImmediate(r));
  }
  return requests();
}

function multipartBody(boundary: string, parts: { name: string; value: string | Buffer; filename?: string }[]): Buffer {
  const pieces: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.filename === undefined ? '' : `; filename="${part.filename}"`}`;
    const type = part.filename === undefined ? '' : 'Content-Type: application/octet-stream\r\n';
    pieces.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`), Buffer.from(part.value), Buffer.from('\r\n'));
  }
  pieces.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(pieces);
}

describe('fake OpenAI server', function () {
  this.timeout(30_000);

  describe('reads (250-batch account)', () => {
    let api: FakeOpenAI;
    const get = client(() => api);
    before(async () => {
      api = await FakeOpenAI.start({ count: 250, seed: 42, now: NOW });
    });
    after(() => api.close());
    afterEach(() => api.clearFaults());

    describe('GET /v1/batches', () => {
      it('answers the first 20, newest first, in the list envelope', async () => {
        const res = await get('/batches');
        assert.equal(res.status, 200);
        const body = await json<ListBody>(res);
        assert.deepEqual(Object.keys(body), ['object', 'data', 'first_id', 'last_id', 'has_more']);
        assert.equal(body.object, 'list');
        assert.equal(body.data.length, 20);
        assert.deepEqual(
          body.data.map((b) => b.id),
          api.batches.slice(0, 20).map((b) => b.id),
        );
        assert.equal(body.first_id, body.data[0].id);
        assert.equal(body.last_id, body.data[19].id);
        assert.equal(body.has_more, true);
        for (let i = 1; i < body.data.length; i++) assert.ok(body.data[i - 1].created_at >= body.data[i].created_at);
      });

      for (const limit of [37, 100, 1]) {
        it(`walks all 250 with limit=${limit}: no duplicates, no gaps, has_more false only at the end`, async () => {
          const seen: string[] = [];
          let after: string | null = null;
          for (let page = 0; page < 300; page++) {
            const query: string = after === null ? `?limit=${limit}` : `?limit=${limit}&after=${encodeURIComponent(after)}`;
            const body: ListBody = await json<ListBody>(await get(`/batches${query}`));
            assert.ok(body.data.length > 0 && body.data.length <= limit);
            assert.equal(body.first_id, body.data[0].id);
            assert.equal(body.last_id, body.data[body.data.length - 1].id);
            seen.push(...body.data.map((b) => b.id));
            assert.equal(body.has_more, seen.length < 250);
            if (!body.has_more) break;
            after = body.last_id;
          }
          assert.equal(new Set(seen).size, 250);
          assert.deepEqual(
            seen,
            api.batches.map((b) => b.id),
          );
        });
      }

      it('answers an empty last page after the oldest batch and after an unknown id', async () => {
        const oldest = api.batches[api.batches.length - 1].id;
        for (const after of [oldest, 'batch_does_not_exist']) {
          const body = await json<ListBody>(await get(`/batches?after=${after}`));
          assert.deepEqual(body, { object: 'list', data: [], first_id: null, last_id: null, has_more: false });
        }
      });

      it('rejects limit 0 with OpenAI’s body', async () => {
        const res = await get('/batches?limit=0');
        assert.equal(res.status, 400);
        assert.deepEqual(await json(res), {
          error: {
            message: "Invalid 'limit': integer below minimum value. Expected a value >= 1, but got 0 instead.",
            type: 'invalid_request_error',
            param: 'limit',
            code: 'integer_below_min_value',
          },
        });
      });

      const badLimits: [string, string, string][] = [
        ['101', 'integer_above_max_value', "Invalid 'limit': integer above maximum value. Expected a value <= 100, but got 101 instead."],
        ['abc', 'invalid_type', "Invalid type for 'limit': expected an integer, but got a string instead."],
        ['1.5', 'invalid_type', "Invalid type for 'limit': expected an integer, but got a decimal instead."],
        ['-1', 'integer_below_min_value', "Invalid 'limit': integer below minimum value. Expected a value >= 1, but got -1 instead."],
        ['', 'invalid_type', "Invalid type for 'limit': expected an integer, but got a string instead."],
      ];
      for (const [limit, code, message] of badLimits) {
        it(`rejects limit=${JSON.stringify(limit)} with ${code}`, async () => {
          const res = await get(`/batches?limit=${limit}`);
          assert.equal(res.status, 400);
          assert.deepEqual(await json(res), { error: { message, type: 'invalid_request_error', param: 'limit', code } });
        });
      }

      it('accepts limit=100 and limit=1', async () => {
        assert.equal((await json<ListBody>(await get('/batches?limit=100'))).data.length, 100);
        assert.equal((await json<ListBody>(await get('/batches?limit=1'))).data.length, 1);
      });
    });

    describe('auth', () => {
      it('answers 401 without a key, with OpenAI’s message and a null code', async () => {
        const res = await fetch(`${api.baseUrl}/batches`);
        assert.equal(res.status, 401);
        assert.match(res.headers.get('x-request-id') ?? '', /^req_[0-9a-f]{32}$/);
        const body = await json<ErrorBody>(res);
        assert.match(body.error.message, /^You didn't provide an API key\. /);
        assert.equal(body.error.type, 'invalid_request_error');
        assert.equal(body.error.param, null);
        assert.equal(body.error.code, null);
      });

      it('answers 401 invalid_api_key for a wrong key, masked like OpenAI', async () => {
        const res = await get('/batches', { headers: { authorization: 'Bearer sk-wrong' } });
        assert.equal(res.status, 401);
        assert.deepEqual(await json(res), {
          error: {
            message: 'Incorrect API key provided: sk-wr***ng. You can find your API key at https://platform.openai.com/account/api-keys.',
            type: 'invalid_request_error',
            param: null,
            code: 'invalid_api_key',
          },
        });
      });

      it('never echoes a key, wrong or right', async () => {
        const wrongKeys = [`${api.apiKey}x`, 'sk-proj-abcdefghijklmnopqrstuvwxyz0123456789', 'short', 'sk-123456789'];
        for (const key of wrongKeys) {
          const text = await (await get('/batches', { headers: { authorization: `Bearer ${key}` } })).text();
          assert.ok(!text.includes(key), `echoed ${key}: ${text}`);
          assert.ok(!text.includes(api.apiKey), text);
          assert.match(text, /Incorrect API key provided: \S*\*\*\*/);
        }
      });

      it('treats a non-Bearer or empty Authorization header as no key', async () => {
        for (const authorization of [`Basic ${api.apiKey}`, 'Bearer ', api.apiKey]) {
          const res = await get('/batches', { headers: { authorization } });
          assert.equal(res.status, 401);
          assert.match((await json<ErrorBody>(res)).error.message, /^You didn't provide an API key/);
        }
      });

      it('guards every endpoint, known or not', async () => {
        const running = api.batches.find((b) => b.status === 'in_progress');
        assert.ok(running);
        const id = running.id;
        const fileId = api.batches[0].input_file_id;
        const routes: [string, string][] = [
          ['GET', '/batches'],
          ['POST', '/batches'],
          ['GET', `/batches/${id}`],
          ['POST', `/batches/${id}/cancel`],
          ['GET', `/files/${fileId}`],
          ['GET', `/files/${fileId}/content`],
          ['POST', '/files'],
          ['GET', '/nope'],
        ];
        for (const [method, path] of routes) {
          const res = await fetch(`${api.baseUrl}${path}`, { method });
          assert.equal(res.status, 401, `${method} ${path}`);
          await res.arrayBuffer();
        }
        assert.equal(running.status, 'in_progress', 'the unauthenticated cancel did nothing');
        assert.equal(api.batches.length, 250, 'the unauthenticated create did nothing');
      });
    });

    describe('GET /v1/batches/{id}', () => {
      it('answers the batch with explicit nulls', async () => {
        const validating = api.batches.find((b) => b.status === 'validating');
        assert.ok(validating);
        const res = await get(`/batches/${validating.id}`);
        assert.equal(res.status, 200);
        const body = await json<Record<string, unknown>>(res);
        assert.deepEqual(body, JSON.parse(JSON.stringify(validating)));
        for (const field of TIMESTAMPS.filter((f) => f !== 'expires_at')) assert.equal(body[field], null, field);
        assert.equal(body.output_file_id, null);
        assert.equal(body.errors, null);
      });

      it('answers 404 with OpenAI’s body for an unknown id', async () => {
        const res = await get('/batches/batch_nope');
        assert.equal(res.status, 404);
        assert.deepEqual(await json(res), { error: { message: "No batch found with id 'batch_nope'.", type: 'invalid_request_error', param: null, code: null } });
      });

      it('percent-decodes ids in the path', async () => {
        const odd: FakeBatch = { ...api.batches[5], id: 'bGl0ZWxsbTpjdXN0b20/id=1 +x' };
        api.addBatch(odd);
        try {
          const res = await get(`/batches/${encodeURIComponent(odd.id)}`);
          assert.equal(res.status, 200);
          assert.equal((await json<FakeBatch>(res)).id, odd.id);
        } finally {
          api.batches.shift();
        }
      });

      it('answers 404 Invalid URL for unknown routes and methods', async () => {
        for (const [method, path] of [
          ['GET', '/nope'],
          ['DELETE', '/batches'],
          ['GET', '/batches/x/cancel'],
          ['GET', '/batches/'],
        ]) {
          const res = await get(path, { method });
          assert.equal(res.status, 404);
          assert.deepEqual(await json(res), { error: { message: `Invalid URL (${method} /v1${path})`, type: 'invalid_request_error', param: null, code: null } });
        }
      });
    });

    describe('files', () => {
      it('answers a file object, and 404 `No such File object` for an unknown id', async () => {
        const file = api.files.get(api.batches[0].input_file_id ?? '');
        assert.ok(file);
        assert.deepEqual(await json(await get(`/files/${file.meta.id}`)), file.meta);
        const res = await get('/files/file-nope');
        assert.equal(res.status, 404);
        assert.deepEqual(await json(res), { error: { message: 'No such File object: file-nope', type: 'invalid_request_error', param: 'id', code: null } });
        assert.equal((await get('/files/file-nope/content')).status, 404);
      });

      it('serves content byte-exact, as octet-stream with content-length', async () => {
        const batch = api.batches.find((b) => b.output_file_id !== null && (api.files.get(b.output_file_id)?.meta.bytes ?? Infinity) < 1024 * 1024);
        const file = api.files.get(batch?.output_file_id ?? '');
        assert.ok(file);
        const res = await get(`/files/${file.meta.id}/content`);
        assert.equal(res.status, 200);
        assert.equal(res.headers.get('content-type'), 'application/octet-stream');
        assert.equal(res.headers.get('content-length'), String(file.meta.bytes));
        const bytes = Buffer.from(await res.arrayBuffer());
        assert.ok(bytes.equals(Buffer.concat([...contentChunks(file.content)])));
        const first = JSON.parse(bytes.toString('utf8').split('\n')[0]) as { id: string; custom_id: string; response: { status_code: number }; error: null };
        assert.match(first.id, /^batch_req_[0-9a-f]{32}$/);
        assert.match(first.custom_id, /^request-\d+$/);
        assert.equal(first.response.status_code, 200);
        assert.equal(first.error, null);
      });

      it('streams a generated 20 MB file: exact length, valid JSONL, same bytes every time', async () => {
        const size = 20 * 1024 * 1024;
        const file = api.addLargeFile('file-large20', size);
        assert.equal(file.meta.bytes, size);
        assert.equal((await json<FakeFile['meta']>(await get('/files/file-large20'))).bytes, size);
        const res = await get('/files/file-large20/content');
        assert.equal(res.headers.get('content-length'), String(size));
        const result = await streamJsonl(res);
        assert.equal(result.bytes, size);
        assert.ok(result.lines > 10_000);
        assert.equal(result.firstLine?.custom_id, 'request-1');
        const again = Buffer.from(await (await get('/files/file-large20/content')).arrayBuffer());
        assert.equal(again.length, size);
        assert.ok(again.subarray(0, 4096).equals(Buffer.from(await (await get('/files/file-large20/content')).arrayBuffer()).subarray(0, 4096)));
      });

      it('generates request lines for purpose batch and exact tiny sizes', async () => {
        api.addLargeFile('file-gen-input', 50_000, { purpose: 'batch' });
        const result = await streamJsonl(await get('/files/file-gen-input/content'));
        assert.equal(result.bytes, 50_000);
        assert.equal(result.firstLine?.method, 'POST');
        assert.equal(result.firstLine?.url, '/v1/chat/completions');
        for (const size of [0, 3, 777]) {
          api.addLargeFile(`file-tiny-${size}`, size);
          const body = Buffer.from(await (await get(`/files/file-tiny-${size}/content`)).arrayBuffer());
          assert.equal(body.length, size);
          if (size > 0) JSON.parse(body.toString('utf8'));
        }
      });
    });

    describe('faults', () => {
      it('status: answers the status with a default OpenAI body and extra headers, once by default', async () => {
        api.fault({ method: 'GET', path: /^\/v1\/batches$/, fault: { kind: 'status', status: 429, headers: { 'retry-after': '2' } } });
        const res = await get('/batches');
        assert.equal(res.status, 429);
        assert.equal(res.headers.get('retry-after'), '2');
        assert.match(res.headers.get('x-request-id') ?? '', /^req_/);
        assert.equal((await json<ErrorBody>(res)).error.code, 'rate_limit_exceeded');
        assert.equal((await get('/batches')).status, 200);
      });

      it('status: sends a given body as is', async () => {
        api.fault({ fault: { kind: 'status', status: 429, body: quotaErrors.insufficientQuota } });
        const res = await get(`/batches/${api.batches[0].id}`);
        assert.equal(res.status, 429);
        assert.deepEqual(await json(res), quotaErrors.insufficientQuota);
        api.fault({ fault: { kind: 'status', status: 400, body: { detail: 'not OpenAI-shaped' } } });
        assert.deepEqual(await json(await get('/batches')), { detail: 'not OpenAI-shaped' });
      });

      it('counts `times`, filters by method and exact path, and clears', async () => {
        api.fault({ path: '/v1/batches', times: 2, fault: { kind: 'status', status: 500 } });
        api.fault({ method: 'POST', fault: { kind: 'status', status: 503 } });
        assert.equal((await get(`/batches/${api.batches[0].id}`)).status, 200, 'other path');
        assert.equal((await get('/batches')).status, 500);
        assert.equal((await get('/batches')).status, 500);
        assert.equal((await get('/batches')).status, 200, 'used up');
        api.fault({ path: /batches/, times: Infinity, fault: { kind: 'status', status: 502 } });
        for (let i = 0; i < 5; i++) {
          const res = await get('/batches');
          assert.equal(res.status, 502);
          assert.deepEqual(await json(res), { error: { message: 'Bad gateway.', type: 'cf_bad_gateway', param: null, code: 502 } });
        }
        api.clearFaults();
        assert.equal((await get('/batches')).status, 200);
        assert.equal((await get('/batches', { method: 'POST', body: '{}' })).status, 400, 'the POST rule was cleared too');
      });

      it('counts how often each rule fired, and records which requests got a fault and how they were answered', async () => {
        api.resetRequests();
        const twice = api.fault({ method: 'GET', path: '/v1/batches', times: 2, fault: { kind: 'status', status: 503 } });
        const posts = api.fault({ method: 'POST', path: '/v1/batches', fault: { kind: 'status', status: 500 } });
        const always = api.fault({ path: /^\/v1\/files\//, times: Infinity, fault: { kind: 'reset' } });
        const never = api.fault({ path: '/v1/batches', times: 0, fault: { kind: 'status', status: 400 } });
        assert.deepEqual([twice.fired, posts.fired, always.fired, never.fired], [0, 0, 0, 0]);
        assert.equal((await get(`/batches/${api.batches[0].id}`)).status, 200, 'no rule for this path');
        assert.equal(twice.fired, 0);
        assert.equal((await get('/batches')).status, 503);
        assert.equal(twice.fired, 1);
        assert.equal((await get('/batches')).status, 503);
        assert.equal((await get('/batches')).status, 200, 'used up');
        assert.equal(twice.fired, 2, 'a used-up rule stops counting');
        for (let i = 0; i < 3; i++) await assert.rejects(get('/files/file-x'), TypeError);
        assert.equal(always.fired, 3);
        assert.equal(posts.fired, 0, 'only its method');
        assert.equal(never.fired, 0, 'times 0 never fires');
        const answered = await waitForAnswers(() => api.requests, 4);
        assert.deepEqual(
          answered.map((r) => [r.method, r.path, r.fault, r.status]),
          [
            ['GET', `/v1/batches/${api.batches[0].id}`, undefined, 200],
            ['GET', '/v1/batches', 'status', 503],
            ['GET', '/v1/batches', 'status', 503],
            ['GET', '/v1/batches', undefined, 200],
            ['GET', '/v1/files/file-x', 'reset', undefined],
            ['GET', '/v1/files/file-x', 'reset', undefined],
            ['GET', '/v1/files/file-x', 'reset', undefined],
          ],
        );
        api.clearFaults();
      });

      it('echoKey: answers an error whose message repeats the bearer token exactly as sent', async () => {
        for (const [status, key] of [
          [401, 'sk-proj-rejected-key-0123456789'],
          [500, api.apiKey],
        ] as const) {
          const handle = api.fault({ fault: { kind: 'echoKey', status } });
          const res = await get('/batches', { headers: { authorization: `Bearer ${key}` } });
          assert.equal(res.status, status);
          const body = await json<ErrorBody>(res);
          assert.equal(body.error.message, echoedKeyMessage(key));
          assert.ok(body.error.message.includes(key), 'unmasked');
          assert.equal(body.error.code, status === 401 ? 'invalid_api_key' : null);
          assert.equal(handle.fired, 1);
        }
      });

      it('html: answers a proxy error page', async () => {
        api.fault({ fault: { kind: 'html', status: 502 } });
        const res = await get('/batches');
        assert.equal(res.status, 502);
        assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
        assert.match(await res.text(), /<title>502 Bad Gateway<\/title>/);
      });

      it('reset: drops the connection without an answer', async () => {
        api.fault({ fault: { kind: 'reset' } });
        await assert.rejects(get('/batches'), TypeError);
        assert.equal((await get('/batches')).status, 200);
      });

      it('resetMidBody: promises the whole file, sends part, then drops the connection', async () => {
        const small = api.files.get(api.batches[0].input_file_id ?? '');
        assert.ok(small);
        api.addLargeFile('file-cut', 3_000_000);
        for (const id of [small.meta.id, 'file-cut']) {
          api.fault({ path: `/v1/files/${id}/content`, fault: { kind: 'resetMidBody' } });
          const res = await get(`/files/${id}/content`);
          assert.equal(res.status, 200);
          assert.equal(res.headers.get('content-length'), String(api.files.get(id)?.meta.bytes));
          await assert.rejects(res.arrayBuffer());
        }
        assert.equal((await (await get('/files/file-cut/content')).arrayBuffer()).byteLength, 3_000_000);
      });

      it('delay: answers normally, late', async () => {
        const delay = api.fault({ fault: { kind: 'delay', ms: 300 } });
        let late = false;
        const timer = setTimeout(() => (late = true), 250);
        const res = await get('/batches?limit=2');
        clearTimeout(timer);
        assert.equal(delay.fired, 1);
        assert.ok(late, 'the answer came after the delay, not before');
        assert.equal((await json<ListBody>(res)).data.length, 2);
      });

      it('malformedJson: answers 200 with JSON that does not parse', async () => {
        api.fault({ fault: { kind: 'malformedJson' } });
        const res = await get('/batches');
        assert.equal(res.status, 200);
        assert.equal(res.headers.get('content-type'), 'application/json');
        const text = await res.text();
        assert.ok(text.startsWith('{"object":"list"'));
        assert.throws(() => JSON.parse(text), SyntaxError);
      });

      it('emptyPageHasMore: answers no data but has_more true', async () => {
        api.fault({ fault: { kind: 'emptyPageHasMore' } });
        assert.deepEqual(await json(await get('/batches')), { object: 'list', data: [], first_id: null, last_id: null, has_more: true });
      });

      it('stuckCursor: ignores `after` and answers the first page again', async () => {
        const first = await json<ListBody>(await get('/batches?limit=5'));
        api.fault({ fault: { kind: 'stuckCursor' } });
        const stuck = await json<ListBody>(await get(`/batches?limit=5&after=${first.last_id}`));
        assert.deepEqual(stuck, first);
        const moved = await json<ListBody>(await get(`/batches?limit=5&after=${first.last_id}`));
        assert.equal(moved.first_id, api.batches[5].id);
      });
    });

    describe('request recording and headers', () => {
      it('records method, raw path, query and the interesting headers, in order', async () => {
        api.resetRequests();
        const before = Date.now();
        await get('/batches?limit=5&after=batch_x&limit=7', {
          headers: { 'OpenAI-Organization': 'org-123', 'OpenAI-Project': 'proj_abc', 'User-Agent': 'openai-batches/0.1.0' },
        });
        await fetch(`${api.baseUrl}/batches/a%2Fb`);
        assert.equal(api.requests.length, 2);
        const [list, unauthenticated] = api.requests;
        assert.equal(list.method, 'GET');
        assert.equal(list.path, '/v1/batches');
        assert.deepEqual(list.query, { limit: '5', after: 'batch_x' });
        assert.deepEqual(list.headers, {
          authorization: `Bearer ${api.apiKey}`,
          'openai-organization': 'org-123',
          'openai-project': 'proj_abc',
          'user-agent': 'openai-batches/0.1.0',
        });
        assert.ok(list.time >= before && list.time <= Date.now());
        assert.equal(unauthenticated.path, '/v1/batches/a%2Fb');
        assert.equal(unauthenticated.headers.authorization, undefined);
      });

      it('puts a fresh x-request-id on every response', async () => {
        const ids = new Set<string>();
        for (const path of ['/batches', '/batches/batch_nope', '/files/file-nope', '/nope']) {
          const res = await get(path);
          await res.arrayBuffer();
          const id = res.headers.get('x-request-id') ?? '';
          assert.match(id, /^req_[0-9a-f]{32}$/);
          ids.add(id);
        }
        assert.equal(ids.size, 4);
      });
    });
  });

  describe('writes', () => {
    let api: FakeOpenAI;
    const call = client(() => api);
    const post = (path: string, body: unknown): Promise<Response> =>
      call(path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    beforeEach(async () => {
      api = await FakeOpenAI.start({ count: 20, seed: 7, now: Math.floor(Date.now() / 1000) });
    });
    afterEach(() => api.close());

    async function upload(content: string, filename: string, purpose?: string): Promise<Response> {
      const form = new FormData();
      form.append('file', new Blob([content]), filename);
      if (purpose !== undefined) form.append('purpose', purpose);
      return call('/files', { method: 'POST', body: form });
    }

    it('cancels a running batch, and answers 409 for a finished one', async () => {
      const running = api.batches.find((b) => b.status === 'in_progress');
      assert.ok(running);
      const before = Math.floor(Date.now() / 1000);
      const res = await call(`/batches/${running.id}/cancel`, { method: 'POST' });
      assert.equal(res.status, 200);
      const body = await json<FakeBatch>(res);
      assert.equal(body.status, 'cancelling');
      assert.ok((body.cancelling_at ?? 0) >= before);
      assert.equal((await json<FakeBatch>(await call(`/batches/${running.id}`))).status, 'cancelling');

      const done = api.batches.find((b) => b.status === 'completed');
      assert.ok(done);
      const conflict = await call(`/batches/${done.id}/cancel`, { method: 'POST' });
      assert.equal(conflict.status, 409);
      assert.deepEqual(await json(conflict), { error: { message: "Cannot cancel a batch with status 'completed'.", type: 'invalid_request_error', param: null, code: null } });
      assert.equal((await call('/batches/batch_nope/cancel', { method: 'POST' })).status, 404);
    });

    it('deletes a file, which then 404s', async () => {
      const [id] = api.files.keys();
      const res = await call(`/files/${id}`, { method: 'DELETE' });
      assert.equal(res.status, 200);
      assert.deepEqual(await json(res), { id, object: 'file', deleted: true });
      assert.equal((await call(`/files/${id}`)).status, 404);
      assert.equal((await call(`/files/${id}`, { method: 'DELETE' })).status, 404);
    });

    it('uploads a file (multipart) and creates a batch from it, put first', async () => {
      const content = `${JSON.stringify({ custom_id: 'a', method: 'POST', url: '/v1/chat/completions', body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'héllo' }] } })}\n`;
      const res = await upload(content, 'input.jsonl', 'batch');
      assert.equal(res.status, 200);
      const file = await json<FakeFile['meta']>(res);
      assert.match(file.id, /^file-[A-Za-z0-9]{22}$/);
      assert.equal(file.object, 'file');
      assert.equal(file.bytes, Buffer.byteLength(content));
      assert.equal(file.filename, 'input.jsonl');
      assert.equal(file.purpose, 'batch');
      assert.equal(file.expires_at, file.created_at + 30 * 86400);
      assert.deepEqual(await json(await call(`/files/${file.id}`)), file);
      assert.equal(await (await call(`/files/${file.id}/content`)).text(), content);

      const created = await post('/batches', { input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h', metadata: { team: 'search' } });
      assert.equal(created.status, 200);
      const batch = await json<FakeBatch>(created);
      assert.match(batch.id, /^batch_[0-9a-f]{32}$/);
      assert.equal(batch.status, 'validating');
      assert.equal(batch.model, 'gpt-4o-mini');
      assert.deepEqual(batch.request_counts, { total: 0, completed: 0, failed: 0 });
      assert.deepEqual(batch.metadata, { team: 'search' });
      assert.equal(batch.in_progress_at, null);
      assert.equal(batch.expires_at, batch.created_at + 86400);
      const list = await json<ListBody>(await call('/batches?limit=1'));
      assert.equal(list.first_id, batch.id);
      // What reached the server, for tests to assert on: the upload's fields, the batch request's body.
      const [uploaded, posted] = api.requests.filter((r) => r.method === 'POST');
      assert.deepEqual(uploaded.fields, { purpose: 'batch' });
      assert.deepEqual(posted.body, { input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h', metadata: { team: 'search' } });
    });

    it('validates batch creation with OpenAI’s 400s', async () => {
      const input = api.batches[0].input_file_id ?? '';
      api.addFile({ meta: { id: 'file-assist', object: 'file', bytes: 2, created_at: 1, filename: 'a.pdf', purpose: 'assistants' }, content: '{}' });
      const valid = { input_file_id: input, endpoint: '/v1/embeddings', completion_window: '24h' };
      const cases: [unknown, string, string | null, string | null][] = [
        [{ endpoint: '/v1/embeddings', completion_window: '24h' }, "Missing required parameter: 'input_file_id'.", 'input_file_id', 'missing_required_parameter'],
        [{ ...valid, input_file_id: 5 }, "Invalid type for 'input_file_id': expected a string, but got an integer instead.", 'input_file_id', 'invalid_type'],
        [{ ...valid, endpoint: '/v1/foo' }, "Invalid value: '/v1/foo'. Supported values are: '/v1/responses', '/v1/chat/completions', '/v1/embeddings', '/v1/completions', '/v1/moderations', '/v1/images/generations', '/v1/images/edits', and '/v1/videos'.", 'endpoint', 'invalid_value'],
        [{ ...valid, completion_window: '48h' }, "Invalid value: '48h'. Supported values are: '24h'.", 'completion_window', 'invalid_value'],
        [{ ...valid, input_file_id: 'file-nope' }, 'No such File object: file-nope', 'input_file_id', null],
        [{ ...valid, input_file_id: 'file-assist' }, "Invalid 'input_file_id': file 'file-assist' has purpose 'assistants', but batch input files must have purpose 'batch'.", 'input_file_id', 'invalid_value'],
        [{ ...valid, priority: 'high' }, 'Unrecognized request argument supplied: priority', null, null],
        [{ ...valid, metadata: Object.fromEntries([...Array(17).keys()].map((i) => [`k${i}`, 'v'])) }, "Invalid 'metadata': too many properties. Expected an object with at most 16 properties, but got an object with 17 properties instead.", 'metadata', 'object_above_max_properties'],
        [{ ...valid, metadata: { team: 1 } }, "Invalid type for 'metadata.team': expected a string, but got an integer instead.", 'metadata.team', 'invalid_type'],
        [{ ...valid, output_expires_after: { anchor: 'created_at', seconds: 60 } }, "Invalid 'output_expires_after.seconds': integer below minimum value. Expected a value >= 3600, but got 60 instead.", 'output_expires_after.seconds', 'integer_below_min_value'],
        [[valid], "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, please contact us through our help center at help.openai.com.)", null, null],
      ];
      for (const [body, message, param, code] of cases) {
        const res = await post('/batches', body);
        assert.equal(res.status, 400, message);
        assert.deepEqual(await json(res), { error: { message, type: 'invalid_request_error', param, code } });
      }
      assert.equal((await call('/batches', { method: 'POST', body: '{"input_file_id":' })).status, 400);
      assert.equal((await post('/batches', { ...valid, output_expires_after: { anchor: 'created_at', seconds: 7200 } })).status, 200);
      assert.equal(api.batches.filter((b) => b.status === 'validating').length, 2, 'only the valid request created a batch');
    });

    it('rejects uploads without file or purpose, with a bad purpose, or that are not multipart', async () => {
      const filesBefore = api.files.size;
      const missingPurpose = await upload('{}\n', 'a.jsonl');
      assert.equal(missingPurpose.status, 400);
      assert.deepEqual(await json(missingPurpose), { error: { message: "Missing required parameter: 'purpose'.", type: 'invalid_request_error', param: 'purpose', code: 'missing_required_parameter' } });

      const form = new FormData();
      form.append('purpose', 'batch');
      const missingFile = await call('/files', { method: 'POST', body: form });
      assert.equal(missingFile.status, 400);
      assert.equal((await json<ErrorBody>(missingFile)).error.param, 'file');

      const badPurpose = await upload('{}\n', 'a.jsonl', 'nonsense');
      assert.equal((await json<ErrorBody>(badPurpose)).error.code, 'invalid_value');
      const notJsonl = await upload('{}\n', 'a.txt', 'batch');
      assert.equal((await json<ErrorBody>(notJsonl)).error.message, 'Invalid file format for Batch API. Must be .jsonl');
      const notMultipart = await post('/files', { purpose: 'batch' });
      assert.equal(notMultipart.status, 400);
      assert.match((await json<ErrorBody>(notMultipart)).error.message, /expected multipart\/form-data/);
      assert.equal(api.files.size, filesBefore, 'no rejected upload was stored');
    });

    it('parses multipart streamed in tiny pieces, with delimiter look-alikes in the file and purpose last', async () => {
      const boundary = '----formdata-fake-1234';
      const line = `{"custom_id":"x","note":"--${boundary.slice(0, 10)} \\r\\n-- almost a delimiter"}\r\n--${boundary.slice(0, -1)}\n`;
      const content = Buffer.from(line.repeat(20_000) + 'ünïcödé\n');
      const body = multipartBody(boundary, [
        { name: 'file', value: content, filename: 'big.jsonl' },
        { name: 'expires_after[anchor]', value: 'created_at' },
        { name: 'expires_after[seconds]', value: '7200' },
        { name: 'purpose', value: 'batch' },
      ]);
      const url = `${api.baseUrl}/files`;
      const headers = { authorization: `Bearer ${api.apiKey}`, 'content-type': `multipart/form-data; boundary=${boundary}` };
      const res = await trickle(url, headers, body, 7);
      assert.equal(res.status, 200, res.body);
      const meta = JSON.parse(res.body) as FakeFile['meta'];
      assert.equal(meta.bytes, content.length);
      assert.equal(meta.filename, 'big.jsonl');
      assert.equal(meta.expires_at, meta.created_at + 7200);
      assert.deepEqual(api.requests.at(-1)?.fields, { 'expires_after[anchor]': 'created_at', 'expires_after[seconds]': '7200', purpose: 'batch' });
      const stored = api.files.get(meta.id);
      assert.ok(stored && typeof stored.content === 'string');
      assert.ok(Buffer.from(stored.content, 'utf8').equals(content));

      const truncated = await trickle(url, headers, body.subarray(0, body.length - 40), 4096);
      assert.equal(truncated.status, 400);
      assert.match(truncated.body, /multipart/);
    });

    it('parses multipart split at every possible place', async () => {
      const boundary = 'XyZ--42';
      const content = Buffer.from('{"a":"\r\n--XyZ--4"}\r\n--XyZ-\n\r\n\r\n');
      const body = multipartBody(boundary, [
        { name: 'purpose', value: 'batch' },
        { name: 'file', value: content, filename: 'x.jsonl' },
      ]);
      async function* pieces(size: number): AsyncGenerator<Buffer> {
        for (let i = 0; i < body.length; i += size) yield body.subarray(i, i + size);
      }
      for (let size = 1; size <= body.length; size++) {
        const form = await parseMultipart(pieces(size), boundary);
        assert.equal(form.fields.get('purpose'), 'batch', `pieces of ${size}`);
        assert.equal(form.file?.filename, 'x.jsonl');
        assert.equal(form.file?.bytes, content.length);
        assert.ok(Buffer.concat(form.file?.chunks ?? []).equals(content), `pieces of ${size}`);
      }
      async function* truncated(): AsyncGenerator<Buffer> {
        yield body.subarray(0, body.length - 5);
      }
      await assert.rejects(parseMultipart(truncated(), boundary));
    });

    it('answers an empty account with an empty list', async () => {
      const empty = await FakeOpenAI.start();
      try {
        assert.equal(empty.apiKey, 'sk-fake-0123456789abcdef');
        assert.match(empty.baseUrl, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
        const res = await fetch(`${empty.baseUrl}/batches`, { headers: { authorization: `Bearer ${empty.apiKey}` } });
        assert.deepEqual(await json(res), { object: 'list', data: [], first_id: null, last_id: null, has_more: false });
      } finally {
        await empty.close();
      }
    });

    it('closes promptly with a request still waiting on a delay', async () => {
      const delay = api.fault({ fault: { kind: 'delay', ms: 60_000 } });
      const pending = call('/batches');
      await waitUntil('the request to reach the fake', () => delay.fired === 1);
      await api.close(); // were it to wait for the delay, the test's own timeout would fail it
      await assert.rejects(pending);
    });
  });

  describe('Azure mode', () => {
    let api: FakeOpenAI;
    before(async () => {
      api = await FakeOpenAI.start({ count: 5, seed: 9, now: NOW, mode: 'azure', apiKey: 'azure-key' });
    });
    after(() => api.close());
    const get = (path: string, headers: Record<string, string> = { 'api-key': 'azure-key' }) => fetch(`${api.origin}${path}`, { headers });

    it('serves the v1 paths under /openai/v1 and the older ones under /openai with a known api-version', async () => {
      assert.equal(api.baseUrl, `${api.origin}/openai/v1`);
      assert.equal((await json<ListBody>(await get('/openai/v1/batches?limit=2'))).data.length, 2);
      assert.equal((await json<ListBody>(await get('/openai/batches?api-version=2024-10-21'))).data.length, 5);
      for (const path of ['/openai/batches', '/openai/batches?api-version=2022-01-01', '/v1/batches', '/openai/v2/batches']) {
        const res = await get(path);
        assert.equal(res.status, 404, path);
        assert.deepEqual(await json(res), { error: { code: '404', message: 'Resource not found' } });
      }
    });

    it("answers Azure's 401 to a wrong or missing api-key, and its token 401 to a bearer token it does not know", async () => {
      for (const [headers, message] of [
        [{ 'api-key': 'wrong' }, /^Access denied due to invalid subscription key or wrong API endpoint/],
        [{}, /^Access denied due to invalid subscription key or wrong API endpoint/],
        [{ authorization: 'Bearer azure-key' }, /^Unauthorized\. Access token is missing, invalid/],
      ] as [Record<string, string>, RegExp][]) {
        const res = await get('/openai/v1/batches', headers);
        assert.equal(res.status, 401);
        const body = await json<{ error: { code: string; message: string } }>(res);
        assert.equal(body.error.code, '401');
        assert.match(body.error.message, message);
      }
      assert.equal(api.requests[api.requests.length - 1].headers.authorization, 'Bearer azure-key', 'recorded as sent');
      assert.equal(api.requests[api.requests.length - 2].headers['api-key'], undefined);
    });

    it('takes the Entra ID token it is given as a Bearer token, and the key still as api-key', async () => {
      api.entraToken = 'entra-token-1';
      try {
        assert.equal((await get('/openai/v1/batches', { authorization: 'Bearer entra-token-1' })).status, 200);
        assert.equal((await get('/openai/v1/batches', { authorization: 'Bearer entra-token-0' })).status, 401);
        assert.equal((await get('/openai/v1/batches', { 'api-key': api.apiKey })).status, 200);
      } finally {
        api.entraToken = undefined;
      }
    });
  });

  describe('compatible mode', () => {
    let api: FakeOpenAI;
    before(async () => {
      api = await FakeOpenAI.start({ count: 8, seed: 1, now: NOW, mode: 'compatible' });
    });
    after(() => api.close());
    const get = client(() => api);

    it('lists without has_more, first_id or last_id, statuses in upper case, usage and model left out', async () => {
      const body = await json<Record<string, unknown> & { data: Record<string, unknown>[] }>(await get('/batches?limit=3'));
      assert.deepEqual(Object.keys(body).sort(), ['data', 'object']);
      assert.deepEqual(body.data.map((b) => b.status), api.batches.slice(0, 3).map((b) => b.status.toUpperCase()));
      for (const b of body.data) {
        assert.ok(!('usage' in b) && !('model' in b));
        assert.ok('request_counts' in b);
      }
      const one = await json<Record<string, unknown>>(await get(`/batches/${api.batches[0].id}`));
      assert.equal(one.status, api.batches[0].status.toUpperCase());
    });
  });

  describe('dataset generator', () => {
    const dataset = generateDataset({ count: 250, seed: 42, now: NOW });

    it('is deterministic for a seed and differs between seeds', () => {
      assert.deepEqual(generateDataset({ count: 60, seed: 9, now: NOW }), generateDataset({ count: 60, seed: 9, now: NOW }));
      assert.notDeepEqual(
        generateDataset({ count: 60, seed: 9, now: NOW }).batches.map((b) => b.id),
        generateDataset({ count: 60, seed: 10, now: NOW }).batches.map((b) => b.id),
      );
    });

    it('has every status at least once from 8 batches on, whatever the seed', () => {
      for (let seed = 1; seed <= 60; seed++) {
        for (const count of seed <= 3 ? [8, 9, 13, 250] : [8, 9, 13]) {
          const statuses = new Set(generateDataset({ count, seed, now: NOW }).batches.map((b) => b.status));
          assert.deepEqual([...statuses].sort(), [...BATCH_STATUSES].sort(), `seed ${seed}, count ${count}`);
        }
      }
    });

    it('is mostly completed, with mostly chat completions', () => {
      const completed = dataset.batches.filter((b) => b.status === 'completed').length;
      const chat = dataset.batches.filter((b) => b.endpoint === '/v1/chat/completions').length;
      assert.ok(completed > 125, `${completed} completed`);
      assert.ok(chat > 125 && chat < 250, `${chat} chat`);
      assert.ok(dataset.batches.some((b) => b.endpoint === '/v1/embeddings'));
      assert.ok(dataset.batches.some((b) => b.endpoint === '/v1/responses'));
    });

    it('keeps ids, order and timestamps consistent with each status', () => {
      const ids = new Set<string>();
      dataset.batches.forEach((b, i) => {
        assert.match(b.id, /^batch_[0-9a-f]{32}$/);
        assert.ok(!ids.has(b.id));
        ids.add(b.id);
        if (i > 0) assert.ok(dataset.batches[i - 1].created_at > b.created_at, 'newest first');
        for (const field of TIMESTAMPS) {
          assert.ok(Object.hasOwn(b, field), `${field} present (null when unset)`);
          const value = b[field];
          if (value !== null && field !== 'expires_at') assert.ok(value >= b.created_at && value <= NOW, `${b.status} ${field}`);
        }
        assert.equal(b.expires_at, b.created_at + 86400);
        const c = b.request_counts;
        assert.ok(c);
        assert.ok(c.completed + c.failed <= c.total);
        const set = (field: (typeof TIMESTAMPS)[number]): boolean => b[field] !== null;
        switch (b.status) {
          case 'validating':
            assert.deepEqual(c, { total: 0, completed: 0, failed: 0 });
            assert.ok(!set('in_progress_at'));
            break;
          case 'in_progress':
            assert.ok(set('in_progress_at') && c.total > 0 && c.completed + c.failed < c.total);
            break;
          case 'finalizing':
            assert.ok(set('finalizing_at') && c.completed + c.failed === c.total);
            break;
          case 'completed':
            assert.ok(set('completed_at') && (b.finalizing_at ?? 0) <= (b.completed_at ?? 0));
            assert.equal(c.completed + c.failed, c.total);
            break;
          case 'failed':
            assert.ok(set('failed_at') && (b.errors?.data.length ?? 0) > 0);
            break;
          case 'expired':
            assert.ok((b.expired_at ?? 0) >= b.created_at + 86400);
            break;
          case 'cancelling':
            assert.ok(set('cancelling_at') && !set('cancelled_at'));
            break;
          case 'cancelled':
            assert.ok((b.cancelled_at ?? 0) >= (b.cancelling_at ?? Infinity));
            break;
        }
        if (b.status !== 'failed') assert.equal(b.errors, null);
        const finished = ['completed', 'expired', 'cancelled'].includes(b.status);
        assert.equal(b.output_file_id !== null, finished && c.completed > 0, `${b.status} output`);
        assert.equal(b.error_file_id !== null, finished && c.failed > 0, `${b.status} errors`);
      });
    });

    it('covers the edge cases real accounts have', () => {
      const b = dataset.batches;
      assert.ok(b.some((x) => x.status === 'completed' && x.output_file_id === null && x.error_file_id !== null), 'completed, all failed');
      assert.ok(b.some((x) => x.model === undefined && !('model' in x)), 'model absent');
      assert.ok(b.some((x) => x.model !== undefined));
      assert.ok(b.some((x) => x.metadata === null) && b.some((x) => x.metadata !== null));
      assert.ok(b.some((x) => x.usage !== undefined) && b.some((x) => !('usage' in x)));
      const codes = new Set(b.flatMap((x) => x.errors?.data.map((e) => e.code) ?? []));
      assert.ok(codes.has('token_limit_exceeded') && codes.has('invalid_json_line'), [...codes].join());
      assert.ok(b.some((x) => x.errors?.data.some((e) => typeof e.line === 'number')));
    });

    it('creates every referenced file at its size, its lines JSON except those a failed validation names', () => {
      const files = new Map(dataset.files.map((f) => [f.meta.id, f]));
      for (const batch of dataset.batches) {
        for (const [id, purpose] of [
          [batch.input_file_id, 'batch'],
          [batch.output_file_id, 'batch_output'],
          [batch.error_file_id, 'batch_output'],
        ] as const) {
          if (id === null) continue;
          const file = files.get(id);
          assert.ok(file, id);
          assert.equal(file.meta.purpose, purpose);
          if (file.meta.bytes > 1024 * 1024) continue; // the large ones are read by the Results test
          const content = Buffer.concat([...contentChunks(file.content)]);
          assert.equal(file.meta.bytes, content.length);
          const broken = new Set(id === batch.input_file_id ? (batch.errors?.data.map((e) => e.line) ?? []) : []);
          const lines = content.toString('utf8').split('\n');
          assert.equal(lines.pop(), '', 'every line ends with a newline');
          lines.forEach((line, i) => {
            // A failed batch's invalid_json_line errors point at lines that really are broken.
            if (broken.has(i + 1) && batch.errors?.data[0].code === 'invalid_json_line') assert.throws(() => JSON.parse(line));
            else assert.doesNotThrow(() => JSON.parse(line), `${file.meta.filename}:${i + 1}`);
          });
          if (id === batch.error_file_id) {
            const first = JSON.parse(lines[0]) as { response: { status_code: number } | null; error: { code: string } | null };
            assert.ok(first.response === null ? first.error !== null : first.response.status_code >= 400);
          }
        }
      }
    });

    it('offers a ~250-batch demo account with two large output files of long answers, one line per completed request', () => {
      const demo = demoDataset(NOW);
      assert.equal(demo.batches.length, 250);
      const outputOf = (b: FakeBatch) => demo.files.find((f) => f.meta.id === b.output_file_id);
      const large = demo.batches.filter((b) => (outputOf(b)?.meta.bytes ?? 0) > 50 * 1024 * 1024);
      assert.deepEqual(
        large.map((b) => b.request_counts?.total),
        [40_000, 50_000],
      );
      const [mid, huge] = large.map((b) => outputOf(b)!.meta.bytes);
      assert.ok(Math.abs(mid - 75 * 1024 * 1024) < 1024 * 1024, `${mid}`);
      assert.ok(Math.abs(huge - 391_505_535) < 4 * 1024 * 1024, `${huge}`);
      let lines = 0;
      let bytes = 0;
      const file = outputOf(large[0])!;
      for (const chunk of contentChunks(file.content)) {
        bytes += chunk.length;
        for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++;
      }
      assert.equal(bytes, file.meta.bytes);
      assert.equal(lines, large[0].request_counts?.completed);
    });
  });
});
