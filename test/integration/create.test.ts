import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Command, InternalCommand, type CreateBatchOptions } from '../../src/constants';
import type { BatchesExtensionApi } from '../../src/extension';
import type { FakeOpenAI, RecordedRequest } from '../fake-openai/server';
import { useFakeAccount, waitFor } from './support';

const chat = (id: string, text = `question ${id}`) =>
  JSON.stringify({ custom_id: id, method: 'POST', url: '/v1/chat/completions', body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: text }] } });
const embedding = (id: string) => JSON.stringify({ custom_id: id, method: 'POST', url: '/v1/embeddings', body: { model: 'text-embedding-3-small', input: `text ${id}` } });
const output = (id: string) => JSON.stringify({ id: `batch_req_${id}`, custom_id: id, response: { status_code: 200, request_id: 'req_1', body: {} }, error: null });

/**
 * Waits for the Create flow's quick input `id`, moves down `moves` items as a person would with the
 * arrow key, and accepts what is selected: the same workbench commands the keyboard runs.
 */
async function answer(api: BatchesExtensionApi, id: string, moves = 0): Promise<NonNullable<BatchesExtensionApi['prompts']['current']>> {
  const shown = await waitFor(`the "${id}" prompt`, () => (api.prompts.current?.id === id ? api.prompts.current : undefined));
  for (let i = 0; i < moves; i++) await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
  await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
  await waitFor(`the "${id}" prompt to be answered`, () => api.prompts.current?.id !== id);
  return shown;
}

const posts = (fake: FakeOpenAI) => fake.requests.filter((r) => r.method === 'POST');
const batchRequests = (fake: FakeOpenAI) => posts(fake).filter((r) => r.path === '/v1/batches');
const uploads = (fake: FakeOpenAI) => posts(fake).filter((r) => r.path === '/v1/files');
const bodyOf = (r: RecordedRequest) => r.body as { metadata?: Record<string, unknown>; output_expires_after?: unknown; endpoint: string; input_file_id: string };

describe('Create Batch', function () {
  this.timeout(60_000);
  const t = useFakeAccount({ count: 5, seed: 11, pageSize: 20 });
  let dir: string;
  const write = (name: string, lines: string[]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, lines.join('\n') + '\n');
    return vscode.Uri.file(file);
  };
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'create-'));
  });
  afterEach(async () => {
    // A failed test must not leave its prompt open for the next one.
    if (t.api.prompts.current) await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await vscode.workspace.getConfiguration('openaiBatches').update('prices', undefined, vscode.ConfigurationTarget.Global);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('from the Explorer with one file, (uri, [uri]) as the menu passes them: the defaults give a batch described by its file name', async () => {
    const uri = write('prompts.jsonl', [chat('a'), chat('b'), chat('c')]);
    const done = vscode.commands.executeCommand<{ id: string }[]>(Command.createBatch, uri, [uri]);
    const description = await answer(t.api, 'description');
    assert.equal(description.value, 'prompts.jsonl', 'the description defaults to the file name');
    await answer(t.api, 'outputExpiry');
    await answer(t.api, 'inputExpiry');
    const confirm = await answer(t.api, 'confirm');
    const shown = confirm.items!.join('\n');
    assert.match(confirm.title, /before you pay/);
    assert.match(shown, /Create Batch/);
    assert.match(shown, /within 24 hours/);
    assert.match(shown, /Described "prompts\.jsonl" — kept: results 30 days \(default\), input 30 days \(default\)/);
    assert.match(shown, /prompts\.jsonl — 3 requests · gpt-4o-mini · \/v1\/chat\/completions — ~\d+ input tokens: text counted with o200k_base · tokens only/);
    // gpt-tokenizer's catalogue has no batch price for gpt-4o-mini: tokens only, never a made-up cost.
    assert.match(shown, /No price known for gpt-4o-mini — add it to the openaiBatches\.prices setting/);
    const created = await done;

    assert.equal(created.length, 1);
    assert.deepEqual(posts(t.fake).map((r) => r.path), ['/v1/files', '/v1/batches']);
    assert.deepEqual(uploads(t.fake)[0].fields, { purpose: 'batch' }, 'the API default for the input file');
    const body = bodyOf(batchRequests(t.fake)[0]);
    assert.deepEqual(body.metadata, { description: 'prompts.jsonl' });
    assert.equal(typeof body.metadata?.description, 'string');
    assert.equal(body.output_expires_after, undefined, 'the API default for the results');
    assert.equal(body.endpoint, '/v1/chat/completions');
    assert.equal(t.fake.batches[0].id, created[0].id);
    assert.equal(t.api.store.batches[0].id, created[0].id, 'shown on top');
    assert.equal(t.fake.files.get(body.input_file_id)?.content, fs.readFileSync(uri.fsPath, 'utf8'), 'the file reached the server whole');
  });

  it('from the Explorer with several files: one confirmation, one batch per file, each described by its name', async () => {
    const uris = [write('first.jsonl', [chat('a')]), write('second.jsonl', [embedding('x'), embedding('y')]), write('third.jsonl', [chat('a'), chat('b')])];
    const done = vscode.commands.executeCommand<{ id: string }[]>(Command.createBatch, uris[1], uris);
    const description = await answer(t.api, 'description');
    assert.equal(description.value, '', 'blank: each batch takes its file name');
    assert.match(description.title, /Create 3 Batches/);
    await answer(t.api, 'outputExpiry');
    await answer(t.api, 'inputExpiry');
    const confirm = await answer(t.api, 'confirm');
    const shown = confirm.items!.join('\n');
    assert.match(shown, /Create 3 Batches/);
    assert.match(shown, /first\.jsonl — 1 request · gpt-4o-mini/);
    assert.match(shown, /second\.jsonl — 2 requests · text-embedding-3-small · \/v1\/embeddings · 2 inputs/);
    assert.match(shown, /Described each by its file name/);
    assert.match(shown, /second\.jsonl — .* — ~\d+ input tokens: text counted with cl100k_base/, 'each file counted with its model’s encoding');
    const created = await done;

    assert.equal(created.length, 3);
    assert.equal(t.api.prompts.current, undefined, 'no second confirmation');
    assert.equal(uploads(t.fake).length, 3);
    const bodies = batchRequests(t.fake).map(bodyOf);
    assert.deepEqual(bodies.map((b) => b.metadata), [{ description: 'first.jsonl' }, { description: 'second.jsonl' }, { description: 'third.jsonl' }]);
    assert.deepEqual(bodies.map((b) => b.endpoint), ['/v1/chat/completions', '/v1/embeddings', '/v1/chat/completions']);
    assert.deepEqual(new Set(bodies.map((b) => b.input_file_id)).size, 3, 'each batch has its own upload');
    assert.deepEqual(t.fake.batches.slice(0, 3).map((b) => b.id).reverse(), created.map((b) => b.id));
  });

  it('from an editor title menu, ignores whatever follows the file; closing a prompt sends nothing', async () => {
    const uri = write('prompts.jsonl', [chat('a')]);
    const done = vscode.commands.executeCommand<unknown[]>(Command.createBatch, uri, { groupId: 1, editorIndex: 0 });
    await waitFor('the description prompt', () => t.api.prompts.current?.id === 'description');
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.deepEqual(await done, []);
    assert.deepEqual(posts(t.fake), [], 'nothing uploaded');
  });

  it('from the CodeLens, with chosen options: what reached the server is what was chosen', async () => {
    await vscode.workspace.getConfiguration('openaiBatches').update('prices', { 'gpt-4o-mini': { input: 1.5, output: 6 } }, vscode.ConfigurationTarget.Global);
    const uri = write('lens.jsonl', [chat('a', 'x '.repeat(20_000)), chat('b')]);
    await vscode.window.showTextDocument(uri);
    const lenses = await waitFor('the CodeLens', async () => {
      const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
      return found.find((l) => l.command?.title === 'Create Batch from This File');
    });
    assert.equal(lenses.range.start.line, 0, 'on the first line');
    const done = vscode.commands.executeCommand<{ id: string }[]>(lenses.command!.command, ...(lenses.command!.arguments ?? []));
    await answer(t.api, 'description');
    const output = await answer(t.api, 'outputExpiry', 1);
    assert.deepEqual(output.items?.slice(0, 3), ['Default — the API keeps results 30 days', '1 day', '7 days']);
    await answer(t.api, 'inputExpiry', 2);
    const confirm = await answer(t.api, 'confirm');
    const shown = confirm.items!.join('\n');
    assert.match(shown, /kept: results 1 day, input 7 days/);
    // About 20,000 tokens at the user's $1.50 per 1M: three cents, with the price's source.
    assert.match(shown, /Create Batch — est\. \$0\.0\d for the input/);
    assert.match(shown, /Prices: openaiBatches\.prices "gpt-4o-mini" — input only/);
    const [batch] = await done;

    assert.ok(batch);
    const body = bodyOf(batchRequests(t.fake)[0]);
    assert.deepEqual(body.output_expires_after, { anchor: 'created_at', seconds: 86400 });
    assert.deepEqual(body.metadata, { description: 'lens.jsonl' });
    assert.deepEqual(uploads(t.fake)[0].fields, { purpose: 'batch', 'expires_after[anchor]': 'created_at', 'expires_after[seconds]': String(7 * 86400) });
    const file = t.fake.files.get(body.input_file_id)!;
    assert.equal(file.meta.expires_at, file.meta.created_at + 7 * 86400, 'the server applied the input file’s expiry');
  });

  it('the internal command takes typed options and asks nothing', async () => {
    const uri = write('auto.jsonl', [embedding('a')]);
    const created = await vscode.commands.executeCommand<{ id: string }[]>(InternalCommand.createBatch, {
      files: [uri],
      description: 'nightly',
      outputExpiresAfterSeconds: 3600,
      inputExpiresAfterSeconds: 2 * 86400,
    } satisfies CreateBatchOptions);
    assert.equal(created.length, 1);
    assert.equal(t.api.prompts.current, undefined);
    const body = bodyOf(batchRequests(t.fake)[0]);
    assert.deepEqual(body.metadata, { description: 'nightly' });
    assert.deepEqual(body.output_expires_after, { anchor: 'created_at', seconds: 3600 });
    assert.equal(uploads(t.fake)[0].fields?.['expires_after[seconds]'], String(2 * 86400));
    // Options it cannot use are refused before anything is sent.
    assert.deepEqual(await vscode.commands.executeCommand(InternalCommand.createBatch, { files: [uri], outputExpiresAfterSeconds: 60 }), []);
    assert.deepEqual(await vscode.commands.executeCommand(InternalCommand.createBatch, { files: [uri], description: 42 }), []);
    assert.deepEqual(await vscode.commands.executeCommand(InternalCommand.createBatch, uri), []);
    assert.equal(batchRequests(t.fake).length, 1);
  });

  it('"+" always shows the chooser: never an output file, the active batch input first and selected', async () => {
    const outputFile = write('results_output.jsonl', [output('a'), output('b')]);
    const input = write('requests.jsonl', [chat('a')]);
    await vscode.window.showTextDocument(outputFile);
    let done = vscode.commands.executeCommand(Command.createBatch);
    let chooser = await waitFor('the chooser', () => (t.api.prompts.current?.id === 'chooseFile' ? t.api.prompts.current : undefined));
    assert.ok(!chooser.items!.some((i) => i.includes('results_output.jsonl')), `no output file: ${chooser.items}`);
    assert.match(chooser.items![0], /Browse…/, 'nothing pre-selected but Browse…');
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.deepEqual(await done, []);

    await vscode.window.showTextDocument(input);
    done = vscode.commands.executeCommand(Command.createBatch);
    chooser = await waitFor('the chooser', () => (t.api.prompts.current?.id === 'chooseFile' ? t.api.prompts.current : undefined));
    assert.match(chooser.items![0], /requests\.jsonl — active editor/);
    await answer(t.api, 'chooseFile');
    assert.equal((await answer(t.api, 'description')).value, 'requests.jsonl', 'Enter on the chooser takes the active file');
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.deepEqual(await done, []);
    assert.deepEqual(posts(t.fake), []);
  });

  it('checks a file as it is edited: diagnostics appear on their line and clear when fixed; the status bar shows the estimate', async () => {
    const uri = write('live.jsonl', [chat('a'), chat('b'), chat('c')]);
    const editor = await vscode.window.showTextDocument(uri);
    await waitFor('the status bar item', () => t.api.inputStatus.text?.match(/^\$\(checklist\) 3 requests · gpt-4o-mini · ~\d+ input tokens$/));
    assert.deepEqual(vscode.languages.getDiagnostics(uri), []);

    await editor.edit((e) => e.replace(new vscode.Range(2, 0, 2, editor.document.lineAt(2).text.length), chat('a')));
    const [duplicate] = await waitFor('a diagnostic for the duplicate id', () => {
      const d = vscode.languages.getDiagnostics(uri);
      return d.length > 0 ? d : undefined;
    });
    assert.equal(duplicate.range.start.line, 2);
    assert.match(duplicate.message, /"a" is already used on line 1/);
    assert.match(t.api.inputStatus.text ?? '', /^\$\(error\) 1 problem · 3 requests · gpt-4o-mini$/);

    await editor.edit((e) => e.replace(new vscode.Range(2, 0, 2, editor.document.lineAt(2).text.length), chat('z')));
    await waitFor('the diagnostic to clear', () => vscode.languages.getDiagnostics(uri).length === 0);

    // A price from the setting gives a cost, labelled as an estimate.
    await vscode.workspace.getConfiguration('openaiBatches').update('prices', { 'gpt-4o-mini': { input: 0.075, output: 0.3 } }, vscode.ConfigurationTarget.Global);
    await waitFor('the cost in the status bar', () => /· est\. (\$\d+\.\d\d|< \$0\.01)$/.test(t.api.inputStatus.text ?? ''));

    await editor.edit((e) => e.insert(new vscode.Position(0, 0), '{oops\n'));
    await waitFor('a diagnostic for the broken line', () => vscode.languages.getDiagnostics(uri).some((d) => d.range.start.line === 0));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await waitFor('the diagnostics to clear when the file closes', () => vscode.languages.getDiagnostics(uri).length === 0, 15_000);
    await waitFor('the status bar item to go', () => t.api.inputStatus.text === undefined);
  });

  it('never leaves stale diagnostics: a rejected file, fixed on disk, is checked again', async () => {
    // In the workspace, as a file chosen in the Explorer is.
    const folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const uri = vscode.Uri.file(path.join(folder, `rejected-${Date.now()}.jsonl`));
    fs.writeFileSync(uri.fsPath, [chat('a'), chat('a')].join('\n') + '\n');
    try {
      assert.deepEqual(await vscode.commands.executeCommand(InternalCommand.createBatch, { files: [uri] }), []);
      assert.deepEqual(vscode.languages.getDiagnostics(uri).map((d) => d.range.start.line), [1]);
      assert.deepEqual(posts(t.fake), [], 'nothing uploaded');
      fs.writeFileSync(uri.fsPath, [chat('a'), chat('b')].join('\n') + '\n');
      await waitFor('the diagnostics to clear', () => vscode.languages.getDiagnostics(uri).length === 0, 15_000);
    } finally {
      fs.rmSync(uri.fsPath, { force: true });
    }
  });
});
