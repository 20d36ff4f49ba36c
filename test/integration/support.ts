import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { BatchesExtensionApi } from '../../src/extension';
import type { BatchFilter } from '../../src/core/batchFilter';
import type { TreeNode } from '../../src/views/treeNodes';
import { Command, EXTENSION_ID, InternalCommand, type SetApiKeyOptions } from '../../src/constants';
import { FakeOpenAI } from '../fake-openai/server';

export async function extensionApi(): Promise<BatchesExtensionApi> {
  const ext = vscode.extensions.getExtension<BatchesExtensionApi>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not loaded`);
  return ext.activate();
}

export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/** Asserts that `probe` stays true for `forMs`: for what must not happen (a request nobody asked for). */
export async function holds(what: string, probe: () => boolean, forMs: number): Promise<void> {
  const end = Date.now() + forMs;
  while (Date.now() < end) {
    assert.ok(probe(), `${what} did not hold`);
    await sleep(25);
  }
  assert.ok(probe(), `${what} did not hold`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

const config = () => vscode.workspace.getConfiguration('openaiBatches');

/**
 * Points the extension at `fake` (user settings, as a person would) with its key stored. A new fake has
 * a new port, so the extension sees another account and starts unloaded.
 */
export async function connectTo(api: BatchesExtensionApi, fake: FakeOpenAI, options: { pageSize?: number } = {}): Promise<void> {
  // With the view hidden, only the test asks the tree for children: nothing loads behind its back.
  await vscode.commands.executeCommand('workbench.view.explorer');
  await config().update('baseURL', fake.baseUrl, vscode.ConfigurationTarget.Global);
  await config().update('pageSize', options.pageSize ?? 20, vscode.ConfigurationTarget.Global);
  const saved = await vscode.commands.executeCommand<boolean>(InternalCommand.setApiKey, { apiKey: fake.apiKey } satisfies SetApiKeyOptions);
  assert.equal(saved, true, 'the fake key was not accepted');
  await waitFor('the session to use the fake server', () => api.session.client?.baseUrl === fake.baseUrl);
  await waitFor('a fresh, unloaded store', () => api.store.hasSource && !api.store.loaded && !api.store.loading);
  fake.resetRequests();
  fake.clearFaults();
}

export async function disconnect(): Promise<void> {
  await vscode.commands.executeCommand(InternalCommand.clearApiKey);
  for (const key of ['baseURL', 'pageSize', 'largeFileThresholdMB']) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
}

export interface Row {
  readonly node: TreeNode;
  readonly item: vscode.TreeItem;
  readonly label: string;
  /** The batch of a batch row (its label may be the batch's description). */
  readonly batchId?: string;
}

export async function rows(api: BatchesExtensionApi, parent?: TreeNode): Promise<Row[]> {
  const nodes = await api.tree.getChildren(parent);
  return nodes.map((node) => {
    const item = api.tree.getTreeItem(node);
    const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
    return { node, item, label, batchId: node.type === 'batch' ? node.batch.id : undefined };
  });
}

/** Every batch row under every group. */
/**
 * The batch rows in the view's groups: of the connection in use, or of `connection` — with several
 * connections, the groups are under each connection's root row.
 */
export async function batchRows(api: BatchesExtensionApi, connection = api.session.connection.name): Promise<Row[]> {
  const out: Row[] = [];
  for (const group of await sectionRows(api, connection)) if (group.node.type === 'group') out.push(...(await rows(api, group.node)));
  return out;
}

/** The top rows of a connection (the one in use by default): the view's roots, or its root row's children when there are several. */
export async function sectionRows(api: BatchesExtensionApi, connection = api.session.connection.name): Promise<Row[]> {
  const top = await rows(api);
  const root = top.find((r) => r.node.type === 'connection' && r.node.connection === connection);
  return root ? rows(api, root.node) : top;
}

export function listRequests(fake: FakeOpenAI) {
  return fake.requests.filter((r) => r.method === 'GET' && r.path === '/v1/batches');
}

export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

export function openTabsFor(uri: vscode.Uri): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === uri.toString());
}

/** The text of the extension's "OpenAI Batches" log as written so far. */
export async function logText(api: BatchesExtensionApi): Promise<string> {
  const fs = await import('node:fs');
  const path = await import('node:path');
  const dir = api.logUri.fsPath;
  if (!fs.existsSync(dir)) return '';
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.log'))
    .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))
    .join('\n');
}

export async function logLineCount(api: BatchesExtensionApi): Promise<number> {
  return (await logText(api)).split('\n').length - 1;
}

/**
 * The last error logged after line `since` (that starts with `prefix`): `showError` logs the notification's
 * text verbatim, so this is what the user was shown.
 */
export function loggedError(api: BatchesExtensionApi, since: number, prefix = ''): Promise<string> {
  return loggedLine(api, since, 'error', prefix);
}

/** The last line of `level` logged after line `since` that starts with `prefix`, without its log prefix. */
export async function loggedLine(api: BatchesExtensionApi, since: number, level: 'error' | 'warning' | 'info', prefix = ''): Promise<string> {
  const line = await waitFor(`a ${level} "${prefix}…" in the log`, async () =>
    (await logText(api))
      .split('\n')
      .slice(since)
      .reverse()
      .find((l) => l.includes(`[${level}] ${prefix}`)),
  );
  return line.replace(new RegExp(`^.*?\\[${level}\\]\\s*`), '');
}

export interface FakeAccount {
  readonly api: BatchesExtensionApi;
  /** Replaceable within a test that needs another account. */
  fake: FakeOpenAI;
}

/**
 * Registers a suite's hooks: each test gets a fresh fake account, connected the way a user connects
 * (user settings and a stored key), with the view hidden so only the test asks the tree for rows.
 */
export function useFakeAccount(options: { count: number; seed: number; pageSize: number }): FakeAccount {
  const t = {} as { api: BatchesExtensionApi; fake: FakeOpenAI };
  before(async () => {
    t.api = await extensionApi();
  });
  beforeEach(async () => {
    t.fake = await FakeOpenAI.start({ count: options.count, seed: options.seed });
    await connectTo(t.api, t.fake, { pageSize: options.pageSize });
  });
  afterEach(async () => {
    await closeAllEditors();
    await t.fake.close();
  });
  after(() => disconnect());
  return t;
}

/** Answers the quick input `id` after `moves` steps down, as the keyboard does. */
export async function answerAfterMoves(api: BatchesExtensionApi, id: string, moves = 0) {
  const shown = await waitFor(`the "${id}" prompt`, () => (api.prompts.current?.id === id ? api.prompts.current : undefined), 30_000);
  for (let i = 0; i < moves; i++) await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
  await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
  await waitFor(`the "${id}" prompt to be answered`, () => api.prompts.current?.id !== id);
  return shown;
}

/** Filter Batches… as run from the view's title: checks the status `statusMoves` down, no words, the age `ageMoves` down. */
export async function filterBy(api: BatchesExtensionApi, status: string, statusMoves: number, ageMoves: number, statusItems?: (items: readonly string[]) => void): Promise<BatchFilter | undefined> {
  const done = vscode.commands.executeCommand<BatchFilter | undefined>(Command.filterBatches);
  const pick = await waitFor('the status pick', () => (api.prompts.current?.id === 'filterStatuses' ? api.prompts.current : undefined), 30_000);
  assert.equal(pick.title, 'Filter Batches');
  statusItems?.(pick.items ?? []);
  for (let i = 0; i < statusMoves; i++) await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
  await vscode.commands.executeCommand('workbench.action.quickPickManyToggle');
  await waitFor(`${status} checked`, () => api.prompts.current?.selected?.some((s) => s.includes(status)));
  await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
  await answerAfterMoves(api, 'filterText');
  await answerAfterMoves(api, 'filterAge', ageMoves);
  return done;
}
