import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { BatchesExtensionApi } from '../../src/extension';
import { MAX_ROWS_PER_MESSAGE, type ResultsSummary } from '../../src/core/results/protocol';
import type { ResultsPanel } from '../../src/views/resultsPanel';
import { Command } from '../../src/constants';
import { expectedOutcomes } from '../fake-openai/batchFiles';
import { LARGE_RESULTS, RESULTS_BATCH_IDS, resultsDataset } from '../fake-openai/resultsDatasets';
import { FakeOpenAI } from '../fake-openai/server';
import { batchRows, closeAllEditors, connectTo, disconnect, extensionApi, waitFor } from './support';

/** Every hostile or unusual results batch of the fake opens, and its counts add up; none breaks the view. */
describe('Results view with the fake API results datasets', function () {
  this.timeout(180_000);
  let api: BatchesExtensionApi;
  let fake: FakeOpenAI;

  before(async () => {
    api = await extensionApi();
    fake = await FakeOpenAI.start(resultsDataset({ large: true }));
    await connectTo(api, fake, { pageSize: 50 });
    await api.store.ensureLoaded();
  });
  afterEach(async () => {
    for (const p of api.results.all) p.panel.dispose();
    await closeAllEditors();
  });
  after(async () => {
    await vscode.commands.executeCommand(Command.clearResultsCache);
    await disconnect();
    await fake.close();
  });

  const open = async (batchId: string): Promise<{ panel: ResultsPanel; summary: ResultsSummary }> => {
    const row = (await batchRows(api)).find((r) => r.node.type === 'batch' && r.node.batch.id === batchId);
    assert.ok(row, `a row for ${batchId}`);
    const panel = await vscode.commands.executeCommand<ResultsPanel>(Command.openResults, row.node);
    const summary = await waitFor(`the results of ${batchId}`, () => panel.lastSummary, 150_000);
    assert.equal(summary.outcomes.reduce((sum, o) => sum + o.count, 0), summary.total, 'the outcome counts add up to the input lines');
    return { panel, summary };
  };

  for (const [name, id] of Object.entries(RESULTS_BATCH_IDS).filter(([name]) => name !== 'large')) {
    it(`opens ${name} (${id})`, async () => {
      const { panel, summary } = await open(id);
      await waitFor('the page to ask for its first rows', () => panel.maxRowsPosted > 0 || summary.total + summary.anomalies.orphanCount === 0, 30_000);
      // A row's details come back for the first and the last row, however long or broken their lines.
      const view = panel.view!;
      view.query({});
      const count = panel.index!.rowCount;
      for (const rowId of count > 0 ? [0, count - 1] : []) {
        const details = await view.details(rowId);
        assert.equal(details.id, rowId);
      }
    });
  }

  it('opens the 50,000-request batch, and the page receives windows of rows, never all of them', async () => {
    const { panel, summary } = await open(RESULTS_BATCH_IDS.large);
    const expected = expectedOutcomes(LARGE_RESULTS.fates);
    assert.equal(summary.total, expected.total);
    assert.equal(summary.outcomes.find((o) => o.outcome === 'succeeded')?.count, expected.succeeded);
    await waitFor('the page to ask for its first rows', () => panel.maxRowsPosted > 0, 30_000);
    assert.ok(panel.maxRowsPosted <= MAX_ROWS_PER_MESSAGE, `${panel.maxRowsPosted} rows in one message`);
  });
});
