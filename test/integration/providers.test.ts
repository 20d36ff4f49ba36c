import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Command, InternalCommand, SECRET_API_KEY, type CancelOptions, type CreateBatchOptions, type DownloadOptions } from '../../src/constants';
import type { BatchesExtensionApi } from '../../src/extension';
import type { ResultsPanel } from '../../src/views/resultsPanel';
import { contentChunks } from '../fake-openai/dataset';
import { AZURE_API_VERSIONS, FakeOpenAI, type FakeMode, type RecordedRequest } from '../fake-openai/server';
import { batchRows, closeAllEditors, connectTo, disconnect, extensionApi, holds, openTabsFor, rows, sectionRows, waitFor } from './support';

const config = () => vscode.workspace.getConfiguration('openaiBatches');

interface Provider {
  readonly title: string;
  readonly mode: FakeMode;
  readonly provider: 'azure' | 'openai-compatible';
  readonly apiVersion?: string;
}

/** Each provider as people set it up: Azure's v1 API, Azure's older api-version paths, an OpenAI-compatible proxy. */
const PROVIDERS: Provider[] = [
  { title: 'Azure OpenAI (v1 paths)', mode: 'azure', provider: 'azure' },
  { title: 'Azure OpenAI (api-version paths)', mode: 'azure', provider: 'azure', apiVersion: AZURE_API_VERSIONS[0] },
  { title: 'OpenAI-compatible (no has_more, upper-case statuses, usage and model left out)', mode: 'compatible', provider: 'openai-compatible' },
];

const PAGE_SIZE = 10;
const COUNT = 30;

/** Switch Connection… as from the view's title menu: the pick starts on the connection in use; `delta` moves from it. */
async function switchTo(api: BatchesExtensionApi, name: string, delta: number): Promise<void> {
  const done = vscode.commands.executeCommand<string | undefined>(Command.switchConnection);
  await waitFor('the connection pick', () => (api.prompts.current?.id === 'connection' ? api.prompts.current : undefined), 30_000);
  for (let i = 0; i < Math.abs(delta); i++) await vscode.commands.executeCommand(delta > 0 ? 'workbench.action.quickOpenSelectNext' : 'workbench.action.quickOpenSelectPrevious');
  await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
  assert.equal(await done, name);
  await waitFor(`the session to use ${name}`, () => api.session.connection.name === name);
}

function fileText(fake: FakeOpenAI, fileId: string): string {
  const file = fake.files.get(fileId);
  assert.ok(file, `the server has ${fileId}`);
  return Buffer.concat([...contentChunks(file.content)]).toString('utf8');
}

for (const [index, p] of PROVIDERS.entries()) {
  describe(`Providers: ${p.title}`, function () {
    this.timeout(90_000);
    const name = 'Provider';
    const key = p.mode === 'azure' ? 'azure-key-5566778899aabbcc' : 'sk-proxy-5566778899aabbcc';
    /** The API's root as the extension must call it: Azure v1, Azure's older paths, or the proxy's /v1. */
    const root = p.mode === 'azure' ? (p.apiVersion ? '/openai' : '/openai/v1') : '/v1';
    let api: BatchesExtensionApi;
    let openai: FakeOpenAI;
    let fake: FakeOpenAI;
    let dir: string;
    const lists = () => fake.requests.filter((r) => r.method === 'GET' && r.path === `${root}/batches`);
    const batchNode = async (id: string) => {
      const row = (await batchRows(api)).find((r) => r.batchId === id);
      assert.ok(row, `a row for ${id}`);
      return row.node;
    };

    before(async () => {
      api = await extensionApi();
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'providers-'));
      openai = await FakeOpenAI.start({ count: 5, seed: 60 });
      // Each provider's account has its own ids.
      fake = await FakeOpenAI.start({ count: COUNT, seed: 61 + index, mode: p.mode, apiKey: key });
      await connectTo(api, openai, { pageSize: PAGE_SIZE });
      // A connection in the user's settings and its key in secret storage, then Switch Connection…
      const entry = { name, provider: p.provider, baseURL: p.mode === 'azure' ? fake.origin : fake.baseUrl, ...(p.apiVersion ? { apiVersion: p.apiVersion } : {}) };
      await config().update('connections', [entry], vscode.ConfigurationTarget.Global);
      await api.session.secrets.store(`${SECRET_API_KEY}.${name}`, key);
      await switchTo(api, name, 1);
      await waitFor('an unloaded store for the provider', () => api.session.state.ok && api.store.hasSource && !api.store.loaded && !api.store.loading);
    });
    afterEach(async () => {
      for (const panel of api.results.all) panel.panel.dispose();
      await closeAllEditors();
    });
    after(async () => {
      if (api.prompts.current) await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      await api.session.secrets.delete(`${SECRET_API_KEY}.${name}`);
      await api.session.useConnection('Default');
      await config().update('connections', undefined, vscode.ConfigurationTarget.Global);
      await disconnect();
      await openai.close();
      await fake.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('loads the first page and groups it by status, whatever case the server spells statuses in', async () => {
      const groups = (await sectionRows(api)).filter((r) => r.node.type === 'group');
      const first = fake.batches.slice(0, PAGE_SIZE);
      const statuses = [...new Set(first.map((b) => b.status))];
      assert.deepEqual(groups.map((g) => g.item.id).sort(), statuses.map((s) => `group:${s}`).sort());
      for (const g of groups) {
        const status = g.item.id!.slice('group:'.length);
        assert.deepEqual((await rows(api, g.node)).map((r) => r.batchId), first.filter((b) => b.status === status).map((b) => b.id));
      }
      // Usage and model may be missing: every row still describes its batch.
      for (const row of await batchRows(api)) {
        const tooltip = (await api.tree.resolveTreeItem(row.item, row.node)).tooltip as vscode.MarkdownString;
        assert.match(tooltip.value, /Requests: /, row.batchId);
      }
      assert.equal((await sectionRows(api)).at(-1)?.label, 'Load More', 'a full first page may have more');
      assert.deepEqual(lists().map((r) => r.query), [{ limit: String(PAGE_SIZE), ...(p.apiVersion ? { 'api-version': p.apiVersion } : {}) }]);
    });

    it('Load More pages to the end and stops: the list requests and their cursors', async () => {
      for (let pages = 0; (await sectionRows(api)).some((r) => r.label === 'Load More'); pages++) {
        assert.ok(pages < COUNT / PAGE_SIZE + 2, 'Load More stops');
        const before = lists().length;
        await vscode.commands.executeCommand(Command.loadMore);
        await waitFor('the page to arrive', () => lists().length > before && !api.store.loading);
      }
      assert.deepEqual((await batchRows(api)).map((r) => r.batchId).sort(), fake.batches.map((b) => b.id).sort());
      // Azure says has_more; the proxy does not, so its full last page costs one more (empty) request.
      const cursors = [undefined, fake.batches[PAGE_SIZE - 1].id, fake.batches[2 * PAGE_SIZE - 1].id, ...(p.mode === 'compatible' ? [fake.batches[COUNT - 1].id] : [])];
      assert.deepEqual(lists().map((r) => r.query.after), cursors);
      await holds('no request after the end', () => lists().length === cursors.length, 300);
    });

    it('Refresh reloads the loaded pages from the top, showing a new batch first and a changed status in its group', async () => {
      const loaded = (await batchRows(api)).map((r) => r.batchId);
      fake.addBatch({ ...fake.batches[0], id: 'batch_provider_new', status: 'validating', output_file_id: null, error_file_id: null });
      const changed = fake.batches.find((b) => b.status === 'completed')!;
      changed.status = 'expired';
      const since = lists().length;
      await vscode.commands.executeCommand(Command.refresh);
      const all = (await batchRows(api)).map((r) => r.batchId);
      assert.deepEqual([...all].sort(), [...loaded, 'batch_provider_new'].sort(), 'everything loaded stays, once');
      assert.equal(api.store.batches[0].id, 'batch_provider_new');
      const expired = (await sectionRows(api)).find((r) => r.item.id === 'group:expired')!;
      assert.ok((await rows(api, expired.node)).some((r) => r.batchId === changed.id));
      // 31 batches now: four pages, the last one short (and, on Azure, has_more false).
      assert.deepEqual(
        lists().slice(since).map((r) => r.query.after),
        [undefined, fake.batches[PAGE_SIZE - 1].id, fake.batches[2 * PAGE_SIZE - 1].id, fake.batches[3 * PAGE_SIZE - 1].id],
      );
    });

    it('opens Batch JSON and the Output File in tabs with what the server has', async () => {
      const batch = fake.batches.find((b) => b.output_file_id)!;
      const node = await batchNode(batch.id);
      const json = await vscode.commands.executeCommand<vscode.TextEditor>(Command.openBatchJson, node);
      const shown = JSON.parse(json.document.getText()) as { id: string; status: string };
      assert.equal(shown.id, batch.id);
      assert.equal(shown.status.toLowerCase(), batch.status);
      assert.equal(api.store.get(batch.id)?.status, batch.status, 'the fresh copy keeps the row in its group');
      assert.equal(openTabsFor(json.document.uri).length, 1);

      const output = (await rows(api, node)).find((r) => r.label === 'Output File')!;
      const editor = await vscode.commands.executeCommand<vscode.TextEditor>(Command.openOutputFile, output.node);
      assert.equal(editor.document.getText(), fileText(fake, batch.output_file_id!));
      assert.equal(openTabsFor(editor.document.uri).length, 1);
      assert.ok(fake.requests.some((r) => r.path === `${root}/files/${batch.output_file_id!}/content`));
    });

    it('Download File… writes the file', async () => {
      const batch = fake.batches.find((b) => b.output_file_id)!;
      const target = vscode.Uri.file(path.join(dir, 'output.jsonl'));
      const saved = await vscode.commands.executeCommand<vscode.Uri | undefined>(InternalCommand.downloadFile, { batchId: batch.id, kind: 'output', destination: target } satisfies DownloadOptions);
      assert.equal(saved?.fsPath, target.fsPath);
      assert.equal(fs.readFileSync(target.fsPath, 'utf8'), fileText(fake, batch.output_file_id!));
    });

    it('Cancel Batch reaches the server and the row moves to Cancelling', async () => {
      const running = fake.batches.find((b) => ['validating', 'in_progress', 'finalizing'].includes(b.status));
      assert.ok(running, 'the account has a running batch');
      const done = await vscode.commands.executeCommand<boolean>(InternalCommand.cancelBatch, { batchId: running.id } satisfies CancelOptions);
      assert.equal(done, true);
      assert.deepEqual(fake.requests.filter((r) => r.method === 'POST').map((r) => [r.path, r.status]), [[`${root}/batches/${running.id}/cancel`, 200]]);
      assert.equal(api.store.get(running.id)?.status, 'cancelling');
      const group = (await sectionRows(api)).find((r) => r.item.id === 'group:cancelling');
      assert.ok(group, 'a Cancelling group');
      assert.ok((await rows(api, group.node)).some((r) => r.batchId === running.id));
    });

    it('Open Results joins the input, output and error files', async () => {
      const batch = fake.batches.find((b) => b.status === 'completed' && b.output_file_id && b.error_file_id);
      assert.ok(batch, 'the account has a finished batch with output and error files');
      const panel = await vscode.commands.executeCommand<ResultsPanel>(Command.openResults, await batchNode(batch.id));
      const summary = await waitFor('the results', () => panel.lastSummary, 30_000);
      assert.equal(summary.batchId, batch.id);
      assert.deepEqual(summary.files.map((f) => f.state), ['loaded', 'loaded', 'loaded']);
      const inputLines = fileText(fake, batch.input_file_id!).split('\n').filter((l) => l.trim() !== '').length;
      assert.equal(summary.total, inputLines);
      assert.equal(summary.outcomes.reduce((n, o) => n + o.count, 0), inputLines);
      assert.ok((summary.outcomes.find((o) => o.outcome === 'succeeded')?.count ?? 0) > 0, 'some succeeded (from the output file)');
      assert.ok((summary.outcomes.find((o) => o.outcome === 'failed')?.count ?? 0) > 0, 'some failed (from the error file)');
    });

    it('Create Batch from JSONL… uploads the file and creates the batch, shown on top', async () => {
      const file = path.join(dir, 'requests.jsonl');
      const line = (i: number) => JSON.stringify({ custom_id: `q${i}`, method: 'POST', url: '/v1/chat/completions', body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: `question ${i}` }] } });
      const text = Array.from({ length: 5 }, (_, i) => line(i)).join('\n') + '\n';
      fs.writeFileSync(file, text);
      const since = fake.requests.length;
      const [batch] = await vscode.commands.executeCommand<{ id: string }[]>(InternalCommand.createBatch, { files: [vscode.Uri.file(file)], description: 'provider test' } satisfies CreateBatchOptions);
      assert.ok(batch, 'a batch was created');
      const posts = fake.requests.slice(since).filter((r) => r.method === 'POST');
      assert.deepEqual(posts.map((r) => [r.path, r.query['api-version'], r.status]), [
        [`${root}/files`, p.apiVersion, 200],
        [`${root}/batches`, p.apiVersion, 200],
      ]);
      assert.equal(fake.batches[0].id, batch.id);
      assert.equal(fileText(fake, fake.batches[0].input_file_id!), text);
      assert.equal(api.store.batches[0].id, batch.id);
      const validating = (await sectionRows(api)).find((r) => r.item.id === 'group:validating');
      assert.ok(validating, 'a Validating group');
      assert.equal((await rows(api, validating.node))[0].batchId, batch.id);
    });

    if (p.mode === 'azure') {
      it("prices a deployment as the model the connection's deployments name, and shows both names in its tooltip", async () => {
        const batch = fake.batches.find((b) => b.status === 'completed' && b.usage && b.model);
        assert.ok(batch, 'the account has a finished batch with usage');
        batch.model = 'contoso-gpt4o';
        await vscode.commands.executeCommand(Command.refresh);
        const tooltip = async () => {
          const row = (await batchRows(api)).find((r) => r.batchId === batch.id);
          if (!row) return '';
          row.item.tooltip = undefined;
          const md = (await api.tree.resolveTreeItem(row.item, row.node)).tooltip as vscode.MarkdownString;
          return md.value.replace(/\\(?=\S)/g, '');
        };
        await waitFor('the deployment without a price', async () => /no price known for contoso-gpt4o/.test(await tooltip()));
        const entry = { ...(config().inspect<Record<string, unknown>[]>('connections')?.globalValue ?? [])[0], deployments: { 'contoso-gpt4o': 'gpt-4o' } };
        await config().update('connections', [entry], vscode.ConfigurationTarget.Global);
        const priced = await waitFor('the deployment priced as gpt-4o', async () => {
          const t = await tooltip();
          return /Model: contoso-gpt4o \(gpt-4o\)/.test(t) && t;
        });
        assert.match(priced, /Est\. cost: \$\d+\.\d\d — an estimate from gpt-tokenizer/);
      });
    }

    it("every request carried this provider's auth header and never another's", () => {
      const all: RecordedRequest[] = fake.requests;
      assert.ok(all.length > 0);
      for (const r of all) {
        const where = `${r.method} ${r.path}`;
        assert.ok(r.path.startsWith(`${root}/`), where);
        assert.equal(r.query['api-version'], p.apiVersion, where);
        if (p.mode === 'azure') {
          assert.equal(r.headers['api-key'], key, where);
          assert.equal(r.headers.authorization, undefined, where);
        } else {
          assert.equal(r.headers.authorization, `Bearer ${key}`, where);
          assert.equal(r.headers['api-key'], undefined, where);
        }
      }
      for (const r of openai.requests) {
        assert.equal(r.headers.authorization, `Bearer ${openai.apiKey}`, `${r.method} ${r.path}`);
        assert.equal(r.headers['api-key'], undefined);
      }
    });
  });
}
