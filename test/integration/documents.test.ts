import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Command } from '../../src/constants';
import { batchRows, openTabsFor, rows, useFakeAccount, waitFor } from './support';

describe('Batch documents', function () {
  this.timeout(30_000);
  const t = useFakeAccount({ count: 30, seed: 5, pageSize: 30 });

  const batchNode = async (predicate: (id: string) => boolean = () => true) => {
    const row = (await batchRows(t.api)).find((r) => r.node.type === 'batch' && predicate(r.batchId!));
    assert.ok(row);
    return row;
  };

  it('opens a batch as pretty-printed, read-only JSON, fetched fresh, in one reused tab', async () => {
    const row = await batchNode();
    t.fake.resetRequests();
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>(Command.openBatchJson, row.node);
    const doc = editor.document;
    assert.equal(doc.uri.scheme, 'openai-batch');
    assert.equal(doc.languageId, 'json');
    assert.equal(JSON.parse(doc.getText()).id, row.batchId!);
    assert.match(doc.getText(), /^\{\n {4}"id": /, "indented with the user's JSON indentation (4 spaces by default)");
    assert.deepEqual(t.fake.requests.map((r) => r.path), [`/v1/batches/${row.batchId!}`]);

    // Typing reaches a writable editor (control), but not the batch document.
    const scratch = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ content: '' }));
    await vscode.commands.executeCommand('type', { text: 'typed' });
    assert.equal(scratch.document.getText(), 'typed');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.window.showTextDocument(doc);
    const before = doc.getText();
    await vscode.commands.executeCommand('type', { text: 'typed by a person' });
    assert.equal(doc.getText(), before, 'typing into the tab changes nothing: it is read-only');
    assert.equal(doc.isDirty, false);

    t.fake.batches.find((b) => b.id === row.batchId!)!.metadata = { note: 'changed on the server' };
    await vscode.commands.executeCommand(Command.openBatchJson, row.node);
    await waitFor('the refetched content', () => doc.getText().includes('changed on the server'));
    assert.equal(openTabsFor(doc.uri).length, 1, 'the same batch reuses its tab');
    assert.equal(t.fake.requests.length, 2);
  });

  it('follows indentation settings', async () => {
    await vscode.workspace.getConfiguration('editor', { languageId: 'json' }).update('tabSize', 2, vscode.ConfigurationTarget.Global, true);
    try {
      const row = await batchNode();
      const editor = await vscode.commands.executeCommand<vscode.TextEditor>(Command.openBatchJson, row.node);
      // A document of this batch still held from an earlier tab is refreshed in place: its text follows.
      await waitFor('the JSON indented by two spaces', () => /^\{\n {2}"id": /.test(editor.document.getText()));
    } finally {
      await vscode.workspace.getConfiguration('editor', { languageId: 'json' }).update('tabSize', undefined, vscode.ConfigurationTarget.Global, true);
    }
  });

  it('re-fetches the open batch from the editor title Refresh action', async () => {
    const row = await batchNode();
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>(Command.openBatchJson, row.node);
    const server = t.fake.batches.find((b) => b.id === row.batchId!)!;
    server.status = 'cancelling';
    await vscode.commands.executeCommand(Command.refreshDocument);
    await waitFor('the refreshed status', () => editor.document.getText().includes('"status": "cancelling"'));
    assert.equal(t.api.store.get(row.batchId!)?.status, 'cancelling', 'the tree shows what the document shows');
  });

  it('opens an output file as JSON Lines in a tab named after the batch, size checked first', async () => {
    const row = await batchNode((id) => Boolean(t.fake.batches.find((b) => b.id === id)?.output_file_id));
    t.fake.resetRequests();
    const [, output] = (await rows(t.api, row.node)).filter((f) => f.label !== 'Error File');
    assert.equal(output.label, 'Output File');
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>(Command.openOutputFile, output.node);
    const fileId = t.fake.batches.find((b) => b.id === row.batchId!)!.output_file_id!;
    // The metadata the expanded row asked for (once, shared) decided the size check; then the content.
    const ofOutput = () => t.fake.requests.map((r) => r.path).filter((p) => p.startsWith(`/v1/files/${fileId}`));
    assert.deepEqual(ofOutput(), [`/v1/files/${fileId}`, `/v1/files/${fileId}/content`]);
    const doc = editor.document;
    assert.equal(doc.uri.scheme, 'openai-batch-file');
    assert.equal(doc.languageId, 'jsonl');
    const [tab] = openTabsFor(doc.uri);
    assert.equal(tab.label, `${row.batchId!}_output.jsonl`);
    const expected = t.fake.files.get(fileId)!;
    assert.equal(Buffer.byteLength(doc.getText()), expected.meta.bytes);
    assert.ok(doc.getText().split('\n').filter(Boolean).every((l) => typeof JSON.parse(l).custom_id === 'string'));

    await vscode.commands.executeCommand(Command.openOutputFile, output.node);
    assert.equal(openTabsFor(doc.uri).length, 1);
    assert.equal(ofOutput().length, 2, 'an open file is not fetched again');
  });

  it('does not open a file above the size threshold', async () => {
    await vscode.workspace.getConfiguration('openaiBatches').update('largeFileThresholdMB', 0.0001, vscode.ConfigurationTarget.Global);
    try {
      const row = await batchNode((id) => Boolean(t.fake.batches.find((b) => b.id === id)?.input_file_id));
      const fileId = t.fake.batches.find((b) => b.id === row.batchId!)!.input_file_id!;
      t.fake.resetRequests();
      const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>(Command.openInputFile, row.node);
      assert.equal(editor, undefined);
      assert.deepEqual(t.fake.requests.map((r) => r.path), [`/v1/files/${fileId}`], 'the size is checked; the content is not fetched');
      assert.equal(vscode.window.tabGroups.all.flatMap((g) => g.tabs).length, 0, 'no tab opened');
    } finally {
      await vscode.workspace.getConfiguration('openaiBatches').update('largeFileThresholdMB', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('opens the first 1,000 lines of a file too large for a tab, read-only, stopping the transfer there', async () => {
    const row = await batchNode((id) => Boolean(t.fake.batches.find((b) => b.id === id)?.output_file_id));
    const fileId = t.fake.batches.find((b) => b.id === row.batchId!)!.output_file_id!;
    t.fake.addLargeFile(fileId, 200 * 1024 * 1024);
    const output = (await rows(t.api, row.node)).find((f) => f.label === 'Output File')!;
    t.fake.resetRequests();
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>(Command.openFirstLines, output.node);
    const doc = editor.document;
    assert.equal(openTabsFor(doc.uri)[0].label, `${row.batchId!}_output (first 1,000 lines of 200 MB).jsonl`);
    assert.equal(doc.languageId, 'jsonl');
    assert.equal(doc.lineCount, 1001, '1,000 lines and the empty one after the last newline');
    assert.ok(doc.getText().trimEnd().split('\n').every((l) => typeof JSON.parse(l).custom_id === 'string'));
    const content = t.fake.requests.filter((r) => r.path === `/v1/files/${fileId}/content`);
    assert.equal(content.length, 1);
    assert.equal(content[0].status, undefined, 'the transfer was stopped, not completed');
    const before = doc.getText();
    await vscode.commands.executeCommand('type', { text: 'typed by a person' });
    assert.equal(doc.getText(), before, 'read-only');

    // A tab VS Code restores (opened by its URI alone) reads as many first lines as its title says.
    const restored = await vscode.workspace.openTextDocument(doc.uri.with({ path: doc.uri.path.replace('first 1,000 lines', 'first 10 lines') }));
    assert.equal(restored.lineCount, 11);
  });

  it('leaves no tab behind when opening fails', async () => {
    const row = await batchNode();
    t.fake.fault({ path: /^\/v1\/batches\/.+/, fault: { kind: 'status', status: 404 } });
    const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>(Command.openBatchJson, row.node);
    assert.equal(editor, undefined);
    assert.equal(vscode.window.tabGroups.all.flatMap((g) => g.tabs).length, 0, 'no tab, not even an empty one');
    assert.equal(t.fake.requests.filter((r) => r.path.startsWith('/v1/batches/')).length, 1, 'a 404 is not retried');
  });
});
