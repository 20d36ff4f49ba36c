import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { parseBatch } from '../../src/core/batch';
import { parseBatchPage } from '../../src/core/batchPage';
import { batchDescription, batchDetailText, batchTooltipMarkdown } from '../../src/core/batchSummary';
import { groupByStatus } from '../../src/core/grouping';

/** Any value a misbehaving server could put in a field. */
const anyValue = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.string(),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.array(fc.anything(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.anything(), { maxKeys: 4 }),
);

const status = fc.oneof(
  fc.constantFrom('validating', 'in_progress', 'finalizing', 'cancelling', 'completed', 'failed', 'expired', 'cancelled'),
  fc.constantFrom('Validating', 'IN_PROGRESS', 'Completed', 'canceled', 'queued', ''),
  anyValue,
);

/** Batch-shaped objects whose every field may be missing, null or of the wrong type. */
const batchLike = fc.record(
  {
    id: fc.oneof(fc.string({ minLength: 1, maxLength: 30 }), anyValue),
    object: fc.oneof(fc.constant('batch'), anyValue),
    status,
    endpoint: fc.oneof(fc.constantFrom('/v1/chat/completions', '/v1/embeddings', '/chat/completions'), anyValue),
    model: anyValue,
    input_file_id: anyValue,
    output_file_id: anyValue,
    error_file_id: anyValue,
    created_at: fc.oneof(fc.integer({ min: 0, max: 2_000_000_000 }), anyValue),
    completed_at: anyValue,
    expires_at: anyValue,
    request_counts: fc.oneof(fc.record({ total: anyValue, completed: anyValue, failed: anyValue }), anyValue),
    usage: fc.oneof(fc.record({ input_tokens: anyValue, output_tokens: anyValue, input_tokens_details: anyValue }), anyValue),
    metadata: fc.oneof(fc.dictionary(fc.string({ maxLength: 10 }), anyValue, { maxKeys: 5 }), anyValue),
    errors: fc.oneof(fc.record({ object: fc.constant('list'), data: fc.array(fc.oneof(fc.record({ code: anyValue, message: anyValue, line: anyValue }), anyValue), { maxLength: 4 }) }), anyValue),
  },
  { requiredKeys: [] },
);

const entry = fc.oneof({ weight: 9, arbitrary: batchLike }, { weight: 1, arbitrary: anyValue });

describe('parsing hostile batch objects (property)', function () {
  this.timeout(60_000);
  it('never throws and loses no displayable batch, over 10,000 generated objects', () => {
    let seen = 0;
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 10 }), fc.oneof(fc.boolean(), anyValue), (data, hasMore) => {
        seen += data.length;
        const page = parseBatchPage({ object: 'list', data, has_more: hasMore });
        assert.ok(page);
        const displayable = new Set(data.map((d) => parseBatch(d).batch?.id).filter((id): id is string => id !== undefined));
        assert.equal(page.batches.length, displayable.size);
        const groups = groupByStatus(page.batches);
        const grouped = groups.flatMap((g) => g.batches.map((b) => b.id));
        assert.equal(grouped.length, page.batches.length, 'every batch in exactly one group');
        assert.deepEqual(new Set(grouped), displayable);
        for (const g of groups) assert.ok(g.label.length > 0 || g.status === '', `group label for ${g.status}`);
        for (const b of page.batches) {
          assert.equal(typeof batchDescription(b), 'string');
          assert.equal(typeof batchTooltipMarkdown(b), 'string');
          assert.equal(typeof batchDetailText(b), 'string');
          assert.equal(typeof b.status, 'string');
          assert.ok(b.status.length > 0);
        }
        assert.equal(typeof page.hasMore, 'boolean');
      }),
      { numRuns: 2_000, seed: 20261128 },
    );
    assert.ok(seen >= 10_000, `generated ${seen} objects`);
  });
});
