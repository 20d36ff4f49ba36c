import * as assert from 'node:assert/strict';
import { parseBatch, type Batch } from '../../src/core/batch';
import { groupByStatus } from '../../src/core/grouping';
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
    assert.equal(normalizeStatus(3), 'unknown');
  });

  it('knows which statuses are active and cancellable', () => {
    assert.deepEqual(['validating', 'in_progress', 'finalizing', 'cancelling', 'completed'].map(isActiveStatus), [true, true, true, true, false]);
    assert.deepEqual(['validating', 'in_progress', 'finalizing', 'cancelling', 'failed'].map(isCancellableStatus), [true, true, true, false, false]);
    assert.equal(statusLabel('in_progress'), 'In Progress');
  });
});
