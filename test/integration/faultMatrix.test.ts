import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { BatchesExtensionApi } from '../../src/extension';
import { FakeOpenAI, type Fault } from '../fake-openai/server';
import { batchRows, closeAllEditors, connectTo, disconnect, extensionApi, listRequests, logText, rows, waitFor } from './support';

/**
 * Every fault on every operation, against the fake API: each cell must end either retried-and-succeeded
 * or in a clear error with what was loaded still there. The matrix is printed as a table.
 */

type Outcome = { ok: boolean; detail: string };
type Expect = 'recovers' | 'error' | 'ends paging' | 'unaffected';

interface FaultCase {
  readonly name: string;
  readonly fault: Fault;
  readonly times: number;
  /** What each operation must end in; list-only faults leave single-object requests alone. */
  readonly expect: Expect | ((op: string) => Expect);
  /** Text the error must contain (the status, or the reason). */
  readonly mentions?: RegExp;
}

const QUOTA = { error: { message: 'You exceeded your current quota, please check your plan and billing details.', type: 'insufficient_quota', param: null, code: 'insufficient_quota' } };
const listOnly = (op: string): Expect => (op === 'Open batch JSON' || op === 'Open file' ? 'unaffected' : 'ends paging');

const FAULTS: FaultCase[] = [
  { name: '429 + retry-after', fault: { kind: 'status', status: 429, headers: { 'retry-after': '1' } }, times: 1, expect: 'recovers' },
  { name: '429 quota', fault: { kind: 'status', status: 429, body: QUOTA }, times: 1, expect: 'error', mentions: /quota.*HTTP 429/ },
  { name: '500 once', fault: { kind: 'status', status: 500 }, times: 1, expect: 'recovers' },
  { name: '500 always', fault: { kind: 'status', status: 500 }, times: Infinity, expect: 'error', mentions: /HTTP 500, request ID req_/ },
  { name: '503 once', fault: { kind: 'status', status: 503 }, times: 1, expect: 'recovers' },
  { name: 'HTML 502', fault: { kind: 'html', status: 502 }, times: Infinity, expect: 'error', mentions: /502 Bad Gateway with an HTML page/ },
  { name: 'connection reset', fault: { kind: 'reset' }, times: 1, expect: 'recovers' },
  { name: 'slow past timeout', fault: { kind: 'delay', ms: 2_500 }, times: Infinity, expect: 'error', mentions: /timed out after 1 s/ },
  { name: 'malformed JSON', fault: { kind: 'malformedJson' }, times: 1, expect: 'error', mentions: /not valid JSON \(HTTP 200\)/ },
  { name: '401', fault: { kind: 'status', status: 401 }, times: 1, expect: 'error', mentions: /API key was rejected.*HTTP 401/ },
  { name: '403', fault: { kind: 'status', status: 403 }, times: 1, expect: 'error', mentions: /HTTP 403/ },
  { name: '404', fault: { kind: 'status', status: 404 }, times: 1, expect: 'error', mentions: /HTTP 404/ },
  { name: 'empty page, has_more', fault: { kind: 'emptyPageHasMore' }, times: Infinity, expect: listOnly },
  // The first page has no cursor to get stuck on; the next one does.
  { name: 'cursor stuck', fault: { kind: 'stuckCursor' }, times: Infinity, expect: (op) => (op === 'First page' ? 'unaffected' : listOnly(op)) },
];

/** `HTTP 500, req_3f88…` or the start of the sentence: enough to read the table. */
function summarize(detail: string): string {
  const m = /\((HTTP \d+)(?:, request ID (req_\w{6}))?/.exec(detail);
  if (m) return m[2] ? `${m[1]}, ${m[2]}…` : m[1];
  const sentence = detail.replace(/^Could not open the [\w ]+: /, '');
  return sentence.length > 40 ? `${sentence.slice(0, 40)}…` : sentence;
}

describe('Fault matrix', function () {
  this.timeout(120_000);
  let api: BatchesExtensionApi;
  let fake: FakeOpenAI;
  const table: string[][] = [];
  const config = () => vscode.workspace.getConfiguration('openaiBatches');

  before(async () => {
    api = await extensionApi();
    await config().update('requestTimeoutSeconds', 1, vscode.ConfigurationTarget.Global);
  });
  afterEach(async () => {
    await closeAllEditors();
    await fake?.close();
  });
  after(async () => {
    await config().update('requestTimeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
    await disconnect();
    const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
    const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join(' | ');
    console.log(['', 'Fault matrix (fault × operation → outcome)', line(table[0]), widths.map((w) => '-'.repeat(w)).join('-|-'), ...table.slice(1).map(line), ''].join('\n'));
  });

  async function fresh(): Promise<void> {
    fake = await FakeOpenAI.start({ count: 30, seed: 21 });
    await connectTo(api, fake, { pageSize: 10 });
  }

  /** The last error the extension reported (the notification text is logged verbatim). */
  async function lastLoggedError(since: number): Promise<string> {
    const text = await waitFor('the error in the log', async () => {
      const lines = (await logText(api)).split('\n').slice(since).filter((l) => l.includes('[error]'));
      return lines.length > 0 ? lines[lines.length - 1] : undefined;
    });
    return text.replace(/^.*\[error\]\s*/, '');
  }
  const logLines = async () => (await logText(api)).split('\n').length - 1;

  const listPath = /^\/v1\/batches$/;
  const operations: { name: string; run: (f: FaultCase) => Promise<Outcome> }[] = [
    {
      name: 'First page',
      async run(f) {
        fake.fault({ path: listPath, times: f.times, fault: f.fault });
        const root = await rows(api);
        const error = root.find((r) => r.node.type === 'error');
        if (error) return { ok: false, detail: String(error.item.description ?? error.label) };
        assert.ok(root.some((r) => r.node.type === 'group') || f.fault.kind === 'emptyPageHasMore');
        return { ok: true, detail: `${(await batchRows(api)).length} batches` };
      },
    },
    {
      name: 'Load more',
      async run(f) {
        await rows(api);
        fake.fault({ path: listPath, times: f.times, fault: f.fault });
        await vscode.commands.executeCommand('openaiBatches.loadMore');
        const root = await rows(api);
        const count = (await batchRows(api)).length;
        assert.ok(count >= 10, 'loaded batches stay');
        const more = root.find((r) => r.node.type === 'loadMore');
        if (more?.item.description === 'failed — click to retry') return { ok: false, detail: (more.item.tooltip as vscode.MarkdownString).value.split('\n\n')[1].replace(/\\/g, '') };
        return { ok: true, detail: `${count} batches${more ? '' : ', paging ended'}` };
      },
    },
    {
      name: 'Refresh',
      async run(f) {
        await rows(api);
        await vscode.commands.executeCommand('openaiBatches.loadMore');
        const before = (await batchRows(api)).map((r) => r.label);
        fake.fault({ path: listPath, times: f.times, fault: f.fault });
        await vscode.commands.executeCommand('openaiBatches.refresh');
        const after = (await batchRows(api)).map((r) => r.label);
        for (const id of before) assert.ok(after.includes(id), `${id} kept after Refresh`);
        const error = (await rows(api)).find((r) => r.node.type === 'error');
        if (error) return { ok: false, detail: String(error.item.description) };
        return { ok: true, detail: `${after.length} batches` };
      },
    },
    {
      name: 'Open batch JSON',
      async run(f) {
        await rows(api);
        const since = await logLines();
        fake.fault({ path: /^\/v1\/batches\/[^/]+$/, times: f.times, fault: f.fault });
        const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>('openaiBatches.openBatchJson', api.store.batches[0].id);
        if (editor) return { ok: true, detail: 'opened' };
        assert.equal(vscode.window.tabGroups.all.flatMap((g) => g.tabs).length, 0, 'no half-made tab');
        return { ok: false, detail: await lastLoggedError(since) };
      },
    },
    {
      name: 'Open file',
      async run(f) {
        await rows(api);
        const batch = api.store.batches.find((b) => b.inputFileId)!;
        const since = await logLines();
        fake.fault({ path: /^\/v1\/files\//, times: f.times, fault: f.fault });
        const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>('openaiBatches.openInputFile', batch.id);
        if (editor) return { ok: true, detail: 'opened' };
        assert.equal(vscode.window.tabGroups.all.flatMap((g) => g.tabs).length, 0, 'no half-made tab');
        return { ok: false, detail: await lastLoggedError(since) };
      },
    },
  ];

  table.push(['fault', ...operations.map((o) => o.name)]);
  for (const f of FAULTS) {
    it(f.name, async () => {
      const cells: string[] = [f.name];
      for (const op of operations) {
        await fresh();
        const expect = typeof f.expect === 'function' ? f.expect(op.name) : f.expect;
        const outcome = await op.run(f);
        const requests = fake.requests.length;
        const where = `${f.name} × ${op.name}: ${outcome.detail}`;
        if (expect === 'error') {
          assert.equal(outcome.ok, false, `expected a clear error — ${where}`);
          if (f.mentions) assert.match(outcome.detail, f.mentions, where);
          cells.push(`clear error (${summarize(outcome.detail)})`);
        } else {
          assert.equal(outcome.ok, true, `expected success — ${where}`);
          if (expect === 'recovers') assert.ok(requests >= 2, `expected a retry — ${where}`);
          if (expect === 'ends paging') {
            assert.equal(api.store.hasMore, false, `paging must end — ${where}`);
            assert.ok(listRequests(fake).length <= 4, `no request loop — ${where}`);
          }
          cells.push(expect === 'recovers' ? `retried, ok (${outcome.detail})` : `${expect} (${outcome.detail})`);
        }
      }
      table.push(cells);
    });
  }
});
