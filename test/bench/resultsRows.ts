// Extension-tests entry for `npm run bench`: the most rows the extension posts to the Results page in one
// message while the page opens on the 50,000-request batch (the page asks in blocks of 100; the panel caps
// any answer at MAX_ROWS_PER_MESSAGE whatever it is asked, which the unit tests of the query check).
import * as vscode from 'vscode';
import { Command, EXTENSION_ID } from '../../src/constants';
import type { BatchesExtensionApi } from '../../src/extension';
import type { ResultsPanel } from '../../src/views/resultsPanel';
import { RESULTS_BATCH_IDS, resultsDataset } from '../fake-openai/resultsDatasets';
import { FakeOpenAI } from '../fake-openai/server';
import { connectTo, disconnect, waitFor } from '../integration/support';

export async function run(): Promise<void> {
  console.log(`VS Code ${vscode.version} (extension host Node ${process.version})`);
  const api = await vscode.extensions.getExtension<BatchesExtensionApi>(EXTENSION_ID)!.activate();
  const fake = await FakeOpenAI.start(resultsDataset({ large: true }));
  try {
    await connectTo(api, fake, { pageSize: 50 });
    await api.store.ensureLoaded();
    const node = api.tree.nodeFor(RESULTS_BATCH_IDS.large);
    if (!node) throw new Error('the large results batch is not loaded');
    const panel = await vscode.commands.executeCommand<ResultsPanel>(Command.openResults, node);
    await waitFor('the results to be indexed', () => panel.lastSummary, 300_000);
    await waitFor('the page to ask for its first rows', () => panel.maxRowsPosted > 0, 60_000);
    console.log(`BENCH resultsRowsPerMessage=${panel.maxRowsPosted}`);
    panel.panel.dispose();
    await vscode.commands.executeCommand(Command.clearResultsCache);
  } finally {
    await disconnect();
    await fake.close();
  }
}
