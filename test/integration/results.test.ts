import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BatchesExtensionApi } from '../../src/extension';
import { BatchJsonProvider } from '../../src/documents/batchJsonProvider';
import { DEFAULT_CONNECTION } from '../../src/core/connections';
import { MAX_ROWS_PER_MESSAGE, type Outcome, type ResultsSummary } from '../../src/core/results/protocol';
import type { ResultsPanel } from '../../src/views/resultsPanel';
import { Command, RESULTS_VIEW_TYPE } from '../../src/constants';
import { FakeOpenAI } from '../fake-openai/server';
import { resultsFixture, type ResultsFixture } from '../support/resultsFixture';
import { batchRows, closeAllEditors, connectTo, disconnect, extensionApi, logText, waitFor } from './support';

const finished = resultsFixture({
  id: 'batch_results_done',
  status: 'completed',
  fates: { succeeded: 240, length: 6, context_length: 9, server_error: 4, rate_limited: 3, missing: 5 },
  anomalies: true,
});
const expired = resultsFixture({ id: 'batch_results_expired', status: 'expired', fates: { succeeded: 120, context_length: 2, expired: 38 } });
const running = resultsFixture({ id: 'batch_results_running', status: 'in_progress', fates: { succeeded: 30 } });
/** Its output file is gone from the server (404): the input and error files are still joined. */
const outputGone = resultsFixture({ id: 'batch_results_output_gone', status: 'completed', fates: { succeeded: 20, server_error: 3 } });
/** Its output file's transfer breaks off halfway (a reset): the input and error files are still joined. */
const outputBroken = resultsFixture({ id: 'batch_results_output_broken', status: 'completed', fates: { succeeded: 25, server_error: 4 } });

function outcomeCounts(summary: ResultsSummary): Record<Outcome, number> {
  return Object.fromEntries(summary.outcomes.map((o) => [o.outcome, o.count])) as Record<Outcome, number>;
}

function assertMatches(summary: ResultsSummary, f: ResultsFixture): void {
  assert.equal(summary.batchId, f.batch.id);
  assert.equal(summary.total, f.expected.total);
  assert.deepEqual(outcomeCounts(summary), f.expected.outcomes);
  assert.deepEqual(Object.fromEntries(summary.errors.map((g) => [g.key, g.count])), f.expected.errors);
  assert.equal(summary.anomalies.orphanCount, f.expected.orphans);
  assert.equal(summary.anomalies.duplicateCount, f.expected.duplicates);
  assert.equal(summary.anomalies.unreadableCount, f.expected.unreadable);
  if (f.expected.inputTokens > 0) {
    assert.equal(summary.tokens?.input, f.expected.inputTokens);
    assert.equal(summary.tokens?.output, f.expected.outputTokens);
  }
}

/** What the panel posted to its page once loaded: the summary, and rows the page asked for. */
async function loadedSummary(panel: ResultsPanel): Promise<ResultsSummary> {
  return waitFor(`the results of ${panel.batchId}`, () => panel.lastSummary, 30_000);
}

describe('Results view', function () {
  this.timeout(60_000);
  let api: BatchesExtensionApi;
  let fake: FakeOpenAI;

  before(async () => {
    api = await extensionApi();
    const fixtures = [running, finished, expired, outputGone, outputBroken];
    const files = fixtures.flatMap((f) => f.files).filter((file) => file.meta.id !== outputGone.batch.output_file_id);
    fake = await FakeOpenAI.start({ batches: fixtures.map((f) => f.batch), files });
    await connectTo(api, fake);
    await api.store.ensureLoaded();
  });
  afterEach(async () => {
    for (const p of api.results.all) p.panel.dispose();
    await closeAllEditors();
  });
  after(async () => {
    await disconnect();
    await fake.close();
  });

  const node = async (batchId: string) => {
    const row = (await batchRows(api)).find((r) => r.node.type === 'batch' && r.node.batch.id === batchId);
    assert.ok(row, `a row for ${batchId}`);
    return row.node;
  };

  it('opens from a batch row for a finished batch; the counts it posts match the files, row windows stay small', async () => {
    const panel = await vscode.commands.executeCommand<ResultsPanel>(Command.openResults, await node(finished.batch.id));
    assert.equal(panel.panel.viewType, RESULTS_VIEW_TYPE);
    assert.equal(panel.panel.title, `Results: ${finished.batch.id}`);
    assertMatches(await loadedSummary(panel), finished);
    assert.deepEqual(
      (await loadedSummary(panel)).files.map((f) => f.state),
      ['loaded', 'loaded', 'loaded'],
    );
    await waitFor('the page to ask for its first rows', () => panel.maxRowsPosted > 0, 30_000);
    assert.ok(panel.maxRowsPosted <= MAX_ROWS_PER_MESSAGE, `at most ${MAX_ROWS_PER_MESSAGE} rows per message, saw ${panel.maxRowsPosted}`);
    assert.ok(panel.maxRowsPosted < finished.expected.total, 'the page asks for windows, not for everything');
  });

  it('opens from the batch JSON editor title for an expired batch (its partial output and expired requests)', async () => {
    await vscode.commands.executeCommand(Command.openBatchJson, await node(expired.batch.id));
    const uri = BatchJsonProvider.uri(expired.batch.id, DEFAULT_CONNECTION);
    await waitFor('the batch JSON tab', () => vscode.window.activeTextEditor?.document.uri.toString() === uri.toString());
    const panel = await vscode.commands.executeCommand<ResultsPanel>(Command.openResults, uri);
    const summary = await loadedSummary(panel);
    assertMatches(summary, expired);
    assert.equal(summary.pending, false);
  });

  it('opens for a running batch: every request is pending', async () => {
    await vscode.commands.executeCommand(Command.openBatchJson, await node(running.batch.id));
    const panel = await vscode.commands.executeCommand<ResultsPanel>(Command.openResults, BatchJsonProvider.uri(running.batch.id, DEFAULT_CONNECTION));
    const summary = await loadedSummary(panel);
    assert.equal(summary.pending, true);
    assertMatches(summary, running);
  });

  it('reports a file that is gone and joins the others', async () => {
    const panel = await vscode.commands.executeCommand<ResultsPanel>(Command.openResults, await node(outputGone.batch.id));
    const summary = await loadedSummary(panel);
    const output = summary.files.find((f) => f.kind === 'output');
    assert.equal(output?.state, 'failed');
    assert.match(output?.message ?? '', /404|No such File/i);
    assert.equal(summary.total, outputGone.expected.total);
    const counts = outcomeCounts(summary);
    assert.equal(counts.failed, outputGone.expected.outcomes.failed, 'the error file is joined');
    assert.equal(counts.succeeded, 0);
    assert.equal(counts.missing, outputGone.expected.total - outputGone.expected.outcomes.failed);
  });

  it('reports a file whose transfer breaks off halfway and joins the others', async () => {
    const reset = fake.fault({ path: `/v1/files/${outputBroken.batch.output_file_id}/content`, fault: { kind: 'resetMidBody' } });
    const panel = await vscode.commands.executeCommand<ResultsPanel>(Command.openResults, await node(outputBroken.batch.id));
    const summary = await loadedSummary(panel);
    assert.equal(reset.fired, 1);
    const output = summary.files.find((f) => f.kind === 'output');
    assert.equal(output?.state, 'failed');
    assert.match(output?.message ?? '', /ended early|connection/i);
    assert.equal(summary.files.find((f) => f.kind === 'error')?.state, 'loaded');
    const counts = outcomeCounts(summary);
    assert.equal(counts.failed, outputBroken.expected.outcomes.failed, 'the error file is joined');
    assert.equal(counts.missing, outputBroken.expected.total - outputBroken.expected.outcomes.failed);
  });

  it('reopening reveals the same panel', async () => {
    const first = await vscode.commands.executeCommand<ResultsPanel>(Command.openResults, await node(finished.batch.id));
    await loadedSummary(first);
    await vscode.commands.executeCommand(Command.openBatchJson, await node(finished.batch.id));
    await waitFor('the panel to be behind the JSON tab', () => !first.panel.active);
    const again = await vscode.commands.executeCommand<ResultsPanel>(Command.openResults, BatchJsonProvider.uri(finished.batch.id, DEFAULT_CONNECTION));
    assert.equal(again, first);
    assert.equal(api.results.all.length, 1);
    await waitFor('the panel to come to the front', () => first.panel.active);
  });

  it('Open Results from the palette offers only batches with an output or error file', async () => {
    // Newest first: the running batch (input file only) is first in the list, so the pick skips it.
    assert.equal(api.store.batches[0].id, running.batch.id);
    const done = vscode.commands.executeCommand<ResultsPanel>(Command.openResults);
    await waitFor('the picker', async () => {
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      return api.results.all.length > 0;
    });
    const panel = await done;
    assert.equal(panel.batchId, finished.batch.id);
  });

  it('restores a panel through its registered serializer', async () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { activationEvents: string[] };
    assert.ok(manifest.activationEvents.includes(`onWebviewPanel:${RESULTS_VIEW_TYPE}`));
    // VS Code allows one serializer per view type: registering another fails while the extension's is in place.
    assert.throws(() => vscode.window.registerWebviewPanelSerializer(RESULTS_VIEW_TYPE, { deserializeWebviewPanel: async () => undefined }), /already registered/);
  });

  it('Clear Results Cache removes the downloaded files and says how much it freed', async () => {
    const panel = await vscode.commands.executeCommand<ResultsPanel>(Command.openResults, await node(expired.batch.id));
    await loadedSummary(panel);
    const cached = () => listFiles(api.resultsCacheUri.fsPath);
    const ownFiles = [expired.batch.input_file_id, expired.batch.output_file_id, expired.batch.error_file_id].filter((id): id is string => !!id);
    const isOwn = (file: string) => ownFiles.some((id) => path.basename(file).includes(id));
    assert.equal(cached().filter(isOwn).length, ownFiles.length, `the batch's files are cached: ${JSON.stringify(cached())}`);
    await vscode.commands.executeCommand(Command.clearResultsCache);
    assert.equal(cached().filter(isOwn).length, ownFiles.length, 'an open panel keeps its files');
    panel.panel.dispose();
    await vscode.commands.executeCommand(Command.clearResultsCache);
    assert.deepEqual(cached(), []);
    assert.match(await logText(api), /Cleared the results cache: \d+ files?, [\d.]+ (B|KB|MB) freed/);
  });
});

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}
