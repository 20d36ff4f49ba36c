// `npm run bench`: the performance figures the README records. Figures, not pass/fail tests: it prints
// a table and, as its last line, one JSON object. Everything runs on loopback against the fake API.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { GroupedBatches } from '../src/core/grouping';
import { batchDescription } from '../src/core/batchSummary';
import { BatchStore } from '../src/core/batchStore';
import { parseBatchPage } from '../src/core/batchPage';
import { downloadFile } from '../src/core/download';
import { silentLogger } from '../src/core/logger';
import { OpenAIClient } from '../src/core/openaiClient';
import { generateDataset } from '../test/fake-openai/dataset';

const ROOT = path.resolve(__dirname, '..', '..');
const DOWNLOAD_BYTES = 200 * 1024 * 1024;
const RUNS = 3;
const KEY = 'sk-bench-0123456789abcdef';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x: number, digits = 2) => Number(x.toFixed(digits));

function bundleKB(): number {
  execFileSync(process.execPath, ['esbuild.js', '--production'], { cwd: ROOT, stdio: 'ignore' });
  return round(fs.statSync(path.join(ROOT, 'dist', 'extension.js')).size / 1024, 1);
}

/** Parse + store + grouping + row descriptions per page of 100, loading 10,000 batches; no network. */
async function perPageMs(): Promise<number> {
  const { batches } = generateDataset({ count: 10_000, seed: 42 });
  const pages = new Map<string, string>();
  for (let i = 0; i < batches.length; i += 100) {
    const data = batches.slice(i, i + 100);
    pages.set(i === 0 ? '' : batches[i - 1].id, JSON.stringify({ object: 'list', data, first_id: data[0].id, last_id: data[data.length - 1].id, has_more: i + 100 < batches.length }));
  }
  const source = {
    listBatches: async ({ after }: { after?: string }) => parseBatchPage(JSON.parse(pages.get(after ?? '')!))!,
  };
  const collapsed = new Set(['completed', 'expired', 'cancelled']);
  const store = new BatchStore(source, () => 100, silentLogger);
  const grouped = new GroupedBatches(store); // as the tree keeps them
  let rendered = 0;
  const started = performance.now();
  for (let page = 0; page < 100; page++) {
    await store.loadMore();
    // What a re-render asks for: the groups, then every row of the groups that start expanded.
    for (const group of grouped.current) {
      if (collapsed.has(group.status)) continue;
      for (const b of group.batches) rendered += batchDescription(b).length;
    }
  }
  const elapsed = performance.now() - started;
  if (store.batches.length !== 10_000 || rendered === 0) throw new Error('perPageMs: the store did not load everything');
  return round(elapsed / 100, 3);
}

/** The fake API in its own process, so the client being measured does not share a core with it. */
async function startFakeServer(): Promise<{ baseUrl: string; process: ChildProcess }> {
  const script = `
    const { FakeOpenAI } = require(${JSON.stringify(path.join(ROOT, 'out', 'test', 'fake-openai', 'server.js'))});
    FakeOpenAI.start({ apiKey: ${JSON.stringify(KEY)} }).then((f) => { f.addLargeFile('file-bench', ${DOWNLOAD_BYTES}); console.log(f.baseUrl); });`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const baseUrl = await new Promise<string>((resolve, reject) => {
    child.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim()));
    child.once('exit', (code) => reject(new Error(`the fake API exited (${code})`)));
  });
  return { baseUrl, process: child };
}

async function download(): Promise<{ downloadVsCurl: number; downloadRssMB: number; extensionS: number; curlS: number }> {
  const { baseUrl, process: server } = await startFakeServer();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
  try {
    const url = `${baseUrl}/files/file-bench/content`;
    const curl = () => {
      const t = performance.now();
      execFileSync('curl', ['-sS', '--fail', '-o', path.join(dir, 'curl.jsonl'), '-H', `Authorization: Bearer ${KEY}`, url]);
      return (performance.now() - t) / 1000;
    };
    const client = new OpenAIClient({ connection: { baseUrl, apiKey: KEY, keySource: 'environment' }, timeoutMs: 60_000, log: silentLogger });
    const target = path.join(dir, 'extension.jsonl');
    let peakGrowth = 0;
    const extension = async () => {
      const baseline = process.memoryUsage().rss;
      const sampler = setInterval(() => (peakGrowth = Math.max(peakGrowth, process.memoryUsage().rss - baseline)), 10);
      const t = performance.now();
      const bytes = await downloadFile(client, 'file-bench', target, { expectedBytes: DOWNLOAD_BYTES, onProgress: () => undefined });
      clearInterval(sampler);
      if (bytes !== DOWNLOAD_BYTES) throw new Error('short download');
      return (performance.now() - t) / 1000;
    };
    curl();
    await extension(); // warm-up both: connection setup, page cache
    const curlTimes: number[] = [];
    const extensionTimes: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      curlTimes.push(curl());
      extensionTimes.push(await extension());
    }
    const curlS = median(curlTimes);
    const extensionS = median(extensionTimes);
    return { downloadVsCurl: round(extensionS / curlS), downloadRssMB: round(peakGrowth / 1024 / 1024, 1), extensionS: round(extensionS, 3), curlS: round(curlS, 3) };
  } finally {
    server.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Activation in the offline VS Code harness: one fresh extension host per run. */
function activation(): { activateMs: number; activateWallMs: number } {
  const runs: number[] = [];
  const walls: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const out = execFileSync(process.execPath, [path.join(ROOT, 'out', 'test', 'harness', 'runIntegration.js')], {
      cwd: ROOT,
      env: { ...process.env, INTEGRATION_TESTS_ENTRY: path.join(ROOT, 'out', 'test', 'bench', 'activation') },
      encoding: 'utf8',
    });
    const m = /BENCH activateMs=([\d.]+) activateWallMs=([\d.]+)/.exec(out);
    if (!m) throw new Error(`no activation figure in the harness output:\n${out}`);
    runs.push(Number(m[1]));
    walls.push(Number(m[2]));
  }
  return { activateMs: round(median(runs)), activateWallMs: round(median(walls)) };
}

async function main(): Promise<void> {
  const figures = { bundleKB: bundleKB(), perPageMs: await perPageMs(), ...(await download()), ...activation() };
  const targets: Record<string, string> = { downloadVsCurl: '≤ 1.25', downloadRssMB: '≤ 50', perPageMs: '≤ 2', bundleKB: '≤ 150', activateMs: '≤ 10' };
  console.log(`\nMachine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}\n`);
  console.log('figure          value      target');
  for (const [name, target] of Object.entries(targets)) console.log(`${name.padEnd(15)} ${String(figures[name as keyof typeof figures]).padEnd(10)} ${target}`);
  console.log(`(download: extension ${figures.extensionS} s, curl ${figures.curlS} s for ${DOWNLOAD_BYTES / 2 ** 20} MB, median of ${RUNS})`);
  console.log(`(activation: activate() ${figures.activateMs} ms; ${figures.activateWallMs} ms from ext.activate() to its result, bundle load and VS Code's own work included)\n`);
  console.log(JSON.stringify({ downloadVsCurl: figures.downloadVsCurl, downloadRssMB: figures.downloadRssMB, perPageMs: figures.perPageMs, bundleKB: figures.bundleKB, activateMs: figures.activateMs }));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
