// A batch and its retries read as one: over chains of 1–4 batches, every request of the original input
// takes the outcome of the last batch that answered it; the summary counts recoveries; details and the
// export read each row's lines from the batch that holds them.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as fc from 'fast-check';
import { combineResults } from '../../src/core/retry/combinedResults';
import { combinedSummaryText } from '../../src/core/results/protocol';
import { retryCounts, selectRetryRows, writeRetryFile } from '../../src/core/retry/retrySelection';
import { exportResults } from '../../src/core/results/resultsExport';
import { ResultsView } from '../../src/core/results/resultsQuery';
import { FATE_OUTCOME, FATES, requestLine, writeBatch, type Fate, type PlannedRequest, type WrittenBatch } from '../support/retryScenario';

describe('combined results of a batch and its retries', function () {
  this.timeout(180_000);
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'combined-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const fate = fc.constantFrom<Fate>(...FATES);
  const scenario = fc.record({
    original: fc.array(fate, { minLength: 1, maxLength: 30 }),
    // Each retry: which of the original's requests it holds (by position), and what became of each.
    retries: fc.array(fc.record({ take: fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }), fates: fc.array(fate, { minLength: 30, maxLength: 30 }) }), { maxLength: 3 }),
    seed: fc.integer(),
  });

  it('takes the latest outcome per custom_id across chains of 1–4 batches (property)', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        run++;
        const ids = s.original.map((_, i) => `req-${run}-${i}`);
        const chain: WrittenBatch[] = [await writeBatch(dir, `batch_${run}_0`, s.original.map((f, i) => ({ customId: ids[i], fate: f, line: requestLine(ids[i], i) })), { seed: s.seed })];
        // The expected final answer per request: [outcome, index of the batch that gave it].
        const final = s.original.map((f) => ({ fate: f, from: 0 }));
        for (const [k, retry] of s.retries.entries()) {
          const requests: PlannedRequest[] = [];
          ids.forEach((id, i) => {
            if (!retry.take[i]) return;
            requests.push({ customId: id, fate: retry.fates[i], line: requestLine(id, i) });
            if (retry.fates[i] !== 'missing') final[i] = { fate: retry.fates[i], from: k + 1 };
          });
          chain.push(await writeBatch(dir, `batch_${run}_${k + 1}`, requests, { seed: s.seed + k, createdAt: 1_750_000_100 + k }));
        }
        const combined = combineResults(chain);

        assert.equal(combined.rowCount, ids.length);
        ids.forEach((id, i) => {
          const row = combined.row(i);
          assert.equal(row.customId, id);
          assert.equal(row.line, i + 1, 'the original line number');
          assert.equal(row.outcome, FATE_OUTCOME[final[i].fate].outcome, `${id}: ${JSON.stringify(final[i])}`);
          assert.equal(row.attempt, final[i].from === 0 ? undefined : final[i].from);
        });
        const succeeded = s.original.filter((f, i) => f === 'succeeded' && final[i].fate === 'succeeded').length;
        const recovered = s.original.filter((f, i) => f !== 'succeeded' && final[i].fate === 'succeeded').length;
        assert.deepEqual(combined.summary.combined, { batchIds: chain.map((m) => m.batch.id), succeeded, recovered, total: ids.length });
        assert.equal(combined.summary.outcomes.reduce((sum, o) => sum + o.count, 0), ids.length, 'the counts add up');
        assert.equal(combined.summary.outcomes.find((o) => o.outcome === 'succeeded')!.count, succeeded + recovered);

        // Details and the export read each row from the batch that answered it.
        const view = new ResultsView(combined);
        const target = path.join(dir, `combined-${run}.jsonl`);
        await exportResults(combined, 'all', 'jsonl', target);
        const exported = fs
          .readFileSync(target, 'utf8')
          .trimEnd()
          .split('\n')
          .map((l) => JSON.parse(l) as { custom_id: string; outcome: string; response: unknown; error: unknown; batch_id: string; request: unknown });
        assert.deepEqual(exported.map((e) => e.custom_id), ids, 'original input order');
        for (const [i, line] of exported.entries()) {
          const from = chain[final[i].from];
          assert.equal(line.batch_id, from.batch.id);
          assert.equal(line.outcome, FATE_OUTCOME[final[i].fate].outcome);
          const result = from.results.get(ids[i]);
          const parsed = result === undefined ? undefined : (JSON.parse(result) as { response: { body?: unknown } | null; error: unknown });
          assert.deepEqual(line.response, parsed?.response?.body ?? null);
          assert.deepEqual(line.request, (JSON.parse(requestLine(ids[i], i)) as { body: unknown }).body);
          const details = await view.details(i);
          if (parsed) assert.deepEqual(JSON.parse(details.result!), parsed);
          else assert.equal(details.resultKind, 'none');
        }
      }),
      { numRuns: 60, seed: 4711 },
    );
  });

  it('retries what still did not succeed after the retries, and says what they recovered', async () => {
    const ids = ['a', 'b', 'c', 'd', 'e'];
    const line = (id: string) => requestLine(id, 1);
    const original = await writeBatch(dir, 'batch_orig', [
      { customId: 'a', fate: 'succeeded', line: line('a') },
      { customId: 'b', fate: 'serverError', line: line('b') },
      { customId: 'c', fate: 'expired', line: line('c') },
      { customId: 'd', fate: 'missing', line: line('d') },
      { customId: 'e', fate: 'rateLimited', line: line('e') },
    ]);
    const retry = await writeBatch(dir, 'batch_retry', [
      { customId: 'b', fate: 'succeeded', line: line('b') },
      { customId: 'c', fate: 'expired', line: line('c') },
      { customId: 'd', fate: 'missing', line: line('d') },
      { customId: 'e', fate: 'succeeded', line: line('e') },
    ], { status: 'in_progress' });
    const combined = combineResults([original, retry]);
    assert.equal(combinedSummaryText(combined.summary.combined!), '1 succeeded + 2 recovered by retries = 3 of 5');
    assert.equal(combined.summary.pending, true, 'a retry still runs: what it has not answered is pending');
    assert.deepEqual(ids.map((_, i) => combined.row(i).outcome), ['succeeded', 'succeeded', 'expired', 'missing', 'succeeded']);
    assert.deepEqual(retryCounts(combined).outcomes, { failed: 0, expired: 1, cancelled: 0, missing: 1 });
    const target = path.join(dir, 'next.jsonl');
    await writeRetryFile(combined, selectRetryRows(combined, 'all'), target);
    assert.equal(fs.readFileSync(target, 'utf8'), `${line('c')}\n${line('d')}\n`);
    assert.equal(combinedSummaryText({ batchIds: ['x', 'y'], succeeded: 2943, recovered: 55, total: 3000 }), '2,943 succeeded + 55 recovered by retries = 2,998 of 3,000');
  });

  it('a chain of one is the batch itself', async () => {
    const only = await writeBatch(dir, 'batch_one', [{ customId: 'a', fate: 'succeeded', line: requestLine('a', 0) }, { customId: 'b', fate: 'contextLength', line: requestLine('b', 0) }]);
    const combined = combineResults([only]);
    assert.deepEqual([0, 1].map((i) => combined.row(i)), [0, 1].map((i) => only.index.row(i)));
    assert.deepEqual(combined.summary.outcomes, only.index.summary.outcomes);
    assert.deepEqual(combined.summary.errors, only.index.summary.errors);
    assert.throws(() => combineResults([]));
    assert.throws(() => combineResults([{ batch: only.batch, index: combined }]));
  });
});
