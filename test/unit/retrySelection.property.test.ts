// The lines a retry resubmits: exactly the input's lines whose custom_id did not succeed (or the outcomes and
// error groups chosen), byte for byte as the input file has them, in input order.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as fc from 'fast-check';
import { parseBatch } from '../../src/core/batch';
import { buildResultsIndex } from '../../src/core/results/resultsIndex';
import { mayHaveSomethingToRetry, RETRY_OUTCOMES } from '../../src/core/retry/retryable';
import { retryCounts, selectRetryRows, unknownRetryNames, writeRetryFile } from '../../src/core/retry/retrySelection';
import { FATE_OUTCOME, FATES, requestLine, writeBatch, type Fate, type PlannedRequest } from '../support/retryScenario';

/** custom_ids as people write them: plain, padded, with spaces, accents and emoji. */
const customId = (n: number) => [`req-${n}`, `row ${n}`, `é-${n}`, `${n}🙂`][n % 4];

describe('retry selection', function () {
  this.timeout(120_000);
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retry-select-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const scenario = fc.record({
    fates: fc.array(fc.constantFrom<Fate>(...FATES), { maxLength: 50 }),
    styles: fc.array(fc.nat(3), { minLength: 50, maxLength: 50 }),
    include: fc.option(fc.subarray(['failed', 'expired', 'cancelled', 'missing', 'code:rate_limit_exceeded', 'code:context_length_exceeded', 'status:500', 'succeeded']), { nil: undefined }),
    crlf: fc.boolean(),
    finalNewline: fc.boolean(),
    blankAfter: fc.option(fc.nat(49), { nil: undefined }),
    seed: fc.integer(),
  });

  it('is the input minus the succeeded custom_ids, byte for byte, in input order (or just what was chosen)', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const requests: PlannedRequest[] = s.fates.map((fate, i) => ({ customId: customId(i), fate, line: requestLine(customId(i), s.styles[i]) }));
        const extraInput = s.blankAfter === undefined ? undefined : new Map([[s.blankAfter, '   ']]);
        const { index } = await writeBatch(dir, `batch_${run++}`, requests, { seed: s.seed, crlf: s.crlf, finalNewline: s.finalNewline, extraInput });
        const include = s.include ?? 'all';
        const chosen = (r: PlannedRequest) => {
          const { outcome, key } = FATE_OUTCOME[r.fate];
          if (outcome === 'succeeded') return false;
          if (include === 'all') return true;
          return include.includes(outcome) || (outcome === 'failed' && key !== undefined && include.includes(key));
        };
        const expected = requests.filter(chosen);
        const target = path.join(dir, `retry-${run}.jsonl`);
        const rows = selectRetryRows(index, include);
        const written = await writeRetryFile(index, rows, target);

        const content = fs.readFileSync(target);
        const want = Buffer.from(expected.map((r) => `${r.line}\n`).join(''), 'utf8');
        assert.ok(content.equals(want), `retry file:\n${content.toString()}\nexpected:\n${want.toString()}`);
        assert.deepEqual(written, { lines: expected.length, bytes: want.length });
        // Never a succeeded custom_id, every other one when everything is asked for.
        const succeeded = new Set(requests.filter((r) => r.fate === 'succeeded').map((r) => r.customId));
        assert.ok([...rows].every((row) => !succeeded.has(index.columns.customId[row]!)));

        const counts = retryCounts(index);
        assert.equal(counts.total, requests.length - succeeded.size);
        assert.equal(counts.succeeded, succeeded.size);
        for (const outcome of RETRY_OUTCOMES) assert.equal(counts.outcomes[outcome], requests.filter((r) => FATE_OUTCOME[r.fate].outcome === outcome).length, outcome);
        const failedKeys = new Map<string, number>();
        for (const r of requests) if (FATE_OUTCOME[r.fate].outcome === 'failed') failedKeys.set(FATE_OUTCOME[r.fate].key!, (failedKeys.get(FATE_OUTCOME[r.fate].key!) ?? 0) + 1);
        assert.deepEqual(new Map(counts.failedGroups.map((g) => [g.key, g.count])), failedKeys);
        assert.equal(counts.failedGroups.reduce((sum, g) => sum + g.count, 0), counts.outcomes.failed);
      }),
      { numRuns: 150, seed: 1010 },
    );
  });

  it('resubmits a custom_id at most once and never one that succeeded on another line; unreadable lines never', async () => {
    const lines = [
      requestLine('a', 0), // failed
      requestLine('a', 1), // its duplicate, missing: the first line is the one resubmitted
      requestLine('b', 0), // succeeded
      requestLine('b', 2), // its duplicate failed: b succeeded, so neither
      '{"custom_id": 7, "method": "POST"}', // unreadable
      'not json at all',
      requestLine('c', 3), // expired
    ];
    fs.writeFileSync(path.join(dir, 'in.jsonl'), lines.join('\n') + '\n');
    const results = [
      { custom_id: 'a', response: { status_code: 500, body: { error: { message: 'x', code: null } } }, error: null },
      { custom_id: 'b', response: { status_code: 200, body: {} }, error: null },
      { custom_id: 'b', response: { status_code: 429, body: { error: { message: 'x', code: 'rate_limit_exceeded' } } }, error: null },
      { custom_id: 'c', response: null, error: { code: 'batch_expired', message: 'expired' } },
    ];
    fs.writeFileSync(path.join(dir, 'out.jsonl'), results.map((r) => JSON.stringify(r)).join('\n'));
    const batch = parseBatch({ id: 'batch_dup', status: 'completed' }).batch!;
    const index = await buildResultsIndex({ batch, input: { path: path.join(dir, 'in.jsonl') }, output: { path: path.join(dir, 'out.jsonl') } });

    const counts = retryCounts(index);
    assert.deepEqual(counts.outcomes, { failed: 1, expired: 1, cancelled: 0, missing: 0 });
    assert.deepEqual(counts.failedGroups, [{ key: 'status:500', status: 500, count: 1 }]);
    assert.equal(counts.unreadable, 2);
    assert.equal(counts.repeated, 2);
    assert.equal(counts.succeeded, 1);
    const target = path.join(dir, 'retry.jsonl');
    await writeRetryFile(index, selectRetryRows(index, 'all'), target);
    assert.equal(fs.readFileSync(target, 'utf8'), `${lines[0]}\n${lines[6]}\n`);

    // A filter narrows the choice; names it does not know are reported, not guessed at.
    assert.deepEqual([...selectRetryRows(index, 'all', Uint32Array.of(6))], [6]);
    assert.deepEqual([...selectRetryRows(index, ['status:500'])], [0]);
    assert.deepEqual([...selectRetryRows(index, ['succeeded'])], []);
    assert.deepEqual(retryCounts(index, Uint32Array.of(0, 2)).outcomes, { failed: 1, expired: 0, cancelled: 0, missing: 0 });
    assert.deepEqual(unknownRetryNames(index, ['failed', 'status:500', 'code:nope', 'Failed']), ['code:nope', 'Failed']);
  });

  it('leaves nothing behind when the file cannot be written', async () => {
    const { index } = await writeBatch(dir, 'batch_w', [{ customId: 'a', fate: 'missing', line: requestLine('a', 0) }]);
    await assert.rejects(writeRetryFile(index, selectRetryRows(index, 'all'), path.join(dir, 'no-such-dir', 'retry.jsonl')));
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(writeRetryFile(index, selectRetryRows(index, 'all'), path.join(dir, 'retry.jsonl'), { signal: controller.signal }));
    assert.deepEqual(fs.readdirSync(dir).filter((f) => f.includes('retry')), []);
  });

  it('offers only finished batches with an input file and something that did not succeed', () => {
    const b = (status: string, counts?: [number, number, number], input = 'file-in') =>
      parseBatch({ id: 'x', status, input_file_id: input, request_counts: counts && { total: counts[0], completed: counts[1], failed: counts[2] } }).batch!;
    assert.equal(mayHaveSomethingToRetry(b('completed', [100, 95, 5])), true);
    assert.equal(mayHaveSomethingToRetry(b('completed', [100, 100, 0])), false);
    assert.equal(mayHaveSomethingToRetry(b('expired', [100, 60, 0])), true, 'the rest never ran');
    assert.equal(mayHaveSomethingToRetry(b('cancelled', [10, 4, 5])), true);
    assert.equal(mayHaveSomethingToRetry(b('failed', [0, 0, 0])), true, 'failed validation: every request is still to do');
    assert.equal(mayHaveSomethingToRetry(b('completed')), true, 'no counts: the files tell');
    assert.equal(mayHaveSomethingToRetry(b('in_progress', [100, 10, 5])), false);
    assert.equal(mayHaveSomethingToRetry(b('completed', [100, 95, 5], '')), false, 'no input file');
  });
});
