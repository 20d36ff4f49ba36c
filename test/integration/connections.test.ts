import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Command, InternalCommand, type SetApiKeyOptions } from '../../src/constants';
import type { BatchesExtensionApi } from '../../src/extension';
import { FakeOpenAI } from '../fake-openai/server';
import { batchRows, connectTo, disconnect, extensionApi, waitFor } from './support';

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

  it('an Azure connection beside the default one: its own key, sent as api-key to its own server only; switching back uses the default key', async () => {
    await config().update('connections', [{ name: 'Work', provider: 'azure', baseURL: azure.origin }], vscode.ConfigurationTarget.Global);
    const defaultIds = (await batchRows(api)).map((r) => r.batchId);
    assert.equal(defaultIds.length, 10);

    await switchTo(api, 'Work', 1);
    assert.equal(api.view.title, 'Work');
    await waitFor('no key for Work yet', () => api.session.state.ok === false && api.session.state.problem === 'noApiKey');
    assert.deepEqual(await api.tree.getChildren(), [], 'the view asks for its key');
    assert.equal(api.tree.state, 'noApiKey');
    const saved = await vscode.commands.executeCommand<boolean>(InternalCommand.setApiKey, { apiKey: azure.apiKey } satisfies SetApiKeyOptions);
    assert.equal(saved, true, 'the key was checked against the Azure server and accepted');
    await waitFor('the Azure client', () => api.session.client?.baseUrl === `${azure.origin}/openai/v1`);
    await waitFor('an unloaded store', () => api.store.hasSource && !api.store.loaded && !api.store.loading);
    const workIds = (await batchRows(api)).map((r) => r.batchId).sort();
    assert.deepEqual(workIds, azure.batches.slice(0, 10).map((b) => b.id).sort());

    await switchTo(api, 'Default', -1);
    assert.equal(api.view.title, 'OpenAI Batches');
    await waitFor('the default client', () => api.session.client?.baseUrl === openai.baseUrl);
    await waitFor('an unloaded store', () => api.store.hasSource && !api.store.loaded && !api.store.loading);
    assert.deepEqual((await batchRows(api)).map((r) => r.batchId), defaultIds);

    // What each server got: its own key, in its own header; never the other's.
    assert.ok(azure.requests.length >= 2);
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
  });
});
