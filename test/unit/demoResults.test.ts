// The demo account (`npm start`, the UI checks) opened in the Results view: every generated batch's three
// files join on custom_id and add up to what the batch reports, as a first-time user would check them.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isActiveStatus } from '../../src/core/status';
import type { Outcome, ResultsSummary } from '../../src/core/results/protocol';
import { buildResultsIndex } from '../../src/core/results/resultsIndex';
import { demoDataset, type FakeBatch } from '../fake-openai/dataset';
import { sourcesFor } from '../support/resultsFiles';

const NOW = 1_760_000_000;
const MB = 1024 * 1024;

const countsOf = (summary: ResultsSummary) => Object.fromEntries(summary.outcomes.map((o) => [o.outcome, o.count])) as Record<Outcome, number>;

describe('the demo account in the Results view', function () {
  this.timeout(120_000);
  const demo = demoDataset(NOW);
  const bytesOf = (id: string | null) => demo.files.find((f) => f.meta.id === id)?.meta.bytes ?? 0;
  const filesBytes = (b: FakeBatch) => bytesOf(b.input_file_id) + bytesOf(b.output_file_id) + bytesOf(b.error_file_id);
  // Every batch whose files come to a few MB, and the 75 MB one (40,000 requests); the 391 MB one is left
  // out for time: the same generator makes it, and its size is checked from its metadata elsewhere.
  const large = demo.batches.find((b) => b.request_counts?.total === 40_000 && bytesOf(b.output_file_id) > 50 * MB);
  const batches = demo.batches.filter((b) => b.input_file_id !== null && (filesBytes(b) <= 3 * MB || b === large));
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-results-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('covers most of the account, every status, and a large streamed output file', () => {
    assert.ok(large, 'the 75 MB batch');
    assert.ok(batches.length > 150, `${batches.length} batches`);
    assert.deepEqual(new Set(batches.map((b) => b.status)).size, 8);
  });

  it('joins every batch: no orphans, no duplicates, no unreadable line a failed validation did not report, counts as the batch says', async () => {
    const errorCodes = new Set<string>();
    for (const b of batches) {
      const what = `${b.id} (${b.status}, ${b.endpoint})`;
      const sources = sourcesFor(demo, b.id, dir);
      for (const source of [sources.input, sources.output, sources.error]) {
        if (source && 'path' in source) assert.equal(fs.statSync(source.path).size, bytesOf(source.fileId ?? null), `${what}: ${source.fileId} as its metadata says`);
      }
      const { summary } = await buildResultsIndex(sources);
      const { anomalies } = summary;
      assert.equal(anomalies.orphanCount, 0, `${what}: orphans ${JSON.stringify(anomalies.orphans.slice(0, 3))}`);
      assert.equal(anomalies.duplicateCount, 0, `${what}: duplicates`);
      const reported = b.errors?.data.filter((e) => e.code === 'invalid_json_line').map((e) => e.line) ?? [];
      assert.deepEqual(
        anomalies.unreadable.map((l) => l.line),
        reported,
        `${what}: unreadable lines`,
      );

      const c = countsOf(summary);
      const counts = b.request_counts!;
      const finished = b.output_file_id !== null || b.error_file_id !== null;
      if (counts.total > 0) assert.equal(summary.total, counts.total, `${what}: one input line per request`);
      if (finished) {
        assert.equal(c.succeeded, counts.completed, `${what}: succeeded`);
        assert.equal(c.failed + c.expired + c.cancelled, counts.failed, `${what}: failed`);
        assert.equal(c.missing, 0, `${what}: missing`);
        if (b.status !== 'expired') assert.equal(c.expired, 0, `${what}: expired`);
        if (b.status !== 'cancelled') assert.equal(c.cancelled, 0, `${what}: cancelled`);
        if (b.usage && counts.completed > 0) {
          assert.deepEqual(
            // Moderations report no usage: nothing to add up.
            summary.tokens ? [summary.tokens.input, summary.tokens.cached, summary.tokens.output, summary.tokens.reasoning] : [0, 0, 0, 0],
            [b.usage.input_tokens, b.usage.input_tokens_details.cached_tokens, b.usage.output_tokens, b.usage.output_tokens_details.reasoning_tokens],
            `${what}: tokens as the batch's usage`,
          );
        }
      } else {
        // Nothing written yet (running), or nothing run (validating, failed validation, cancelled early).
        assert.ok(isActiveStatus(b.status) || counts.completed + counts.failed === 0, `${what}: counts without files`);
        assert.equal(c.missing, summary.total, `${what}: every request missing`);
        assert.equal(summary.pending, isActiveStatus(b.status));
      }
      for (const e of summary.errors) errorCodes.add(e.key);
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir);
    }
    for (const key of ['code:context_length_exceeded', 'code:rate_limit_exceeded', 'status:500', 'code:batch_expired', 'code:batch_cancelled']) assert.ok(errorCodes.has(key), `${key} among ${[...errorCodes].join(', ')}`);
  });
});
