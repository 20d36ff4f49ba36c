import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { InternalCommand, type SetApiKeyOptions, Command } from '../../src/constants';
import { echoedKeyMessage, FakeOpenAI } from '../fake-openai/server';
import { batchRows, listRequests, logLineCount, loggedError, logText, rows, useFakeAccount, waitFor, type Row } from './support';

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
        JSON.stringify({
          'openaiBatches.baseURL': hostile.baseUrl,
          'openaiBatches.project': 'proj_attacker',
          'openaiBatches.organization': 'org_attacker',
          'openaiBatches.connections': [{ name: 'Hijack', provider: 'openai-compatible', baseURL: hostile.baseUrl }],
          'openaiBatches.pageSize': 7,
        }),
      );
      await waitFor('VS Code to read the workspace settings', () => vscode.workspace.getConfiguration('openaiBatches').inspect('pageSize')?.workspaceValue === 7);
      await vscode.commands.executeCommand(Command.refresh);
      await rows(t.api);
      await vscode.commands.executeCommand(Command.openBatchJson, t.api.tree.nodeFor(t.api.store.batches[0].id));
      assert.equal(hostile.requests.length, 0, 'nothing reached the workspace-configured server');
      assert.deepEqual(t.api.session.connections().map((c) => c.name), ['Default'], 'a workspace cannot add a connection');
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

  it('two connections side by side: each key reaches only its own server, even when one server redirects to the other', async () => {
    const workKey = 'azure-security-key-0123456789';
    const work = await FakeOpenAI.start({ count: 6, seed: 5, mode: 'azure', apiKey: workKey });
    const config = vscode.workspace.getConfiguration('openaiBatches');
    try {
      await config.update('connections', [{ name: 'Work', provider: 'azure', baseURL: work.origin }], vscode.ConfigurationTarget.Global);
      assert.equal(await vscode.commands.executeCommand<boolean>(InternalCommand.setApiKey, { apiKey: workKey, connection: 'Work' } satisfies SetApiKeyOptions), true);
      const workRows = await waitFor("Work's batches", async () => {
        const found = await batchRows(t.api, 'Work');
        return found.length === 6 ? found : undefined;
      });
      assert.ok((await batchRows(t.api)).length > 0, "the Default connection's batches beside them");
      // Work's server sends a batch's request on to the Default server: the key must not follow it there.
      const target = workRows[0].batchId!;
      work.fault({ path: `/openai/v1/batches/${target}`, fault: { kind: 'status', status: 307, headers: { location: `${t.fake.baseUrl}/batches/${target}` } } });
      t.fake.resetRequests();
      await vscode.commands.executeCommand(Command.openBatchJson, workRows[0].node);
      const redirected = await waitFor('the redirected request at the Default server', () => t.fake.requests.find((r) => r.path === `/v1/batches/${target}`));
      assert.equal(redirected.headers['api-key'], undefined, "Work's key did not follow the redirect");
      assert.equal(redirected.headers.authorization, undefined, "nor did the Default connection's key go with Work's request");
      for (const r of work.requests) {
        assert.equal(r.headers.authorization, undefined, `${r.method} ${r.path}`);
        assert.equal(r.headers['api-key'], workKey, `${r.method} ${r.path}`);
      }
      for (const r of t.fake.requests.filter((r) => r !== redirected)) assert.equal(r.headers['api-key'], undefined, `${r.method} ${r.path}`);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    } finally {
      await vscode.commands.executeCommand(InternalCommand.clearApiKey, { connection: 'Work' });
      await config.update('connections', undefined, vscode.ConfigurationTarget.Global);
      await work.close();
    }
  });

  it('declares limited support for untrusted workspaces, restricting the endpoint settings', () => {
    const pkg = vscode.extensions.getExtension('openai-batches.openai-batches')!.packageJSON;
    const untrusted = pkg.capabilities.untrustedWorkspaces;
    assert.equal(untrusted.supported, 'limited');
    assert.deepEqual([...untrusted.restrictedConfigurations].sort(), ['openaiBatches.baseURL', 'openaiBatches.connections', 'openaiBatches.organization', 'openaiBatches.project']);
    for (const key of untrusted.restrictedConfigurations) assert.equal(pkg.contributes.configuration.properties[key].scope, 'application', key);
  });

  it('refuses to send the key over plain http to another host unless allowed', async () => {
    const config = vscode.workspace.getConfiguration('openaiBatches');
    await config.update('baseURL', 'http://batches.example.test/v1', vscode.ConfigurationTarget.Global);
    try {
      await waitFor('the refusal', () => !t.api.session.state.ok && t.api.session.state.problem === 'insecureBaseUrl');
      const [row] = await rows(t.api);
      assert.equal(row.node.type, 'error');
      assert.match(String(row.item.description), /Refusing to send the API key over plain http:\/\/ to batches\.example\.test/);
      await config.update('allowInsecureHTTP', true, vscode.ConfigurationTarget.Global);
      await waitFor('the opt-in', () => t.api.session.state.ok);
    } finally {
      await config.update('allowInsecureHTTP', undefined, vscode.ConfigurationTarget.Global);
      await config.update('baseURL', t.fake.baseUrl, vscode.ConfigurationTarget.Global);
    }
  });

  it('never shows or logs the key, even when the server echoes it back unmasked', async () => {
    const key = t.fake.apiKey;
    const rejectedKey = 'sk-another-wrong-key-123456';
    // What each echo must become: the message with the key replaced, so it is shown and nothing else is.
    const scrubbed = echoedKeyMessage('***');
    const echo = (status: number, times = 1) => ({ times, fault: { kind: 'echoKey', status } as const });
    const tooltipOf = (row: Row) => {
      const tooltip = row.item.tooltip;
      return (typeof tooltip === 'string' ? tooltip : (tooltip?.value ?? '')).replace(/\\/g, ''); // Markdown escapes
    };
    const shown: string[] = [];
    /** Reads every row as it is on screen now: label, description, tooltip. */
    const onScreen = async (): Promise<Row[]> => {
      const root = await rows(t.api);
      for (const r of root) shown.push(r.label, String(r.item.description ?? ''), tooltipOf(r));
      return root;
    };

    // The first page is refused with the key in the message: the error row shows the scrubbed echo.
    const firstPage = t.fake.fault({ path: '/v1/batches', ...echo(401) });
    const refused = await onScreen();
    assert.equal(firstPage.fired, 1);
    assert.equal(refused[0].node.type, 'error');
    assert.ok(String(refused[0].item.description).includes(scrubbed), `the error row shows the echo, scrubbed: ${refused[0].item.description}`);
    assert.ok(tooltipOf(refused[0]).includes(scrubbed), tooltipOf(refused[0]));

    // Load more fails the same way: its row keeps the error in its tooltip.
    await vscode.commands.executeCommand(Command.retry);
    await waitFor('the first page', () => t.api.store.loaded && t.api.store.lastError === undefined);
    const nextPage = t.fake.fault({ path: '/v1/batches', ...echo(400) });
    await vscode.commands.executeCommand(Command.loadMore);
    const more = (await onScreen()).find((r) => r.node.type === 'loadMore');
    assert.equal(nextPage.fired, 1);
    assert.equal(more?.item.description, 'failed — click to retry');
    assert.ok(tooltipOf(more).includes(scrubbed), tooltipOf(more));

    // Refresh fails after its retries (each logged): the error row, above what stays loaded.
    const refresh = t.fake.fault({ path: '/v1/batches', ...echo(500, 3) });
    await vscode.commands.executeCommand(Command.refresh);
    const failedRefresh = await onScreen();
    assert.equal(refresh.fired, 3);
    assert.equal(failedRefresh[0].label, 'Refresh failed');
    assert.ok(String(failedRefresh[0].item.description).includes(scrubbed), String(failedRefresh[0].item.description));
    assert.ok((await batchRows(t.api)).length > 0, 'what was loaded stays');

    // A notification: opening the batch fails; its text is logged verbatim.
    const id = t.api.store.batches[0].id;
    const open = t.fake.fault({ path: `/v1/batches/${id}`, ...echo(500, 3) });
    let since = await logLineCount(t.api);
    assert.equal(await vscode.commands.executeCommand(Command.openBatchJson, t.api.tree.nodeFor(id)), undefined);
    const openError = await loggedError(t.api, since);
    assert.equal(open.fired, 3);
    assert.match(openError, /^Could not open the batch: /);
    assert.ok(openError.includes(scrubbed), openError);
    shown.push(openError);

    // A rejected key, echoed by the server that rejected it: the refusal names neither key.
    const keyCheck = t.fake.fault({ path: '/v1/batches', ...echo(401) });
    since = await logLineCount(t.api);
    assert.equal(await vscode.commands.executeCommand(InternalCommand.setApiKey, { apiKey: rejectedKey } satisfies SetApiKeyOptions), false);
    const refusal = await loggedError(t.api, since);
    assert.equal(keyCheck.fired, 1);
    assert.equal(t.fake.requests[t.fake.requests.length - 1].headers.authorization, `Bearer ${rejectedKey}`, 'the server had the rejected key to echo');
    assert.match(refusal, /^The API key was not saved: The API key was rejected: /);
    assert.ok(refusal.includes(scrubbed), refusal);
    shown.push(refusal);

    const log = await logText(t.api);
    const leaks = (secret: string) => [...log.split('\n'), ...shown].filter((text) => text.includes(secret));
    assert.deepEqual(leaks(key), [], 'the key is not shown or logged');
    assert.deepEqual(leaks(rejectedKey), [], 'the rejected key is not shown or logged');
    const settings = JSON.stringify(vscode.workspace.getConfiguration('openaiBatches'));
    assert.ok(!settings.includes(key), 'the key is not in the settings');
  });
});
