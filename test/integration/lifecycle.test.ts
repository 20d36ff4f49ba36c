import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { InternalCommand, type CancelOptions, type CreateBatchOptions, type DownloadOptions, BATCHES_VIEW_ID } from '../../src/constants';
import { batchRows, logLineCount, loggedError, logText, rows, useFakeAccount, waitFor } from './support';

describe("A batch's life: download, cancel, create, live status", function () {
  this.timeout(60_000);
  const t = useFakeAccount({ count: 20, seed: 8, pageSize: 20 });
  let dir: string;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifecycle-'));
    await rows(t.api);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('downloads a file row to disk, verified, with no partial file left', async () => {
    const batch = t.api.store.batches.find((b) => b.outputFileId)!;
    t.fake.addLargeFile(batch.outputFileId!, 30 * 1024 * 1024);
    const batchRow = (await batchRows(t.api)).find((r) => r.batchId === batch.id)!;
    const output = (await rows(t.api, batchRow.node)).find((r) => r.label === 'Output File')!;
    assert.match(String(output.item.contextValue), /^batchFile kind-output/);
    const target = vscode.Uri.file(path.join(dir, `${batch.id}_output.jsonl`));
    const saved = await vscode.commands.executeCommand<vscode.Uri | undefined>(InternalCommand.downloadFile, { batchId: batch.id, kind: 'output', destination: target } satisfies DownloadOptions);
    assert.equal(saved?.fsPath, target.fsPath);
    assert.equal(fs.statSync(target.fsPath).size, 30 * 1024 * 1024);
    assert.deepEqual(fs.readdirSync(dir), [path.basename(target.fsPath)]);
  });

  it('keeps no file when the download is cut short', async () => {
    const batch = t.api.store.batches.find((b) => b.outputFileId)!;
    t.fake.addLargeFile(batch.outputFileId!, 10 * 1024 * 1024);
    const cut = t.fake.fault({ path: `/v1/files/${batch.outputFileId}/content`, fault: { kind: 'resetMidBody' } });
    const target = vscode.Uri.file(path.join(dir, 'cut.jsonl'));
    const since = await logLineCount(t.api);
    const saved = await vscode.commands.executeCommand<vscode.Uri | undefined>(InternalCommand.downloadFile, { batchId: batch.id, kind: 'output', destination: target } satisfies DownloadOptions);
    assert.equal(cut.fired, 1, 'the transfer was cut');
    assert.equal(saved, undefined);
    assert.deepEqual(fs.readdirSync(dir), [], 'no file, not even a partial one');
    assert.match(await loggedError(t.api, since, 'The download failed'), /^The download failed: The connection to 127\.0\.0\.1:\d+ broke after \d+ bytes \(connection reset\)$/);
  });

  it('cancels a running batch, which moves to Cancelling at once', async () => {
    const running = t.api.store.batches.find((b) => ['in_progress', 'validating', 'finalizing'].includes(b.status))!;
    assert.ok(running, 'the dataset has a running batch');
    const row = (await batchRows(t.api)).find((r) => r.batchId === running.id)!;
    assert.match(String(row.item.contextValue), /\bcancellable\b/);
    const done = await vscode.commands.executeCommand<boolean>(InternalCommand.cancelBatch, { batchId: running.id } satisfies CancelOptions);
    assert.equal(done, true);
    assert.equal(t.api.store.get(running.id)?.status, 'cancelling');
    const group = (await rows(t.api)).find((r) => r.item.id === 'group:cancelling')!;
    assert.ok((await rows(t.api, group.node)).some((r) => r.batchId === running.id));
    const post = t.fake.requests.filter((r) => r.method === 'POST');
    assert.deepEqual(post.map((r) => r.path), [`/v1/batches/${running.id}/cancel`]);
    // Shown where it went: the view is open with the batch selected in its new group.
    assert.ok(t.api.view.visible);
    const selected = await waitFor('the batch to be selected', () => {
      const node = t.api.view.selection[0];
      return node?.type === 'batch' && t.api.view.selection.length === 1 ? node.batch : undefined;
    });
    assert.equal(selected.id, running.id);
    assert.equal(selected.status, 'cancelling');
    await waitFor('the cancel in the log', async () => new RegExp(`\\[info\\] Cancelled ${running.id}: it is cancelling now\\.`).test(await logText(t.api)));
  });

  it('shows a 409 clearly and changes nothing', async () => {
    const running = t.api.store.batches.find((b) => ['in_progress', 'validating', 'finalizing'].includes(b.status))!;
    t.fake.batches.find((b) => b.id === running.id)!.status = 'completed';
    const since = await logLineCount(t.api);
    const done = await vscode.commands.executeCommand<boolean>(InternalCommand.cancelBatch, { batchId: running.id } satisfies CancelOptions);
    assert.equal(done, false);
    // The notification's text, logged verbatim: what failed, the server's reason, the status and request id.
    const shown = await loggedError(t.api, since);
    assert.match(shown, /^Could not cancel the batch: Cannot cancel a batch with status 'completed'\. \(HTTP 409, request ID req_\w+\)$/);
    const cancels = t.fake.requests.filter((r) => r.method === 'POST');
    assert.deepEqual(cancels.map((r) => [r.path, r.status]), [[`/v1/batches/${running.id}/cancel`, 409]], 'asked once, refused');
    assert.equal(t.api.store.get(running.id)?.status, running.status);
    const row = (await batchRows(t.api)).find((r) => r.batchId === running.id)!;
    assert.match(String(row.item.contextValue), /\bcancellable\b/, 'the row still offers Cancel');
  });

  it('creates a batch from a JSONL file and shows it on top', async () => {
    const file = path.join(dir, 'requests.jsonl');
    const line = (i: number) => JSON.stringify({ custom_id: `q${i}`, method: 'POST', url: '/v1/chat/completions', body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: `question ${i}` }] } });
    fs.writeFileSync(file, Array.from({ length: 25 }, (_, i) => line(i)).join('\n') + '\n');
    const [batch] = await vscode.commands.executeCommand<{ id: string; status: string }[]>(InternalCommand.createBatch, { files: [vscode.Uri.file(file)], description: 'integration test' } satisfies CreateBatchOptions);
    assert.ok(batch);
    assert.equal(t.api.store.batches[0].id, batch.id);
    assert.equal(t.fake.batches[0].id, batch.id);
    assert.deepEqual(t.fake.batches[0].metadata, { description: 'integration test' });
    assert.equal(t.fake.batches[0].endpoint, '/v1/chat/completions');
    assert.deepEqual(t.fake.requests.filter((r) => r.method === 'POST').map((r) => r.path), ['/v1/files', '/v1/batches']);
    const validating = (await rows(t.api)).find((r) => r.item.id === 'group:validating')!;
    assert.equal((await rows(t.api, validating.node))[0].batchId, batch.id);
  });

  it('reports an invalid file as diagnostics with line numbers, uploading nothing', async () => {
    const file = path.join(dir, 'broken.jsonl');
    fs.writeFileSync(file, [JSON.stringify({ custom_id: 'a', method: 'POST', url: '/v1/chat/completions', body: { model: 'm' } }), '{oops', JSON.stringify({ custom_id: 'a', method: 'POST', url: '/v1/chat/completions', body: { model: 'm' } })].join('\n'));
    const uri = vscode.Uri.file(file);
    await vscode.window.showTextDocument(uri);
    const created = await vscode.commands.executeCommand(InternalCommand.createBatch, { files: [uri] } satisfies CreateBatchOptions);
    assert.deepEqual(created, []);
    const diagnostics = vscode.languages.getDiagnostics(uri);
    assert.deepEqual(diagnostics.map((d) => d.range.start.line + 1), [2, 3]);
    assert.match(diagnostics[1].message, /already used on line 1/);
    assert.ok(!t.fake.requests.some((r) => r.method === 'POST'), 'nothing uploaded');
  });

  it('deletes the upload when the batch cannot be created', async () => {
    const file = path.join(dir, 'ok.jsonl');
    fs.writeFileSync(file, JSON.stringify({ custom_id: 'a', method: 'POST', url: '/v1/embeddings', body: { model: 'text-embedding-3-small', input: 'x' } }) + '\n');
    t.fake.fault({ method: 'POST', path: '/v1/batches', fault: { kind: 'status', status: 500 } });
    const filesBefore = t.fake.files.size;
    const created = await vscode.commands.executeCommand(InternalCommand.createBatch, { files: [vscode.Uri.file(file)] } satisfies CreateBatchOptions);
    assert.deepEqual(created, []);
    assert.equal(t.fake.files.size, filesBefore, 'the uploaded file was deleted again');
    assert.deepEqual(t.fake.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path.replace(/file-[\w-]+/, 'ID')}`), ['POST /v1/files', 'POST /v1/batches', 'DELETE /v1/files/ID']);
  });

  it('refreshes active batches while the view is visible, and only then', async () => {
    await vscode.workspace.getConfiguration('openaiBatches').update('autoRefreshSeconds', 5, vscode.ConfigurationTarget.Global);
    try {
      await vscode.commands.executeCommand(`${BATCHES_VIEW_ID}.focus`);
      await waitFor('polling to be scheduled', () => t.api.poller.scheduled);
      const running = t.api.store.batches.find((b) => b.status === 'in_progress')!;
      const server = t.fake.batches.find((b) => b.id === running.id)!;
      server.status = 'finalizing';
      server.request_counts = { total: 10, completed: 10, failed: 0 };
      await waitFor('the poll to pick up the change', () => t.api.store.get(running.id)?.status === 'finalizing', 15_000);
      const finalizing = (await rows(t.api)).find((r) => r.item.id === 'group:finalizing')!;
      assert.ok((await rows(t.api, finalizing.node)).some((r) => r.batchId === running.id), 'moved to its new group');
      await vscode.commands.executeCommand('workbench.view.explorer');
      await waitFor('polling to stop with the view hidden', () => !t.api.poller.scheduled);
    } finally {
      await vscode.workspace.getConfiguration('openaiBatches').update('autoRefreshSeconds', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
