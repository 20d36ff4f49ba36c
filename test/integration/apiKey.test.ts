import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { InternalCommand, type SetApiKeyOptions } from '../../src/constants';
import { logText, useFakeAccount, waitFor } from './support';

// The key typed into Set API Key's input box goes through the same check (test/ui drives the box itself).
describe('Set API Key', function () {
  this.timeout(30_000);
  const t = useFakeAccount({ count: 12, seed: 9, pageSize: 2 });
  it('checks the key with one list call and refuses a rejected one', async () => {
    t.fake.resetRequests();
    const saved = await vscode.commands.executeCommand<boolean>(InternalCommand.setApiKey, { apiKey: 'sk-not-the-right-key-000000' } satisfies SetApiKeyOptions);
    assert.equal(saved, false);
    assert.equal(t.fake.requests.length, 1);
    assert.deepEqual(t.fake.requests[0].query, { limit: '1' });
    assert.equal(t.fake.requests[0].headers.authorization, 'Bearer sk-not-the-right-key-000000');
    assert.ok(t.api.session.state.ok && t.api.session.state.connection.apiKey === t.fake.apiKey, 'the previous key stays');
    const log = await waitFor('the rejection in the log', async () => ((await logText(t.api)).includes('was rejected by the server') ? logText(t.api) : undefined));
    assert.match(log, /\[info\] A new API key was rejected by the server \(HTTP 401, request ID req_\w+\); it was not saved\./);
    assert.ok(!log.includes('sk-not-the-right-key'), 'not even part of the rejected key');
  });

  it('logs that a new key was stored, never the key', async () => {
    const before = (await logText(t.api)).length;
    assert.equal(await vscode.commands.executeCommand<boolean>(InternalCommand.setApiKey, { apiKey: t.fake.apiKey } satisfies SetApiKeyOptions), true);
    const log = (await waitFor('the log line', async () => ((await logText(t.api)).slice(before).includes('was stored') ? logText(t.api) : undefined))).slice(before);
    assert.match(log, /\[info\] A new API key was stored\./);
    assert.ok(!log.includes(t.fake.apiKey));
  });
});
