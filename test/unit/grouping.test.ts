import * as assert from 'node:assert/strict';
import { parseBatch, type Batch } from '../../src/core/batch';
import { BatchStore } from '../../src/core/batchStore';
import { GroupedBatches, groupByStatus } from '../../src/core/grouping';
import { FakeOpenAI } from '../fake-openai/server';
import { RecordingLogger, clientFor } from '../support/clientFor';
import { isActiveStatus, isCancellableStatus, normalizeStatus, statusLabel } from '../../src/core/status';

function batch(id: string, status: string): Batch {
  const b = parseBatch({ id, status }).batch;
  assert.ok(b);
  return b;
}

describe('groupByStatus', () => {
  it('orders known statuses by lifecycle, then unknown ones by first appearance', () => {
    const groups = groupByStatus([
      batch('1', 'completed'),
      batch('2', 'needs_review'),
      batch('3', 'in_progress'),
      batch('4', 'failed'),
      batch('5', 'validating'),
      batch('6', 'cancelled'),
      batch('7', 'expired'),
      batch('8', 'cancelling'),
      batch('9', 'finalizing'),
      batch('10', 'Paused'),
      batch('11', 'needs_review'),
    ]);
    assert.deepEqual(
      groups.map((g) => g.label),
      ['Validating', 'In Progress', 'Finalizing', 'Cancelling', 'Completed', 'Failed', 'Expired', 'Cancelled', 'Needs Review', 'Paused'],
    );
    assert.deepEqual(groups.find((g) => g.status === 'needs_review')?.batches.map((b) => b.id), ['2', '11']);
    assert.equal(groups.find((g) => g.status === 'needs_review')?.known, false);
    assert.equal(groups.reduce((n, g) => n + g.batches.length, 0), 11);
  });

  it('keeps the load order (newest first) inside a group and shows only present statuses', () => {
    const groups = groupByStatus([batch('c', 'completed'), batch('b', 'completed'), batch('a', 'completed')]);
    assert.equal(groups.length, 1);
    assert.deepEqual(groups[0].batches.map((b) => b.id), ['c', 'b', 'a']);
    assert.deepEqual(groupByStatus([]), []);
  });
});

describe('status helpers', () => {
  it('normalises spellings servers use', () => {
    assert.equal(normalizeStatus('Completed'), 'completed');
    assert.equal(normalizeStatus(' IN_PROGRESS '), 'in_progress');
    assert.equal(normalizeStatus('in progress'), 'in_progress');
    assert.equal(normalizeStatus('canceled'), 'cancelled');
    assert.equal(normalizeStatus(''), 'unknown');
    assert.equal(normalizeStatus(' - '), 'unknown', 'separators alone name nothing');
    assert.equal(normalizeStatus('_in__progress_'), 'in_progress');
    assert.equal(normalizeStatus(3), 'unknown');
  });

  it('knows which statuses are active and cancellable', () => {
    assert.deepEqual(['validating', 'in_progress', 'finalizing', 'cancelling', 'completed'].map(isActiveStatus), [true, true, true, true, false]);
    assert.deepEqual(['validating', 'in_progress', 'finalizing', 'cancelling', 'failed'].map(isCancellableStatus), [true, true, true, false, false]);
    assert.equal(statusLabel('in_progress'), 'In Progress');
  });
});

describe('GroupedBatches against the fake API', function () {
  this.timeout(20_000);
  it('keeps the groups equal to a fresh grouping through pages, new statuses, updates and refreshes', async () => {
    const fake = await FakeOpenAI.start({ count: 120, seed: 12 });
    try {
      fake.batches[70] = { ...fake.batches[70], status: 'queued_for_review' as (typeof fake.batches)[number]['status'] };
      const store = new BatchStore(clientFor(fake), () => 25, new RecordingLogger());
      const grouped = new GroupedBatches(store);
      const same = () =>
        assert.deepEqual(
          grouped.current.map((g) => [g.status, g.batches.map((b) => b.id)]),
          groupByStatus(store.batches).map((g) => [g.status, g.batches.map((b) => b.id)]),
        );
      await store.ensureLoaded();
      same();
      for (let i = 0; i < 4; i++) {
        const before = grouped.current;
        const loading = store.loadMore();
        assert.equal(grouped.current, before, 'a load starting keeps the groups');
        await loading;
        same();
      }
      assert.ok(grouped.current.some((g) => g.status === 'queued_for_review'), 'a page brought a new status');
      store.upsert({ ...store.batches[3], status: 'cancelling' });
      same();
      await store.refresh();
      same();
    } finally {
      await fake.close();
    }
  });
});

describe('GroupedBatches with a filter', function () {
  this.timeout(20_000);
  it('groups only what the filter lets through, as pages arrive and when the filter changes', async () => {
    const fake = await FakeOpenAI.start({ count: 120, seed: 12 });
    try {
      const store = new BatchStore(clientFor(fake), () => 25, new RecordingLogger());
      const grouped = new GroupedBatches(store);
      const ids = () => grouped.current.flatMap((g) => g.batches.map((b) => b.id)).sort();
      const failed = (b: { status: string }) => b.status === 'failed';
      await store.ensureLoaded();
      grouped.setFilter(failed);
      assert.deepEqual(ids(), store.batches.filter(failed).map((b) => b.id).sort());
      await store.loadMore();
      await store.loadMore();
      assert.deepEqual(ids(), store.batches.filter(failed).map((b) => b.id).sort(), 'pages appended are filtered too');
      assert.ok(ids().length > 0 && ids().length < store.batches.length);
      assert.equal(grouped.shows(store.batches.find((b) => !failed(b))!), false);
      grouped.setFilter(undefined);
      assert.equal(ids().length, store.batches.length);
    } finally {
      await fake.close();
    }
  });
});
