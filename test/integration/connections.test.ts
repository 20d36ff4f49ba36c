import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Command, InternalCommand, SECRET_API_KEY, type RemoveConnectionOptions, type RetryOptions, type RetryResult, type SetApiKeyOptions } from '../../src/constants';
import type { BatchesExtensionApi } from '../../src/extension';
import type { ResultsSummary } from '../../src/core/results/protocol';
import type { ResultsPanel } from '../../src/views/resultsPanel';
import { FakeOpenAI } from '../fake-openai/server';
import { resultsFixture } from '../support/resultsFixture';
import { batchRows, closeAllEditors, connectTo, disconnect, extensionApi, filterBy, listRequests, logText, openTabsFor, rows, waitFor } from './support';
import type { BatchRow, ConnectionRow, ErrorRow, NoticeRow } from '../../src/views/treeNodes';
import { parseConnectionAuthority } from '../../src/core/documentPaths';

const config = () => vscode.workspace.getConfiguration('openaiBatches');

/** Switch Connection… as from the view's title menu: the pick starts on the connection in use; `delta` moves from it. */
async function switchTo(api: BatchesExtensionApi, name: string, delta: number): Promise<void> {
  const done = vscode.commands.executeCommand<string | undefined>(Command.switchConnection);
  const pick = await waitFor('the connection pick', () => (api.prompts.current?.id === 'connection' ? api.prompts.current : undefined), 30_000);
  assert.equal(pick.title, 'Switch Connection');
  for (let i = 0; i < Math.abs(delta); i++) await vscode.commands.executeCommand(delta > 0 ? 'workbench.action.quickOpenSelectNext' : 'workbench.action.quickOpenSelectPrevious');
  await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
  assert.equal(await done, name);
  await waitFor(`the session to use ${name}`, () => api.session.connection.name === name);
}

describe('Connections', function () {
  this.timeout(90_000);
  let api: BatchesExtensionApi;
  let openai: FakeOpenAI;
  let azure: FakeOpenAI;

  before(async () => {
    api = await extensionApi();
    openai = await FakeOpenAI.start({ count: 30, seed: 41 });
    azure = await FakeOpenAI.start({ count: 12, seed: 42, mode: 'azure', apiKey: 'azure-key-0123456789abcdef' });
    await connectTo(api, openai, { pageSize: 10 });
  });
  after(async () => {
    if (api.prompts.current) await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    // Work's key goes with it (only when Work is in use: never the Default one's).
    await api.session.useConnection('Work');
    if (api.session.connection.name === 'Work') await vscode.commands.executeCommand(InternalCommand.clearApiKey);
    await api.session.useConnection('Default');
    await config().update('connections', undefined, vscode.ConfigurationTarget.Global);
    await disconnect();
    await openai.close();
    await azure.close();
  });

  it('two connections side by side: each a root with its own rows, key, Load More and failures; the keys never cross', async () => {
    await config().update('connections', [{ name: 'Work', provider: 'azure', baseURL: azure.origin }], vscode.ConfigurationTarget.Global);
    const roots = await waitFor('a root per connection', async () => {
      const top = await rows(api);
      return top.length === 2 && top.every((r) => r.node.type === 'connection') ? top : undefined;
    });
    assert.deepEqual(roots.map((r) => r.label), ['Default', 'Work']);
    assert.equal(api.tree.state, 'ready', 'no welcome content over the roots');
    assert.equal(api.view.title, 'OpenAI Batches');
    const [home, work] = roots.map((r) => r.node as ConnectionRow);
    assert.equal(home.description, 'OpenAI · in use');
    assert.equal(work.provider, 'azure');
    assert.equal((work.iconPath as vscode.ThemeIcon).id, 'azure');

    // Work has no key yet: its root says so, and the row sets Work's key, not the Default one's.
    const notice = await waitFor("Work's notice", async () => {
      const [row] = await rows(api, work);
      return row?.node.type === 'notice' ? row : undefined;
    });
    assert.equal(notice.label, 'No API key — click to set one');
    assert.equal(notice.item.command?.command, Command.setApiKey);
    assert.equal((notice.item.command?.arguments?.[0] as NoticeRow).connection, 'Work');
    const saved = await vscode.commands.executeCommand<boolean>(InternalCommand.setApiKey, { apiKey: azure.apiKey, connection: 'Work' } satisfies SetApiKeyOptions);
    assert.equal(saved, true, 'the key was checked against the Azure server and accepted');
    assert.equal(await api.session.secrets.get(`${SECRET_API_KEY}.Work`), azure.apiKey);
    assert.equal(api.session.connection.name, 'Default', 'setting Work\'s key does not switch to it');

    const workRows = await waitFor("Work's batches", async () => {
      const found = await batchRows(api, 'Work');
      return found.length === 10 ? found : undefined;
    });
    assert.deepEqual(workRows.map((r) => r.batchId).sort(), azure.batches.slice(0, 10).map((b) => b.id).sort());
    const homeRows = await batchRows(api);
    assert.deepEqual(homeRows.map((r) => r.batchId).sort(), openai.batches.slice(0, 10).map((b) => b.id).sort());
    for (const r of workRows) assert.equal((r.node as BatchRow).connection, 'Work');
    // Each row's menu offers its own connection's web page: the Azure portal for Work's; none for a local OpenAI-mode server.
    for (const r of workRows) assert.match(String(r.item.contextValue), /\bdashboard-azure\b/);
    for (const r of homeRows) assert.doesNotMatch(String(r.item.contextValue), /\bdashboard-/);
    // One view: no two rows share an id, even when the two accounts' groups are the same.
    const ids = [...(await rows(api, home)), ...(await rows(api, work)), ...homeRows, ...workRows].map((r) => r.item.id);
    assert.equal(new Set(ids).size, ids.length);

    // Work's Load More loads Work's next page, and only Work's.
    const homeLists = listRequests(openai).length;
    const loadMore = (await rows(api, work)).find((r) => r.node.type === 'loadMore');
    assert.ok(loadMore?.item.command, "Work's Load More row");
    await vscode.commands.executeCommand(loadMore.item.command.command, ...(loadMore.item.command.arguments ?? []));
    await waitFor("Work's second page", async () => (await batchRows(api, 'Work')).length === 12);
    assert.equal(listRequests(openai).length, homeLists, 'no request to the Default connection');
    assert.ok(azure.requests.some((r) => r.path === '/openai/v1/batches' && r.query.after), 'a next-page request to Azure');

    // A batch of Work opens from Work, with Work's key.
    const before = azure.requests.length;
    const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>(Command.openBatchJson, workRows[0].node);
    assert.ok(editor);
    assert.equal(parseConnectionAuthority(editor.document.uri.authority), 'Work');
    assert.equal(JSON.parse(editor.document.getText()).id, workRows[0].batchId);
    assert.ok(azure.requests.slice(before).some((r) => r.path === `/openai/v1/batches/${workRows[0].batchId}`));

    // Work failing leaves the Default connection as it was; Retry on Work's error row brings Work back.
    azure.fault({ path: '/openai/v1/batches', times: Infinity, fault: { kind: 'status', status: 500 } });
    await vscode.commands.executeCommand(Command.refresh);
    const error = await waitFor("Work's error row", async () => (await rows(api, work)).find((r) => r.node.type === 'error'));
    assert.equal((error.node as ErrorRow).connection, 'Work');
    assert.ok(!(await rows(api, home)).some((r) => r.node.type === 'error'), 'no error under Default');
    assert.equal((await batchRows(api)).length, 10, "Default's batches are still there");
    assert.equal((await batchRows(api, 'Work')).length, 12, "and Work's, from before the failure");
    azure.clearFaults();
    assert.equal(error.item.command?.command, Command.retry);
    await vscode.commands.executeCommand(error.item.command.command, ...(error.item.command.arguments ?? []));
    await waitFor('Work back', async () => !(await rows(api, work)).some((r) => r.node.type === 'error') && (await batchRows(api, 'Work')).length === 12);

    // Live status: Work's poller asks Work's server about Work's running batches, and Work's row follows.
    const workSection = api.sections.named('Work');
    assert.ok(workSection && workSection !== api.sections.main);
    const running = azure.batches.find((b) => b.status === 'in_progress' && workSection.store.get(b.id));
    assert.ok(running, 'Work has a running batch');
    running.request_counts = { ...running.request_counts!, completed: running.request_counts!.completed + 1 };
    const homeRequests = openai.requests.length;
    await workSection.poller.poll();
    assert.equal(workSection.store.get(running.id)?.requestCounts?.completed, running.request_counts.completed);
    assert.ok(azure.requests.some((r) => r.path === `/openai/v1/batches/${running.id}`));
    assert.equal(openai.requests.length, homeRequests, "Work's poll asked nothing of the Default server");

    // What each server got: its own key, in its own header; never the other's.
    assert.ok(azure.requests.length >= 4);
    for (const r of azure.requests) {
      assert.equal(r.headers['api-key'], azure.apiKey, `${r.method} ${r.path}`);
      assert.equal(r.headers.authorization, undefined);
      assert.ok(r.path.startsWith('/openai/v1/'), r.path);
    }
    assert.ok(openai.requests.length >= 2);
    for (const r of openai.requests) {
      assert.equal(r.headers.authorization, `Bearer ${openai.apiKey}`, `${r.method} ${r.path}`);
      assert.equal(r.headers['api-key'], undefined);
    }
    await closeAllEditors();
  });

  it("a filter applies under every connection's root", async () => {
    let offered: readonly string[] = [];
    await filterBy(api, 'Failed', 5, 0, (items) => (offered = items));
    const loadedFailed = [...openai.batches.slice(0, 10), ...azure.batches.slice(0, 12)].filter((b) => b.status === 'failed').length;
    assert.ok(offered.some((i) => i.includes('Failed') && i.includes(`${loadedFailed} loaded`)), `the counts cover both connections: ${JSON.stringify(offered)}`);
    for (const [name, fake, loaded] of [['Default', openai, 10], ['Work', azure, 12]] as const) {
      const shown = await waitFor(`${name}'s failed batches only`, async () => {
        const found = await batchRows(api, name);
        return found.every((r) => (r.node as BatchRow).batch.status === 'failed') ? found : undefined;
      });
      const failed = fake.batches.slice(0, loaded).filter((b) => b.status === 'failed');
      assert.ok(failed.length > 0 && failed.length < loaded, `${name}'s loaded batches include failed ones and others`);
      assert.deepEqual(shown.map((r) => r.batchId).sort(), failed.map((b) => b.id).sort(), name);
    }
    await vscode.commands.executeCommand(Command.clearFilter);
    await waitFor("Work's batches all back", async () => (await batchRows(api, 'Work')).length === 12);
  });

  it('switching to the other connection keeps both roots; the one in use is what the palette acts on', async () => {
    await switchTo(api, 'Work', 1);
    await waitFor('the Azure client', () => api.session.client?.baseUrl === `${azure.origin}/openai/v1`);
    const roots = await waitFor('both roots again', async () => {
      const top = await rows(api);
      return top.length === 2 && top.every((r) => r.node.type === 'connection') ? top : undefined;
    });
    assert.deepEqual(roots.map((r) => r.item.description), ['OpenAI', 'Azure OpenAI · in use']);
    assert.deepEqual((await batchRows(api)).map((r) => r.batchId).sort(), azure.batches.slice(0, 10).map((b) => b.id).sort());
    assert.deepEqual((await batchRows(api, 'Default')).map((r) => r.batchId).sort(), openai.batches.slice(0, 10).map((b) => b.id).sort());
    // From a connection's row, Switch Connection… takes that one without asking.
    assert.equal(await vscode.commands.executeCommand(Command.switchConnection, roots[0].node), 'Default');
    await waitFor('the default client', () => api.session.client?.baseUrl === openai.baseUrl);
  });

  it('one connection again: its rows are the roots, as before', async () => {
    await config().update('connections', undefined, vscode.ConfigurationTarget.Global);
    const top = await waitFor('groups at the root', async () => {
      const found = await rows(api);
      return found.length > 0 && found.every((r) => r.node.type !== 'connection') ? found : undefined;
    });
    assert.ok(top.some((r) => r.node.type === 'group'));
    assert.equal(api.sections.several, false);
    assert.deepEqual((await batchRows(api)).map((r) => r.batchId).sort(), openai.batches.slice(0, 10).map((b) => b.id).sort());
  });
});

describe('Connections: documents', function () {
  this.timeout(120_000);
  const workKey = 'sk-work-documents-0123456789';
  let api: BatchesExtensionApi;
  let home: FakeOpenAI;
  let work: FakeOpenAI;
  let sharedId: string;

  before(async () => {
    api = await extensionApi();
    home = await FakeOpenAI.start({ count: 4, seed: 61 });
    work = await FakeOpenAI.start({ count: 4, seed: 62, apiKey: workKey });
    // The same batch id on both accounts, told apart by its description.
    sharedId = home.batches[0].id;
    home.batches[0].metadata = { description: 'on the home account' };
    work.addBatch({ ...structuredClone(home.batches[0]), metadata: { description: 'on the work account' } });
    // A finished batch of the same id, with files of the same ids, on both: 5 successes at home, 2 and 3 failures at work.
    for (const [fake, fates] of [[home, { succeeded: 5 }], [work, { succeeded: 2, server_error: 3 }]] as const) {
      const fixture = resultsFixture({ id: 'batch_on_both', status: 'completed', fates });
      fake.addBatch(fixture.batch);
      for (const file of fixture.files) fake.addFile(file);
    }
    await connectTo(api, home);
    await config().update('connections', [{ name: 'Work', provider: 'openai', baseURL: work.baseUrl }], vscode.ConfigurationTarget.Global);
    await api.session.secrets.store(`${SECRET_API_KEY}.Work`, workKey);
  });
  after(async () => {
    if (api.prompts.current) await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await closeAllEditors();
    await api.session.secrets.delete(`${SECRET_API_KEY}.Work`);
    await api.session.useConnection('Default');
    await config().update('connections', undefined, vscode.ConfigurationTarget.Global);
    await disconnect();
    await home.close();
    await work.close();
  });

  const openJson = async (id: string) => {
    const row = (await batchRows(api)).find((r) => r.batchId === id);
    assert.ok(row, `${id} is in the view`);
    const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>(Command.openBatchJson, row.node);
    assert.ok(editor, `${id} opened`);
    return editor.document;
  };

  it("a batch JSON tab keeps reading from its own connection with its own key after a switch; the same id on another connection is another tab", async () => {
    const homeDoc = await openJson(sharedId);
    assert.equal(homeDoc.uri.authority, '', 'a tab of the default connection has the URI it always had');
    assert.match(homeDoc.getText(), /on the home account/);
    assert.equal(openTabsFor(homeDoc.uri)[0].label, `${sharedId}.json`);
    await vscode.commands.executeCommand('workbench.action.keepEditor'); // out of preview, so the next tab opens beside it

    await switchTo(api, 'Work', 1);
    await waitFor('the Work client', () => api.session.client?.baseUrl === work.baseUrl);
    home.resetRequests();
    work.resetRequests();
    // The server's copy changes: the refreshed tab must show the home account's new one.
    home.batches.find((b) => b.id === sharedId)!.metadata = { description: 'on the home account, refreshed' };
    await vscode.commands.executeCommand(Command.refreshDocument, homeDoc.uri);
    await waitFor('the home tab refreshed', () => homeDoc.getText().includes('on the home account, refreshed'));
    assert.deepEqual(
      home.requests.map((r) => [r.method, r.path, r.headers.authorization]),
      [['GET', `/v1/batches/${sharedId}`, `Bearer ${home.apiKey}`]],
    );
    assert.equal(work.requests.length, 0, 'nothing of the home tab went to the Work server');

    const workDoc = await openJson(sharedId);
    assert.notEqual(workDoc.uri.toString(), homeDoc.uri.toString());
    assert.match(workDoc.getText(), /on the work account/);
    assert.doesNotMatch(workDoc.getText(), /home account/);
    assert.equal(openTabsFor(workDoc.uri)[0].label, `${sharedId} · Work.json`);
    assert.equal(openTabsFor(homeDoc.uri).length, 1, 'the home tab stays open beside it');
    assert.match(homeDoc.getText(), /on the home account, refreshed/);

    // Every request on either server carried that server's own key.
    assert.ok(work.requests.some((r) => r.path === `/v1/batches/${sharedId}`));
    for (const r of work.requests) assert.equal(r.headers.authorization, `Bearer ${workKey}`, `${r.method} ${r.path}`);
    for (const r of home.requests) assert.equal(r.headers.authorization, `Bearer ${home.apiKey}`, `${r.method} ${r.path}`);
  });

  it("Results opened from a tab of another connection read that connection's files; the same batch and file ids elsewhere are another panel and other files", async () => {
    if (api.session.connection.name !== 'Default') await switchTo(api, 'Default', -1);
    const homeDoc = await openJson('batch_on_both');
    await vscode.commands.executeCommand('workbench.action.keepEditor');
    await switchTo(api, 'Work', 1);
    home.resetRequests();
    work.resetRequests();

    const counts = (s: ResultsSummary) => Object.fromEntries(s.outcomes.filter((o) => o.count > 0).map((o) => [o.outcome, o.count]));
    const summaryOf = (panel: ResultsPanel) => waitFor(`the results of ${panel.batchId}`, () => panel.lastSummary, 30_000);
    // As the batch JSON tab's title menu passes it: its Uri.
    const homePanel = await vscode.commands.executeCommand<ResultsPanel>(Command.openResults, homeDoc.uri);
    assert.equal(homePanel.connection, 'Default');
    assert.deepEqual(counts(await summaryOf(homePanel)), { succeeded: 5 });
    assert.ok(home.requests.some((r) => r.path === '/v1/files/file-batch_on_both-output/content'), 'the output file came from the home server');
    for (const r of home.requests) assert.equal(r.headers.authorization, `Bearer ${home.apiKey}`, `${r.method} ${r.path}`);
    assert.equal(work.requests.length, 0, 'nothing of the home Results went to the Work server');

    const workRow = (await batchRows(api)).find((r) => r.batchId === 'batch_on_both');
    assert.ok(workRow);
    const workPanel = await vscode.commands.executeCommand<ResultsPanel>(Command.openResults, workRow.node);
    assert.notEqual(workPanel, homePanel, 'another panel');
    assert.equal(workPanel.connection, 'Work');
    assert.deepEqual(counts(await summaryOf(workPanel)), { succeeded: 2, failed: 3 }, "the Work server's files, not the cached home ones");
    assert.ok(work.requests.some((r) => r.path === '/v1/files/file-batch_on_both-output/content'));
    for (const r of work.requests) assert.equal(r.headers.authorization, `Bearer ${workKey}`, `${r.method} ${r.path}`);
    assert.equal(await vscode.commands.executeCommand<ResultsPanel>(Command.openResults, homeDoc.uri), homePanel, 'the home tab reveals its own panel');
    homePanel.panel.dispose();
    workPanel.panel.dispose();
  });

  it("retrying a batch of the connection not in use reads and creates on that connection only, and its row's Results panel combines Work's retries", async () => {
    if (api.session.connection.name !== 'Default') await switchTo(api, 'Default', -1);
    await waitFor('the default client', () => api.session.client?.baseUrl === home.baseUrl);
    const workSection = await waitFor("Work's part of the view", () => api.sections.named('Work'));
    await batchRows(api, 'Work');
    home.resetRequests();
    work.resetRequests();
    const result = await vscode.commands.executeCommand<RetryResult>(InternalCommand.retryFailed, { batchId: 'batch_on_both', connection: 'Work' } satisfies RetryOptions);
    assert.equal(result?.requests, 3, "Work's three failures, not the home batch's none");
    assert.ok(result.batch);
    assert.equal(work.batches[0].id, result.batch.id, 'created on the Work server');
    assert.deepEqual(work.batches[0].metadata?.retry_of, 'batch_on_both');
    assert.equal(workSection.store.batches[0].id, result.batch.id, "shown first under Work's root");
    assert.ok(!api.store.get(result.batch.id), 'not among the Default connection\'s batches');
    // Showing the new batch shows the view, which loads what it shows of the Default connection: its list, nothing else.
    const homeOther = () => home.requests.filter((r) => !(r.method === 'GET' && r.path === '/v1/batches'));
    assert.deepEqual(homeOther(), [], 'nothing of the retry went to the Default server');
    assert.ok(work.requests.some((r) => r.method === 'POST' && r.path === '/v1/files'));
    for (const r of work.requests) assert.equal(r.headers.authorization, `Bearer ${workKey}`, `${r.method} ${r.path}`);

    // The same batch's Results panel, opened from its row under Work, shows Work's results with the retry beside them.
    const row = (await batchRows(api, 'Work')).find((r) => r.batchId === 'batch_on_both');
    assert.ok(row);
    const panel = await vscode.commands.executeCommand<ResultsPanel>(Command.openResults, row.node);
    assert.equal(panel.connection, 'Work');
    await waitFor('its own results', () => panel.lastSummary, 30_000);
    await panel.setCombined(true);
    await waitFor('the combined results', () => panel.lastSummary?.combined, 30_000);
    assert.deepEqual(panel.members.map((m) => m.batch.id), ['batch_on_both', result.batch.id], "the retry found among Work's batches");
    assert.deepEqual(homeOther(), [], 'still nothing of Work on the Default server');
    panel.panel.dispose();
  });
});

/** The quick input `id` once shown; `text` typed into it (an input box) before Enter, as a person would. */
async function answer(api: BatchesExtensionApi, id: string, text?: string): Promise<void> {
  const shown = await waitFor(`the "${id}" prompt`, () => (api.prompts.current?.id === id ? api.prompts.current : undefined), 30_000);
  if (text !== undefined) {
    assert.ok(shown.enter, `"${id}" is an input box`);
    shown.enter(text);
  }
  await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
}

describe('Add, Edit, Rename and Remove Connection', function () {
  this.timeout(90_000);
  const newKey = 'sk-research-fedcba9876543210';
  const wrongKey = 'sk-wrong-00000000000000';
  const userConnections = () => config().inspect('connections')?.globalValue;
  let api: BatchesExtensionApi;
  let main: FakeOpenAI;
  let research: FakeOpenAI;
  /** Where Research moves to with Edit Connection…: another server with another key. */
  let moved: FakeOpenAI;
  const movedKey = 'sk-moved-1111222233334444';

  before(async () => {
    api = await extensionApi();
    main = await FakeOpenAI.start({ count: 5, seed: 51 });
    research = await FakeOpenAI.start({ count: 7, seed: 52, apiKey: newKey });
    moved = await FakeOpenAI.start({ count: 3, seed: 53, apiKey: movedKey });
    await connectTo(api, main);
  });
  after(async () => {
    if (api.prompts.current) await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    for (const name of ['Research', 'Lab']) await api.session.secrets.delete(`${SECRET_API_KEY}.${name}`);
    await api.session.useConnection('Default');
    await config().update('connections', undefined, vscode.ConfigurationTarget.Global);
    await disconnect();
    await main.close();
    await research.close();
    await moved.close();
  });

  it('Add Connection… checks the key with one list request to the new server; a wrong key saves nothing, Back and a right key save it', async () => {
    const done = vscode.commands.executeCommand<string | undefined>(Command.addConnection);
    const providers = await waitFor('the provider pick', () => (api.prompts.current?.id === 'connectionProvider' ? api.prompts.current : undefined), 30_000);
    assert.equal(providers.title, 'Add Connection');
    assert.deepEqual(providers.items?.map((i) => i.split(' — ')[0]), ['OpenAI', 'Azure OpenAI', 'OpenAI-compatible']);
    await answer(api, 'connectionProvider');
    // The name is checked as it is typed: Default is never a new connection's name.
    const name = await waitFor('the name box', () => (api.prompts.current?.id === 'connectionName' ? api.prompts.current : undefined));
    name.enter?.('default');
    await waitFor('Default refused', () => api.prompts.current?.problem?.includes('"Default" is the connection'));
    await answer(api, 'connectionName', 'Research');
    const url = await waitFor('the URL box', () => (api.prompts.current?.id === 'connectionUrl' ? api.prompts.current : undefined));
    assert.equal(url.value, 'https://api.openai.com/v1', "OpenAI's own URL is offered");
    await answer(api, 'connectionUrl', research.baseUrl);
    await answer(api, 'connectionOrganization', 'org_research');
    await answer(api, 'connectionProject');

    await answer(api, 'connectionKey', wrongKey);
    const refused = await waitFor('the check to fail', () => (api.prompts.current?.id === 'connectionKey' ? api.prompts.current.problem : undefined), 30_000);
    assert.match(refused, /could not be checked/);
    assert.ok(!refused.includes(wrongKey), 'the key is not in the message');
    assert.equal(api.prompts.current?.value, undefined, 'a key never reaches the prompt hooks');
    assert.equal(userConnections(), undefined, 'nothing saved');
    assert.equal(await api.session.secrets.get(`${SECRET_API_KEY}.Research`), undefined, 'no key stored');

    // Back to the project, forward again: what was answered is kept.
    await vscode.commands.executeCommand('workbench.action.quickInputBack');
    await answer(api, 'connectionProject');
    await answer(api, 'connectionKey', newKey);
    assert.equal(await done, 'Research');

    // What reached the servers: one list request per try, to the new server only, each with the key typed.
    assert.deepEqual(
      research.requests.map((r) => [r.method, r.path, r.query.limit, r.headers.authorization, r.headers['openai-organization']]),
      [
        ['GET', '/v1/batches', '1', `Bearer ${wrongKey}`, 'org_research'],
        ['GET', '/v1/batches', '1', `Bearer ${newKey}`, 'org_research'],
      ],
    );
    assert.ok(main.requests.every((r) => r.headers.authorization === `Bearer ${main.apiKey}`), 'the default server never saw the new keys');
    assert.deepEqual(userConnections(), [{ name: 'Research', provider: 'openai', baseURL: research.baseUrl, organization: 'org_research' }]);
    assert.equal(await api.session.secrets.get(`${SECRET_API_KEY}.Research`), newKey);
    assert.equal(api.session.connection.name, 'Default', 'adding does not switch by itself');
    const log = await logText(api);
    assert.ok(!log.includes(newKey) && !log.includes(wrongKey), 'no key in the log');
  });

  it('Edit Connection… keeps the stored key unless another is typed, checks it at the new URL, and saves nothing until the check passes', async () => {
    const before = research.requests.length;
    const done = vscode.commands.executeCommand<string | undefined>(Command.editConnection);
    const pick = await waitFor('the connection pick', () => (api.prompts.current?.id === 'connectionChoice' ? api.prompts.current : undefined), 30_000);
    assert.deepEqual(pick.items?.map((i) => i.split(' — ')[0]), ['Research'], 'never the Default connection');
    await answer(api, 'connectionChoice');
    const url = await waitFor('the URL box', () => (api.prompts.current?.id === 'connectionUrl' ? api.prompts.current : undefined));
    assert.equal(url.value, research.baseUrl, 'the URL it has');
    await answer(api, 'connectionUrl', moved.baseUrl);
    const organization = await waitFor('the organization box', () => (api.prompts.current?.id === 'connectionOrganization' ? api.prompts.current : undefined));
    assert.equal(organization.value, 'org_research');
    await answer(api, 'connectionOrganization', '');
    await answer(api, 'connectionProject');
    // Enter keeps the stored key: the new server refuses it, so nothing is saved yet.
    await answer(api, 'connectionKey');
    const refused = await waitFor('the check to fail', () => (api.prompts.current?.id === 'connectionKey' ? api.prompts.current.problem : undefined), 30_000);
    assert.ok(!refused.includes(newKey), 'the key is not in the message');
    assert.equal((userConnections() as { baseURL: string }[])[0].baseURL, research.baseUrl, 'nothing saved');
    assert.equal(await api.session.secrets.get(`${SECRET_API_KEY}.Research`), newKey, 'the stored key unchanged');
    await answer(api, 'connectionKey', movedKey);
    assert.equal(await done, 'Research');

    assert.deepEqual(
      moved.requests.map((r) => [r.method, r.path, r.query.limit, r.headers.authorization, r.headers['openai-organization']]),
      [
        ['GET', '/v1/batches', '1', `Bearer ${newKey}`, undefined],
        ['GET', '/v1/batches', '1', `Bearer ${movedKey}`, undefined],
      ],
    );
    assert.equal(research.requests.length, before, 'the old server was not asked');
    assert.deepEqual(userConnections(), [{ name: 'Research', provider: 'openai', baseURL: moved.baseUrl }]);
    assert.equal(await api.session.secrets.get(`${SECRET_API_KEY}.Research`), movedKey);
  });

  it('Rename Connection… moves the entry and its key; the connection in use stays in use under its new name', async () => {
    await api.session.useConnection('Research');
    await waitFor('the Research client', () => api.session.client?.baseUrl === moved.baseUrl);
    const done = vscode.commands.executeCommand<string | undefined>(Command.renameConnection);
    const pick = await waitFor('the connection pick', () => (api.prompts.current?.id === 'connectionChoice' ? api.prompts.current : undefined), 30_000);
    assert.deepEqual(pick.items?.map((i) => i.split(' — ')[0]), ['Research'], 'never the Default connection');
    await answer(api, 'connectionChoice');
    await answer(api, 'connectionName', 'Lab');
    assert.equal(await done, 'Lab');

    assert.deepEqual(userConnections(), [{ name: 'Lab', provider: 'openai', baseURL: moved.baseUrl }]);
    assert.equal(await api.session.secrets.get(`${SECRET_API_KEY}.Lab`), movedKey);
    assert.equal(await api.session.secrets.get(`${SECRET_API_KEY}.Research`), undefined, 'no key left under the old name');
    await waitFor('Lab in use', () => api.session.connection.name === 'Lab' && api.session.client?.baseUrl === moved.baseUrl);
    const roots = await waitFor('the renamed root', async () => {
      const top = await rows(api);
      return top.some((r) => r.label === 'Lab') ? top : undefined;
    });
    assert.deepEqual(roots.map((r) => [r.label, r.item.description]), [['Default', 'OpenAI'], ['Lab', 'OpenAI · in use']]);
  });

  it('Remove Connection offers only the configured ones; removing the one in use removes its key and goes back to Default', async () => {
    const done = vscode.commands.executeCommand<string | undefined>(Command.removeConnection);
    const pick = await waitFor('the connection pick', () => (api.prompts.current?.id === 'connectionChoice' ? api.prompts.current : undefined), 30_000);
    assert.equal(pick.title, 'Remove Connection');
    assert.deepEqual(pick.items?.map((i) => i.split(' — ')[0]), ['Lab'], 'never the Default connection');
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.equal(await done, undefined);
    assert.equal((userConnections() as unknown[]).length, 1, 'dismissed: nothing removed');

    // The confirmed removal (the palette's modal question is what the internal command skips).
    assert.equal(await vscode.commands.executeCommand<boolean>(InternalCommand.removeConnection, { name: 'Lab' } satisfies RemoveConnectionOptions), true);
    assert.deepEqual(userConnections(), []);
    assert.equal(await api.session.secrets.get(`${SECRET_API_KEY}.Lab`), undefined, 'its key is gone');
    await waitFor('Default in use', () => api.session.connection.name === 'Default' && api.session.client?.baseUrl === main.baseUrl);
    assert.equal(api.view.title, 'OpenAI Batches');
    assert.equal(await vscode.commands.executeCommand<boolean>(InternalCommand.removeConnection, { name: 'Default' } satisfies RemoveConnectionOptions), false, 'Default cannot be removed');
  });
});
