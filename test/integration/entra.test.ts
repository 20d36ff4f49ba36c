import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Command, EXTENSION_ID, SECRET_API_KEY } from '../../src/constants';
import type { BatchesExtensionApi } from '../../src/extension';
import { ENTRA_SCOPE } from '../../src/core/providers';
import { MICROSOFT_AUTH_PROVIDER } from '../../src/services/entraAuth';
import { FakeOpenAI } from '../fake-openai/server';
import { batchRows, connectTo, disconnect, extensionApi, logText, waitFor } from './support';

const config = () => vscode.workspace.getConfiguration('openaiBatches');

/**
 * The Microsoft sign-in as VS Code offers it, played by the test: one signed-in account whose token the test
 * sets. (This code-server's own Microsoft sign-in cannot work offline.) Several accounts are supported, as
 * Microsoft's are, so that granting an extension access is a pick, not a dialog (dialogs are refused in tests).
 */
class TestMicrosoftAuth implements vscode.AuthenticationProvider {
  private readonly changed = new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  readonly onDidChangeSessions = this.changed.event;
  readonly scopesAsked: string[][] = [];
  token = 'entra-access-token-1-7f3a9c';
  async getSessions(scopes?: readonly string[]): Promise<vscode.AuthenticationSession[]> {
    this.scopesAsked.push([...(scopes ?? [])]);
    return [this.session(scopes ?? [])];
  }
  async createSession(scopes: readonly string[]): Promise<vscode.AuthenticationSession> {
    return this.session(scopes);
  }
  async removeSession(): Promise<void> {}
  private session(scopes: readonly string[]): vscode.AuthenticationSession {
    return { id: 'test-session', accessToken: this.token, account: { id: 'user', label: 'user@example.com' }, scopes };
  }
}

describe('Providers: Azure OpenAI signed in with Microsoft (Entra ID)', function () {
  this.timeout(60_000);
  let api: BatchesExtensionApi;
  let openai: FakeOpenAI;
  let fake: FakeOpenAI;
  let registration: vscode.Disposable | undefined;
  const auth = new TestMicrosoftAuth();
  const loaded = () => api.store.loaded && !api.store.loading;

  before(async () => {
    api = await extensionApi();
    openai = await FakeOpenAI.start({ count: 3, seed: 70 });
    fake = await FakeOpenAI.start({ count: 6, seed: 71, mode: 'azure', apiKey: 'azure-key-never-sent-1234', entraToken: auth.token });
    await connectTo(api, openai);
    registration = vscode.authentication.registerAuthenticationProvider(MICROSOFT_AUTH_PROVIDER, 'Microsoft (test)', auth, { supportsMultipleAccounts: true });
    await config().update('connections', [{ name: 'Entra', provider: 'azure', baseURL: fake.origin, auth: 'entra' }], vscode.ConfigurationTarget.Global);
    await api.session.useConnection('Entra');
  });
  after(async () => {
    registration?.dispose();
    await api.session.useConnection('Default');
    await config().update('connections', undefined, vscode.ConfigurationTarget.Global);
    await disconnect();
    await openai.close();
    await fake.close();
  });

  it('until the account lets OpenAI Batches use it, says so and sends nothing; once allowed (Accounts menu), lists with its token and no api-key', async () => {
    assert.ok(api.session.state.ok, 'no key is needed');
    await api.store.ensureLoaded().catch(() => undefined);
    const failure = await waitFor('the load to fail', () => api.store.lastError);
    assert.match(String((failure.error as Error)?.message ?? failure.error), /Not signed in with Microsoft/);
    assert.equal(fake.requests.length, 0, 'nothing was sent without a token');

    // The Accounts menu's entry "Grant access to Microsoft (test) for OpenAI Batches…": a pick of the accounts,
    // accepted on its first (an accept that comes before the pick shows its items grants nothing: then again).
    const grant = `${MICROSOFT_AUTH_PROVIDER}${EXTENSION_ID.toLowerCase()}Access`;
    const allowed = () => vscode.authentication.getSession(MICROSOFT_AUTH_PROVIDER, [ENTRA_SCOPE], { silent: true });
    await waitFor('the account to let OpenAI Batches use it', async () => {
      let settled = false;
      const picked = Promise.resolve(vscode.commands.executeCommand(grant)).finally(() => (settled = true));
      while (!settled) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      await picked.catch(() => undefined);
      return (await allowed()) !== undefined;
    }, 30_000);

    await vscode.commands.executeCommand(Command.refresh);
    await waitFor('the batches', () => loaded() && api.store.batches.length > 0).catch(async (e: unknown) => assert.fail(`${String(e)}\n${(await logText(api)).slice(-2000)}\n${JSON.stringify(fake.requests.map((r) => [r.path, r.headers.authorization, r.status]))}`));
    assert.deepEqual((await batchRows(api)).map((r) => r.batchId).sort(), fake.batches.map((b) => b.id).sort());
    assert.ok(fake.requests.length > 0);
    for (const r of fake.requests) {
      assert.equal(r.headers.authorization, `Bearer ${auth.token}`, `${r.method} ${r.path}`);
      assert.equal(r.headers['api-key'], undefined, `${r.method} ${r.path}`);
      assert.equal(r.status, 200);
    }
    assert.ok(auth.scopesAsked.some((s) => s.includes(ENTRA_SCOPE)), JSON.stringify(auth.scopesAsked));
  });

  it('asks for the token on every request, so a renewed one is used at once; neither is ever logged', async () => {
    const first = auth.token;
    auth.token = fake.entraToken = 'entra-access-token-2-b81d04';
    const since = fake.requests.length;
    await vscode.commands.executeCommand(Command.refresh);
    await waitFor('the refresh', () => fake.requests.length > since && loaded());
    const after = fake.requests.slice(since);
    assert.deepEqual([...new Set(after.map((r) => JSON.stringify([r.headers.authorization, r.headers['api-key'] ?? null, r.status])))], [JSON.stringify([`Bearer ${auth.token}`, null, 200])]);
    const log = await logText(api);
    assert.ok(!log.includes(first) && !log.includes(auth.token), 'no token in the log');
  });

  it('Add Connection… offers "Sign in with Microsoft" for Azure: checked with one request carrying the token, saved without a key', async () => {
    const since = fake.requests.length;
    const done = vscode.commands.executeCommand<string | undefined>(Command.addConnection);
    await pick(api, 'connectionProvider', 1); // Azure OpenAI
    await answer(api, 'connectionName', 'Signed In');
    await answer(api, 'connectionUrl', fake.origin);
    await answer(api, 'connectionApiVersion');
    const choices = await waitFor('the sign-in pick', () => (api.prompts.current?.id === 'connectionAuth' ? api.prompts.current : undefined));
    assert.deepEqual(choices.items?.map((i) => i.split(' — ')[0]), ['API Key', 'Sign in with Microsoft']);
    await pick(api, 'connectionAuth', 1);
    assert.equal(await done, 'Signed In');
    assert.deepEqual(config().inspect('connections')?.globalValue, [
      { name: 'Entra', provider: 'azure', baseURL: fake.origin, auth: 'entra' },
      { name: 'Signed In', provider: 'azure', baseURL: fake.origin, auth: 'entra' },
    ]);
    assert.equal(await api.session.secrets.get(`${SECRET_API_KEY}.Signed In`), undefined, 'no key stored');
    assert.deepEqual(
      fake.requests.slice(since).map((r) => [r.method, r.path, r.query.limit, r.headers.authorization, r.headers['api-key'] ?? null, r.status]),
      [['GET', '/openai/v1/batches', '1', `Bearer ${auth.token}`, null, 200]],
    );
  });
});

/** Answers the input box `id` with `text` (or what it holds). */
async function answer(api: BatchesExtensionApi, id: string, text?: string): Promise<void> {
  const shown = await waitFor(`the "${id}" prompt`, () => (api.prompts.current?.id === id ? api.prompts.current : undefined), 30_000);
  if (text !== undefined) shown.enter?.(text);
  await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
}

/** Chooses the item `down` places below the first in the pick `id`. */
async function pick(api: BatchesExtensionApi, id: string, down: number): Promise<void> {
  await waitFor(`the "${id}" pick`, () => api.prompts.current?.id === id, 30_000);
  for (let i = 0; i < down; i++) await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
  await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
}
