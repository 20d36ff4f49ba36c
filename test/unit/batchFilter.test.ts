import * as assert from 'node:assert/strict';
import { parseBatch, type Batch } from '../../src/core/batch';
import { batchMatcher, filterDescription, findInAllBatches, isFilterActive, NO_FILTER, type BatchFilter } from '../../src/core/batchFilter';
import { BatchStore } from '../../src/core/batchStore';
import { FakeOpenAI } from '../fake-openai/server';
import { RecordingLogger, clientFor } from '../support/clientFor';

const NOW = Date.UTC(2026, 10, 20, 12);
const HOUR = 3600;
const nowSeconds = NOW / 1000;

function batch(fields: Record<string, unknown>): Batch {
  const parsed = parseBatch({ id: 'batch_1', object: 'batch', status: 'completed', created_at: nowSeconds - HOUR, ...fields });
  assert.ok(parsed.batch);
  return parsed.batch;
}

const filter = (f: Partial<BatchFilter>): BatchFilter => ({ ...NO_FILTER, ...f });

describe('the batch filter', () => {
  const failedEval = batch({
    id: 'batch_abc123',
    status: 'FAILED',
    model: 'gpt-4o-2024-08-06',
    endpoint: '/v1/chat/completions',
    input_file_id: 'file-in1',
    metadata: { description: 'Nightly eval', team: 'search' },
    created_at: nowSeconds - 3 * 24 * HOUR,
  });
  const oldEmbeddings = batch({ id: 'batch_old', status: 'completed', model: 'text-embedding-3-small', endpoint: '/v1/embeddings', created_at: nowSeconds - 20 * 24 * HOUR });
  const noDate = batch({ id: 'batch_nodate', status: 'failed', created_at: null });

  it('lets everything through when empty, and says it is not active', () => {
    const all = batchMatcher(NO_FILTER, NOW);
    assert.deepEqual([failedEval, oldEmbeddings, noDate].map(all), [true, true, true]);
    assert.equal(isFilterActive(NO_FILTER), false);
    assert.equal(isFilterActive(filter({ text: '   ' })), false);
    assert.equal(isFilterActive(undefined), false);
    assert.equal(isFilterActive(filter({ age: '7d' })), true);
  });

  it('keeps the checked statuses, whatever case the server sent them in', () => {
    const failed = batchMatcher(filter({ statuses: ['failed'] }), NOW);
    assert.deepEqual([failedEval, oldEmbeddings, noDate].map(failed), [true, false, true]);
    const either = batchMatcher(filter({ statuses: ['failed', 'completed'] }), NOW);
    assert.deepEqual([failedEval, oldEmbeddings].map(either), [true, true]);
  });

  it('finds every word, in any case, in the id, metadata keys and values, model, endpoint or input file name', () => {
    const matches = (text: string, b: Batch, names: Record<string, string> = {}) => batchMatcher(filter({ text }), NOW, (id) => names[id])(b);
    for (const text of ['abc123', 'NIGHTLY', 'team', 'search', 'gpt-4o', 'chat/completions', 'gpt-4o nightly']) assert.ok(matches(text, failedEval), text);
    assert.equal(matches('gpt-4o embeddings', failedEval), false, 'every word must be found');
    assert.equal(matches('eval.jsonl', failedEval), false, 'a file name not yet known cannot match');
    assert.equal(matches('eval.jsonl', failedEval, { 'file-in1': 'nightly-eval.jsonl' }), true);
    assert.equal(matches('evalteam', failedEval), false, 'a word matches within one field');
  });

  it('keeps batches created within the age, from now; a batch without a creation time is not recent', () => {
    const week = batchMatcher(filter({ age: '7d' }), NOW);
    assert.deepEqual([failedEval, oldEmbeddings, noDate].map(week), [true, false, false]);
    assert.deepEqual([failedEval, oldEmbeddings].map(batchMatcher(filter({ age: '30d' }), NOW)), [true, true]);
    assert.deepEqual([failedEval].map(batchMatcher(filter({ age: '24h' }), NOW)), [false]);
  });

  it('describes itself for the view: statuses, text, age', () => {
    assert.equal(filterDescription(filter({ statuses: ['failed'], text: 'gpt-4o', age: '7d' })), 'failed · gpt-4o · 7 days');
    assert.equal(filterDescription(filter({ statuses: ['failed', 'in_progress'] })), 'failed, in progress');
    assert.equal(filterDescription(filter({ text: '  nightly  ', age: '24h' })), 'nightly · 24 hours');
    assert.equal(filterDescription(filter({ text: 'x'.repeat(60) })), `${'x'.repeat(39)}…`);
  });
});

describe('Find in All Batches against the fake API', function () {
  this.timeout(20_000);
  let fake: FakeOpenAI;
  let store: BatchStore;
  const listRequests = () => fake.requests.filter((r) => r.path === '/v1/batches');

  /** 200 batches, one created every hour back from NOW; every tenth one failed. */
  beforeEach(async () => {
    fake = await FakeOpenAI.start({ count: 200, seed: 21 });
    fake.batches.forEach((b, i) => {
      b.created_at = nowSeconds - i * HOUR;
      b.status = i % 10 === 9 ? 'failed' : 'completed';
    });
    const log = new RecordingLogger();
    store = new BatchStore(clientFor(fake, { log }), () => 20, log);
  });
  afterEach(() => fake.close());

  const failed = batchMatcher(filter({ statuses: ['failed'] }), NOW);

  it('stops once it has N matches: one request per page, what it loaded stays loaded', async () => {
    const pages: [number, number][] = [];
    const result = await findInAllBatches(store, failed, { want: 5, onPage: (p, m) => pages.push([p, m]) });
    // Two failed per page of 20: the third page brings the fifth and sixth.
    assert.deepEqual(result, { end: 'enough', pages: 3, matches: 6, error: undefined });
    assert.deepEqual(pages, [
      [1, 2],
      [2, 4],
      [3, 6],
    ]);
    assert.equal(listRequests().length, 3);
    assert.deepEqual(listRequests().map((r) => r.query.after), [undefined, fake.batches[19].id, fake.batches[39].id]);
    assert.equal(store.batches.length, 60);
  });

  it('asks for nothing when the loaded batches already hold N matches', async () => {
    await store.ensureLoaded();
    fake.resetRequests();
    assert.deepEqual(await findInAllBatches(store, failed, { want: 2 }), { end: 'enough', pages: 0, matches: 2, error: undefined });
    assert.equal(listRequests().length, 0);
  });

  it('stops at the first page that reaches past the age limit (pages are newest first)', async () => {
    const cutoff = nowSeconds - 7 * 24 * HOUR; // 168 hours: the batch at index 168 is the first older
    const result = await findInAllBatches(store, () => false, { want: 1000, cutoff });
    // Page 9 holds indices 160..179, the first page with a batch older than the limit.
    assert.deepEqual(result, { end: 'ageLimit', pages: 9, matches: 0, error: undefined });
    assert.equal(listRequests().length, 9);
  });

  it('stops where the list ends, and when the server does not say has_more', async () => {
    const result = await findInAllBatches(store, failed, { want: 1000 });
    assert.deepEqual(result, { end: 'end', pages: 10, matches: 20, error: undefined });
    assert.equal(listRequests().length, 10);
    assert.equal(store.hasMore, false);

    const compatible = await FakeOpenAI.start({ count: 50, seed: 21, mode: 'compatible' });
    try {
      const log = new RecordingLogger();
      const other = new BatchStore(clientFor(compatible, { log }), () => 20, log);
      const r = await findInAllBatches(other, () => true, { want: 1000 });
      assert.deepEqual(r, { end: 'end', pages: 3, matches: 50, error: undefined }, '20, 20, then a short page of 10');
      assert.equal(compatible.requests.length, 3);
    } finally {
      await compatible.close();
    }
  });

  it('stops when cancelled, after the page in flight, which stays loaded', async () => {
    const controller = new AbortController();
    const result = await findInAllBatches(store, failed, { want: 1000, signal: controller.signal, onPage: (p) => p === 2 && controller.abort() });
    assert.deepEqual(result, { end: 'cancelled', pages: 2, matches: 4, error: undefined });
    assert.equal(listRequests().length, 2);
    assert.equal(store.batches.length, 40);
  });

  it('stops at a failed page, saying why, with what came before kept', async () => {
    await store.ensureLoaded();
    await store.loadMore();
    fake.fault({ path: '/v1/batches', times: Infinity, fault: { kind: 'status', status: 400 } });
    const result = await findInAllBatches(store, failed, { want: 1000 });
    assert.equal(result.end, 'failed');
    assert.equal(result.pages, 1);
    assert.equal(result.matches, 4);
    assert.ok(result.error);
    assert.equal(store.batches.length, 40);
    assert.equal(listRequests().length, 3, 'a 400 is not retried, and Find does not ask again');
  });
});
