import * as assert from 'node:assert/strict';
import { ActiveBatchPoller } from '../../src/core/activeBatchPoller';
import { BatchStore, type StoreChange } from '../../src/core/batchStore';
import { FakeOpenAI, type FakeBatch } from '../fake-openai/server';
import { RecordingLogger, clientFor } from '../support/clientFor';

describe('ActiveBatchPoller against the fake API', function () {
  this.timeout(20_000);
  let fake: FakeOpenAI;
  let store: BatchStore;
  let poller: ActiveBatchPoller;
  let log: RecordingLogger;
  const retrieved = () => fake.requests.filter((r) => /^\/v1\/batches\/[^/]+$/.test(r.path)).map((r) => decodeURIComponent(r.path.split('/').pop()!));

  beforeEach(async () => {
    fake = await FakeOpenAI.start({ count: 12, seed: 2 });
    const statuses: FakeBatch['status'][] = ['in_progress', 'completed', 'validating', 'failed', 'finalizing', 'completed', 'cancelling', 'expired', 'completed', 'cancelled', 'completed', 'completed'];
    fake.batches = fake.batches.map((b, i) => ({ ...b, status: statuses[i] }));
    const client = clientFor(fake);
    store = new BatchStore(client, () => 100, new RecordingLogger());
    log = new RecordingLogger();
    poller = new ActiveBatchPoller(store, (id, signal) => client.retrieveBatch(id, signal), log);
    await store.ensureLoaded();
    fake.resetRequests();
  });
  afterEach(async () => {
    poller.dispose();
    await fake.close();
  });

  it('fetches only the active batches, and moves one whose status changed', async () => {
    const changes: Extract<StoreChange, { kind: 'updated' }>[] = [];
    store.onDidChange((c) => c?.kind === 'updated' && changes.push(c));
    fake.batches[0] = { ...fake.batches[0], status: 'completed', output_file_id: fake.batches[0].output_file_id ?? 'file-x' };
    await poller.poll();
    const active = [0, 2, 4, 6].map((i) => fake.batches[i].id);
    assert.deepEqual(retrieved().sort(), [...active].sort());
    assert.equal(store.get(fake.batches[0].id)?.status, 'completed');
    const moved = changes.find((c) => c.current.id === fake.batches[0].id);
    assert.equal(moved?.previous.status, 'in_progress');
  });

  it('polls on its interval only while enabled and while something is active', async () => {
    poller.setInterval(5);
    assert.equal(poller.scheduled, false, 'not enabled: no timer');
    poller.setEnabled(true);
    assert.equal(poller.scheduled, true);
    poller.setEnabled(false);
    assert.equal(poller.scheduled, false, 'hidden view: no timer');
    poller.setEnabled(true);
    poller.setInterval(0);
    assert.equal(poller.scheduled, false, '0 turns it off');
    fake.batches = fake.batches.map((b) => ({ ...b, status: 'completed' }));
    await store.refresh();
    poller.setInterval(5);
    assert.equal(poller.scheduled, false, 'nothing active: no timer');
    assert.equal(retrieved().length, 0);
  });

  it('keeps going when one batch fails to refresh, keeping that one as it was', async () => {
    const failing = fake.fault({ path: `/v1/batches/${fake.batches[0].id}`, times: 3, fault: { kind: 'status', status: 404 } });
    // Both changed on the server: only the one that could be fetched may change here.
    fake.batches[0] = { ...fake.batches[0], status: 'finalizing' };
    fake.batches[2] = { ...fake.batches[2], status: 'in_progress' };
    await poller.poll();
    assert.equal(failing.fired, 1, 'a 404 is not retried');
    assert.equal(store.get(fake.batches[2].id)?.status, 'in_progress');
    assert.equal(store.get(fake.batches[0].id)?.status, 'in_progress', 'unchanged, not dropped');
    assert.ok(log.lines.some((l) => l.startsWith('warn') && l.includes(`Could not refresh ${fake.batches[0].id}`)), log.lines.join('\n'));
  });
});
