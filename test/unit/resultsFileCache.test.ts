import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApiError } from '../../src/core/apiError';
import { cacheFileName, ResultsFileCache, STALE_PART_MS } from '../../src/core/results/fileCache';
import { FakeOpenAI } from '../fake-openai/server';
import { clientFor, RecordingLogger } from '../support/clientFor';

const MB = 1024 * 1024;

describe('ResultsFileCache against the fake API', function () {
  this.timeout(60_000);
  let fake: FakeOpenAI;
  let dir: string;
  let cap: number;
  let log: RecordingLogger;
  const NS = 'http://127.0.0.1/v1#account-a';

  before(async () => {
    fake = await FakeOpenAI.start();
    for (const id of ['file-a', 'file-b', 'file-c', 'file-d']) fake.addLargeFile(id, 2 * MB);
    fake.addLargeFile('file-big', 24 * MB);
  });
  after(() => fake.close());
  beforeEach(() => {
    fake.clearFaults();
    fake.resetRequests();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cache-'));
    cap = 100 * MB;
    log = new RecordingLogger();
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const newCache = () => new ResultsFileCache({ dir, capBytes: () => cap, log });
  const contentRequests = (id: string) => fake.requests.filter((r) => r.path === `/v1/files/${id}/content`).length;
  const listing = () => fs.readdirSync(dir).sort();
  const fileFor = (id: string, namespace = NS) => path.join(dir, cacheFileName(namespace, id));
  /** Sets when a cached file was last used. */
  const usedAgo = (id: string, minutes: number) => {
    const t = new Date(Date.now() - minutes * 60_000);
    fs.utimesSync(fileFor(id), t, t);
  };

  it('downloads a file once, verified; the next ensure makes no request at all', async () => {
    const cache = newCache();
    const client = clientFor(fake);
    const progress: [number, number | undefined][] = [];
    const first = await cache.ensure(NS, 'file-a', client, { onProgress: (r, t) => progress.push([r, t]) });
    assert.equal(first.bytes, 2 * MB);
    assert.equal(fs.statSync(first.path).size, 2 * MB);
    assert.deepEqual(progress[progress.length - 1], [2 * MB, 2 * MB]);
    assert.deepEqual(
      fake.requests.map((r) => r.path),
      ['/v1/files/file-a', '/v1/files/file-a/content'],
    );
    first.release();
    fake.resetRequests();
    const again = await cache.ensure(NS, 'file-a', client);
    assert.equal(again.path, first.path);
    assert.deepEqual(fake.requests, [], 'served from disk');
    again.release();
  });

  it('shares one download between concurrent callers', async () => {
    const cache = newCache();
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => cache.ensure(NS, 'file-b', clientFor(fake))));
    assert.equal(contentRequests('file-b'), 1);
    assert.equal(a.path, b.path);
    assert.equal(b.path, c.path);
  });

  it('keeps one copy per namespace: the same id under two accounts is two files', async () => {
    const cache = newCache();
    const one = await cache.ensure(NS, 'file-a', clientFor(fake));
    const two = await cache.ensure('http://127.0.0.1/v1#account-b', 'file-a', clientFor(fake));
    assert.notEqual(one.path, two.path);
    assert.equal(contentRequests('file-a'), 2);
  });

  it('evicts the least recently used files after a download, never a leased one', async () => {
    const cache = newCache();
    const client = clientFor(fake);
    for (const id of ['file-a', 'file-b', 'file-c']) (await cache.ensure(NS, id, client)).release();
    usedAgo('file-a', 30);
    usedAgo('file-b', 20);
    usedAgo('file-c', 10);
    // Using a file makes it recent again: now b is the least recently used.
    const a = await cache.ensure(NS, 'file-a', client);
    a.release();
    assert.ok(fs.statSync(fileFor('file-a')).mtimeMs > Date.now() - 60_000);
    cap = 7 * MB; // room for three of the four
    const d = await cache.ensure(NS, 'file-d', client);
    assert.deepEqual(listing(), [fileFor('file-a'), fileFor('file-c'), fileFor('file-d')].map((p) => path.basename(p)).sort());
    assert.ok(log.lines.some((l) => l.includes('evicted file-b')));

    // Held files stay, even over the cap: c is the oldest now, but it is leased.
    const c = await cache.ensure(NS, 'file-c', clientFor(fake));
    usedAgo('file-c', 60);
    cap = 3 * MB;
    const b = await cache.ensure(NS, 'file-b', client);
    assert.deepEqual(listing(), [fileFor('file-b'), fileFor('file-c'), fileFor('file-d')].map((p) => path.basename(p)).sort());
    for (const lease of [b, c, d]) lease.release();
  });

  it('leaves nothing when a download breaks, or the file is gone', async () => {
    const cache = newCache();
    fake.fault({ path: /\/files\/file-big\/content$/, fault: { kind: 'resetMidBody' } });
    await assert.rejects(cache.ensure(NS, 'file-big', clientFor(fake)), (e: ApiError) => e.kind === 'connection');
    assert.deepEqual(listing(), []);
    await assert.rejects(cache.ensure(NS, 'file-nope', clientFor(fake)), (e: ApiError) => e.status === 404 && /No such File object: file-nope/.test(e.message));
    assert.deepEqual(listing(), []);
    // And the next try starts afresh.
    const ok = await cache.ensure(NS, 'file-big', clientFor(fake));
    assert.equal(fs.statSync(ok.path).size, 24 * MB);
  });

  it('lets one caller cancel without stopping the others; when all cancel, the download stops', async () => {
    const cache = newCache();
    const quitter = new AbortController();
    const stayer = cache.ensure(NS, 'file-big', clientFor(fake));
    const leaving = cache.ensure(NS, 'file-big', clientFor(fake), { signal: quitter.signal, onProgress: (r) => r > MB && quitter.abort() });
    await assert.rejects(leaving, (e: ApiError) => e.isAborted);
    assert.equal((await stayer).bytes, 24 * MB);
    assert.equal(contentRequests('file-big'), 1);

    fs.rmSync(fileFor('file-big'));
    const all = new AbortController();
    const pending = [1, 2].map(() => cache.ensure(NS, 'file-big', clientFor(fake), { signal: all.signal, onProgress: (r) => r > MB && all.abort() }));
    for (const p of pending) await assert.rejects(p, (e: ApiError) => e.isAborted);
    const deadline = Date.now() + 10_000;
    while (fs.readdirSync(dir).some((f) => f.endsWith('.part')) && Date.now() < deadline) await new Promise((r) => setImmediate(r));
    assert.deepEqual(listing(), []);
  });

  it('survives a restart: reuses what was downloaded, removes temporary files a crash left behind', async () => {
    (await newCache().ensure(NS, 'file-a', clientFor(fake))).release();
    const stale = path.join(dir, `.${cacheFileName(NS, 'file-c')}.dead.part`);
    const live = path.join(dir, `.${cacheFileName(NS, 'file-d')}.live.part`);
    fs.writeFileSync(stale, 'half a file');
    fs.writeFileSync(live, 'another window is writing this');
    const old = new Date(Date.now() - STALE_PART_MS - 60_000);
    fs.utimesSync(stale, old, old);
    fake.resetRequests();

    const restarted = newCache();
    const a = await restarted.ensure(NS, 'file-a', clientFor(fake));
    assert.deepEqual(fake.requests, []);
    assert.equal(fs.existsSync(stale), false);
    assert.equal(fs.existsSync(live), true, 'a recent temporary file may be a live download elsewhere');
    // A temporary file is never taken for the file itself.
    fs.rmSync(live);
    fs.writeFileSync(path.join(dir, `.${cacheFileName(NS, 'file-c')}.x.part`), 'partial');
    const c = await restarted.ensure(NS, 'file-c', clientFor(fake));
    assert.equal(fs.statSync(c.path).size, 2 * MB);
    a.release();
    c.release();
  });

  it('clears every file not in use, and says what it removed', async () => {
    const cache = newCache();
    const client = clientFor(fake);
    (await cache.ensure(NS, 'file-a', client)).release();
    (await cache.ensure(NS, 'file-b', client)).release();
    const held = await cache.ensure(NS, 'file-c', client);
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not ours');
    assert.deepEqual(await cache.clear(), { files: 2, bytes: 4 * MB });
    assert.deepEqual(listing(), [path.basename(held.path), 'notes.txt'].sort());
    held.release();
    held.release(); // twice is harmless
    assert.deepEqual(await cache.clear(), { files: 1, bytes: 2 * MB });
  });

  it('carries on when its directory is deleted under it', async () => {
    const cache = newCache();
    (await cache.ensure(NS, 'file-a', clientFor(fake))).release();
    fs.rmSync(dir, { recursive: true, force: true });
    assert.deepEqual(await cache.clear(), { files: 0, bytes: 0 });
    const again = await cache.ensure(NS, 'file-a', clientFor(fake));
    assert.equal(fs.statSync(again.path).size, 2 * MB);
    again.release();
  });

  it('names files after the id, distinct per namespace, safe for any id', () => {
    assert.match(cacheFileName('ns', 'file-abc'), /^file-abc-[0-9a-f]{16}\.jsonl$/);
    assert.notEqual(cacheFileName('ns1', 'file-abc'), cacheFileName('ns2', 'file-abc'));
    assert.match(cacheFileName('ns', '../../etc/passwd'), /^_etc_passwd-[0-9a-f]{16}\.jsonl$/);
  });
});
