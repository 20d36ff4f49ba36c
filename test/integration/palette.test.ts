import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { InternalCommand, type SetApiKeyOptions, Command } from '../../src/constants';
import { listRequests, sleep, useFakeAccount, waitFor } from './support';

/** Drives the open quick pick the way the keyboard does. */
async function pickerDown(times: number): Promise<void> {
  for (let i = 0; i < times; i++) await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
}
async function pickerAccept(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
}
/** The picker renders asynchronously in the workbench; give it a moment after its items change. */
const settle = () => sleep(400);

describe('Palette commands', function () {
  this.timeout(30_000);
  const t = useFakeAccount({ count: 12, seed: 9, pageSize: 2 });
  afterEach(() => vscode.commands.executeCommand('workbench.action.closeQuickOpen'));

  it('List Batches loads the first page, pages with its "Load more…" item while staying open, and opens the chosen batch', async () => {
    const done = vscode.commands.executeCommand(Command.listBatches);
    await waitFor('the first page', () => t.api.store.loaded);
    await settle();
    await pickerDown(2); // batch 1, batch 2, then "Load more…"
    await pickerAccept();
    await waitFor('the second page', () => t.api.store.batches.length === 4);
    assert.deepEqual(listRequests(t.fake)[1].query, { limit: '2', after: t.fake.batches[1].id });
    await settle();
    await pickerAccept(); // the picker stayed open, on the first new batch
    await done;
    const doc = vscode.window.activeTextEditor?.document;
    assert.equal(doc?.uri.scheme, 'openai-batch');
    assert.equal(JSON.parse(doc!.getText()).id, t.fake.batches[2].id);
  });

  it('Open Output File from the palette offers only batches with an output file', async () => {
    await t.api.store.loadMore();
    await t.api.store.loadMore();
    await t.api.store.loadMore();
    const loaded = t.api.store.batches;
    const expected = loaded.find((b) => b.outputFileId);
    assert.ok(expected, 'some loaded batch has an output file');
    const done = vscode.commands.executeCommand(Command.openOutputFile);
    await settle();
    await pickerAccept();
    await done;
    const doc = vscode.window.activeTextEditor?.document;
    assert.equal(doc?.uri.scheme, 'openai-batch-file');
    assert.equal(doc?.uri.path, `/${expected.outputFileId}/${expected.id}_output.jsonl`);
  });

  it('Copy Batch ID from the palette copies the picked batch', async () => {
    await t.api.store.ensureLoaded();
    const done = vscode.commands.executeCommand(Command.copyBatchId);
    await settle();
    await pickerDown(1);
    await pickerAccept();
    await done;
    assert.equal(await vscode.env.clipboard.readText(), t.api.store.batches[1].id);
  });

  it('Set API Key checks the key with one list call and refuses a rejected one', async () => {
    t.fake.resetRequests();
    const saved = await vscode.commands.executeCommand<boolean>(InternalCommand.setApiKey, { apiKey: 'sk-not-the-right-key-000000' } satisfies SetApiKeyOptions);
    assert.equal(saved, false);
    assert.equal(t.fake.requests.length, 1);
    assert.deepEqual(t.fake.requests[0].query, { limit: '1' });
    assert.equal(t.fake.requests[0].headers.authorization, 'Bearer sk-not-the-right-key-000000');
    assert.ok(t.api.session.state.ok && t.api.session.state.connection.apiKey === t.fake.apiKey, 'the previous key stays');
  });
});
