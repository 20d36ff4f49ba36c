import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BATCH_ENDPOINTS, checkBatchInputFile, checkBatchInputLines, checkBatchInputText, looksLikeBatchInput, type InputCheck } from '../../src/core/batchInput';

const req = (id: string, over: Record<string, unknown> = {}) =>
  JSON.stringify({ custom_id: id, method: 'POST', url: '/v1/chat/completions', body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }, ...over });
const embed = (id: string, input: unknown) => JSON.stringify({ custom_id: id, method: 'POST', url: '/v1/embeddings', body: { model: 'text-embedding-3-small', input } });
const lines = (check: InputCheck) => check.problems.map((p) => p.line);

describe('batch input checks', () => {
  it('accepts a valid file and reports its endpoint, model and size', async () => {
    const check = await checkBatchInputLines([req('a'), req('b'), req('c'), '']);
    assert.deepEqual(check, { requests: 3, endpoint: '/v1/chat/completions', model: 'gpt-4o-mini', bytes: [req('a'), req('b'), req('c'), ''].join('\n').length + 1, problems: [], problemCount: 0 });
  });

  it('knows the endpoints of the newest SDK, /v1/videos included', async () => {
    assert.deepEqual([...BATCH_ENDPOINTS], ['/v1/responses', '/v1/chat/completions', '/v1/embeddings', '/v1/completions', '/v1/moderations', '/v1/images/generations', '/v1/images/edits', '/v1/videos']);
    const check = await checkBatchInputLines([JSON.stringify({ custom_id: 'v', method: 'POST', url: '/v1/videos', body: { model: 'sora-2', prompt: 'a cat' } })]);
    assert.equal(check.problemCount, 0);
  });

  it('reports a line that is not JSON, or not an object', async () => {
    const check = await checkBatchInputLines([req('a'), '{not json', '[1,2]', '"text"']);
    assert.deepEqual(lines(check), [2, 3, 4]);
    assert.match(check.problems[0].message, /^Not valid JSON/);
    assert.match(check.problems[1].message, /JSON object with custom_id, method, url and body/);
  });

  it('wants a unique, non-empty custom_id on every line', async () => {
    const check = await checkBatchInputLines([req('a'), req('b'), req('a'), req(''), JSON.stringify({ method: 'POST', url: '/v1/chat/completions', body: { model: 'gpt-4o-mini' } })]);
    assert.deepEqual(lines(check), [3, 4, 5]);
    assert.match(check.problems[0].message, /"a" is already used on line 1/);
    assert.match(check.problems[1].message, /non-empty string/);
  });

  it('wants method POST', async () => {
    const check = await checkBatchInputLines([req('a', { method: 'GET' }), req('b', { method: undefined })]);
    assert.deepEqual(lines(check), [1, 2]);
    assert.match(check.problems[0].message, /"method" must be "POST", not "GET"/);
  });

  it('wants every url to be the batch endpoint, and the endpoint to be one the Batch API supports', async () => {
    const check = await checkBatchInputLines([req('a'), req('b', { url: '/v1/embeddings' }), req('c', { url: '/v1/assistants' }), req('d', { url: 42 })]);
    assert.deepEqual(lines(check), [2, 3, 4]);
    assert.match(check.problems[0].message, /line 1 uses \/v1\/chat\/completions; one file holds requests for one endpoint/);
    assert.match(check.problems[1].message, /"\/v1\/assistants" is not an endpoint the Batch API supports/);
  });

  it("takes Azure OpenAI's spelling of an endpoint without /v1, and a deployment name where the model goes", async () => {
    const check = await checkBatchInputLines([
      req('a', { url: '/chat/completions', body: { model: 'gpt-4o-batch-deployment', messages: [] } }),
      req('b', { url: '/chat/completions', body: { model: 'gpt-4o-batch-deployment', messages: [] } }),
    ]);
    assert.deepEqual(lines(check), []);
    assert.equal(check.endpoint, '/chat/completions');
    assert.equal(check.model, 'gpt-4o-batch-deployment');
    assert.deepEqual(lines(await checkBatchInputLines([req('a', { url: '/assistants' })])), [1]);
  });

  it('wants one model for the whole file', async () => {
    const check = await checkBatchInputLines([req('a'), req('b', { body: { model: 'gpt-4o' } })]);
    assert.deepEqual(lines(check), [2]);
    assert.match(check.problems[0].message, /"body\.model" is gpt-4o but line 1 uses gpt-4o-mini/);
  });

  it('wants body to be an object with a model', async () => {
    const check = await checkBatchInputLines([req('a', { body: 'x' }), req('b', { body: [] }), req('c', { body: { messages: [] } }), req('d', { body: { model: '' } })]);
    assert.deepEqual(lines(check), [1, 2, 3, 4]);
    assert.match(check.problems[0].message, /"body" must be a JSON object/);
    assert.match(check.problems[2].message, /"body\.model" must name the model/);
  });

  it('allows blank lines at the end only', async () => {
    const check = await checkBatchInputLines([req('a'), '', '  ', req('b'), '', '']);
    assert.deepEqual(lines(check), [2, 3]);
    assert.match(check.problems[0].message, /^Empty line/);
  });

  it('refuses an empty file, on its first line', async () => {
    const check = await checkBatchInputLines(['', '']);
    assert.deepEqual(check.problems, [{ line: 1, message: 'The file has no requests.' }]);
  });

  it('refuses more than 50,000 requests on the line of the 50,001st', async () => {
    const many = (function* () {
      for (let i = 0; i <= 50_001; i++) yield req(`r${i}`);
    })();
    const check = await checkBatchInputLines(many);
    assert.equal(check.requests, 50_002);
    assert.deepEqual(lines(check), [50_001]);
    assert.match(check.problems[0].message, /Request 50,001: a batch input file holds at most 50,000 requests/);
  });

  it('refuses more than 200 MB on the line that passes it', async () => {
    const big = req('x', { body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'y'.repeat(10 * 1024 * 1024) }] } });
    const many = (function* () {
      for (let i = 0; i < 21; i++) yield big.replace('"x"', `"x${i}"`);
    })();
    const check = await checkBatchInputLines(many);
    assert.ok(check.bytes > 200 * 1024 * 1024);
    assert.deepEqual(lines(check), [20]);
    assert.match(check.problems[0].message, /passes 200 MB on this line/);
  });

  it('counts embedding inputs and refuses more than 50,000 in all, on the line that passes it', async () => {
    const batchOf = (n: number) => Array.from({ length: n }, (_, i) => `text ${i}`);
    const check = await checkBatchInputLines([embed('a', 'one'), embed('b', batchOf(30_000)), embed('c', [1, 2, 3]), embed('d', batchOf(19_998)), embed('e', batchOf(2)), embed('f', 'more')]);
    assert.equal(check.embeddingInputs, 1 + 30_000 + 1 + 19_998 + 2 + 1);
    assert.deepEqual(lines(check), [5]);
    assert.match(check.problems[0].message, /embedding inputs pass 50,000 on this line \(50,002 so far\)/);
    assert.equal((await checkBatchInputLines([req('a')])).embeddingInputs, undefined, 'only for embeddings');
  });

  it('caps the reported problems and counts them all', async () => {
    const bad = await checkBatchInputLines(Array.from({ length: 500 }, () => 'nope'));
    assert.equal(bad.problems.length, 200);
    assert.equal(bad.problemCount, 500);
  });

  it('reads files from disk split on their bytes, CRLF and a last line without a break included', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'input-'));
    try {
      const file = path.join(dir, 'in.jsonl');
      const text = `${req('a')}\r\n${req('é')}\r\n${req('c', { url: '/v1/embeddings' })}`;
      fs.writeFileSync(file, text);
      const check = await checkBatchInputFile(file);
      assert.equal(check.requests, 3);
      assert.deepEqual(lines(check), [3]);
      assert.equal(check.bytes, Buffer.byteLength(text));
      assert.deepEqual(await checkBatchInputText(text), check, 'the same check on the text');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('checks a large text in slices, giving the event loop turns, and stops when aborted', async () => {
    const text = Array.from({ length: 5000 }, (_, i) => req(`r${i}`)).join('\n');
    let turns = 0;
    const ticker = setInterval(() => turns++, 0);
    const check = await checkBatchInputText(text);
    clearInterval(ticker);
    assert.equal(check.requests, 5000);
    assert.ok(turns > 0, 'timers ran while it checked');
    const abort = new AbortController();
    abort.abort();
    await assert.rejects(checkBatchInputText(text, { signal: abort.signal }), { name: 'AbortError' });
  });
});

describe('looksLikeBatchInput', () => {
  it('tells batch requests from output lines and other JSONL', () => {
    assert.equal(looksLikeBatchInput(`\n${req('a')}\n`), true);
    assert.equal(looksLikeBatchInput('{"custom_id": "a", "method": "POST", "url": "/v1/chat/comp'), true, 'a first line being typed');
    assert.equal(looksLikeBatchInput(JSON.stringify({ id: 'batch_req_1', custom_id: 'a', response: { status_code: 200, body: {} }, error: null })), false);
    assert.equal(looksLikeBatchInput('{"id": "batch_req_1", "custom_id": "a", "response": {"status_code": 2'), false);
    assert.equal(looksLikeBatchInput('{"name": "row", "value": 1}'), false);
    assert.equal(looksLikeBatchInput(`{oops\n\n${req('a')}`), true, 'a broken first line is passed over');
    assert.equal(looksLikeBatchInput('{oops\n[1]'), false, 'nothing that says batch input');
    assert.equal(looksLikeBatchInput(''), false);
  });
});
