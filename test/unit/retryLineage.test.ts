import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseBatch, type Batch } from '../../src/core/batch';
import { chainFrom, Lineage, retryOf } from '../../src/core/retry/lineage';
import { LINKS_KEY, MAX_LINKS, RetryLinks, type LinkStorage } from '../../src/core/retry/retryLinks';

const batch = (id: string, createdAt: number, parent?: string): Batch => parseBatch({ id, status: 'completed', created_at: createdAt, metadata: parent ? { retry_of: parent } : undefined }).batch!;

describe('lineage of retries', () => {
  it('lists retries oldest first, and a chain in creation order', () => {
    const batches = [batch('r2b', 50, 'r1'), batch('r2a', 40, 'r1'), batch('r1', 30, 'root'), batch('other', 20, 'root'), batch('root', 10), batch('lonely', 5)];
    const lineage = new Lineage(batches);
    assert.deepEqual(lineage.retriesOf('root').map((b) => b.id), ['other', 'r1']);
    assert.deepEqual(lineage.retriesOf('r1').map((b) => b.id), ['r2a', 'r2b']);
    assert.deepEqual(lineage.retriesOf('lonely'), []);
    assert.deepEqual(chainFrom(lineage, batches[4]).map((b) => b.id), ['root', 'other', 'r1', 'r2a', 'r2b']);
    assert.deepEqual(chainFrom(lineage, batches[2]).map((b) => b.id), ['r1', 'r2a', 'r2b']);
    // Created in the same second, a retry of a retry still comes after what it retries, whatever the ids.
    const same = [batch('b_zzz', 100, 'a_first'), batch('b_aaa', 100, 'b_zzz'), batch('a_first', 100)];
    assert.deepEqual(chainFrom(new Lineage(same), same[2]).map((b) => b.id), ['a_first', 'b_zzz', 'b_aaa']);
    assert.equal(lineage.inChain(batches[5]), false);
    assert.equal(lineage.inChain(batches[4]), true);
    assert.equal(lineage.inChain(batches[0]), true);
  });

  it('starts a line at a batch whose first batch is not loaded, and ignores links to itself and circles', () => {
    const orphan = batch('x', 10, 'batch_not_loaded');
    const self = batch('self', 10, 'self');
    const a = batch('a', 10, 'b');
    const b = batch('b', 20, 'a');
    const lineage = new Lineage([orphan, self, a, b]);
    assert.equal(retryOf(orphan), 'batch_not_loaded');
    assert.deepEqual(chainFrom(lineage, orphan).map((x) => x.id), ['x'], 'its first batch is not loaded: its line starts with it');
    assert.equal(retryOf(self), undefined);
    assert.deepEqual(lineage.retriesOf('self'), []);
    assert.deepEqual(lineage.retriesOf('a'), [], 'a circle has no first batch');
    assert.deepEqual(lineage.retriesOf('b'), []);
    assert.deepEqual(chainFrom(lineage, a).map((x) => x.id), ['a'], 'and walking it ends');
  });
});

class MemoryStorage implements LinkStorage {
  readonly values = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.values.get(key) as T | undefined;
  }
  update(key: string, value: unknown): Promise<void> {
    this.values.set(key, JSON.parse(JSON.stringify(value)));
    return Promise.resolve();
  }
}

describe('retry links (file → the batch it retries)', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'links-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('holds while the file is what was written or saved in the editor, and follows a rename', async () => {
    const storage = new MemoryStorage();
    const links = new RetryLinks(storage);
    const file = path.join(dir, 'retry.jsonl');
    fs.writeFileSync(file, '{"custom_id":"a"}\n');
    let changes = 0;
    links.onDidChange(() => changes++);
    await links.remember(file, 'batch_parent');
    assert.equal(await links.parentOf(file), 'batch_parent');
    assert.equal(links.linkedParent(file), 'batch_parent');

    // Reviewed and saved in the editor: still the retry.
    fs.writeFileSync(file, '{"custom_id":"b"}\n');
    void links.saved(file);
    assert.equal(await links.parentOf(file), 'batch_parent', 'the lookup waits for the save to be hashed');

    const moved = path.join(dir, 'renamed.jsonl');
    fs.renameSync(file, moved);
    await links.moved(file, moved);
    assert.equal(await links.parentOf(moved), 'batch_parent');
    assert.equal(links.linkedParent(file), undefined);

    // Changed by something else: no longer known to be that retry.
    fs.writeFileSync(moved, '{"custom_id":"zzz"}\n');
    assert.equal(await links.parentOf(moved), undefined);
    assert.equal(links.linkedParent(moved), undefined, 'forgotten');
    assert.ok(changes >= 4);
    assert.equal(await links.parentOf(path.join(dir, 'never.jsonl')), undefined);
  });

  it('a deleted file is no link; the list keeps the most recent links only', async () => {
    const storage = new MemoryStorage();
    let now = 0;
    const links = new RetryLinks(storage, () => ++now);
    const file = path.join(dir, 'gone.jsonl');
    fs.writeFileSync(file, 'x\n');
    await links.remember(file, 'batch_1');
    fs.rmSync(file);
    assert.equal(await links.parentOf(file), undefined);
    for (let i = 0; i < MAX_LINKS + 5; i++) {
      const f = path.join(dir, `f${i}.jsonl`);
      fs.writeFileSync(f, `${i}\n`);
      await links.remember(f, `batch_${i}`);
    }
    const kept = storage.get<Record<string, unknown>>(LINKS_KEY)!;
    assert.equal(Object.keys(kept).length, MAX_LINKS);
    assert.equal(links.linkedParent(path.join(dir, 'f0.jsonl')), undefined, 'the oldest went first');
    assert.equal(links.linkedParent(path.join(dir, `f${MAX_LINKS + 4}.jsonl`)), `batch_${MAX_LINKS + 4}`);
  });
});
