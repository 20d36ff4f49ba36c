import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { BATCHES_VIEW_ID, Command, InternalCommand } from '../../src/constants';
import { formatBytes, relativeAge } from '../../src/core/format';
import type { TreeNode } from '../../src/views/treeNodes';
import { FakeOpenAI, type FakeBatch } from '../fake-openai/server';
import { batchRows, holds, listRequests, logText, rows, useFakeAccount, waitFor } from './support';

describe('Batches explorer', function () {
  this.timeout(30_000);
  const t = useFakeAccount({ count: 50, seed: 3, pageSize: 20 });

  it('shows the welcome content, not an error, when there is no key; Clear API Key says what it did', async () => {
    const logged = (await logText(t.api)).length;
    assert.equal(await vscode.commands.executeCommand(InternalCommand.clearApiKey), true, 'the stored key was removed');
    await waitFor('the session to lose its key', () => !t.api.session.state.ok);
    assert.deepEqual(await rows(t.api), []);
    assert.equal(t.api.tree.state, 'noApiKey');
    assert.equal(t.fake.requests.length, 0);
    const contributes = vscode.extensions.getExtension('openai-batches.openai-batches')!.packageJSON.contributes;
    const welcome = (contributes.viewsWelcome as { when: string; contents: string }[]).find((w) => w.when === 'openaiBatches.state == noApiKey');
    assert.match(welcome!.contents, /\[Set API Key\]\(command:openaiBatches\.setApiKey\)/);
    assert.doesNotMatch(welcome!.contents, /`/, 'welcome content renders links only: no Markdown code');
    // Nothing is stored now: nothing is removed, and nothing is asked (a prompt would block this call).
    assert.equal(await vscode.commands.executeCommand(Command.clearApiKey), false);
    const log = (await logText(t.api)).slice(logged);
    assert.match(log, /\[info\] The stored API key was removed\./);
    assert.ok(!log.includes(t.fake.apiKey));
  });

  it('keeps the actions that need a key out of the view title until there is one', () => {
    const menus = vscode.extensions.getExtension('openai-batches.openai-batches')!.packageJSON.contributes.menus['view/title'] as { command: string; when: string }[];
    const needKey: string[] = [Command.createBatch, Command.listBatches, Command.refresh, Command.filterBatches, Command.findInAllBatches, Command.clearApiKey];
    for (const command of needKey) assert.match(menus.find((m) => m.command === command)!.when, /openaiBatches\.state != noApiKey/, command);
    for (const m of menus.filter((m) => !needKey.includes(m.command))) assert.doesNotMatch(m.when, /noApiKey/, m.command);
  });

  it('costs exactly one list request for the first paint, when the view is first shown', async () => {
    await holds('nothing is fetched before the view is shown', () => t.fake.requests.length === 0, 300);
    await vscode.commands.executeCommand(`${BATCHES_VIEW_ID}.focus`);
    await waitFor('the first page', () => t.api.store.loaded);
    await holds('one request, and no other after it', () => t.fake.requests.length === 1, 300);
    assert.deepEqual(t.fake.requests.map((r) => `${r.method} ${r.path}?${new URLSearchParams(r.query)}`), ['GET /v1/batches?limit=20']);
    await vscode.commands.executeCommand('workbench.view.explorer');
  });

  it('groups the first page by status in lifecycle order, unknown statuses last, with counts', async () => {
    t.fake.batches[1] = { ...t.fake.batches[1], status: 'needs_review' as FakeBatch['status'] };
    const root = await rows(t.api);
    const loaded = t.fake.batches.slice(0, 20);
    const order = ['validating', 'in_progress', 'finalizing', 'cancelling', 'completed', 'failed', 'expired', 'cancelled', 'needs_review'];
    const present = order.filter((s) => loaded.some((b) => b.status === s));
    const groups = root.filter((r) => r.node.type === 'group');
    assert.deepEqual(groups.map((g) => g.item.id), present.map((s) => `group:${s}`));
    assert.equal(groups[groups.length - 1].label, 'Needs Review');
    for (const g of groups) {
      const status = g.item.id!.slice('group:'.length);
      assert.equal(g.item.description, `${loaded.filter((b) => b.status === status).length} so far`);
    }
    assert.equal(root[root.length - 1].label, 'Load More');
    assert.equal(listRequests(t.fake).length, 1);
  });

  it('describes each batch: id, summary, status icon, tooltip, files, stable ids and context values', async () => {
    const all = await batchRows(t.api);
    assert.equal(all.length, 20);
    const failed = all.find((r) => r.node.type === 'batch' && r.node.batch.status === 'failed');
    const withOutput = all.find((r) => r.node.type === 'batch' && r.node.batch.outputFileId && r.node.batch.errorFileId);
    assert.ok(withOutput, 'the dataset has a batch with output and error files on its first page');
    const b = withOutput.node.type === 'batch' ? withOutput.node.batch : assert.fail();
    assert.equal(withOutput.label, b.metadata?.description ?? b.id, 'its description, else its id');
    assert.equal(withOutput.item.id, `batch:${b.id}`);
    assert.match(String(withOutput.item.description), b.metadata?.description ? new RegExp(`ago · ${b.id}$`) : /ago$/);
    assert.match(withOutput.item.contextValue!, /^batch status-\w+ has-input has-output has-error/);
    assert.equal(withOutput.item.command?.command, Command.openBatchJson);
    assert.equal(withOutput.item.tooltip, undefined, 'tooltips are built on hover');
    const tooltip = (await t.api.tree.resolveTreeItem(withOutput.item, withOutput.node)).tooltip as vscode.MarkdownString;
    assert.match(tooltip.value, /Requests: /);
    assert.ok(failed, 'the first page has a failed batch');
    assert.match(((await t.api.tree.resolveTreeItem(failed.item, failed.node)).tooltip as vscode.MarkdownString).value, /\*\*Errors\*\*/);
    assert.equal(listRequests(t.fake).length, 1, 'no per-batch requests');
    assert.equal(t.fake.requests.length, 1, 'nothing is fetched for a batch until it is expanded');
    const files = await rows(t.api, withOutput.node);
    assert.deepEqual(files.map((f) => f.label), ['Input File', 'Output File', 'Error File']);
    assert.deepEqual(files.map((f) => f.item.id), ['input', 'output', 'error'].map((k) => `file:${b.id}:${k}`));
    assert.equal(files[1].item.command?.command, Command.openOutputFile);
  });

  it("shows each file's name, size and date, fetched once when its batch is expanded", async () => {
    const batch = (await batchRows(t.api)).find((r) => r.node.type === 'batch' && r.node.batch.outputFileId && r.node.batch.errorFileId)!;
    const ids = [batch.node.type === 'batch' && batch.node.batch.inputFileId, batch.node.type === 'batch' && batch.node.batch.outputFileId, batch.node.type === 'batch' && batch.node.batch.errorFileId] as string[];
    t.fake.resetRequests();
    // Two renders at once (a double expand, a refresh while expanding): one request per file.
    await Promise.all([rows(t.api, batch.node), rows(t.api, batch.node)]);
    const files = await waitFor('the file details', async () => {
      const shown = await rows(t.api, batch.node);
      return shown.every((f) => !/loading/.test(String(f.item.description))) ? shown : undefined;
    });
    for (const [i, f] of files.entries()) {
      const meta = t.fake.files.get(ids[i])!.meta;
      assert.equal(f.item.description, `${formatBytes(meta.bytes)} · ${relativeAge(meta.created_at)} · ${meta.filename}`);
      assert.match(String(f.item.contextValue), /^batchFile kind-\w+$/);
    }
    await rows(t.api, batch.node);
    assert.deepEqual(t.fake.requests.map((r) => r.path).sort(), ids.map((id) => `/v1/files/${id}`).sort());
  });

  it('says on the row when a file is too large for a tab, or its details could not be fetched', async () => {
    const batch = (await batchRows(t.api)).find((r) => r.node.type === 'batch' && r.node.batch.outputFileId && r.node.batch.inputFileId)!;
    const b = batch.node.type === 'batch' ? batch.node.batch : assert.fail();
    t.fake.addLargeFile(b.outputFileId!, 60 * 1024 * 1024);
    t.fake.fault({ path: `/v1/files/${b.inputFileId}`, times: 3, fault: { kind: 'status', status: 500 } });
    const files = await waitFor('the file details', async () => {
      const shown = await rows(t.api, batch.node);
      return shown.every((f) => !/loading/.test(String(f.item.description))) ? shown : undefined;
    }, 15_000);
    const input = files.find((f) => f.label === 'Input File')!;
    const output = files.find((f) => f.label === 'Output File')!;
    assert.match(String(output.item.description), /^60 MB \(over 50 MB\) · .+ · /);
    assert.match(String(output.item.contextValue), /\blarge\b/);
    assert.equal((output.item.iconPath as vscode.ThemeIcon).id, 'warning');
    assert.match((output.item.tooltip as vscode.MarkdownString).value, /Open First Lines/);
    assert.equal(input.item.description, 'details unavailable');
    assert.match((input.item.tooltip as vscode.MarkdownString).value, /HTTP 500/);
    const attempts = t.fake.requests.filter((r) => r.path === `/v1/files/${b.inputFileId}`).length;
    await rows(t.api, batch.node);
    assert.equal(t.fake.requests.filter((r) => r.path === `/v1/files/${b.inputFileId}`).length, attempts, 'a failure is not fetched again by a re-render');
  });

  it('copies a file id from its row', async () => {
    const batch = (await batchRows(t.api)).find((r) => r.node.type === 'batch' && r.node.batch.outputFileId)!;
    const output = (await rows(t.api, batch.node)).find((f) => f.label === 'Output File')!;
    await vscode.commands.executeCommand(Command.copyFileId, output.node);
    assert.equal(await vscode.env.clipboard.readText(), output.node.type === 'file' && output.node.fileId);
  });

  it('loads the next page after the last loaded id, once per page even on a double click, until there is no more', async () => {
    await rows(t.api);
    t.fake.fault({ path: '/v1/batches', fault: { kind: 'delay', ms: 300 } });
    const first = vscode.commands.executeCommand(Command.loadMore);
    const second = vscode.commands.executeCommand(Command.loadMore);
    await waitFor('the Load more row to show loading', async () => (await rows(t.api)).some((r) => r.label === 'Loading more…'));
    await Promise.all([first, second]);
    let reqs = listRequests(t.fake);
    assert.equal(reqs.length, 2);
    assert.deepEqual(reqs[1].query, { limit: '20', after: t.fake.batches[19].id });
    assert.equal((await batchRows(t.api)).length, 40);
    await vscode.commands.executeCommand(Command.loadMore);
    reqs = listRequests(t.fake);
    assert.deepEqual(reqs[2].query, { limit: '20', after: t.fake.batches[39].id });
    const root = await rows(t.api);
    assert.ok(!root.some((r) => r.node.type === 'loadMore'), 'Load more disappears at the end');
    const ids = (await batchRows(t.api)).map((r) => r.batchId);
    assert.equal(ids.length, 50);
    assert.equal(new Set(ids).size, 50, 'no batch appears twice');
    for (const g of root) assert.doesNotMatch(String(g.item.description), /so far/, 'counts are complete now');
  });

  it('refreshes only the groups an appended page adds to, and the Load More row; the root only when its rows change', async () => {
    // Page 2 adds to two groups page 1 has; page 3, the last, adds a group and takes Load More away.
    for (let i = 20; i < 40; i++) t.fake.batches[i] = { ...t.fake.batches[i], status: i % 4 === 1 ? 'failed' : 'completed' };
    t.fake.batches[45] = { ...t.fake.batches[45], status: 'cancelled' };
    const root = await rows(t.api);
    const group = (status: string) => root.find((r) => r.node.type === 'group' && r.node.status === status)?.node;
    assert.ok(group('completed') && group('failed') && !group('cancelled'), 'page 1 has completed and failed batches, no cancelled one');
    for (const r of root) if (r.node.type === 'group') await rows(t.api, r.node); // listed, as an expanded group is
    const loadMoreRow = root.find((r) => r.node.type === 'loadMore')!.node;
    const fired: (TreeNode | undefined)[] = [];
    const listening = t.api.tree.onDidChangeTreeData((e) => fired.push(...(Array.isArray(e) ? e : [e])));
    try {
      await vscode.commands.executeCommand(Command.loadMore);
      // The very objects VS Code got: it refreshes an element only for the same object.
      assert.equal(fired.length, 4, `fired: ${fired.map((n) => n?.type ?? 'root').join(', ')}`);
      assert.equal(fired[0], loadMoreRow, 'Loading more… first');
      assert.equal(fired[1], group('completed'));
      assert.equal(fired[2], group('failed'));
      assert.equal(fired[3], loadMoreRow, 'then Load More again');
      // What those rows show now: the same root rows, the new counts, the appended batches under their group.
      const after = await rows(t.api);
      assert.equal(after.length, root.length);
      after.forEach((r, i) => assert.equal(r.node, root[i].node, `root row ${i} is the same object`));
      const loaded = t.fake.batches.slice(0, 40);
      for (const status of ['completed', 'failed']) {
        const row = after.find((r) => r.node === group(status))!;
        const count = loaded.filter((b) => b.status === status).length;
        assert.equal(row.item.description, `${count} so far`);
        const children = await rows(t.api, row.node);
        assert.deepEqual(children.map((c) => c.batchId), loaded.filter((b) => b.status === status).map((b) => b.id));
        assert.equal(t.api.tree.getParent(children[children.length - 1].node), group(status), 'reveal finds the same group object');
      }
      assert.equal(after.find((r) => r.node === loadMoreRow)!.label, 'Load More');

      fired.length = 0;
      await vscode.commands.executeCommand(Command.loadMore);
      assert.deepEqual(fired, [loadMoreRow, undefined], 'the last page adds a group and ends Load More: the root');
      const last = await rows(t.api);
      assert.ok(last.some((r) => r.node.type === 'group' && r.node.status === 'cancelled'));
      assert.ok(!last.some((r) => r.node.type === 'loadMore'));
    } finally {
      listening.dispose();
    }
  });

  it("keeps a row's age current: a group listed again shows the age as of then", async () => {
    const batch = (t.fake.batches[0] = { ...t.fake.batches[0], created_at: Math.floor(Date.now() / 1000) - 5 });
    const group = (await rows(t.api)).find((r) => r.node.type === 'group' && r.node.status === batch.status)!.node;
    const age = async () => String((await rows(t.api, group)).find((r) => r.batchId === batch.id)!.item.description);
    assert.match(await age(), /just now$/);
    await waitFor('the row to read 10 seconds or more', async () => /\b\d\ds ago$/.test(await age()), 15_000);
  });

  it('Refresh reloads the loaded pages from the top, keeping everything loaded and showing new batches', async () => {
    await rows(t.api);
    await vscode.commands.executeCommand(Command.loadMore);
    const before = (await batchRows(t.api)).map((r) => r.batchId);
    assert.equal(before.length, 40);
    t.fake.addBatch({ ...t.fake.batches[0], id: 'batch_brand_new', status: 'validating' });
    const moved = t.fake.batches[5];
    t.fake.batches[5] = { ...moved, status: 'cancelling' };
    t.fake.resetRequests();
    await vscode.commands.executeCommand(Command.refresh);
    const all = (await batchRows(t.api)).map((r) => r.batchId);
    assert.ok(all.includes('batch_brand_new'));
    for (const id of before) assert.ok(all.includes(id), `${id} is still shown`);
    assert.equal(new Set(all).size, all.length, 'no duplicates');
    assert.equal(t.api.store.batches[0].id, 'batch_brand_new', 'new batches come first');
    const cancelling = await rows(t.api, (await rows(t.api)).find((r) => r.item.id === 'group:cancelling')!.node);
    assert.ok(cancelling.some((r) => r.batchId === moved.id), 'the status change moved the batch to its group');
    // The old last batch moved one place down, onto a third page: Refresh fetched it too.
    assert.equal(listRequests(t.fake).length, 3);
    assert.equal(listRequests(t.fake)[0].query.after, undefined, 'starts from the first page');
  });

  it('shows an error row with the message, status and request id, keeping loaded batches, and retries', async () => {
    await rows(t.api);
    t.fake.fault({ path: '/v1/batches', times: 3, fault: { kind: 'status', status: 500, body: { error: { message: 'The server had an error while processing your request.', type: 'server_error', param: null, code: null } } } });
    await vscode.commands.executeCommand(Command.refresh);
    const root = await rows(t.api);
    assert.equal(root[0].node.type, 'error');
    assert.equal(root[0].label, 'Refresh failed');
    assert.match(String(root[0].item.description), /The server had an error.*\(HTTP 500, request ID req_\w+\)/);
    assert.equal(root[0].item.command?.command, Command.retry);
    assert.equal((await batchRows(t.api)).length, 20, 'loaded batches stay');
    await vscode.commands.executeCommand(Command.retry);
    const after = await rows(t.api);
    assert.notEqual(after[0].node.type, 'error');
  });

  it('says on one row, in one plain sentence, that the API cannot be reached; the raw error goes to the log', async () => {
    const gone = await FakeOpenAI.start({ count: 1 });
    const url = gone.baseUrl;
    await gone.close(); // nothing listens on its port now
    await vscode.workspace.getConfiguration('openaiBatches').update('baseURL', url, vscode.ConfigurationTarget.Global);
    await waitFor('the session to use the dead endpoint', () => t.api.session.client?.baseUrl === url);
    const root = await rows(t.api);
    assert.equal(root.length, 1);
    assert.equal(root[0].label, `Can't reach the API at ${new URL(url).host} (connection refused)`);
    assert.equal(root[0].item.description, undefined, 'the sentence says it all');
    assert.equal(root[0].item.command?.command, 'openaiBatches.retry');
    assert.equal(root[0].item.contextValue, 'error has-setting', 'Open Settings is offered on the row');
    const log = await waitFor('the raw error in the log', async () => {
      const text = await logText(t.api);
      return text.includes('ECONNREFUSED') ? text : undefined;
    });
    assert.match(log, /\[warning\] GET \/batches\?limit=20 failed: request to http:\/\/127\.0\.0\.1:\d+\/v1\/batches\?limit=20 failed, reason: connect ECONNREFUSED/);
    assert.ok(!log.includes(t.fake.apiKey));
  });

  it('says the key was rejected on a 401 and offers Set API Key', async () => {
    t.fake.fault({ path: '/v1/batches', fault: { kind: 'status', status: 401 } });
    const root = await rows(t.api);
    assert.equal(root.length, 1);
    assert.equal(root[0].label, 'The API key was rejected — click to set another');
    assert.equal(root[0].item.command?.command, Command.setApiKey);
    assert.equal(t.api.tree.state, 'error');
  });

  it('keeps Load more, with the error, when the next page fails', async () => {
    await rows(t.api);
    t.fake.fault({ path: '/v1/batches', times: 3, fault: { kind: 'html', status: 502 } });
    await vscode.commands.executeCommand(Command.loadMore);
    const root = await rows(t.api);
    const more = root.find((r) => r.node.type === 'loadMore');
    assert.ok(more);
    assert.equal(more.item.description, 'failed — click to retry');
    assert.match((more.item.tooltip as vscode.MarkdownString).value, /502 Bad Gateway/);
    assert.equal((await batchRows(t.api)).length, 20);
    await vscode.commands.executeCommand(Command.loadMore);
    assert.equal((await batchRows(t.api)).length, 40);
  });

  it('moves the status-bar icon only while a request is in flight or just after an active batch changed', async () => {
    await rows(t.api);
    assert.ok(t.api.store.batches.some((b) => b.status === 'in_progress'), 'the first page has a running batch');
    await waitFor('the icon to be still once the page is in', () => !t.api.indicators.spinning);
    t.fake.fault({ path: '/v1/batches', fault: { kind: 'delay', ms: 500 } });
    const refreshing = vscode.commands.executeCommand('openaiBatches.refresh');
    await waitFor('the icon to move while the list request is in flight', () => t.api.indicators.spinning);
    await refreshing;
    assert.equal(t.api.indicators.spinning, false, 'a reload that changed nothing leaves it still');
    await t.api.poller.poll();
    assert.equal(t.api.indicators.spinning, false, 'polling found nothing new');
    const running = t.fake.batches.find((b) => b.status === 'in_progress' && t.api.store.get(b.id))!;
    running.request_counts = { ...running.request_counts!, completed: running.request_counts!.completed + 1 };
    await t.api.poller.poll();
    assert.equal(t.api.indicators.spinning, true, 'progress on a running batch');
  });

  it('copies a batch id', async () => {
    const [first] = await batchRows(t.api);
    await vscode.commands.executeCommand(Command.copyBatchId, first.node);
    assert.equal(await vscode.env.clipboard.readText(), first.batchId);
  });
});
