import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Command, CONFIG_SECTION, InternalCommand, type CancelOptions, type CreateBatchOptions, type DownloadOptions } from '../../src/constants';
import type { BatchesExtensionApi } from '../../src/extension';
import { contentChunks } from '../fake-openai/dataset';
import { FakeOpenAI, type Fault, type RecordedRequest } from '../fake-openai/server';
import { batchRows, closeAllEditors, connectTo, disconnect, extensionApi, logLineCount, loggedError, rows, waitFor, loggedLine } from './support';

/**
 * Every fault on every operation, against the fake API. The fault is put on the one request (method and
 * path) the operation is about, and only those requests are counted. Each cell must end in what its row
 * says: retried (the faulted request was sent again, that retry succeeded and what is shown is complete),
 * a clear error with nothing lost and nothing half-made, paging that ends, or no effect at all. POSTs are
 * never retried. The matrix is printed as a table.
 */

type Expect = 'recovers' | 'error' | 'ends paging' | 'unaffected';

/** What the operation does with the faulted request: list pages, a JSON object, a file's content, or a write. */
type RequestKind = 'list' | 'json' | 'content' | 'post';

interface Operation {
  readonly name: string;
  readonly method: 'GET' | 'POST';
  readonly kind: RequestKind;
  /** Runs unseen (the live-status poll): a failure keeps what was loaded and is a warning in the log, not a notification. */
  readonly background?: boolean;
  /** Loads what the operation needs and says which path to fault; `run` then performs it and checks the result. */
  setup(): Promise<{ path: string; run(expect: Expect): Promise<Outcome> }>;
}

/** `ok`: the operation did what it is for (and what it shows was checked); otherwise `detail` is the error. */
type Outcome = { ok: boolean; detail: string };

interface FaultCase {
  readonly name: string;
  readonly fault: Fault;
  readonly times: number;
  /** What each operation must end in. */
  readonly expect: (op: Operation) => Expect;
  /** Text the error must contain (the status, or the reason). */
  readonly mentions?: (op: Operation) => RegExp;
  /** A GET that ends in this error was tried three times (two retries); anything else once. */
  readonly retried?: (op: Operation) => boolean;
}

const QUOTA = { error: { message: 'You exceeded your current quota, please check your plan and billing details.', type: 'insufficient_quota', param: null, code: 'insufficient_quota' } };
/** A transient failure: a GET retries it, a POST reports it. */
const transient = (op: Operation): Expect => (op.method === 'POST' ? 'error' : 'recovers');
const listOnly = (op: Operation): Expect => (op.kind === 'list' ? 'ends paging' : 'unaffected');
const always = (re: RegExp) => () => re;
const yes = () => true;

const FAULTS: FaultCase[] = [
  { name: '429 + retry-after', fault: { kind: 'status', status: 429, headers: { 'retry-after': '1' } }, times: 1, expect: transient, mentions: always(/HTTP 429/) },
  { name: '429 quota', fault: { kind: 'status', status: 429, body: QUOTA }, times: 1, expect: () => 'error', mentions: always(/quota.*HTTP 429/) },
  { name: '500 once', fault: { kind: 'status', status: 500 }, times: 1, expect: transient, mentions: always(/HTTP 500/) },
  { name: '500 always', fault: { kind: 'status', status: 500 }, times: Infinity, expect: () => 'error', mentions: always(/HTTP 500, request ID req_/), retried: yes },
  { name: '503 once', fault: { kind: 'status', status: 503 }, times: 1, expect: transient, mentions: always(/HTTP 503/) },
  { name: 'HTML 502', fault: { kind: 'html', status: 502 }, times: Infinity, expect: () => 'error', mentions: always(/502 Bad Gateway with an HTML page/), retried: yes },
  { name: 'connection reset', fault: { kind: 'reset' }, times: 1, expect: transient, mentions: always(/Can't reach the API at 127\.0\.0\.1:\d+ \(connection reset\)/) },
  {
    name: 'cut mid-body',
    fault: { kind: 'resetMidBody' },
    times: 1,
    // A JSON answer is read whole before use, so it can be asked for again; a file's content is not retried once bytes flow.
    expect: (op) => (op.kind === 'content' || op.method === 'POST' ? 'error' : 'recovers'),
    mentions: (op) => (op.kind === 'content' ? /connection to 127\.0\.0\.1:\d+ broke after \d+ bytes \(connection reset\)/ : /Can't reach the API at 127\.0\.0\.1:\d+ \(connection (reset|closed early)\)/),
  },
  { name: 'slow past timeout', fault: { kind: 'delay', ms: 2_500 }, times: Infinity, expect: () => 'error', mentions: always(/timed out after 1 s/), retried: yes },
  {
    name: 'malformed JSON',
    fault: { kind: 'malformedJson' },
    times: 1,
    expect: () => 'error',
    // For a file's content: complete by its headers, but half the file.
    mentions: (op) => (op.kind === 'content' ? /received \d+ of \d+ bytes/ : /not valid JSON \(HTTP 200\)/),
  },
  { name: '401', fault: { kind: 'status', status: 401 }, times: 1, expect: () => 'error', mentions: always(/API key was rejected.*HTTP 401/) },
  { name: '403', fault: { kind: 'status', status: 403 }, times: 1, expect: () => 'error', mentions: always(/HTTP 403/) },
  { name: '404', fault: { kind: 'status', status: 404 }, times: 1, expect: () => 'error', mentions: always(/HTTP 404/) },
  { name: 'empty page, has_more', fault: { kind: 'emptyPageHasMore' }, times: Infinity, expect: listOnly },
  // The first page has no cursor to get stuck on; the next one does.
  { name: 'cursor stuck', fault: { kind: 'stuckCursor' }, times: Infinity, expect: (op) => (op.name === 'First page' ? 'unaffected' : listOnly(op)) },
];

/** `HTTP 500, req_3f88…` or the start of the sentence: enough to read the table. */
function summarize(detail: string): string {
  const m = /\((HTTP \d+)(?:, request ID (req_\w{6}))?/.exec(detail);
  if (m) return m[2] ? `${m[1]}, ${m[2]}…` : m[1];
  const sentence = detail.replace(/^(Could not [\w ]+|The download failed|Could not refresh \S+): /, '');
  return sentence.length > 40 ? `${sentence.slice(0, 40)}…` : sentence;
}

const PAGE = 10;
const sameIds = (shown: string[], expected: string[], what: string) => {
  assert.equal(new Set(shown).size, shown.length, `${what}: no batch twice`);
  assert.deepEqual([...shown].sort(), [...expected].sort(), what);
};

describe('Fault matrix', function () {
  this.timeout(300_000);
  let api: BatchesExtensionApi;
  let fake: FakeOpenAI;
  let dir: string;
  const table: string[][] = [];
  const config = () => vscode.workspace.getConfiguration(CONFIG_SECTION);

  before(async () => {
    api = await extensionApi();
    await config().update('requestTimeoutSeconds', 1, vscode.ConfigurationTarget.Global);
  });
  /** What a cell leaves behind (tabs, the fake, its folder) must not reach the next one. */
  async function cleanUp(): Promise<void> {
    await closeAllEditors();
    await fake?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }
  afterEach(cleanUp);
  after(async () => {
    await config().update('requestTimeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
    await disconnect();
    const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
    const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join(' | ');
    console.log(['', 'Fault matrix (fault × operation → outcome)', line(table[0]), widths.map((w) => '-'.repeat(w)).join('-|-'), ...table.slice(1).map(line), ''].join('\n'));
  });

  async function fresh(): Promise<void> {
    await cleanUp();
    fake = await FakeOpenAI.start({ count: 30, seed: 21 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fault-matrix-'));
    await connectTo(api, fake, { pageSize: PAGE });
  }

  const shownIds = async () => (await batchRows(api)).map((r) => r.batchId ?? r.label);
  const serverIds = (count: number) => fake.batches.slice(0, count).map((b) => b.id);
  const noTabs = () => assert.deepEqual(vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => (t.input instanceof vscode.TabInputText ? t.input.uri.toString() : t.label)), [], 'no half-made tab');
  const loggedWarning = (since: number, prefix: string) => loggedLine(api, since, 'warning', prefix);
  function contentOf(fileId: string): string {
    const content = fake.files.get(fileId)?.content;
    assert.ok(content !== undefined, `${fileId} has its content in the fake`);
    return Buffer.concat([...contentChunks(content)]).toString('utf8');
  }
  /** A loaded batch of the first page that `predicate` accepts. */
  async function loadedBatch(what: string, predicate: (b: BatchesExtensionApi['store']['batches'][number]) => boolean) {
    await rows(api);
    const batch = api.store.batches.find(predicate);
    assert.ok(batch, `the first page has ${what}`);
    return batch;
  }

  const listPath = '/v1/batches';
  const operations: Operation[] = [
    {
      name: 'First page',
      method: 'GET',
      kind: 'list',
      async setup() {
        return {
          path: listPath,
          async run(expect) {
            const root = await rows(api);
            const error = root.find((r) => r.node.type === 'error');
            if (error) {
              assert.deepEqual(await shownIds(), [], 'nothing half-loaded');
              return { ok: false, detail: String(error.item.description ?? error.label) };
            }
            sameIds(await shownIds(), expect === 'ends paging' ? [] : serverIds(PAGE), 'the first page, complete');
            return { ok: true, detail: `${api.store.batches.length} batches` };
          },
        };
      },
    },
    {
      name: 'Load more',
      method: 'GET',
      kind: 'list',
      async setup() {
        await rows(api);
        return {
          path: listPath,
          async run(expect) {
            await vscode.commands.executeCommand(Command.loadMore);
            const root = await rows(api);
            const more = root.find((r) => r.node.type === 'loadMore');
            if (more?.item.description === 'failed — click to retry') {
              sameIds(await shownIds(), serverIds(PAGE), 'the loaded page stays');
              return { ok: false, detail: (more.item.tooltip as vscode.MarkdownString).value.split('\n\n')[1].replace(/\\/g, '') };
            }
            sameIds(await shownIds(), serverIds(expect === 'ends paging' ? PAGE : 2 * PAGE), 'both pages, complete');
            assert.equal(Boolean(more), expect !== 'ends paging', 'Load more stays only while there is more');
            return { ok: true, detail: `${api.store.batches.length} batches${more ? '' : ', paging ended'}` };
          },
        };
      },
    },
    {
      name: 'Refresh',
      method: 'GET',
      kind: 'list',
      async setup() {
        await rows(api);
        await vscode.commands.executeCommand(Command.loadMore);
        assert.equal(api.store.batches.length, 2 * PAGE);
        return {
          path: listPath,
          async run() {
            await vscode.commands.executeCommand(Command.refresh);
            // Whatever happened, what was loaded stays (a failed or cut-short Refresh keeps it).
            sameIds(await shownIds(), serverIds(2 * PAGE), 'the loaded pages, complete');
            const error = (await rows(api)).find((r) => r.node.type === 'error');
            if (error) return { ok: false, detail: String(error.item.description) };
            return { ok: true, detail: `${api.store.batches.length} batches` };
          },
        };
      },
    },
    {
      name: 'Open batch JSON',
      method: 'GET',
      kind: 'json',
      async setup() {
        const batch = await loadedBatch('a batch', () => true);
        return {
          path: `/v1/batches/${batch.id}`,
          async run() {
            const since = await logLineCount(api);
            const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>(Command.openBatchJson, api.tree.nodeFor(batch.id));
            if (!editor) {
              noTabs();
              return { ok: false, detail: await loggedError(api, since, 'Could not open the batch') };
            }
            const server = JSON.parse(JSON.stringify(fake.batches.find((b) => b.id === batch.id))) as unknown;
            assert.deepEqual(JSON.parse(editor.document.getText()), server, "the document is the server's batch");
            return { ok: true, detail: 'opened' };
          },
        };
      },
    },
    {
      name: 'Open file',
      method: 'GET',
      kind: 'content',
      async setup() {
        const batch = await loadedBatch('a batch with an input file', (b) => b.inputFileId !== undefined);
        const fileId = batch.inputFileId!;
        return {
          path: `/v1/files/${fileId}/content`,
          async run() {
            const since = await logLineCount(api);
            const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>(Command.openInputFile, api.tree.nodeFor(batch.id));
            if (!editor) {
              noTabs();
              return { ok: false, detail: await loggedError(api, since, 'Could not open the input file') };
            }
            assert.equal(editor.document.getText(), contentOf(fileId), "the document is the server's file, complete");
            return { ok: true, detail: 'opened' };
          },
        };
      },
    },
    {
      name: 'Download File',
      method: 'GET',
      kind: 'content',
      async setup() {
        const batch = await loadedBatch('a batch with an output file', (b) => b.outputFileId !== undefined);
        const fileId = batch.outputFileId!;
        return {
          path: `/v1/files/${fileId}/content`,
          async run() {
            const target = vscode.Uri.file(path.join(dir, 'output.jsonl'));
            const since = await logLineCount(api);
            const saved = await vscode.commands.executeCommand<vscode.Uri | undefined>(InternalCommand.downloadFile, { batchId: batch.id, kind: 'output', destination: target } satisfies DownloadOptions);
            const left = fs.readdirSync(dir);
            if (!saved) {
              assert.deepEqual(left, [], 'no file, not even a partial one');
              return { ok: false, detail: await loggedError(api, since, 'The download failed') };
            }
            assert.equal(saved.fsPath, target.fsPath);
            assert.deepEqual(left, ['output.jsonl'], 'only the file, no temporary one');
            assert.equal(fs.readFileSync(target.fsPath, 'utf8'), contentOf(fileId), "the file on disk is the server's, complete");
            return { ok: true, detail: `${fs.statSync(target.fsPath).size} bytes saved` };
          },
        };
      },
    },
    {
      name: 'Cancel Batch',
      method: 'POST',
      kind: 'post',
      async setup() {
        const batch = await loadedBatch('a cancellable batch', (b) => ['validating', 'in_progress', 'finalizing'].includes(b.status));
        return {
          path: `/v1/batches/${batch.id}/cancel`,
          async run() {
            const since = await logLineCount(api);
            const done = await vscode.commands.executeCommand<boolean>(InternalCommand.cancelBatch, { batchId: batch.id } satisfies CancelOptions);
            if (!done) {
              assert.equal(api.store.get(batch.id)?.status, batch.status, 'shown as it was');
              return { ok: false, detail: await loggedError(api, since, 'Could not cancel the batch') };
            }
            assert.equal(fake.batches.find((b) => b.id === batch.id)?.status, 'cancelling');
            assert.equal(api.store.get(batch.id)?.status, 'cancelling');
            const group = (await rows(api)).find((r) => r.item.id === 'group:cancelling');
            assert.ok(group && (await rows(api, group.node)).some((r) => r.batchId === batch.id), 'shown under Cancelling');
            return { ok: true, detail: 'cancelling' };
          },
        };
      },
    },
    {
      name: 'Create Batch',
      method: 'POST',
      kind: 'post',
      async setup() {
        const file = path.join(dir, 'requests.jsonl');
        const line = (i: number) => JSON.stringify({ custom_id: `q${i}`, method: 'POST', url: '/v1/embeddings', body: { model: 'text-embedding-3-small', input: `text ${i}` } });
        fs.writeFileSync(file, [0, 1, 2].map(line).join('\n') + '\n');
        return {
          path: listPath,
          async run() {
            const filesBefore = new Set(fake.files.keys());
            const shownBefore = api.store.batches.map((b) => b.id);
            const since = await logLineCount(api);
            const [batch] = await vscode.commands.executeCommand<{ id: string }[]>(InternalCommand.createBatch, { files: [vscode.Uri.file(file)], description: 'fault matrix' } satisfies CreateBatchOptions);
            const writes = fake.requests.filter((r) => r.method !== 'GET');
            const sent = writes.map((r) => `${r.method} ${r.path.replace(/file-[\w-]+/, 'ID')}`);
            const uploaded = [...fake.files.keys()].filter((id) => !filesBefore.has(id));
            if (!batch) {
              assert.deepEqual(sent, ['POST /v1/files', 'POST /v1/batches', 'DELETE /v1/files/ID'], 'the upload, the refused batch, then the upload deleted');
              await waitFor('the deletion to be answered', () => writes[2].status !== undefined);
              assert.equal(writes[2].status, 200);
              assert.deepEqual(uploaded, [], 'no uploaded file is left behind');
              assert.deepEqual(api.store.batches.map((b) => b.id), shownBefore, 'no batch shown that was not created');
              return { ok: false, detail: await loggedError(api, since, 'Could not create the batch') };
            }
            assert.deepEqual(sent, ['POST /v1/files', 'POST /v1/batches']);
            assert.equal(uploaded.length, 1);
            assert.equal(contentOf(uploaded[0]), fs.readFileSync(file, 'utf8'), 'the file reached the server whole');
            const created = fake.batches[0];
            assert.equal(created.id, batch.id);
            assert.equal(created.input_file_id, uploaded[0]);
            assert.equal(created.endpoint, '/v1/embeddings');
            assert.deepEqual(created.metadata, { description: 'fault matrix' });
            assert.equal(api.store.batches[0].id, batch.id, 'shown on top');
            return { ok: true, detail: 'created' };
          },
        };
      },
    },
    {
      name: 'Live status poll',
      method: 'GET',
      kind: 'json',
      background: true,
      async setup() {
        const batch = await loadedBatch('a running batch', (b) => b.status === 'in_progress');
        // The server moves on; only a poll that got through may show it.
        const server = fake.batches.find((b) => b.id === batch.id)!;
        server.status = 'finalizing';
        server.request_counts = { total: 10, completed: 9, failed: 1 };
        return {
          path: `/v1/batches/${batch.id}`,
          async run() {
            const since = await logLineCount(api);
            await api.poller.poll();
            const shown = api.store.get(batch.id);
            assert.ok(shown, 'never dropped');
            if (shown.status === batch.status) {
              assert.deepEqual(shown.requestCounts, batch.requestCounts, 'kept as loaded');
              return { ok: false, detail: await loggedWarning(since, `Could not refresh ${batch.id}`) };
            }
            assert.equal(shown.status, 'finalizing');
            assert.deepEqual(shown.requestCounts, { total: 10, completed: 9, failed: 1 });
            const group = (await rows(api)).find((r) => r.item.id === 'group:finalizing');
            assert.ok(group && (await rows(api, group.node)).some((r) => r.batchId === batch.id), 'shown under Finalizing');
            return { ok: true, detail: 'updated' };
          },
        };
      },
    },
  ];

  /** Waits for the answer to be recorded (the server notes it once sent) and returns its status. */
  const answered = (r: RecordedRequest) => waitFor(`the answer to ${r.method} ${r.path}`, () => r.status ?? false, 2_000);

  table.push(['fault', ...operations.map((o) => o.name)]);
  for (const f of FAULTS) {
    it(f.name, async () => {
      const cells: string[] = [f.name];
      for (const op of operations) {
        await fresh();
        const expect = f.expect(op);
        const cell = await op.setup();
        const from = fake.requests.length;
        const rule = fake.fault({ method: op.method, path: cell.path, times: f.times, fault: f.fault });
        const outcome = await cell.run(expect).catch((e: unknown) => {
          throw new Error(`${f.name} × ${op.name}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
        });
        const where = `${f.name} × ${op.name}: ${outcome.detail}`;
        const hits = fake.requests.slice(from).filter((r) => r.method === op.method && r.path === cell.path);
        assert.ok(rule.fired >= 1, `the fault fired — ${where}`);
        assert.equal(hits[0]?.fault, f.fault.kind, `the first ${op.method} ${cell.path} got the fault — ${where}`);
        if (expect === 'error') {
          assert.equal(outcome.ok, false, `expected a clear error — ${where}`);
          const mentions = f.mentions?.(op);
          if (mentions) assert.match(outcome.detail, mentions, where);
          const attempts = op.method === 'GET' && f.retried?.(op) ? 3 : 1;
          assert.equal(hits.length, attempts, `${attempts} attempt(s) — ${where}`);
          assert.ok(hits.every((h) => h.fault === f.fault.kind), `every attempt got the fault — ${where}`);
          cells.push(`${op.background ? 'kept' : 'clear error'} (${summarize(outcome.detail)})`);
          continue;
        }
        assert.equal(outcome.ok, true, `expected success — ${where}`);
        if (expect === 'recovers') {
          assert.ok(hits.length >= 2, `expected a retry — ${where}`);
          assert.deepEqual(hits[1].query, hits[0].query, `the second request repeats the faulted one — ${where}`);
          assert.equal(hits[1].fault, undefined, where);
          assert.equal(await answered(hits[1]), 200, `the retry succeeded — ${where}`);
          cells.push(`retried, ok (${outcome.detail})`);
        } else if (expect === 'ends paging') {
          assert.equal(api.store.hasMore, false, `paging must end — ${where}`);
          assert.ok(hits.length <= 3, `no request loop (${hits.length}) — ${where}`);
          cells.push(`ends paging (${outcome.detail})`);
        } else {
          assert.equal(hits.length, 1, `nothing retried — ${where}`);
          assert.equal(await answered(hits[0]), 200, where);
          cells.push(`unaffected (${outcome.detail})`);
        }
      }
      table.push(cells);
    });
  }
});
