import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
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

/**
 * A status as sent, with what it must become when that is known by construction: the canonical status
 * spelled as servers spell it (case, spaces or hyphens for underscores, padding, American "canceled"), no
 * usable string at all (→ `unknown`), or any string (only its shape is checked).
 */
const CANONICAL = ['validating', 'in_progress', 'finalizing', 'cancelling', 'completed', 'failed', 'expired', 'cancelled', 'needs_review', 'queued'];
type StatusCase = { raw: unknown; expected?: string; present: boolean };
const spelled: fc.Arbitrary<StatusCase> = fc
  .record({
    canonical: fc.constantFrom(...CANONICAL),
    letters: fc.constantFrom('lower', 'upper', 'title'),
    separator: fc.constantFrom('_', ' ', '-'),
    padding: fc.constantFrom('', ' ', '\t', '  \n'),
    american: fc.boolean(),
  })
  .map(({ canonical, letters, separator, padding, american }) => {
    const base = american ? canonical.replace(/^cancell/, 'cancel') : canonical;
    const words = base.split('_').map((w) => (letters === 'upper' ? w.toUpperCase() : letters === 'title' ? w[0].toUpperCase() + w.slice(1) : w));
    return { raw: `${padding}${words.join(separator)}${padding}`, expected: canonical, present: true };
  });
const noStatus: fc.Arbitrary<StatusCase> = fc.oneof(
  fc.constantFrom<unknown>(null, undefined, '', '   ', 0, 42, true, [], {}).map((raw) => ({ raw, expected: 'unknown', present: true })),
  fc.constant({ raw: undefined, expected: 'unknown', present: false }),
);
const anyString: fc.Arbitrary<StatusCase> = fc.string().map((raw) => ({ raw, present: true }));
const statusCase = fc.oneof({ weight: 5, arbitrary: spelled }, { weight: 2, arbitrary: noStatus }, { weight: 1, arbitrary: anyString });

/** Ids from a small pool repeat within a page; blank and non-string ones have nothing to show. */
const id = fc.oneof(
  { weight: 4, arbitrary: fc.string({ minLength: 1, maxLength: 30 }) },
  { weight: 4, arbitrary: fc.constantFrom('batch_a', 'batch_b', 'batch_c', ' batch_a', '', '  ', '\t') },
  { weight: 2, arbitrary: anyValue },
);

/** Batch-shaped objects whose every field may be missing, null or of the wrong type. */
const batchFields = fc.record(
  {
    id,
    object: fc.oneof(fc.constant('batch'), anyValue),
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

/** One entry of `data` and, for batch-shaped ones, the status it must end up with. */
type Entry = { raw: unknown; status?: StatusCase };
const entry: fc.Arbitrary<Entry> = fc.oneof(
  {
    weight: 9,
    arbitrary: fc.tuple(batchFields, statusCase).map(([fields, status]): Entry => ({ raw: status.present ? { ...fields, status: status.raw } : fields, status })),
  },
  { weight: 1, arbitrary: anyValue.map((raw): Entry => ({ raw })) },
);

/**
 * The oracle, from the generated values alone: an entry is shown when it is an object with a string id that is
 * not blank, and only its first occurrence on the page counts.
 */
function expectedSurvivors(entries: Entry[]): Entry[] {
  const seen = new Set<string>();
  return entries.filter(({ raw }) => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return false;
    const value = (raw as { id?: unknown }).id;
    if (typeof value !== 'string' || value.trim() === '' || seen.has(value)) return false;
    seen.add(value);
    return true;
  });
}

describe('parsing hostile batch objects (property)', function () {
  this.timeout(60_000);
  it('never throws, keeps exactly the first entry of each usable id in order, and normalises statuses, over 10,000 generated objects', () => {
    let seen = 0;
    let checkedStatuses = 0;
    let duplicates = 0;
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 10 }), fc.oneof(fc.boolean(), anyValue), (entries, hasMore) => {
        seen += entries.length;
        const page = parseBatchPage({ object: 'list', data: entries.map((e) => e.raw), has_more: hasMore });
        assert.ok(page);
        const survivors = expectedSurvivors(entries);
        duplicates += entries.length - survivors.length;
        assert.deepEqual(
          page.batches.map((b) => b.id),
          survivors.map((e) => (e.raw as { id: string }).id),
        );
        page.batches.forEach((b, i) => {
          const status = survivors[i].status;
          if (status?.expected !== undefined) {
            assert.equal(b.status, status.expected, `status ${JSON.stringify(status.raw)}`);
            checkedStatuses++;
          }
          // Whatever was sent: one lower-case token that groups and labels.
          assert.match(b.status, /^[^\sA-Z-]+$/u, `status ${JSON.stringify(b.status)}`);
          assert.equal(typeof batchDescription(b), 'string');
          assert.equal(typeof batchTooltipMarkdown(b), 'string');
          assert.equal(typeof batchDetailText(b), 'string');
        });
        const groups = groupByStatus(page.batches);
        const grouped = groups.flatMap((g) => g.batches.map((b) => b.id));
        assert.equal(grouped.length, page.batches.length, 'every batch in exactly one group');
        assert.deepEqual(new Set(grouped), new Set(page.batches.map((b) => b.id)));
        for (const g of groups) {
          assert.ok(g.label.length > 0, `group label for ${JSON.stringify(g.status)}`);
          assert.ok(g.batches.every((b) => b.status === g.status), `group ${g.status} holds only its status`);
        }
        // Only a missing has_more leaves the question open; any other value says yes only when it is true.
        if (hasMore === undefined || hasMore === null) assert.equal(page.hasMore, undefined);
        else assert.equal(page.hasMore, hasMore === true || hasMore === 'true');
      }),
      { numRuns: 2_000, seed: 20261128 },
    );
    assert.ok(seen >= 10_000, `generated ${seen} objects`);
    assert.ok(checkedStatuses >= 3_000, `checked ${checkedStatuses} statuses against their expected value`);
    assert.ok(duplicates >= 2_000, `only ${duplicates} entries were dropped: too few duplicates and unusable ids to prove anything`);
  });
});
