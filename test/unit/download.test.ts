import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApiError } from '../../src/core/apiError';
import { defaultDownloadName, downloadFile, progressReporter } from '../../src/core/download';
import { multipartFromFile } from '../../src/core/multipart';
import { formatBytes } from '../../src/core/format';
import { FakeOpenAI } from '../fake-openai/server';
import { clientFor } from '../support/clientFor';

describe('downloadFile and uploads against the fake API', function () {
  this.timeout(30_000);
  let fake: FakeOpenAI;
  let dir: string;
  const leftovers = () => fs.readdirSync(dir).filter((f) => f.endsWith('.part'));

  before(async () => {
    fake = await FakeOpenAI.start({ count: 5 });
  });
  after(() => fake.close());
  beforeEach(() => {
    fake.clearFaults();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'download-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('streams a large file to disk, byte-exact, reporting progress', async () => {
    const file = fake.addLargeFile('file-big', 20 * 1024 * 1024);
    const target = path.join(dir, 'out.jsonl');
    const seen: number[] = [];
    const bytes = await downloadFile(clientFor(fake), 'file-big', target, { expectedBytes: file.meta.bytes, onProgress: (n) => seen.push(n) });
    assert.equal(bytes, file.meta.bytes);
    assert.equal(fs.statSync(target).size, file.meta.bytes);
    assert.ok(seen.length > 10 && seen[seen.length - 1] === file.meta.bytes);
    assert.deepEqual(leftovers(), []);
  });

  it('says how far a download got, up to the whole file, in increments that add up to 100%', async () => {
    const file = fake.addLargeFile('file-progress', 6 * 1024 * 1024);
    const reports: { message: string; increment: number }[] = [];
    const onProgress = progressReporter(file.meta.bytes, (message, increment) => reports.push({ message, increment }));
    await downloadFile(clientFor(fake), 'file-progress', path.join(dir, 'progress.jsonl'), { expectedBytes: file.meta.bytes, onProgress });
    assert.ok(reports.length >= 2, 'the first chunk and the last byte are reported');
    const total = formatBytes(file.meta.bytes);
    assert.match(reports[0].message, new RegExp(`^[\\d.]+ KB of ${total} \\(\\d+%\\) · [\\d.]+ [KMG]?B/s$`));
    assert.ok(reports[reports.length - 1].message.startsWith(`${total} of ${total} (100%) · `), reports[reports.length - 1].message);
    assert.ok(Math.abs(reports.reduce((sum, r) => sum + r.increment, 0) - 100) < 1e-9);
  });

  it('leaves nothing behind when the connection breaks mid-file', async () => {
    fake.addLargeFile('file-cut', 8 * 1024 * 1024);
    fake.fault({ path: /\/content$/, fault: { kind: 'resetMidBody' } });
    const target = path.join(dir, 'cut.jsonl');
    await assert.rejects(downloadFile(clientFor(fake), 'file-cut', target, { expectedBytes: 8 * 1024 * 1024 }), (e: ApiError) => e.kind === 'connection');
    assert.equal(fs.existsSync(target), false);
    assert.deepEqual(leftovers(), []);
  });

  it('gives up on a transfer that stalls, by an idle timeout rather than a total one', async () => {
    fake.addLargeFile('file-stall', 4 * 1024 * 1024);
    fake.fault({ path: /\/content$/, fault: { kind: 'stallMidBody' } });
    const target = path.join(dir, 'stall.jsonl');
    const client = clientFor(fake, { timeoutMs: 60_000, idleTimeoutMs: 300 });
    await assert.rejects(downloadFile(client, 'file-stall', target, { expectedBytes: 4 * 1024 * 1024 }), (e: ApiError) => e.kind === 'timeout' && /stalled: no data for 0 s after 2097152 bytes/.test(e.message));
    assert.equal(fs.existsSync(target), false);
    assert.deepEqual(leftovers(), []);
  });

  it('refuses a short read against the expected size', async () => {
    fake.addLargeFile('file-short', 1000);
    const target = path.join(dir, 'short.jsonl');
    await assert.rejects(downloadFile(clientFor(fake), 'file-short', target, { expectedBytes: 5000 }), /received 1000 of 5000 bytes/);
    assert.equal(fs.existsSync(target), false);
    assert.deepEqual(leftovers(), []);
  });

  it('stops and cleans up when cancelled', async () => {
    fake.addLargeFile('file-slow', 64 * 1024 * 1024);
    const controller = new AbortController();
    const target = path.join(dir, 'slow.jsonl');
    const pending = downloadFile(clientFor(fake), 'file-slow', target, {
      signal: controller.signal,
      onProgress: (n) => n > 1024 * 1024 && controller.abort(),
    });
    await assert.rejects(pending, (e: ApiError) => e.kind === 'aborted');
    assert.equal(fs.existsSync(target), false);
    assert.deepEqual(leftovers(), []);
  });

  it('names downloads after the batch and the file kind', () => {
    assert.equal(defaultDownloadName('batch_abc', 'output'), 'batch_abc_output.jsonl');
    assert.equal(defaultDownloadName('a/b:c', 'error'), 'a_b_c_error.jsonl');
  });

  it('uploads a file as streamed multipart, then creates and cancels a batch', async () => {
    const file = path.join(dir, 'requests.jsonl');
    const line = (i: number) => JSON.stringify({ custom_id: `r${i}`, method: 'POST', url: '/v1/embeddings', body: { model: 'text-embedding-3-small', input: `text ${i}` } });
    fs.writeFileSync(file, Array.from({ length: 100 }, (_, i) => line(i)).join('\n') + '\n');
    const progress: number[] = [];
    const upload = await multipartFromFile(file, { purpose: 'batch' }, (sent) => progress.push(sent));
    const client = clientFor(fake);
    const uploaded = await client.uploadFile(upload);
    assert.equal(uploaded.bytes, fs.statSync(file).size);
    assert.equal(uploaded.purpose, 'batch');
    assert.equal(uploaded.filename, 'requests.jsonl');
    assert.equal(progress[progress.length - 1], fs.statSync(file).size);
    const stored = fake.files.get(uploaded.id)!;
    assert.equal(stored.content, fs.readFileSync(file, 'utf8'));

    const batch = await client.createBatch({ inputFileId: uploaded.id, endpoint: '/v1/embeddings', metadata: { description: 'unit test' } });
    assert.equal(batch.status, 'validating');
    assert.deepEqual(batch.metadata, { description: 'unit test' });
    assert.equal(fake.batches[0].id, batch.id);

    const cancelled = await client.cancelBatch(batch.id);
    assert.equal(cancelled.status, 'cancelling');
    fake.batches[1] = { ...fake.batches[1], status: 'completed' };
    await assert.rejects(client.cancelBatch(fake.batches[1].id), (e: ApiError) => e.status === 409 && /completed/.test(e.message));
    assert.equal(fake.requests.filter((r) => r.path.endsWith('/cancel')).length, 2, 'a POST is never retried');
  });
});
