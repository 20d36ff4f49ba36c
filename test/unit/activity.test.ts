import * as assert from 'node:assert/strict';
import { ActiveBatchPoller } from '../../src/core/activeBatchPoller';
import { RecentActivity } from '../../src/core/activity';
import { parseBatch } from '../../src/core/batch';
import { BatchStore } from '../../src/core/batchStore';
import { FakeOpenAI } from '../fake-openai/server';
import { RecordingLogger, clientFor } from '../support/clientFor';

describe('RecentActivity', () => {
  const batch = (status: string, completed: number) => ({ ...parseBatch({ id: 'b', status, request_counts: { total: 10, completed, failed: 0 } }).batch! });
  it('moves while a request is in flight, or for a while after an active batch visibly changed', () => {
    let now = 1_000_000;
    const recent = new RecentActivity(60_000, () => now);
    assert.equal(recent.spinning(false), false, 'nothing changed yet');
    assert.equal(recent.spinning(true), true, 'a request is in flight');
    recent.noteUpdate(batch('in_progress', 3), batch('in_progress', 3));
    assert.equal(recent.spinning(false), false, 'the same copy again is no change');
    recent.noteUpdate(batch('in_progress', 3), batch('in_progress', 4));
    assert.equal(recent.spinning(false), true);
    now += 59_000;
    assert.equal(recent.msUntilStill(), 1_000);
    now += 1_000;
    assert.equal(recent.spinning(false), false, 'still again a minute after the last change');
    recent.noteUpdate(batch('in_progress', 4), batch('finalizing', 4));
    assert.equal(recent.spinning(false), true, 'a status change counts');
    recent.reset();
    assert.equal(recent.spinning(false), false, "another account's changes do not count");
  });
});

describe('ActiveBatchPoller activity', () => {
  it('says when a round of requests is in flight', async () => {
    const fake = await FakeOpenAI.start({ count: 30, seed: 11 });
    try {
      const client = clientFor(fake);
      const log = new RecordingLogger();
      const store = new BatchStore({ listBatches: (p, s) => client.listBatches(p, s) }, () => 30, log);
      await store.ensureLoaded();
      const poller = new ActiveBatchPoller(store, (id, signal) => client.retrieveBatch(id, signal), log);
      const seen: boolean[] = [];
      poller.onDidChangePolling(() => seen.push(poller.polling));
      fake.fault({ path: /^\/v1\/batches\/.+/, fault: { kind: 'delay', ms: 100 } });
      const round = poller.poll();
      assert.equal(poller.polling, true);
      await round;
      assert.equal(poller.polling, false);
      assert.deepEqual(seen, [true, false]);
      poller.dispose();
    } finally {
      await fake.close();
    }
  });
});
