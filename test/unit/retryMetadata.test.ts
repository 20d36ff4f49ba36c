import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { parseBatch, type Batch } from '../../src/core/batch';
import { METADATA_LIMITS, retryMetadata } from '../../src/core/retry/retryMetadata';

const batch = (id: string, metadata?: Record<string, string>): Batch => parseBatch({ id, status: 'completed', metadata }).batch!;

describe('retry metadata', () => {
  it('names the parent and says what the retry is', () => {
    assert.deepEqual(retryMetadata(batch('batch_1', { description: 'nightly eval', team: 'search' }), 57), {
      retry_of: 'batch_1',
      description: 'Retry of nightly eval: 57 requests',
      team: 'search',
    });
    assert.equal(retryMetadata(batch('batch_2'), 1).description, 'Retry of batch_2: 1 request');
    assert.equal(retryMetadata(batch('batch_3'), 2943).description, 'Retry of batch_3: 2,943 requests');
  });

  it('points a retry of a retry at its own parent, not the first batch', () => {
    const first = retryMetadata(batch('batch_a', { description: 'eval' }), 10);
    const second = retryMetadata(batch('batch_b', first), 3);
    assert.equal(second.retry_of, 'batch_b');
    assert.equal(second.description, 'Retry 2 of eval: 3 requests');
    assert.equal(retryMetadata(batch('batch_c', second), 1).description, 'Retry 3 of eval: 1 request');
  });

  it('never exceeds the API limits, whatever the parent carries (property)', () => {
    const key = fc.string({ minLength: 1, maxLength: 80 });
    const value = fc.string({ maxLength: 700 });
    // Any id the parser takes as a batch's (a blank one is no batch).
    const anyId = fc.string({ minLength: 1, maxLength: 600 }).filter((s) => parseBatch({ id: s, status: 'completed' }).batch !== undefined);
    fc.assert(
      fc.property(anyId, fc.dictionary(key, value, { maxKeys: 30 }), fc.nat(100_000), (id, metadata, requests) => {
        const out = retryMetadata(batch(id, metadata), requests);
        const entries = Object.entries(out);
        assert.ok(entries.length <= METADATA_LIMITS.pairs);
        for (const [k, v] of entries) {
          assert.ok(k.length <= METADATA_LIMITS.keyLength, `key ${k.length}`);
          assert.ok(v.length <= METADATA_LIMITS.valueLength, `value ${v.length}`);
          assert.equal(typeof v, 'string');
        }
        assert.ok(out.retry_of.length > 0 && out.description.startsWith('Retry '));
        // Everything carried over is the parent's, unchanged unless cut to the limit.
        for (const [k, v] of entries) {
          if (k === 'retry_of' || k === 'description') continue;
          const original = metadata[k];
          assert.ok(original !== undefined && (v === original || (original.length > METADATA_LIMITS.valueLength && v.endsWith('…'))));
        }
      }),
      { numRuns: 500, seed: 4242 },
    );
  });
});
