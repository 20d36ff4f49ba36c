import * as assert from 'node:assert/strict';
import { DEFAULT_CONNECTION } from '../../src/core/connections';
import { restoredPanel } from '../../src/core/results/panelState';

describe('Results panel state', () => {
  it('restores a panel on the connection its page saved, any name', () => {
    for (const connection of ['Work', 'Team A/B: prod@eu', 'ü€ 日本']) {
      assert.deepEqual(restoredPanel({ batchId: 'batch_1', connection, query: { search: 'x' } }), { batchId: 'batch_1', connection });
    }
  });

  it('restores a page saved before panels knew their connection on the default one', () => {
    assert.deepEqual(restoredPanel({ batchId: 'batch_1', query: {} }), { batchId: 'batch_1', connection: DEFAULT_CONNECTION });
  });

  it('restores nothing from a state that names no batch or an odd connection', () => {
    for (const state of [undefined, null, {}, { batchId: '' }, { batchId: 7 }, { batchId: 'batch_1', connection: 3 }]) assert.equal(restoredPanel(state), undefined, JSON.stringify(state));
  });
});
