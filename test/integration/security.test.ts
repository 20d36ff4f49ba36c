import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { FakeOpenAI } from '../fake-openai/server';
import { batchRows, connectTo, listRequests, logText, rows, useFakeAccount, waitFor } from './support';

describe('Security', function () {
  this.timeout(60_000);
  const t = useFakeAccount({ count: 15, seed: 4, pageSize: 10 });

  it('ignores endpoint settings from a workspace: a cloned repository cannot redirect the key', async () => {
    const hostile = await FakeOpenAI.start({ count: 3, apiKey: 'sk-attacker' });
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the tests run in a workspace');
    const settingsFile = path.join(folder.uri.fsPath, '.vscode', 'settings.json');
    fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
    const previous = fs.existsSync(settingsFile) ? fs.readFileSync(settingsFile, 'utf8') : undefined;
    try {
      // pageSize may come from a workspace: it shows that VS Code read the file.
      fs.writeFileSync(
        settingsFile,
        JSON.stringify({ 'openaiBatches.baseUrl': hostile.baseUrl, 'openaiBatches.project': 'proj_attacker', 'openaiBatches.organization': 'org_attacker', 'openaiBatches.pageSize': 7 }),
      );
      await waitFor('VS Code to read the workspace settings', () => vscode.workspace.getConfiguration('openaiBatches').inspect('pageSize')?.workspaceValue === 7);
      await vscode.commands.executeCommand('openaiBatches.refresh');
      await rows(t.api);
      await vscode.commands.executeCommand('openaiBatches.openBatchJson', t.api.store.batches[0].id);
      assert.equal(hostile.requests.length, 0, 'nothing reached the workspace-configured server');
      assert.equal(listRequests(t.fake)[0].query.limit, '7', 'the workspace file was in effect');
      for (const r of t.fake.requests) {
        assert.equal(r.headers['openai-project'], undefined);
        assert.equal(r.headers['openai-organization'], undefined);
      }
    } finally {
      if (previous === undefined) fs.rmSync(settingsFile);
      else fs.writeFileSync(settingsFile, previous);
      await hostile.close();
    }
  });

  it('declares limited support for untrusted workspaces, restricting the endpoint settings', () => {
    const pkg = vscode.extensions.getExtension('openai-batches.openai-batches')!.packageJSON;
    const untrusted = pkg.capabilities.untrustedWorkspaces;
    assert.equal(untrusted.supported, 'limited');
    assert.deepEqual([...untrusted.restrictedConfigurations].sort(), ['openaiBatches.baseUrl', 'openaiBatches.organization', 'openaiBatches.project']);
    for (const key of untrusted.restrictedConfigurations) assert.equal(pkg.contributes.configuration.properties[key].scope, 'application', key);
  });

  it('refuses to send the key over plain http to another host unless allowed', async () => {
    const config = vscode.workspace.getConfiguration('openaiBatches');
    await config.update('baseUrl', 'http://batches.example.test/v1', vscode.ConfigurationTarget.Global);
    try {
      await waitFor('the refusal', () => !t.api.session.state.ok && t.api.session.state.problem === 'insecureBaseUrl');
      const [row] = await rows(t.api);
      assert.equal(row.node.type, 'error');
      assert.match(String(row.item.description), /Refusing to send the API key over plain http:\/\/ to batches\.example\.test/);
      await config.update('allowInsecureHttp', true, vscode.ConfigurationTarget.Global);
      await waitFor('the opt-in', () => t.api.session.state.ok);
    } finally {
      await config.update('allowInsecureHttp', undefined, vscode.ConfigurationTarget.Global);
      await config.update('baseUrl', t.fake.baseUrl, vscode.ConfigurationTarget.Global);
    }
  });

  it('never shows or logs the key, even when a proxy echoes it back', async () => {
    const key = t.fake.apiKey;
    const echo = `<html><body>upstream rejected Authorization: Bearer ${key}</body></html>`;
    t.fake.fault({ path: '/v1/batches', times: 3, fault: { kind: 'status', status: 502, body: echo } });
    await rows(t.api);
    t.fake.fault({ path: /^\/v1\/batches\/.+/, times: 3, fault: { kind: 'status', status: 500, body: { error: { message: `bad key ${key}`, type: 'server_error', param: null, code: null } } } });
    await vscode.commands.executeCommand('openaiBatches.refresh');
    const shown: string[] = [];
    for (const r of await rows(t.api)) shown.push(r.label, String(r.item.description ?? ''), (r.item.tooltip as vscode.MarkdownString | undefined)?.value ?? '');
    await t.fake.close();
    t.fake = await FakeOpenAI.start({ count: 3, apiKey: key });
    await connectTo(t.api, t.fake, { pageSize: 10 });
    await rows(t.api);
    t.fake.fault({ path: /^\/v1\/batches\/.+/, times: 3, fault: { kind: 'status', status: 500, body: { error: { message: `bad key ${key}`, type: 'server_error', param: null, code: null } } } });
    await vscode.commands.executeCommand('openaiBatches.openBatchJson', t.api.store.batches[0].id);
    await vscode.commands.executeCommand('openaiBatches.setApiKey', 'sk-another-wrong-key-123456');
    const log = await waitFor('the logged errors', async () => {
      const text = await logText(t.api);
      return text.includes('bad key ***') ? text : undefined;
    });
    assert.ok(log.includes('***'), 'the echoed key was replaced');
    assert.ok(!log.includes(key), 'the key is not in the log');
    assert.ok(!log.includes('sk-another-wrong-key-123456'), 'a rejected key is not in the log');
    for (const text of shown) assert.ok(!text.includes(key), `the key is not shown: ${text}`);
    const settings = JSON.stringify(vscode.workspace.getConfiguration('openaiBatches'));
    assert.ok(!settings.includes(key), 'the key is not in the settings');
    assert.ok((await batchRows(t.api)).length > 0);
  });
});
