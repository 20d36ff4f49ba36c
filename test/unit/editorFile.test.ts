import * as assert from 'node:assert/strict';
import { fileDescription } from '../../src/core/batchSummary';
import { FIRST_LINES, isTooLargeForEditor, readFileForEditor } from '../../src/core/editorFile';
import { FileInfoCache } from '../../src/core/fileInfo';
import { FakeOpenAI } from '../fake-openai/server';
import { clientFor } from '../support/clientFor';

const MB = 1024 * 1024;

describe('readFileForEditor', () => {
  let fake: FakeOpenAI;
  beforeEach(async () => {
    fake = await FakeOpenAI.start({ count: 4, seed: 2 });
  });
  afterEach(() => fake.close());

  const contentRequests = () => fake.requests.filter((r) => r.path.endsWith('/content'));

  it('reads the first lines of a 300 MB file and stops the transfer there', async () => {
    fake.addLargeFile('file-huge', 300 * MB);
    const file = await readFileForEditor(clientFor(fake), 'file-huge', 50 * MB, { firstLines: FIRST_LINES });
    assert.equal(file.kind, 'firstLines');
    if (file.kind !== 'firstLines') return;
    assert.equal(file.lines, 1000);
    assert.equal(file.bytes, 300 * MB);
    const lines = file.text.split('\n');
    assert.equal(lines.pop(), '', 'ends after a whole line');
    assert.equal(lines.length, 1000);
    for (const line of lines) assert.equal(typeof JSON.parse(line).custom_id, 'string');
    // The server never finished sending: the request was given up once the lines were in.
    assert.equal(contentRequests().length, 1);
    assert.equal(contentRequests()[0].status, undefined);
  });

  it('stops at the byte cap when lines are huge, keeping whole lines only', async () => {
    fake.addLargeFile('file-wide', 100 * MB, { lineBytes: 300 * 1024 });
    const file = await readFileForEditor(clientFor(fake), 'file-wide', 1 * MB, { firstLines: FIRST_LINES });
    assert.equal(file.kind, 'firstLines');
    if (file.kind !== 'firstLines') return;
    assert.ok(file.lines >= 1 && file.lines < 10, `${file.lines} lines`);
    assert.equal(file.text.split('\n').length - 1, file.lines);
    assert.ok(Buffer.byteLength(file.text) <= 1 * MB);
    assert.equal(contentRequests()[0].status, undefined);
  });

  it('gives a short file whole, counting its last line without a newline', async () => {
    fake.addFile({ meta: { id: 'file-short', object: 'file', bytes: 7, created_at: 1, filename: 'short.jsonl', purpose: 'batch', status: 'processed', expires_at: null, status_details: null }, content: '{}\n{}\n{}' });
    const file = await readFileForEditor(clientFor(fake), 'file-short', 50 * MB, { firstLines: 10 });
    assert.deepEqual(file.kind === 'firstLines' && { text: file.text, lines: file.lines }, { text: '{}\n{}\n{}', lines: 3 });
  });

  it('does not fetch the content of a file above the limit, and asks for its metadata once through the cache', async () => {
    fake.addLargeFile('file-big', 60 * MB);
    const files = new FileInfoCache();
    const client = clientFor(fake);
    const [a, b] = await Promise.all([
      readFileForEditor(client, 'file-big', 50 * MB, { files }),
      readFileForEditor(client, 'file-big', 50 * MB, { files }),
    ]);
    assert.equal(a.kind, 'tooLarge');
    assert.equal(b.kind, 'tooLarge');
    assert.deepEqual(fake.requests.map((r) => r.path), ['/v1/files/file-big']);
  });
});

describe('FileInfoCache', () => {
  let fake: FakeOpenAI;
  beforeEach(async () => {
    fake = await FakeOpenAI.start({ count: 4, seed: 2 });
  });
  afterEach(() => fake.close());

  it('fetches each file once, sharing one request between concurrent callers', async () => {
    const files = new FileInfoCache();
    const client = clientFor(fake);
    const id = fake.batches.find((b) => b.input_file_id)!.input_file_id!;
    const changed: string[] = [];
    files.onDidChange((fileId) => changed.push(fileId));
    files.prefetch(client, [id, id]);
    const [first, second] = await Promise.all([files.load(client, id), files.load(client, id)]);
    assert.equal(first, second);
    await files.load(client, id);
    assert.deepEqual(fake.requests.map((r) => r.path), [`/v1/files/${id}`]);
    assert.equal(files.get(id)?.state, 'ready');
    assert.deepEqual(changed, [id]);
  });

  it('keeps a failure to show it, and fetches again only when asked to retry', async () => {
    const files = new FileInfoCache();
    const client = clientFor(fake);
    const id = fake.batches.find((b) => b.input_file_id)!.input_file_id!;
    fake.fault({ path: `/v1/files/${id}`, fault: { kind: 'status', status: 404 } });
    await assert.rejects(files.load(client, id), (e: { status?: number }) => e.status === 404);
    assert.equal(files.get(id)?.state, 'failed');
    files.prefetch(client, [id]);
    await assert.rejects(files.load(client, id), (e: { status?: number }) => e.status === 404);
    assert.equal(fake.requests.length, 1, 'a failure is not retried behind the user’s back');
    const file = await files.load(client, id, { retry: true });
    assert.equal(file.id, id);
    assert.equal(fake.requests.length, 2);
  });

  it('drops answers for an account it was reset from', async () => {
    const files = new FileInfoCache();
    const id = fake.batches.find((b) => b.input_file_id)!.input_file_id!;
    fake.fault({ path: `/v1/files/${id}`, fault: { kind: 'delay', ms: 200 } });
    const pending = files.load(clientFor(fake), id);
    files.reset();
    await pending;
    assert.equal(files.get(id), undefined);
  });

  it('lets one caller stop waiting without cancelling the shared request', async () => {
    const files = new FileInfoCache();
    const client = clientFor(fake);
    const id = fake.batches.find((b) => b.input_file_id)!.input_file_id!;
    fake.fault({ path: `/v1/files/${id}`, fault: { kind: 'delay', ms: 200 } });
    const controller = new AbortController();
    const impatient = files.load(client, id, { signal: controller.signal });
    const patient = files.load(client, id);
    controller.abort();
    await assert.rejects(impatient, (e: { kind?: string }) => e.kind === 'aborted');
    assert.equal((await patient).id, id);
    assert.equal(fake.requests.length, 1);
  });
});

describe('file rows', () => {
  const now = Date.UTC(2026, 10, 28, 12);
  it('describe a file by size, age and name, and say when it is over the limit', () => {
    const file = { id: 'file-1', filename: 'batch_1_output.jsonl', bytes: 312 * MB, createdAt: now / 1000 - 3 * 86400 };
    assert.equal(fileDescription(file, 50 * MB, now), '312 MB (over 50 MB) · 3d ago · batch_1_output.jsonl');
    assert.equal(fileDescription({ ...file, bytes: 2048 }, 50 * MB, now), '2 KB · 3d ago · batch_1_output.jsonl');
    assert.equal(fileDescription({ id: 'file-2' }, 50 * MB, now), 'size unknown');
    assert.equal(isTooLargeForEditor({}, 50 * MB), true, 'an unknown size is not assumed small');
  });
});
