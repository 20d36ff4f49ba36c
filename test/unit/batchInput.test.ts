import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkBatchInputFile, checkBatchInputLines } from '../../src/core/batchInput';

const req = (id: string, over: Record<string, unknown> = {}) =>
  JSON.stringify({ custom_id: id, method: 'POST', url: '/v1/chat/completions', body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }, ...over });

describe('checkBatchInputLines', () => {
  it('accepts a valid file and reports its endpoint, model and size', async () => {
    const check = await checkBatchInputLines([req('a'), req('b'), req('c'), '']);
    assert.deepEqual(check, { requests: 3, endpoint: '/v1/chat/completions', model: 'gpt-4o-mini', problems: [], problemCount: 0 });
  });

  it('reports each problem with its line number', async () => {
    const check = await checkBatchInputLines([
      req('a'),
      '{not json',
      req('a'),
      req('c', { method: 'GET' }),
      req('d', { url: '/v1/embeddings' }),
      req('e', { url: '/v1/assistants' }),
      req('f', { body: { model: 'gpt-4o' } }),
      req('g', { body: 'x' }),
      JSON.stringify({ method: 'POST', url: '/v1/chat/completions', body: { model: 'gpt-4o-mini' } }),
      '',
      '[1,2]',
    ]);
    const byLine = check.problems.map((p) => [p.line, p.message.split(' ')[0] + ' ' + p.message.split(' ')[1]]);
    assert.deepEqual(byLine, [
      [2, 'Not valid'],
      [3, '"custom_id" "a"'],
      [4, '"method" must'],
      [5, '"url" is'],
      [6, '"url" "/v1/assistants"'],
      [7, '"body.model" is'],
      [8, '"body" must'],
      [9, '"custom_id" must'],
      [10, 'Empty line:'],
      [11, 'Each line'],
    ]);
    assert.match(check.problems[1].message, /already used on line 1/);
    assert.match(check.problems[3].message, /line 1 uses \/v1\/chat\/completions/);
  });

  it('refuses an empty file and more than 50,000 requests', async () => {
    assert.match((await checkBatchInputLines(['', ''])).problems[0].message, /no requests/);
    const many = (function* () {
      for (let i = 0; i <= 50_000; i++) yield req(`r${i}`);
    })();
    const check = await checkBatchInputLines(many);
    assert.equal(check.requests, 50_001);
    assert.deepEqual(check.problems.map((p) => p.line), [0]);
    assert.match(check.problems[0].message, /at most 50,000/);
  });

  it('refuses a file over 200 MB by its size, and caps the reported problems', async () => {
    assert.match((await checkBatchInputLines([req('a')], 201 * 1024 * 1024)).problems[0].message, /at most 200 MB/);
    const bad = await checkBatchInputLines(Array.from({ length: 500 }, () => 'nope'));
    assert.equal(bad.problems.length, 200);
    assert.equal(bad.problemCount, 500);
  });

  it('reads files from disk line by line, CRLF included', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'input-')), 'in.jsonl');
    fs.writeFileSync(file, `${req('a')}\r\n${req('b')}\r\n`);
    const check = await checkBatchInputFile(file);
    assert.equal(check.problemCount, 0);
    assert.equal(check.requests, 2);
  });
});
