import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Command, InternalCommand, type ExportCombinedOptions, type RetryOptions, type RetryResult } from '../../src/constants';
import type { CombinedSummary } from '../../src/core/results/protocol';
import type { BatchesExtensionApi } from '../../src/extension';
import type { ResultsPanel } from '../../src/views/resultsPanel';
import type { BatchNode } from '../../src/views/treeNodes';
import type { FakeOpenAI, RecordedRequest } from '../fake-openai/server';
import { FakeOpenAI as Fake } from '../fake-openai/server';
import { resultsFixture, type PlannedFate, type ResultsFixture } from '../support/resultsFixture';
import { finishFakeBatch, type Fate } from '../support/retryScenario';
import { batchRows, closeAllEditors, connectTo, disconnect, extensionApi, logLineCount, loggedError, rows, waitFor } from './support';

/** A finished batch with every outcome, a repeated custom_id (of a request that succeeded) and an orphan. */
const everyOutcome = () =>
  resultsFixture({
    id: 'batch_retry_parent',
    status: 'completed',
    description: 'nightly eval',
    fates: { succeeded: 12, length: 2, context_length: 3, server_error: 2, rate_limited: 2, expired: 3, cancelled: 2, missing: 2 },
    anomalies: true,
  });

const SUCCEEDED: ReadonlySet<PlannedFate> = new Set(['succeeded', 'length']);

/** The parent's input lines, exactly as the file has them. */
function inputLines(f: ResultsFixture): string[] {
  const content = f.files[0].content;
  assert.equal(typeof content, 'string');
  return (content as string).split('\n').filter((l) => l !== '');
}

/** The lines a retry must hold: the input's, in order, whose custom_id did not succeed (and `keep` accepts). */
function expectedRetry(f: ResultsFixture, keep: (fate: PlannedFate) => boolean = () => true): string {
  const fates = new Map(f.plan);
  const lines = inputLines(f).filter((line) => {
    const fate = fates.get((JSON.parse(line) as { custom_id: string }).custom_id)!;
    return !SUCCEEDED.has(fate) && keep(fate);
  });
  return lines.map((l) => `${l}\n`).join('');
}

const posts = (fake: FakeOpenAI, p: string) => fake.requests.filter((r) => r.method === 'POST' && r.path === p);
const created = (fake: FakeOpenAI) => posts(fake, '/v1/batches').map((r) => r.body as { metadata: Record<string, string>; input_file_id: string; endpoint: string; completion_window: string });
const uploadedContent = (fake: FakeOpenAI, r: RecordedRequest | { input_file_id: string }) => fake.files.get((r as { input_file_id: string }).input_file_id)?.content;

/** Answers the quick input `id` after `moves` steps down, as the keyboard does. */
async function answer(api: BatchesExtensionApi, id: string, moves = 0) {
  const shown = await waitFor(`the "${id}" prompt`, () => (api.prompts.current?.id === id && (api.prompts.current.items?.length ?? 1) > 0 ? api.prompts.current : undefined), 30_000);
  for (let i = 0; i < moves; i++) await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
  await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
  await waitFor(`the "${id}" prompt to be answered`, () => api.prompts.current?.id !== id);
  return shown;
}

describe('Retry Failed Requests', function () {
  this.timeout(90_000);
  let api: BatchesExtensionApi;
  let fake: FakeOpenAI;
  let parent: ResultsFixture;
  let dir: string;

  before(async () => {
    api = await extensionApi();
  });
  beforeEach(async () => {
    parent = everyOutcome();
    const done = resultsFixture({ id: 'batch_retry_all_done', status: 'completed', fates: { succeeded: 4, length: 1 } });
    fake = await Fake.start({ batches: [parent.batch, done.batch], files: [...parent.files, ...done.files] });
    await connectTo(api, fake);
    await api.store.ensureLoaded();
    dir = fs.mkdtempSync(path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, 'retry-'));
  });
  afterEach(async () => {
    if (api.prompts.current) await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await closeAllEditors();
    fs.rmSync(dir, { recursive: true, force: true });
    await fake.close();
  });
  after(() => disconnect());

  const node = async (batchId: string): Promise<BatchNode> => {
    const row = (await batchRows(api)).find((r) => r.node.type === 'batch' && r.node.batch.id === batchId);
    assert.ok(row, `a row for ${batchId}`);
    return row.node as BatchNode;
  };

  it('creates a batch of exactly the lines that did not succeed, byte for byte, whose metadata names the parent', async () => {
    const result = await vscode.commands.executeCommand<RetryResult>(InternalCommand.retryFailed, { batchId: parent.batch.id } satisfies RetryOptions);
    assert.ok(result?.batch, 'a batch was created');
    const requests = parent.plan.filter(([, fate]) => !SUCCEEDED.has(fate)).length;
    assert.equal(result.requests, requests);
    const [body] = created(fake);
    assert.equal(uploadedContent(fake, body), expectedRetry(parent), 'the uploaded file holds the original lines in input order');
    assert.deepEqual(body.metadata, { retry_of: parent.batch.id, description: `Retry of nightly eval: ${requests} requests` });
    assert.equal(body.endpoint, parent.batch.endpoint);
    assert.equal(body.completion_window, parent.batch.completion_window);
    assert.equal(fake.batches[0].id, result.batch.id);
    assert.equal(api.store.batches[0].id, result.batch.id, 'shown on top of the tree');
    assert.deepEqual(posts(fake, '/v1/files').map((r) => r.fields?.purpose), ['batch']);
  });

  it('from the batch row: the outcome pick lists each outcome and error with its count, all checked; what is unchecked is left out', async () => {
    const done = vscode.commands.executeCommand<RetryResult | undefined>(Command.retryFailed, await node(parent.batch.id));
    const pick = await waitFor('the outcome pick', () => (api.prompts.current?.id === 'retryOutcomes' ? api.prompts.current : undefined), 30_000);
    assert.match(pick.title, /Retry Failed Requests of batch_retry_parent/);
    assert.deepEqual(pick.items, [
      '$(error) Failed — 7 requests — an error response (4xx, 5xx) or a request error',
      '$(blank) context_length_exceeded — 3 · HTTP 400',
      '$(blank) rate_limit_exceeded — 2',
      '$(blank) HTTP 500 — 2',
      '$(watch) Expired — 3 requests — not run before the 24-hour window closed (batch_expired)',
      '$(circle-slash) Cancelled — 2 requests — not run because the batch was cancelled (batch_cancelled)',
      '$(question) Missing — 2 requests — in neither the output nor the error file',
    ]);
    assert.deepEqual(pick.selected, pick.items, 'everything that did not succeed, checked');
    // Uncheck HTTP 500 (its parent Failed goes with it, the other codes stay), then Cancelled.
    const toggle = async (moves: number, want: (selected: readonly string[]) => boolean) => {
      for (let i = 0; i < moves; i++) await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
      await vscode.commands.executeCommand('workbench.action.quickPickManyToggle');
      await waitFor('the pick to follow', () => want(api.prompts.current?.selected ?? [])).catch((e: unknown) => {
        throw new Error(`${String(e)}: ${JSON.stringify(api.prompts.current)}`);
      });
    };
    await toggle(3, (s) => !s.some((i) => i.startsWith('$(error) Failed')) && !s.some((i) => i.includes('HTTP 500')) && s.some((i) => i.includes('rate_limit_exceeded')));
    await toggle(2, (s) => !s.some((i) => i.includes('Cancelled')));
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    const choice = await waitFor('Create or Review', () => (api.prompts.current?.id === 'retryAction' && (api.prompts.current.items?.length ?? 0) > 0 ? api.prompts.current : undefined), 30_000);
    const requests = 3 + 2 + 3 + 2; // context length, rate limited, expired, missing
    assert.match(choice.title, new RegExp(`Retry ${requests} requests of batch_retry_parent`));
    assert.match(choice.items![0], /^\$\(check\) Create Batch — tokens only: no price known — 10 requests to chat\/completions \(gpt-4o-mini-2024-07-18\) · ~\d+ input tokens, described "Retry of nightly eval: 10 requests"/);
    assert.match(choice.items![1], /^\$\(eye\) Review First…/);
    await answer(api, 'retryAction');
    const result = await done;
    assert.ok(result?.batch);
    assert.equal(uploadedContent(fake, created(fake)[0]), expectedRetry(parent, (fate) => fate !== 'server_error' && fate !== 'cancelled'));
  });

  it('Review First writes the file and opens it; Create Batch from it (the Explorer) keeps the link, also after an edit saved in the editor', async () => {
    const target = vscode.Uri.file(path.join(dir, 'to-retry.jsonl'));
    const result = await vscode.commands.executeCommand<RetryResult>(InternalCommand.retryFailed, { batchId: parent.batch.id, include: ['expired', 'missing'], reviewAt: target } satisfies RetryOptions);
    assert.equal(result?.file?.fsPath, target.fsPath);
    assert.equal(fs.readFileSync(target.fsPath, 'utf8'), expectedRetry(parent, (fate) => fate === 'expired' || fate === 'missing'));
    assert.deepEqual(posts(fake, '/v1/files'), [], 'nothing uploaded yet');
    const editor = await waitFor('the file in an editor', () => (vscode.window.activeTextEditor?.document.uri.fsPath === target.fsPath ? vscode.window.activeTextEditor : undefined));
    const lens = await waitFor('the CodeLens naming the parent', async () => {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', target);
      return lenses.find((l) => l.command?.title === `Create Batch from This File (a retry of ${parent.batch.id})`);
    });
    assert.equal(lens.range.start.line, 0);

    // Reviewed: the first line is dropped, and saved from the editor.
    await editor.edit((e) => e.delete(new vscode.Range(0, 0, 1, 0)));
    assert.ok(await editor.document.save());
    const kept = fs.readFileSync(target.fsPath, 'utf8');
    const lines = kept.split('\n').filter(Boolean).length;

    const done = vscode.commands.executeCommand<{ id: string }[]>(Command.createBatch, target, [target]);
    const description = await answer(api, 'description');
    assert.equal(description.value, `Retry of nightly eval: ${lines} requests`);
    await answer(api, 'outputExpiry');
    await answer(api, 'inputExpiry');
    const confirm = await answer(api, 'confirm');
    assert.ok(confirm.items!.some((i) => i.startsWith(`$(debug-rerun) Retry of ${parent.batch.id}`)), JSON.stringify(confirm.items));
    const [batch] = await done;
    assert.ok(batch);
    const [body] = created(fake);
    assert.deepEqual(body.metadata, { retry_of: parent.batch.id, description: `Retry of nightly eval: ${lines} requests` });
    assert.equal(uploadedContent(fake, body), kept);
  });

  it('a reviewed file changed outside the editor is created as a batch of its own', async () => {
    const target = vscode.Uri.file(path.join(dir, 'changed.jsonl'));
    await vscode.commands.executeCommand<RetryResult>(InternalCommand.retryFailed, { batchId: parent.batch.id, reviewAt: target } satisfies RetryOptions);
    fs.writeFileSync(target.fsPath, inputLines(parent).slice(0, 2).join('\n') + '\n');
    const batches = await vscode.commands.executeCommand<{ id: string }[]>(InternalCommand.createBatch, { files: [target] });
    assert.equal(batches.length, 1);
    assert.deepEqual(created(fake)[0].metadata, { description: 'changed.jsonl' });
  });

  it('says when there is nothing to retry, and when the input file is gone; creates nothing', async () => {
    const since = await logLineCount(api);
    assert.equal(await vscode.commands.executeCommand(InternalCommand.retryFailed, { batchId: 'batch_retry_all_done' } satisfies RetryOptions), undefined);
    fake.files.delete(parent.batch.input_file_id!);
    assert.equal(await vscode.commands.executeCommand(InternalCommand.retryFailed, { batchId: parent.batch.id } satisfies RetryOptions), undefined);
    const message = await loggedError(api, since, 'Could not retry the batch');
    assert.match(message, new RegExp(`The input file of ${parent.batch.id} \\(file-${parent.batch.id}-input\\) is no longer available \\(.*No such File object.*\\): there are no lines to resubmit\\. Nothing was created\\.`));
    assert.deepEqual(posts(fake, '/v1/files'), []);
    assert.deepEqual(posts(fake, '/v1/batches'), []);
  });

  it('leaves nothing behind when the create or the upload fails', async () => {
    const tempsBefore = retryTemps();
    const filesBefore = new Set(fake.files.keys());
    fake.fault({ method: 'POST', path: '/v1/batches', fault: { kind: 'status', status: 500 }, times: 3 });
    assert.equal(await vscode.commands.executeCommand(InternalCommand.retryFailed, { batchId: parent.batch.id } satisfies RetryOptions), undefined);
    const [upload] = posts(fake, '/v1/files');
    assert.ok(upload, 'the file was uploaded');
    await waitFor('the upload to be deleted', () => fake.requests.some((r) => r.method === 'DELETE' && r.path.startsWith('/v1/files/')));
    assert.deepEqual([...fake.files.keys()].filter((id) => !filesBefore.has(id)), [], 'no uploaded file left on the server');
    assert.equal(fake.batches.length, 2, 'no batch');

    fake.clearFaults();
    fake.fault({ method: 'POST', path: '/v1/files', fault: { kind: 'status', status: 400 } });
    assert.equal(await vscode.commands.executeCommand(InternalCommand.retryFailed, { batchId: parent.batch.id } satisfies RetryOptions), undefined);
    assert.deepEqual([...fake.files.keys()].filter((id) => !filesBefore.has(id)), []);
    assert.equal(fake.batches.length, 2);
    assert.deepEqual(retryTemps(), tempsBefore, 'no temporary file left');
  });

  it('the tree shows the lineage: "retry of" on a retry, Retries under its parent, a chain for retries of retries; combined results and their export', async () => {
    const first = await vscode.commands.executeCommand<RetryResult>(InternalCommand.retryFailed, { batchId: parent.batch.id } satisfies RetryOptions);
    assert.ok(first?.batch);
    // The first retry: what failed now succeeds, what expired expires again, the rest is missing again.
    const fates = new Map(parent.plan);
    const firstFate = (id: string): Fate => ({ context_length: 'succeeded', server_error: 'succeeded', rate_limited: 'rateLimited', expired: 'expired', cancelled: 'succeeded', missing: 'missing' })[fates.get(id) as Exclude<PlannedFate, 'succeeded' | 'length'>] as Fate;
    finishFakeBatch(fake, first.batch.id, firstFate);
    await vscode.commands.executeCommand(Command.refresh);
    await waitFor('the refreshed list', () => api.store.get(first.batch!.id)?.status === 'completed' && !api.store.loading);
    const second = await vscode.commands.executeCommand<RetryResult>(InternalCommand.retryFailed, { batchId: first.batch.id } satisfies RetryOptions);
    assert.ok(second?.batch);
    assert.equal(created(fake)[1].metadata.retry_of, first.batch.id);
    assert.equal(created(fake)[1].metadata.description, `Retry 2 of nightly eval: ${second.requests} requests`);
    const secondFate = (id: string): Fate => (fates.get(id) === 'expired' ? 'succeeded' : fates.get(id) === 'rate_limited' ? 'serverError' : 'missing');
    finishFakeBatch(fake, second.batch.id, secondFate);
    await vscode.commands.executeCommand(Command.refresh);
    await waitFor('the refreshed list', () => api.store.get(second.batch!.id)?.status === 'completed' && !api.store.loading);

    // The tree.
    const all = await batchRows(api);
    const rowOf = (id: string) => all.find((r) => r.node.type === 'batch' && r.node.batch.id === id)!;
    assert.match(String(rowOf(first.batch.id).item.description), new RegExp(`retry of ${parent.batch.id}$`));
    assert.match(String(rowOf(second.batch.id).item.description), new RegExp(`retry of ${first.batch.id}$`));
    assert.match(rowOf(parent.batch.id).item.contextValue ?? '', /\bin-chain\b/);
    const tooltip = await api.tree.resolveTreeItem(rowOf(first.batch.id).item, rowOf(first.batch.id).node);
    assert.match((tooltip.tooltip as vscode.MarkdownString).value, new RegExp(`Retry of: ${parent.batch.id.replace(/_/g, '\\\\_')}`));
    const children = await rows(api, rowOf(parent.batch.id).node);
    const retriesRow = children.find((c) => c.node.type === 'retries');
    assert.ok(retriesRow, `a Retries row under the parent: ${children.map((c) => c.label)}`);
    assert.equal(retriesRow.label, 'Retries');
    assert.equal(retriesRow.item.description, '1 · 1 completed');
    const [nested] = await rows(api, retriesRow.node);
    assert.equal(nested.batchId, first.batch.id);
    assert.match(String(nested.item.description), /^Completed · /);
    assert.notEqual(nested.item.id, rowOf(first.batch.id).item.id, 'its own row id');
    const nestedChildren = await rows(api, nested.node);
    assert.deepEqual(nestedChildren.map((c) => c.label), ['Retries'], 'a retry lists its own retries, its files stay under its row');
    const [grandchild] = await rows(api, nestedChildren[0].node);
    assert.equal(grandchild.batchId, second.batch.id);
    assert.equal(api.tree.getParent(grandchild.node)?.type, 'retries');

    // Combined: the latest outcome per request across the three batches, exported in the original order.
    const target = vscode.Uri.file(path.join(dir, 'combined.jsonl'));
    const exported = await vscode.commands.executeCommand<{ rows: number; combined: CombinedSummary }>(InternalCommand.exportCombined, { batchId: second.batch.id, destination: target } satisfies ExportCombinedOptions);
    const lines = fs
      .readFileSync(target.fsPath, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { custom_id: string; outcome: string; batch_id: string; response: { choices?: { message: { content: string } }[] } | null; error: unknown });
    const ids = inputLines(parent).map((l) => (JSON.parse(l) as { custom_id: string }).custom_id);
    assert.deepEqual(lines.map((l) => l.custom_id), ids, 'every request of the original input, in its order');
    // What became of each planned request: the latest answer across the line, and which batch gave it.
    const [P, R1, R2] = [parent.batch.id, first.batch.id, second.batch.id];
    const final: Record<PlannedFate, [string, string]> = {
      succeeded: ['succeeded', P],
      length: ['succeeded', P],
      context_length: ['succeeded', R1],
      server_error: ['succeeded', R1],
      cancelled: ['succeeded', R1],
      rate_limited: ['failed', R2],
      expired: ['succeeded', R2],
      missing: ['missing', P],
    };
    lines.forEach((line, i) => {
      // The last input line repeats a custom_id that succeeded: it has no answer of its own.
      const want = i === ids.length - 1 ? ['missing', P] : final[fates.get(line.custom_id)!];
      assert.deepEqual([line.custom_id, line.outcome, line.batch_id], [line.custom_id, ...want]);
      if (want[0] === 'succeeded' && want[1] !== P) assert.equal(line.response?.choices?.[0].message.content, `answer of ${want[1]} to ${line.custom_id}`);
    });
    const recovered = parent.plan.filter(([, f]) => ['context_length', 'server_error', 'cancelled', 'expired'].includes(f)).length;
    assert.deepEqual(exported.combined, {
      batchIds: [parent.batch.id, first.batch.id, second.batch.id],
      succeeded: parent.plan.filter(([, f]) => SUCCEEDED.has(f)).length,
      recovered,
      total: ids.length,
    });
    assert.equal(exported.rows, ids.length);

    // The Results view of any batch of the line offers Combined, and shows the same.
    const panel = await vscode.commands.executeCommand<ResultsPanel>(Command.openResults, rowOf(first.batch.id).node);
    const own = await waitFor('the retry’s own results', () => panel.lastSummary, 30_000);
    assert.equal(own.combined, undefined);
    assert.equal(own.total, first.requests);
    await panel.setCombined(true);
    assert.ok(panel.combined);
    const summary = await waitFor('the combined summary', () => panel.lastSummary?.combined && panel.lastSummary, 30_000);
    assert.deepEqual(summary.combined, exported.combined);
    assert.equal(summary.batchId, parent.batch.id);
    assert.equal(summary.total, ids.length);
    const count = (o: string) => summary.outcomes.find((x) => x.outcome === o)!.count;
    assert.equal(count('succeeded'), exported.combined.succeeded + exported.combined.recovered);
    assert.equal(count('failed'), parent.plan.filter(([, f]) => f === 'rate_limited').length);
    assert.equal(count('missing'), parent.plan.filter(([, f]) => f === 'missing').length + 1);
    assert.deepEqual(panel.members.map((m) => m.batch.id), [P, R1, R2]);
    const row = panel.view!.rows(0, ids.length).find((r) => r.customId === parent.plan.find(([, f]) => f === 'expired')![0]);
    assert.equal(row?.attempt, 2, 'answered by the second retry');
    await panel.setCombined(false);
    assert.equal(panel.lastSummary?.combined, undefined);
    panel.panel.dispose();
  });
});

/** This machine's temporary retry folders (the flow removes its own). */
function retryTemps(): string[] {
  return fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith('openai-batches-retry-'));
}

