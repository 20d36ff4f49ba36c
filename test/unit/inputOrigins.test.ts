import * as assert from 'node:assert/strict';
import { changedSince, originOf, withOrigin, type InputOrigin } from '../../src/core/inputOrigins';

const origin = (n: number): InputOrigin => ({ uri: `file:///w/prompts-${n}.jsonl`, bytes: 100 + n, mtimeMs: 1_700_000_000_000 + n, at: 1000 + n });

describe('input origins', () => {
  it('remembers where each uploaded input came from, forgetting the oldest beyond the cap', () => {
    let stored: unknown = undefined;
    for (let n = 1; n <= 5; n++) stored = withOrigin(stored, `file-${n}`, origin(n), 3);
    assert.deepEqual(Object.keys(stored as object), ['file-3', 'file-4', 'file-5']);
    assert.deepEqual(originOf(stored, 'file-4'), origin(4));
    assert.equal(originOf(stored, 'file-1'), undefined);
    assert.equal(originOf(stored, undefined), undefined);
    // Uploaded again: the newer origin replaces the older one.
    stored = withOrigin(stored, 'file-3', { ...origin(9), at: 2000 }, 3);
    assert.deepEqual(originOf(stored, 'file-3'), { ...origin(9), at: 2000 });
  });

  it('reads what workspace state holds defensively', () => {
    for (const junk of [null, 42, 'x', [origin(1)], { 'file-1': { uri: 5 } }, { 'file-1': null }]) assert.equal(originOf(junk, 'file-1'), undefined, JSON.stringify(junk));
    assert.deepEqual(Object.keys(withOrigin({ bad: { uri: 1 } }, 'file-2', origin(2))), ['file-2']);
  });

  it('tells a file changed since its upload by its size or modification time', () => {
    const o = origin(1);
    assert.equal(changedSince(o, { size: o.bytes, mtimeMs: o.mtimeMs + 0.4 }), false);
    assert.equal(changedSince(o, { size: o.bytes + 1, mtimeMs: o.mtimeMs }), true);
    assert.equal(changedSince(o, { size: o.bytes, mtimeMs: o.mtimeMs + 5000 }), true);
  });
});
