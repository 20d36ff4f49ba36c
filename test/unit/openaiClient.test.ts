import * as assert from 'node:assert/strict';
import { ApiError } from '../../src/core/apiError';
import { pathSegment } from '../../src/core/openaiClient';
import { echoedKeyMessage, FakeOpenAI } from '../fake-openai/server';
import { RecordingLogger, clientFor } from '../support/clientFor';
import { waitUntil } from '../support/waitUntil';

async function rejects(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof ApiError, `expected an ApiError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected a rejection');
}

describe('OpenAIClient against the fake API', function () {
  this.timeout(20_000);
  let fake: FakeOpenAI;
  before(async () => {
    fake = await FakeOpenAI.start({ count: 60, seed: 7 });
  });
  after(() => fake.close());
  beforeEach(() => {
    fake.clearFaults();
    fake.resetRequests();
  });

  it('lists a page with the key, organization and project headers and the cursor parameters', async () => {
    const client = clientFor(fake, { organization: 'org_1', project: 'proj_1' });
    const page = await client.listBatches({ limit: 10, after: fake.batches[4].id });
    assert.deepEqual(page.batches.map((b) => b.id), fake.batches.slice(5, 15).map((b) => b.id));
    assert.equal(page.hasMore, true);
    const [req] = fake.requests;
    assert.equal(req.path, '/v1/batches');
    assert.deepEqual(req.query, { limit: '10', after: fake.batches[4].id });
    assert.equal(req.headers.authorization, `Bearer ${fake.apiKey}`);
    assert.equal(req.headers['openai-organization'], 'org_1');
    assert.equal(req.headers['openai-project'], 'proj_1');
  });

  it('retrieves a batch and a file, and reads file content whole', async () => {
    const client = clientFor(fake);
    const withOutput = fake.batches.find((b) => b.output_file_id)!;
    const batch = await client.retrieveBatch(withOutput.id);
    assert.equal(batch.id, withOutput.id);
    const meta = await client.retrieveFile(withOutput.output_file_id!);
    const seen: number[] = [];
    const text = await client.fileText(withOutput.output_file_id!, { onProgress: (n) => seen.push(n) });
    assert.equal(Buffer.byteLength(text), meta.bytes);
    assert.equal(seen[seen.length - 1], meta.bytes);
    for (const line of text.trim().split('\n')) assert.ok(JSON.parse(line).custom_id);
  });

  it('encodes ids into one path segment and refuses dot segments', async () => {
    const client = clientFor(fake);
    const e = await rejects(client.retrieveBatch('../files/x'));
    assert.equal(e.status, 404);
    assert.equal(fake.requests[0].path, '/v1/batches/..%2Ffiles%2Fx');
    assert.throws(() => pathSegment('..'), ApiError);
    assert.throws(() => pathSegment('%2E%2e'), ApiError);
    assert.equal(pathSegment('a b/c?d#e'), 'a%20b%2Fc%3Fd%23e');
  });

  it('explains a rejected key without repeating it, even when the server echoes it, and does not retry', async () => {
    const secret = 'sk-wrong-key-1234567890abcdef';
    const log = new RecordingLogger();
    const echo = fake.fault({ path: '/v1/batches', fault: { kind: 'echoKey', status: 401 } });
    const e = await rejects(clientFor(fake, { apiKey: secret, log }).listBatches({ limit: 1 }));
    assert.equal(echo.fired, 1, 'the server echoed the key');
    assert.ok(e.isAuthError);
    assert.match(e.describe(), /^The API key was rejected: .*\(HTTP 401, request ID req_/);
    assert.ok(e.describe().includes(echoedKeyMessage('***')), `the echo is there, scrubbed: ${e.describe()}`);
    assert.ok(!e.describe().includes(secret));
    assert.ok(!log.lines.join('\n').includes(secret));
    assert.equal(fake.requests.length, 1);
  });

  it('scrubs an echoed key from retried errors and their log lines', async () => {
    const log = new RecordingLogger();
    const echo = fake.fault({ path: '/v1/batches', times: 3, fault: { kind: 'echoKey', status: 500 } });
    const e = await rejects(clientFor(fake, { log }).listBatches({ limit: 1 }));
    assert.equal(echo.fired, 3);
    const retries = log.lines.filter((l) => l.startsWith('warn') && / retry \d/.test(l));
    assert.equal(retries.length, 2);
    for (const text of [e.describe(), ...retries]) {
      assert.ok(text.includes(echoedKeyMessage('***')), `the echo is there, scrubbed: ${text}`);
      assert.ok(!text.includes(fake.apiKey), text);
    }
  });

  it('retries a 429 after the server-given delay, then succeeds', async () => {
    fake.fault({ path: '/v1/batches', fault: { kind: 'status', status: 429, headers: { 'retry-after-ms': '50' } } });
    const page = await clientFor(fake).listBatches({ limit: 2 });
    assert.equal(page.batches.length, 2);
    assert.equal(fake.requests.length, 2);
    assert.ok(fake.requests[1].time - fake.requests[0].time >= 45);
  });

  it('gives up after two retries of a 5xx, naming the status', async () => {
    fake.fault({ path: '/v1/batches', times: 3, fault: { kind: 'status', status: 503, headers: { 'retry-after-ms': '10' } } });
    const e = await rejects(clientFor(fake).listBatches({ limit: 2 }));
    assert.equal(e.status, 503);
    assert.equal(fake.requests.length, 3);
  });

  it('does not retry a quota 429', async () => {
    fake.fault({ path: '/v1/batches', fault: { kind: 'status', status: 429, body: { error: { message: 'You exceeded your current quota.', type: 'insufficient_quota', param: null, code: 'insufficient_quota' } } } });
    const e = await rejects(clientFor(fake).listBatches({ limit: 2 }));
    assert.ok(e.isQuotaError);
    assert.equal(fake.requests.length, 1);
  });

  it('retries a connection reset', async () => {
    fake.fault({ path: '/v1/batches', fault: { kind: 'reset' } });
    const page = await clientFor(fake).listBatches({ limit: 3 });
    assert.equal(page.batches.length, 3);
    assert.equal(fake.requests.length, 2);
  });

  it('turns an HTML gateway page and malformed JSON into sentences', async () => {
    fake.fault({ path: '/v1/batches', times: 3, fault: { kind: 'html', status: 502 } });
    const html = await rejects(clientFor(fake).listBatches({ limit: 1 }));
    assert.match(html.describe(), /502 Bad Gateway with an HTML page/);
    fake.fault({ path: /^\/v1\/batches\//, fault: { kind: 'malformedJson' } });
    const bad = await rejects(clientFor(fake).retrieveBatch(fake.batches[0].id));
    assert.equal(bad.kind, 'malformed');
    assert.match(bad.describe(), /not valid JSON \(HTTP 200\)/);
  });

  it('times out a slow answer per attempt', async () => {
    fake.fault({ path: '/v1/batches', times: 3, fault: { kind: 'delay', ms: 2_000 } });
    const e = await rejects(clientFor(fake, { timeoutMs: 200 }).listBatches({ limit: 1 }));
    assert.equal(e.kind, 'timeout');
    assert.equal(fake.requests.length, 3);
  });

  it('stops at once when cancelled, even while waiting to retry', async () => {
    fake.fault({ path: '/v1/batches', times: 3, fault: { kind: 'status', status: 500, headers: { 'retry-after': '30' } } });
    const controller = new AbortController();
    const pending = clientFor(fake).listBatches({ limit: 1 }, controller.signal);
    await waitUntil('the first attempt to be answered', () => fake.requests.length === 1);
    controller.abort(); // while the client waits the 30 s retry-after
    const e = await rejects(pending);
    assert.equal(e.kind, 'aborted');
    assert.equal(fake.requests.length, 1);
  });

  it("refuses content that is complete by its headers but not the file's size", async () => {
    const withOutput = fake.batches.find((b) => b.output_file_id)!;
    const bytes = fake.files.get(withOutput.output_file_id!)!.meta.bytes;
    const half = fake.fault({ path: /\/content$/, fault: { kind: 'malformedJson' } });
    const e = await rejects(clientFor(fake).fileText(withOutput.output_file_id!, { expectedBytes: bytes }));
    assert.equal(half.fired, 1);
    assert.equal(e.kind, 'connection');
    assert.equal(e.message, `The transfer ended early: received ${Math.floor(bytes / 2)} of ${bytes} bytes.`);
    assert.equal(Buffer.byteLength(await clientFor(fake).fileText(withOutput.output_file_id!, { expectedBytes: bytes })), bytes);
  });

  it('reports a body cut short', async () => {
    const withOutput = fake.batches.find((b) => b.output_file_id)!;
    fake.fault({ path: /\/content$/, fault: { kind: 'resetMidBody' } });
    const e = await rejects(clientFor(fake).fileText(withOutput.output_file_id!));
    assert.equal(e.kind, 'connection');
    assert.match(e.message, /^The connection to 127\.0\.0\.1:\d+ broke after \d+ bytes \(connection reset\)$/);
  });

  it("says in one plain sentence that a server is unreachable; node-fetch's own text goes to the log only", async () => {
    const closed = await FakeOpenAI.start({ count: 1 });
    await closed.close(); // nothing listens on its port any more
    const log = new RecordingLogger();
    const e = await rejects(clientFor(closed, { log }).listBatches({ limit: 1 }));
    const host = new URL(closed.baseUrl).host;
    assert.equal(e.kind, 'connection');
    assert.equal(e.describe(), `Can't reach the API at ${host} (connection refused)`);
    assert.ok(log.lines.some((l) => l.startsWith('warn GET /batches?limit=1 failed: request to http://') && l.includes('ECONNREFUSED')), log.lines.join('\n'));
    assert.ok(log.lines.every((l) => !l.includes(closed.apiKey)));
  });
});

describe('OpenAIClient against an Azure OpenAI resource (the fake in Azure mode)', function () {
  this.timeout(20_000);
  let fake: FakeOpenAI;
  before(async () => {
    fake = await FakeOpenAI.start({ count: 12, seed: 3, mode: 'azure', apiKey: 'azure-key-0123456789' });
  });
  after(() => fake.close());
  beforeEach(() => {
    fake.clearFaults();
    fake.resetRequests();
  });

  it('sends the key as api-key, never as a bearer token, on the v1 paths under /openai/v1', async () => {
    const client = clientFor(fake, { organization: 'org_1', project: 'proj_1' });
    const page = await client.listBatches({ limit: 5 });
    assert.deepEqual(page.batches.map((b) => b.id), fake.batches.slice(0, 5).map((b) => b.id));
    const withOutput = fake.batches.find((b) => b.output_file_id)!;
    await client.retrieveBatch(withOutput.id);
    const bytes = (await client.retrieveFile(withOutput.output_file_id!)).bytes;
    assert.equal(Buffer.byteLength(await client.fileText(withOutput.output_file_id!)), bytes);
    assert.deepEqual(fake.requests.map((r) => r.path), [
      '/openai/v1/batches',
      `/openai/v1/batches/${withOutput.id}`,
      `/openai/v1/files/${withOutput.output_file_id}`,
      `/openai/v1/files/${withOutput.output_file_id}/content`,
    ]);
    for (const r of fake.requests) {
      assert.equal(r.headers['api-key'], fake.apiKey);
      assert.equal(r.headers.authorization, undefined);
      assert.equal(r.headers['openai-organization'], undefined, 'OpenAI headers stay with OpenAI');
      assert.equal(r.status, 200);
    }
  });

  it('puts the api-version on every call of the older paths, file content included', async () => {
    const client = clientFor(fake, { apiVersion: '2024-10-21' });
    await client.listBatches({ limit: 2, after: fake.batches[0].id });
    const withOutput = fake.batches.find((b) => b.output_file_id)!;
    await client.fileText(withOutput.output_file_id!);
    const running = fake.batches.find((b) => b.status === 'in_progress')!.id;
    await client.cancelBatch(running);
    assert.deepEqual(fake.requests.map((r) => [r.method, r.path, r.query['api-version'], r.status]), [
      ['GET', '/openai/batches', '2024-10-21', 200],
      ['GET', `/openai/files/${withOutput.output_file_id}/content`, '2024-10-21', 200],
      ['POST', `/openai/batches/${running}/cancel`, '2024-10-21', 200],
    ]);
    assert.deepEqual(fake.requests[0].query, { limit: '2', after: fake.batches[0].id, 'api-version': '2024-10-21' });
  });

  it("answers as Azure does when the key, the header or the path is wrong: 401 is the key's fault, 404 the URL's", async () => {
    const wrongKey = await rejects(clientFor(fake, { apiKey: 'not-the-key' }).listBatches({ limit: 1 }));
    assert.ok(wrongKey.isAuthError);
    assert.match(wrongKey.describe(), /Access denied due to invalid subscription key/);
    const bearer = await rejects(clientFor(fake, { provider: 'openai-compatible' }).listBatches({ limit: 1 }));
    assert.equal(bearer.status, 401, 'a bearer token is not an Azure key');
    const noVersion = await rejects(clientFor(fake, { url: `${fake.origin}/openai` }).listBatches({ limit: 1 }));
    assert.equal(noVersion.status, 404);
    assert.match(noVersion.describe(), /Resource not found/);
    const oldVersion = await rejects(clientFor(fake, { apiVersion: '2023-01-01' }).listBatches({ limit: 1 }));
    assert.equal(oldVersion.status, 404);
    assert.equal(fake.requests.length, 4, 'none of them retried');
  });

  it('signed in with Entra ID: the token goes as a Bearer token on every call and no api-key is sent', async () => {
    fake.entraToken = 'entra-token-AAAA1111';
    const asked: boolean[] = [];
    const client = clientFor(fake, { entraToken: async (renew) => (asked.push(renew), 'entra-token-AAAA1111') });
    await client.listBatches({ limit: 2 });
    const withOutput = fake.batches.find((b) => b.output_file_id)!;
    await client.fileText(withOutput.output_file_id!);
    const running = fake.batches.find((b) => b.status === 'in_progress')!.id;
    await client.cancelBatch(running);
    assert.equal(fake.requests.length, 3);
    for (const r of fake.requests) {
      assert.equal(r.headers.authorization, 'Bearer entra-token-AAAA1111', r.path);
      assert.equal(r.headers['api-key'], undefined, r.path);
      assert.equal(r.status, 200, r.path);
    }
    assert.deepEqual(asked, [false, false, false], 'asked for once per request, never kept');
  });

  it('asks for the token once more after a 401, and stops there when the new one is refused too', async () => {
    fake.entraToken = 'entra-token-NEW-2222';
    const tokens = ['entra-token-OLD-1111', 'entra-token-NEW-2222'];
    const asked: boolean[] = [];
    const client = clientFor(fake, { entraToken: async (renew) => (asked.push(renew), tokens[renew ? 1 : 0]) });
    await client.listBatches({ limit: 1 });
    assert.deepEqual(fake.requests.map((r) => [r.headers.authorization, r.status]), [
      ['Bearer entra-token-OLD-1111', 401],
      ['Bearer entra-token-NEW-2222', 200],
    ]);
    assert.deepEqual(asked, [false, true]);

    fake.resetRequests();
    fake.entraToken = 'entra-token-OTHER-3333';
    const log = new RecordingLogger();
    const e = await rejects(clientFor(fake, { log, entraToken: async (renew) => tokens[renew ? 1 : 0] }).listBatches({ limit: 1 }));
    assert.equal(e.status, 401);
    assert.equal(fake.requests.length, 2, 'one renewal, no loop');
    const said = [e.describe(), ...log.lines].join('\n');
    for (const t of tokens) assert.ok(!said.includes(t), 'no token in errors or the log');
  });

  it('a token that cannot be had fails the request before anything is sent', async () => {
    const e = await rejects(clientFor(fake, { entraToken: () => Promise.reject(new ApiError({ kind: 'config', message: 'Not signed in with Microsoft.' })) }).listBatches({ limit: 1 }));
    assert.equal(e.describe(), 'Not signed in with Microsoft.');
    assert.equal(fake.requests.length, 0);
  });

  it('never carries the api-key to another origin on a redirect, for JSON or for file content', async () => {
    const http = await import('node:http');
    const redirector = http.createServer((req, res) => {
      const target = req.url?.includes('/content') ? `${fake.baseUrl}/files/${withOutput.output_file_id}/content` : `${fake.baseUrl}/batches?limit=1`;
      res.writeHead(307, { location: target }).end();
    });
    const withOutput = fake.batches.find((b) => b.output_file_id)!;
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(redirector.address() as import('node:net').AddressInfo).port}/openai/v1`;
      const json = await rejects(clientFor(fake, { url }).listBatches({ limit: 1 }));
      assert.equal(json.status, 401, 'the other origin did not get the key');
      const content = await rejects(clientFor(fake, { url }).fileText(withOutput.output_file_id!));
      assert.equal(content.status, 401);
      assert.ok(fake.requests.length >= 2);
      for (const r of fake.requests) assert.equal(r.headers['api-key'], undefined);
    } finally {
      await new Promise((resolve) => redirector.close(resolve));
    }
  });
});

describe('OpenAIClient against an OpenAI-compatible proxy (the fake in compatible mode)', function () {
  this.timeout(20_000);
  let fake: FakeOpenAI;
  before(async () => {
    fake = await FakeOpenAI.start({ count: 12, seed: 5, mode: 'compatible' });
  });
  after(() => fake.close());

  it('reads a list without has_more, statuses in upper case and fields left out, with a bearer key', async () => {
    const page = await clientFor(fake).listBatches({ limit: 12 });
    assert.equal(page.hasMore, undefined, 'the server did not say');
    assert.deepEqual(page.batches.map((b) => b.status), fake.batches.map((b) => b.status), 'IN_PROGRESS reads as in_progress');
    assert.ok(page.batches.every((b) => b.model === undefined && b.usage === undefined));
    assert.equal(fake.requests[0].headers.authorization, `Bearer ${fake.apiKey}`);
    const running = fake.batches.find((b) => b.status === 'in_progress')!;
    assert.equal((await clientFor(fake).retrieveBatch(running.id)).status, 'in_progress');
  });
});
