// The rows, tooltips and menus of batches in the states the happy path misreads; validation errors as
// children that open their lines; usage and cost in tooltips, Show Usage over a selection, the batch JSON
// and the Results view. Against the fake API holding test/fake-openai/terminalStates.ts.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Command, EXTENSION_ID, InternalCommand, Scheme, type CreateBatchOptions } from '../../src/constants';
import type { UsageReport } from '../../src/commands/usageCommand';
import type { BatchesExtensionApi } from '../../src/extension';
import type { TreeNode } from '../../src/views/treeNodes';
import { FakeOpenAI } from '../fake-openai/server';
import { INVALID_LINES, terminalStatesAccount, type TerminalStatesAccount } from '../fake-openai/terminalStates';
import { batchRows, closeAllEditors, connectTo, disconnect, extensionApi, rows, waitFor, type Row } from './support';

type Prices = Record<string, { price_data?: { batch?: { input: number; output: number; cached_input?: number } } }>;

/** The catalogue the extension loads, to price by hand what it should have priced. */
function catalogue(): { models: Prices; source: string } {
  const dist = path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'dist', 'catalogue.js');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { catalogueModels, catalogueSource } = require(dist) as { catalogueModels: Prices; catalogueSource: string };
  return { models: catalogueModels, source: catalogueSource };
}

/** USD at a model's catalogue batch prices; cached input at its price, or the input's. */
function byHand(model: string, input: number, cached: number, output: number): number {
  const p = catalogue().models[model].price_data!.batch!;
  return ((input - cached) * p.input + cached * (p.cached_input ?? p.input) + output * p.output) / 1e6;
}

const close = (a: number | undefined, b: number, what: string) => assert.ok(a !== undefined && Math.abs(a - b) < 1e-9, `${what}: ${a} vs ${b}`);
/** Tooltip Markdown as it reads. */
const plain = (tooltip: vscode.TreeItem['tooltip']) => (typeof tooltip === 'string' ? tooltip : (tooltip?.value ?? '')).replace(/\\(?=\S)/g, '');
const config = () => vscode.workspace.getConfiguration('openaiBatches');
const FINE_TUNE_PRICES = { 'ft:gpt-4o-mini-2024-07-18:acme:*': { input: 0.15, output: 0.6, cachedInput: 0.075 } };

/** The commands of the row's context menu in VS Code's order (groups by name, then by order), as package.json declares them. */
function contextMenu(contextValue: string): string[] {
  const menus = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.menus['view/item/context'] as { command: string; when: string; group: string }[];
  return menus
    .filter((m) => !m.group.startsWith('inline'))
    .filter((m) => {
      const regex = /viewItem =~ \/(.+)\/(?:\s|$)/.exec(m.when)?.[1];
      return regex !== undefined && new RegExp(regex).test(contextValue);
    })
    .map((m) => ({ command: m.command, group: m.group.split('@')[0], order: Number(m.group.split('@')[1] ?? 0) }))
    .sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : a.order - b.order))
    .map((m) => m.command);
}

describe('Truthful batch rows', function () {
  this.timeout(60_000);
  let api: BatchesExtensionApi;
  let fake: FakeOpenAI;
  let account: TerminalStatesAccount;
  const workspaceDir = () => vscode.workspace.workspaceFolders![0].uri.fsPath;

  /** Every batch row, by batch id. */
  async function byId(): Promise<Map<string, Row>> {
    return new Map((await batchRows(api)).map((r) => [r.node.type === 'batch' ? r.node.batch.id : '', r]));
  }
  async function row(id: string): Promise<Row> {
    const found = (await byId()).get(id);
    assert.ok(found, `no row for ${id}`);
    return found;
  }
  const tooltip = async (r: Row) => plain((await api.tree.resolveTreeItem(r.item, r.node)).tooltip);

  before(async () => {
    api = await extensionApi();
  });
  beforeEach(async () => {
    account = terminalStatesAccount();
    fake = await FakeOpenAI.start({ batches: account.batches, files: account.files });
    await connectTo(api, fake);
  });
  afterEach(async () => {
    if (vscode.window.activeTextEditor || vscode.window.visibleTextEditors.length) await closeAllEditors();
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    for (const key of ['label', 'prices', 'largeFileThresholdMB']) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    await closeAllEditors();
    await fake.close();
  });
  after(() => disconnect());

  it('tells each terminal state on its row and in its tooltip', async () => {
    const s = account.states;
    const all = await byId();
    const description = (id: string) => String(all.get(id)!.item.description).replace(/ · [^·]+ ago/, ' · <age>');

    const failed = all.get(s.allFailed.id)!;
    assert.equal(description(s.allFailed.id), 'gpt-4o · chat/completions · 0 of 120 succeeded · <age>');
    assert.equal((failed.item.iconPath as vscode.ThemeIcon).id, 'warning', 'not a success');
    assert.match(failed.item.contextValue!, /\bhas-error no-success\b/);
    assert.match(failed.item.accessibilityInformation!.label, /^batch_all_failed, Completed, no request succeeded, /);
    assert.match(await tooltip(failed), /No request succeeded: every request is in the error file/);

    assert.equal(description(s.expiredPartial.id), 'o3 · chat/completions · 820 of 1,000 done before it expired · <age>');
    assert.match(await tooltip(all.get(s.expiredPartial.id)!), /Its output file has the 820 requests done before it expired: Open Results or Open Output File\./);
    assert.equal(description(s.cancelledPartial.id), 'gpt-3.5-turbo · chat/completions · 300 of 1,000 done before it was cancelled · <age>');
    assert.equal(description(s.expiredNothing.id), 'chat/completions · 0 of 2 done before it expired · <age>');
    assert.match(await tooltip(all.get(s.expiredNothing.id)!), /Nothing was done before it expired: it has no output file\./);

    assert.equal(description(s.finalizingComplete.id), 'gpt-4o · chat/completions · 997/1,000 (3 failed) · writing results · <age>');
    assert.match(await tooltip(all.get(s.finalizingComplete.id)!), /All 1,000 requests are done: it is writing the results, which can take a while\./);
    assert.equal(description(s.pastExpiry.id), 'gpt-4o · chat/completions · 640/1,000 (2 failed) · past its 24h window · <age>');
    assert.match(await tooltip(all.get(s.pastExpiry.id)!), /Its 24h window ended 2h ago, and it is still running/);

    // "" is no file: no has-error flag, no Error File row, nothing fetched for it.
    const empty = all.get(s.emptyStringIds.id)!;
    assert.equal(empty.item.contextValue, 'batch status-completed has-input has-output');
    assert.deepEqual((await rows(api, empty.node)).map((r) => r.label), ['Input File', 'Output File']);
    const running = all.get(s.emptyStringRunning.id)!;
    assert.equal(running.item.collapsibleState, vscode.TreeItemCollapsibleState.None, 'no files: nothing to expand');
    assert.doesNotMatch(running.item.contextValue!, /has-/);
    await waitFor('the file details', () => fake.requests.some((r) => r.path === `/v1/files/${s.emptyStringIds.output_file_id}`));
    const fileRequests = fake.requests.filter((r) => r.path.startsWith('/v1/files'));
    assert.ok(fileRequests.every((r) => /^\/v1\/files\/file-[^/]+$/.test(r.path)), `no request for an empty file id: ${fileRequests.map((r) => r.path).join(', ')}`);
  });

  it('offers Open Error File first when nothing succeeded, and Open Results and Open Output File for partial results', async () => {
    const s = account.states;
    const menu = async (id: string) => contextMenu((await row(id)).item.contextValue!);
    const failed = await menu(s.allFailed.id);
    assert.deepEqual(failed.slice(0, 2), [Command.openErrorFile, Command.openResults]);
    assert.equal(failed.filter((c) => c === Command.openErrorFile).length, 1, 'once');
    for (const id of [s.expiredPartial.id, s.cancelledPartial.id]) {
      const commands = await menu(id);
      assert.equal(commands[0], Command.openResults, id);
      assert.ok(commands.includes(Command.openOutputFile), id);
      assert.ok(commands.indexOf(Command.openOutputFile) < commands.indexOf(Command.openErrorFile), `${id}: the output first`);
    }
    assert.ok((await menu(s.expiredPartial.id)).includes(Command.showUsage));
  });

  it('labels a row with its description, the id beside it, or with the id as the setting says; reveal and ids are unchanged', async () => {
    const id = account.states.described.id;
    const described = await row(id);
    assert.equal(described.label, 'nightly eval of the search ranker');
    assert.match(String(described.item.description), /^ft:gpt-4o-mini-2024-07-18:acme::x1 · chat\/completions · 2 succeeded · .+ ago · batch_described$/);
    assert.equal(described.item.id, `batch:${id}`, 'the stable id is the batch id, whatever the label');
    assert.match(described.item.accessibilityInformation!.label, /^nightly eval of the search ranker, Completed, .*, batch_described$/);
    assert.match(await tooltip(described), /^\*\*batch_described\*\* — Completed/);
    assert.equal((await row(account.states.allFailed.id)).label, account.states.allFailed.id, 'no description: the id');

    await config().update('label', 'id', vscode.ConfigurationTarget.Global);
    await waitFor('rows labelled by id', async () => (await row(id)).label === id);
    assert.doesNotMatch(String((await row(id)).item.description), /batch_described/, 'the id is not said twice');
    await config().update('label', undefined, vscode.ConfigurationTarget.Global);
    await waitFor('rows labelled by description again', async () => (await row(id)).label === 'nightly eval of the search ranker');

    // Revealing a batch by id still finds its row.
    await vscode.commands.executeCommand(Command.showBatch, id);
    await waitFor('the batch selected in the view', () => api.view.selection.some((n) => n.type === 'batch' && n.batch.id === id));
    await vscode.commands.executeCommand('workbench.view.explorer');
  });

  it("lists a failed batch's validation errors as its children; each opens the uploaded input file at its line", async () => {
    const failed = await row(account.states.failedValidation.id);
    const children = await rows(api, failed.node);
    assert.deepEqual(children.map((c) => c.label), [
      'Line 2: This line is not parseable as valid JSON.',
      'Line 5: This line is not parseable as valid JSON.',
      'Enqueued token limit reached for gpt-4o in organization org-abc. Limit: 90,000 enqueued tokens.',
      'Input File',
    ]);
    assert.deepEqual(children.slice(0, 3).map((c) => c.item.description), ['invalid_json_line', 'invalid_json_line', 'token_limit_exceeded']);
    assert.deepEqual(children.slice(0, 3).map((c) => c.item.id), [0, 1, 2].map((i) => `validationError:${account.states.failedValidation.id}:${i}`));
    assert.match(plain(children[1].item.tooltip), /Click to open line 5 of the uploaded input file\./);
    assert.equal(api.tree.getParent(children[0].node)?.type, 'batch');

    const inputId = account.states.failedValidation.input_file_id!;
    const remoteLines = (fake.files.get(inputId)!.content as string).split('\n');
    for (const [i, line] of INVALID_LINES.entries()) {
      const command = children[i].item.command!;
      const editor = await vscode.commands.executeCommand<vscode.TextEditor>(command.command, ...command.arguments!);
      assert.equal(editor.document.uri.scheme, Scheme.file);
      assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), editor.document.uri.toString());
      assert.match(editor.document.uri.path, new RegExp(`^/${inputId}/`));
      assert.equal(editor.selection.start.line, line - 1, `line ${line} is selected`);
      assert.equal(editor.document.getText(editor.selection), remoteLines[line - 1]);
    }
  });

  it('says a remote input file over the size limit is too large instead of opening it for a validation error', async () => {
    // An input of 60 MB, above the 50 MB limit for tabs.
    const server = fake.batches.find((b) => b.id === account.states.failedValidation.id)!;
    server.input_file_id = 'file-in-large';
    fake.addLargeFile('file-in-large', 60 * 1024 * 1024, { purpose: 'batch' });
    const failed = await row(account.states.failedValidation.id);
    const [first] = await rows(api, failed.node);
    const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>(Command.openErrorLine, first.node);
    assert.equal(editor, undefined);
    const inputId = 'file-in-large';
    assert.ok(fake.requests.some((r) => r.path === `/v1/files/${inputId}`), 'its size is checked');
    assert.ok(!fake.requests.some((r) => r.path === `/v1/files/${inputId}/content`), 'its content is not fetched');
    assert.equal(vscode.window.tabGroups.all.flatMap((g) => g.tabs).length, 0, 'no tab');
  });

  it('opens the local file a batch was created from (remembered by Create) at the line of its validation error', async () => {
    const local = path.join(workspaceDir(), 'validate-me.jsonl');
    const lines = Array.from({ length: 6 }, (_, i) => JSON.stringify({ custom_id: `q${i + 1}`, method: 'POST', url: '/v1/chat/completions', body: { model: 'gpt-4o', messages: [{ role: 'user', content: `Line ${i + 1}` }] } }));
    fs.writeFileSync(local, lines.join('\n') + '\n');
    try {
      const [created] = await vscode.commands.executeCommand<{ id: string }[]>(InternalCommand.createBatch, { files: [vscode.Uri.file(local)] } satisfies CreateBatchOptions);
      assert.ok(created, 'created');
      // The server validates it and refuses line 4.
      const server = fake.batches.find((b) => b.id === created.id)!;
      Object.assign(server, { status: 'failed', failed_at: server.created_at + 5, errors: { object: 'list', data: [{ code: 'invalid_url', message: 'The URL provided for this request does not match the batch endpoint.', param: 'url', line: 4 }] } });
      await vscode.commands.executeCommand(Command.refresh);
      const failed = await waitFor('the batch to show as failed', async () => {
        const r = (await byId()).get(created.id);
        return r?.node.type === 'batch' && r.node.batch.status === 'failed' ? r : undefined;
      });
      const [error] = await rows(api, failed.node);
      assert.equal(error.label, 'Line 4: The URL provided for this request does not match the batch endpoint.');
      assert.match(plain(error.item.tooltip), /Click to open line 4 of .*validate-me\.jsonl, the file it was created from\./);
      const editor = await vscode.commands.executeCommand<vscode.TextEditor>(error.item.command!.command, ...error.item.command!.arguments!);
      assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, local, 'the local file, not the uploaded copy');
      assert.equal(editor.selection.start.line, 3);
      assert.equal(editor.document.getText(editor.selection), lines[3]);
      assert.ok(!fake.requests.some((r) => r.path === `/v1/files/${server.input_file_id}/content`), 'the uploaded copy is not fetched');

      // Once the local file is gone, the uploaded copy is what is left.
      await closeAllEditors();
      fs.rmSync(local);
      const remote = await vscode.commands.executeCommand<vscode.TextEditor>(Command.openErrorLine, error.node);
      assert.equal(remote.document.uri.scheme, Scheme.file);
      assert.equal(remote.selection.start.line, 3);
      assert.equal(remote.document.getText(remote.selection), lines[3]);
    } finally {
      fs.rmSync(local, { force: true });
    }
  });

  it('puts the estimated cost and its source in the tooltip, tokens only for a model without a price, and sums each group', async () => {
    const s = account.states;
    const { source } = catalogue();
    const o3 = await tooltip(await row(s.expiredPartial.id));
    const cost = /Est\. cost: \$([\d,]+\.\d\d) — an estimate from (.+?) {2}$/m.exec(o3);
    assert.ok(cost, o3);
    assert.equal(Number(cost[1].replace(/,/g, '')), Math.round(byHand('o3', 1e6, 0, 3e5) * 100) / 100);
    assert.equal(cost[2], `${source}, batch prices`);
    assert.match(o3, /Tokens: 1,000,000 in · 300,000 out · 120,000 reasoning · 1,300,000 total/);
    // The prices setting is a link to it, the only command the tooltip may run.
    const md = (await api.tree.resolveTreeItem((await row(s.described.id)).item, (await row(s.described.id)).node)).tooltip as vscode.MarkdownString;
    assert.match(md.value, /tokens only \(add it to \[openaiBatches\\\.prices\]\(command:workbench\.action\.openSettings\?/);
    assert.deepEqual(md.isTrusted, { enabledCommands: ['workbench.action.openSettings'] });

    // The Completed group sums its batches: tokens, and the cost of those with a price.
    const completed = (await rows(api)).find((r) => r.item.id === 'group:completed')!;
    assert.equal(completed.item.tooltip, undefined, 'built on hover');
    const group = plain((await api.tree.resolveTreeItem(completed.item, completed.node)).tooltip);
    assert.match(group, /^3 completed batches\./);
    assert.match(group, /Tokens of 3 batches: 5,000,000 in · 1,500,000 cached · 900,000 out/);
    const sum = /Est\. cost: \$([\d,]+\.\d\d) for 2 of them — an estimate from/.exec(group);
    assert.ok(sum, group);
    assert.equal(Number(sum[1]), Math.round(byHand('gpt-4o', 2e6, 5e5, 4e5) * 100) / 100);
    assert.match(group, /No price known for ft:gpt-4o-mini-2024-07-18:acme::x1 \(1 batch\): tokens only/);

    // New prices: the tooltips built with the old ones are built again.
    await config().update('prices', FINE_TUNE_PRICES, vscode.ConfigurationTarget.Global);
    const priced = await waitFor('the tooltip with the new prices', async () => {
      const text = await tooltip(await row(s.described.id));
      return /Est\. cost: \$0\.68/.test(text) ? text : undefined;
    });
    assert.match(priced, /Est\. cost: \$0\.68 — an estimate from \[openaiBatches\.prices\]\(command:[^)]+\) "ft:gpt-4o-mini-2024-07-18:acme:\*"/);
  });

  it('sums the usage of the selected batches with Show Usage, as VS Code passes a multi-selection', async () => {
    await config().update('prices', FINE_TUNE_PRICES, vscode.ConfigurationTarget.Global);
    const s = account.states;
    const selected = await Promise.all([s.emptyStringIds, s.expiredPartial, s.cancelledPartial, s.described, s.failedValidation].map(async (b) => (await row(b.id)).node));
    const report = await vscode.commands.executeCommand<UsageReport>(Command.showUsage, selected[1], selected);
    assert.deepEqual([...report.batchIds].sort(), [s.emptyStringIds.id, s.expiredPartial.id, s.cancelledPartial.id, s.described.id, s.failedValidation.id].sort());
    const t = report.totals;
    assert.deepEqual([t.batches, t.withUsage, t.input, t.cached, t.output, t.reasoning], [5, 4, 10e6, 1.5e6, 2.2e6, 0.12e6]);
    close(t.cost?.usd, byHand('gpt-4o', 2e6, 5e5, 4e5) + byHand('o3', 1e6, 0, 3e5) + byHand('gpt-3.5-turbo', 4e6, 0, 1e6) + (2e6 * 0.15 + 1e6 * 0.075 + 5e5 * 0.6) / 1e6, 'the sum');
    assert.equal(t.cost?.batches, 4);

    // A right-click on a row outside the selection acts on that row alone.
    const alone = await vscode.commands.executeCommand<UsageReport>(Command.showUsage, (await row(s.allFailed.id)).node, selected);
    assert.deepEqual(alone.batchIds, [s.allFailed.id]);
    // A group row stands for its loaded batches; the palette, for every loaded batch.
    const group = (await rows(api)).find((r) => r.item.id === 'group:completed')!.node as TreeNode;
    assert.deepEqual([...(await vscode.commands.executeCommand<UsageReport>(Command.showUsage, group, [group])).batchIds].sort(), [s.emptyStringIds.id, s.allFailed.id, s.described.id].sort());
    const everything = await vscode.commands.executeCommand<UsageReport>(Command.showUsage);
    assert.equal(everything.batchIds.length, account.batches.length);
  });

  it('gives every other command what it expects when several rows are selected', async () => {
    const s = account.states;
    const a = (await row(s.expiredPartial.id)).node;
    const b = (await row(s.cancelledPartial.id)).node;
    await vscode.commands.executeCommand(Command.copyBatchId, b, [a, b]);
    assert.equal(await vscode.env.clipboard.readText(), s.cancelledPartial.id);
    const output = await vscode.commands.executeCommand<vscode.TextEditor>(Command.openOutputFile, b, [a, b]);
    assert.match(output.document.uri.path, new RegExp(`^/${s.cancelledPartial.output_file_id}/`), 'the row it was run on');
    const json = await vscode.commands.executeCommand<vscode.TextEditor>(Command.openBatchJson, a, [a, b]);
    assert.equal(JSON.parse(json.document.getText()).id, s.expiredPartial.id);
  });

  it("shows a batch's estimated cost above the usage in its JSON, which stays what the server sent", async () => {
    const a = (await row(account.states.expiredPartial.id)).node;
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>(Command.openBatchJson, a);
    const sent = JSON.stringify(JSON.parse(JSON.stringify(account.states.expiredPartial)));
    // A tab of an earlier test's batch of the same id is refreshed in place: wait for this server's copy.
    await waitFor('the batch as this server sent it', () => JSON.stringify(JSON.parse(editor.document.getText())) === sent);
    const lenses = await waitFor('the cost lens', async () => {
      const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri, 10);
      return found.length > 0 && found.every((l) => l.command) ? found : undefined;
    });
    assert.equal(lenses.length, 1);
    assert.match(editor.document.lineAt(lenses[0].range.start.line).text, /^\s*"usage": \{/);
    assert.equal(lenses[0].command!.title, `Estimated cost: $${(Math.round(byHand('o3', 1e6, 0, 3e5) * 100) / 100).toFixed(2)} — an estimate from ${catalogue().source}, batch prices`);
    assert.deepEqual([lenses[0].command!.command, lenses[0].command!.arguments], ['workbench.action.openSettings', ['openaiBatches.prices']]);
  });

  it('shows the estimated cost of the per-request usage in the Results view', async () => {
    const panel = await vscode.commands.executeCommand<{ lastSummary?: { cost?: { usd?: number; pricedResponses: number; sources: string[] } } }>(Command.openResults, (await row(account.states.expiredPartial.id)).node);
    const summary = await waitFor('the results', () => panel.lastSummary, 30_000);
    close(summary.cost?.usd, byHand('o3-2025-04-16', 300, 0, 60), 'three responses of 100 in and 20 out');
    assert.equal(summary.cost?.pricedResponses, 3);
    assert.deepEqual(summary.cost?.sources, [`${catalogue().source}, batch prices`]);
  });
});
