import * as assert from 'node:assert/strict';
import { BatchStore, type StoreChange } from '../../src/core/batchStore';
import { isActiveStatus } from '../../src/core/status';
import { FakeOpenAI } from '../fake-openai/server';
import { waitUntil } from '../support/waitUntil';
import { RecordingLogger, clientFor } from '../support/clientFor';

describe('BatchStore against the fake API', function () {
  this.timeout(20_000);
  let fake: FakeOpenAI;
  let log: RecordingLogger;
  let store: BatchStore;
  let pageSize: number;
  const listRequests = () => fake.requests.filter((r) => r.path === '/v1/batches');
  const ids = () => store.batches.map((b) => b.id);

  beforeEach(async () => {
    fake = await FakeOpenAI.start({ count: 45, seed: 11 });
    log = new RecordingLogger();
    pageSize = 20;
    store = new BatchStore(clientFor(fake, { log }), () => pageSize, log);
  });
  afterEach(() => fake.close());

  it('loads the first page once, then each next page after the last loaded id', async () => {
    await store.ensureLoaded();
    await store.ensureLoaded();
    assert.deepEqual(ids(), fake.batches.slice(0, 20).map((b) => b.id));
    assert.equal(store.hasMore, true);
    await store.loadMore();
    await store.loadMore();
    assert.deepEqual(ids(), fake.batches.map((b) => b.id));
    assert.equal(store.hasMore, false);
    await store.loadMore(); // nothing more: no request
    const reqs = listRequests();
    assert.equal(reqs.length, 3);
    assert.deepEqual(reqs.map((r) => r.query), [{ limit: '20' }, { limit: '20', after: fake.batches[19].id }, { limit: '20', after: fake.batches[39].id }]);
  });

  it('makes exactly one request for a double Load more', async () => {
    await store.ensureLoaded();
    fake.fault({ path: '/v1/batches', fault: { kind: 'delay', ms: 200 } });
    const first = store.loadMore();
    const second = store.loadMore();
    assert.equal(store.loading, 'more');
    await Promise.all([first, second]);
    assert.equal(listRequests().length, 2);
    assert.equal(new Set(ids()).size, 40);
  });

  it('ends paging on an empty page that claims more, with a warning', async () => {
    await store.ensureLoaded();
    fake.fault({ path: '/v1/batches', fault: { kind: 'emptyPageHasMore' } });
    await store.loadMore();
    assert.equal(store.hasMore, false);
    assert.equal(store.batches.length, 20);
    assert.ok(log.lines.some((l) => l.startsWith('warn') && l.includes('empty page')));
  });

  it('ends paging on a cursor that does not advance', async () => {
    await store.ensureLoaded();
    fake.fault({ path: '/v1/batches', times: Infinity, fault: { kind: 'stuckCursor' } });
    await store.loadMore();
    assert.equal(store.hasMore, false);
    assert.equal(new Set(ids()).size, 20);
    assert.ok(log.lines.some((l) => l.includes('cursor did not advance')));
    assert.equal(listRequests().length, 2);
  });

  it('keeps every loaded batch when Load more fails, and retries on request', async () => {
    await store.ensureLoaded();
    fake.fault({ path: '/v1/batches', fault: { kind: 'status', status: 400, body: { error: { message: 'bad cursor', type: 'invalid_request_error', param: 'after', code: null } } } });
    await store.loadMore();
    assert.equal(store.batches.length, 20);
    assert.equal(store.lastError?.kind, 'more');
    assert.equal(store.hasMore, true);
    await store.loadMore();
    assert.equal(store.batches.length, 40);
    assert.equal(store.lastError, undefined);
  });

  it('does not request again after a failed first load until asked', async () => {
    fake.fault({ path: '/v1/batches', fault: { kind: 'status', status: 401 } });
    await store.ensureLoaded();
    assert.equal(store.lastError?.kind, 'first');
    await store.ensureLoaded();
    assert.equal(listRequests().length, 1);
    await store.refresh();
    assert.equal(store.batches.length, 20);
  });

  it('refreshes from the top: new batches on top, statuses updated, nothing loaded vanishes', async () => {
    await store.ensureLoaded();
    await store.loadMore();
    const before = ids();
    fake.batches[3] = { ...fake.batches[3], status: 'cancelling' };
    const newcomers = [0, 1, 2].map((i) => ({ ...fake.batches[0], id: `batch_new${i}`, status: 'validating' as const }));
    for (const b of newcomers) fake.addBatch(b);
    fake.resetRequests();
    await store.refresh();
    assert.deepEqual(ids().slice(0, 3), ['batch_new2', 'batch_new1', 'batch_new0']);
    for (const id of before) assert.ok(store.get(id), `${id} still loaded`);
    assert.equal(store.get(fake.batches[6].id)?.status, 'cancelling');
    assert.equal(new Set(ids()).size, ids().length);
    // Two pages were loaded; three new batches pushed the old last one onto a third page.
    assert.equal(listRequests().length, 3);
  });

  it('keeps the previous list when Refresh fails', async () => {
    await store.ensureLoaded();
    const before = ids();
    fake.fault({ path: '/v1/batches', times: 3, fault: { kind: 'status', status: 500 } });
    await store.refresh();
    assert.deepEqual(ids(), before);
    assert.equal(store.lastError?.kind, 'refresh');
  });

  it('lets a Refresh supersede a Load more in flight, without mixing pages', async () => {
    await store.ensureLoaded();
    const slow = fake.fault({ path: '/v1/batches', fault: { kind: 'delay', ms: 500 } });
    const more = store.loadMore();
    await waitUntil('the Load more request to reach the server', () => slow.fired > 0);
    await store.refresh();
    await more;
    assert.deepEqual(ids(), fake.batches.slice(0, 20).map((b) => b.id));
    assert.equal(store.lastError, undefined);
    assert.equal(store.loading, undefined);
  });

  it('says what changed: a load starting or failing leaves the batches, a page is appended', async () => {
    const changes: (StoreChange | undefined)[] = [];
    store.onDidChange((change) => changes.push(change));
    await store.ensureLoaded();
    assert.deepEqual(changes.splice(0), [{ kind: 'loadState', load: 'first' }, undefined]);
    await store.loadMore();
    const [started, appended] = changes.splice(0);
    assert.deepEqual(started, { kind: 'loadState', load: 'more' });
    assert.ok(appended?.kind === 'appended');
    assert.deepEqual(appended.batches.map((b) => b.id), fake.batches.slice(20, 40).map((b) => b.id));
    fake.fault({ path: '/v1/batches', times: 3, fault: { kind: 'status', status: 500 } });
    await store.loadMore();
    assert.deepEqual(changes, [{ kind: 'loadState', load: 'more' }, { kind: 'loadState', load: 'more' }]);
    assert.equal(store.lastError?.kind, 'more');
    assert.equal(store.batches.length, 40);
  });

  it('counts the active batches through pages, updates, refreshes and reset', async () => {
    fake.batches[25] = { ...fake.batches[25], status: 'in_progress' };
    const active = () => store.batches.filter((b) => isActiveStatus(b.status)).length;
    await store.ensureLoaded();
    assert.ok(store.activeCount > 0, 'the first page has running batches');
    assert.equal(store.activeCount, active());
    await store.loadMore();
    assert.equal(store.activeCount, active());
    const running = store.batches.find((b) => isActiveStatus(b.status))!;
    store.upsert({ ...running, status: 'completed' });
    assert.equal(store.activeCount, active());
    store.upsert({ ...store.batches[30], status: 'finalizing' });
    assert.equal(store.activeCount, active());
    store.upsert({ ...store.batches[0], id: 'batch_brand_new', status: 'validating' });
    assert.equal(store.activeCount, active());
    fake.batches[26] = { ...fake.batches[26], status: 'cancelling' };
    await store.refresh();
    assert.equal(store.activeCount, active());
    store.reset(undefined);
    assert.equal(store.activeCount, 0);
  });

  it('forgets everything on reset and ignores the load it aborted', async () => {
    fake.fault({ path: '/v1/batches', fault: { kind: 'delay', ms: 300 } });
    const load = store.ensureLoaded();
    store.reset(undefined);
    await load;
    assert.equal(store.batches.length, 0);
    assert.equal(store.loaded, false);
    assert.equal(store.lastError, undefined);
  });
});

describe('BatchStore against a server that does not say has_more (the fake in compatible mode)', function () {
  this.timeout(20_000);
  let fake: FakeOpenAI | undefined;
  afterEach(() => fake?.close());

  async function walk(count: number, pageSize: number, setup?: (fake: FakeOpenAI) => void) {
    fake = await FakeOpenAI.start({ count, seed: 13, mode: 'compatible' });
    const log = new RecordingLogger();
    const store = new BatchStore(clientFor(fake, { log }), () => pageSize, log);
    setup?.(fake);
    await store.ensureLoaded();
    while (store.hasMore) await store.loadMore();
    const requests = fake.requests.filter((r) => r.path === '/v1/batches');
    return { store, log, requests, fake };
  }

  it('pages on while pages come back full, and stops at the first short one', async () => {
    const { store, requests, fake } = await walk(45, 20);
    assert.deepEqual(store.batches.map((b) => b.id), fake.batches.map((b) => b.id));
    assert.deepEqual(requests.map((r) => r.query.after), [undefined, fake.batches[19].id, fake.batches[39].id], 'three pages: 20, 20, 5');
  });

  it('takes one more request to learn that a full last page was the last', async () => {
    const { store, requests } = await walk(40, 20);
    assert.equal(store.batches.length, 40);
    assert.equal(requests.length, 3, '20, 20, then an empty page');
    assert.equal(store.hasMore, false);
  });

  it('stops when the cursor does not move (a full page of batches already loaded), with a warning', async () => {
    const { store, requests, log } = await walk(60, 20, (f) => f.fault({ path: '/v1/batches', times: Infinity, fault: { kind: 'stuckCursor' } }));
    assert.equal(store.batches.length, 20);
    assert.equal(requests.length, 2);
    assert.ok(log.lines.some((l) => l.includes('cursor did not advance') && l.includes('no has_more')), log.lines.join('\n'));
  });

  it('groups statuses sent in upper case with the known ones', async () => {
    const { store, fake } = await walk(30, 50);
    assert.deepEqual(store.batches.map((b) => b.status), fake.batches.map((b) => b.status));
    assert.ok(store.activeCount > 0);
  });
});
