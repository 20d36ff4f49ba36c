import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApiError } from '../../src/core/apiError';
import { parseBatch } from '../../src/core/batch';
import type { Outcome, ResultsSummary } from '../../src/core/results/protocol';
import { ANOMALY_LIST_CAP, buildResultsIndex, RESULT_FILE, ROW_FLAG, type ResultsIndex } from '../../src/core/results/resultsIndex';
import { HTML_ANSWER, HUGE_LINE_BYTES, RESULTS_BATCH_IDS, resultsDataset } from '../fake-openai/resultsDatasets';
import { sourcesFor } from '../support/resultsFiles';

const counts = (summary: ResultsSummary) => Object.fromEntries(summary.outcomes.map((o) => [o.outcome, o.count])) as Record<Outcome, number>;

describe('buildResultsIndex', function () {
  this.timeout(30_000);
  const dataset = resultsDataset({ now: 1_750_000_000 });
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'index-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const build = (id: string) => buildResultsIndex(sourcesFor(dataset, id, dir));
  const rowOf = (index: ResultsIndex, customId: string) => index.row(index.columns.customId.indexOf(customId));

  it('joins the edge cases: shuffled output, 4xx/5xx, a 429 in the output file, orphans, duplicates, unreadable lines', async () => {
    const index = await build(RESULTS_BATCH_IDS.mixed);
    const s = index.summary;
    assert.equal(s.batchId, RESULTS_BATCH_IDS.mixed);
    assert.equal(s.pending, false);
    assert.equal(s.total, 21); // non-blank input lines
    assert.deepEqual(counts(s), { succeeded: 9, failed: 7, expired: 0, cancelled: 0, missing: 5 });
    assert.ok(Math.abs(s.outcomes[0].share - 9 / 21) < 1e-12);
    assert.deepEqual(
      s.errors.map((e) => [e.key, e.count, e.outcome, e.code ?? e.status]),
      [
        ['code:context_length_exceeded', 2, 'failed', 'context_length_exceeded'],
        ['code:invalid_request', 1, 'failed', 'invalid_request'],
        ['code:rate_limit_exceeded', 1, 'failed', 'rate_limit_exceeded'],
        ['status:500', 1, 'failed', 500],
        ['status:503', 1, 'failed', 503],
        ['status:none', 1, 'failed', undefined],
      ],
    );
    assert.match(s.errors[0].example, /^This model's maximum context length/);
    assert.deepEqual(
      s.finishReasons.map((f) => [f.reason, f.count, f.cutOff]),
      [
        ['stop', 5],
        ['content_filter', 1],
        ['length', 1],
        ['tool_calls', 1],
      ].map(([r, n]) => [r, n, r === 'length' || r === 'content_filter']),
    );
    assert.deepEqual(s.tokens, { input: 325, cached: 10, output: 692, reasoning: 8, responses: 8 });
    assert.deepEqual(s.anomalies.orphans, [
      { file: 'output', line: 8, customId: 'mixed-ghost' },
      { file: 'error', line: 6, customId: 'mixed-01' },
    ]);
    assert.deepEqual(s.anomalies.duplicates, [{ file: 'input', line: 16, customId: 'mixed-dup' }]);
    assert.deepEqual(
      s.anomalies.unreadable.map((u) => [u.file, u.line, u.reason]),
      [
        ['input', 15, 'custom_id is not a string'],
        ['input', 17, 'not valid JSON'],
        ['input', 18, 'no custom_id'],
        ['output', 6, 'not valid JSON'],
        ['output', 9, 'no custom_id'],
      ],
    );
    assert.deepEqual(
      s.files.map((f) => [f.kind, f.state, f.lines]),
      [
        ['input', 'loaded', 21],
        ['output', 'loaded', 14],
        ['error', 'loaded', 6],
      ],
    );

    // Rows: input order first, then the orphans.
    assert.equal(index.rowCount, 23);
    assert.deepEqual(index.row(0), { id: 0, line: 1, customId: 'mixed-01', outcome: 'succeeded', status: 200, finishReason: 'stop', model: 'gpt-4o-mini-2024-07-18', tokens: 27, preview: 'Canberra' });
    assert.equal(rowOf(index, 'mixed-03').preview, 'Tool calls: get_weather, lookup_order');
    assert.equal(rowOf(index, 'mixed-06').preview, HTML_ANSWER);
    assert.equal(rowOf(index, 'mixed-07').preview, 'Invalid bytes follow: \ufffd\ufffd');
    const rateLimited = rowOf(index, 'mixed-09');
    assert.deepEqual([rateLimited.outcome, rateLimited.status, rateLimited.errorCode], ['failed', 429, 'rate_limit_exceeded']);
    // Two input lines share mixed-dup: the output file's result meets the first, the error file's the second.
    const dups = index.columns.customId.flatMap((id, row) => (id === 'mixed-dup' ? [index.row(row)] : []));
    assert.deepEqual(
      dups.map((r) => [r.line, r.outcome, r.duplicate]),
      [
        [10, 'succeeded', undefined],
        [16, 'failed', true],
      ],
    );
    const broken = index.row(13);
    assert.deepEqual([broken.line, broken.outcome, broken.unreadable, broken.customId, broken.preview], [15, 'missing', true, undefined, 'Unreadable line: custom_id is not a string.']);
    assert.deepEqual(
      [index.row(21), index.row(22)].map((r) => [r.customId, r.orphan, r.line, r.outcome]),
      [
        ['mixed-ghost', true, undefined, 'succeeded'],
        ['mixed-01', true, undefined, 'succeeded'],
      ],
    );
  });

  it('reads expired and cancelled batches’ partial output as real results', async () => {
    const expired = await build(RESULTS_BATCH_IDS.expired);
    assert.deepEqual(counts(expired.summary), { succeeded: 7, failed: 0, expired: 5, cancelled: 0, missing: 0 });
    assert.deepEqual(expired.summary.errors.map((e) => [e.key, e.outcome, e.count]), [['code:batch_expired', 'expired', 5]]);
    const cancelled = await build(RESULTS_BATCH_IDS.cancelled);
    assert.deepEqual(counts(cancelled.summary), { succeeded: 4, failed: 0, expired: 0, cancelled: 5, missing: 1 });
  });

  it('joins what it can when a file is absent or gone: output_file_id null, error_file_id "", a 404', async () => {
    const allFailed = await build(RESULTS_BATCH_IDS.allFailed);
    assert.deepEqual(counts(allFailed.summary), { succeeded: 0, failed: 5, expired: 0, cancelled: 0, missing: 0 });
    assert.deepEqual(allFailed.summary.files[1], { kind: 'output', state: 'none' });
    const clean = await build(RESULTS_BATCH_IDS.noErrors);
    assert.deepEqual(counts(clean.summary), { succeeded: 5, failed: 0, expired: 0, cancelled: 0, missing: 0 });
    assert.deepEqual(clean.summary.files[2], { kind: 'error', state: 'none' });
    const gone = await build(RESULTS_BATCH_IDS.outputGone);
    assert.deepEqual(gone.summary.files[1], { kind: 'output', fileId: 'file-results-output-gone-output', state: 'failed', message: 'No such File object: file-results-output-gone-output' });
    assert.deepEqual(counts(gone.summary), { succeeded: 0, failed: 1, expired: 0, cancelled: 0, missing: 5 });
  });

  it('calls a running batch’s missing requests pending', async () => {
    const index = await build(RESULTS_BATCH_IDS.running);
    assert.equal(index.summary.pending, true);
    assert.equal(counts(index.summary).missing, 8);
  });

  it('without an input file, every result is a row of its own', async () => {
    const sources = sourcesFor(dataset, RESULTS_BATCH_IDS.expired, dir);
    const index = await buildResultsIndex({ ...sources, input: { failed: 'No such File object', fileId: sources.batch.inputFileId } });
    assert.equal(index.summary.total, 12);
    assert.equal(index.rowCount, 12);
    assert.equal(index.summary.anomalies.orphanCount, 0);
    assert.deepEqual(counts(index.summary), { succeeded: 7, failed: 0, expired: 5, cancelled: 0, missing: 0 });
    assert.equal(index.summary.files[0].state, 'failed');
  });

  it('reads every endpoint’s answers', async () => {
    const previews = async (id: string) => {
      const index = await build(id);
      return Array.from({ length: index.rowCount }, (_, row) => index.row(row).preview);
    };
    assert.deepEqual(await previews(RESULTS_BATCH_IDS.responses), ['The capital of Australia is Canberra.', 'Part one. Part two.', '', 'Tool calls: search_docs']);
    assert.deepEqual(await previews(RESULTS_BATCH_IDS.embeddings), ['1 embedding · 1,536 dimensions', '1 embedding · 1,536 dimensions', '2 embeddings · 1,536 dimensions']);
    assert.deepEqual(await previews(RESULTS_BATCH_IDS.moderations), ['Not flagged', 'Flagged: harassment, violence']);
    assert.deepEqual(await previews(RESULTS_BATCH_IDS.completions), ['One, two, three', 'and then it went on and']);
    assert.deepEqual(await previews(RESULTS_BATCH_IDS.images), ['1 image', '2 images']);
    const responses = await build(RESULTS_BATCH_IDS.responses);
    assert.deepEqual(responses.summary.finishReasons.map((f) => [f.reason, f.cutOff]), [
      ['completed', false],
      ['max_output_tokens', true],
    ]);
    assert.deepEqual(responses.summary.tokens, { input: 410, cached: 256, output: 210, reasoning: 128, responses: 4 });
  });

  it('takes 10 MB lines in its stride: a huge answer previewed, a huge broken line flagged', async () => {
    const index = await build(RESULTS_BATCH_IDS.huge);
    const huge = rowOf(index, 'huge-1');
    assert.equal(huge.outcome, 'succeeded');
    assert.ok(huge.preview.startsWith('All work and no play') && huge.preview.length <= 200 && huge.preview.endsWith('…'));
    assert.equal(index.columns.resultLength[huge.id], HUGE_LINE_BYTES);
    assert.deepEqual(index.summary.anomalies.unreadable, [{ file: 'output', line: 2, reason: 'not valid JSON' }]);
    assert.equal(rowOf(index, 'huge-2').outcome, 'missing');
  });

  it('points at each row’s lines by byte offset', async () => {
    const sources = sourcesFor(dataset, RESULTS_BATCH_IDS.mixed, dir);
    const index = await buildResultsIndex(sources);
    const bytes = (kind: 'input' | 'output' | 'error') => fs.readFileSync((sources[kind] as { path: string }).path);
    const files = { input: bytes('input'), output: bytes('output'), error: bytes('error') };
    const c = index.columns;
    for (let row = 0; row < index.rowCount; row++) {
      if (c.inputLine[row] !== 0 && !(c.flags[row] & ROW_FLAG.unreadable)) {
        const line = JSON.parse(files.input.toString('utf8', c.inputOffset[row], c.inputOffset[row] + c.inputLength[row])) as { custom_id: string };
        assert.equal(line.custom_id, c.customId[row]);
      }
      if (c.resultFile[row] !== RESULT_FILE.none) {
        const file = c.resultFile[row] === RESULT_FILE.output ? files.output : files.error;
        const text = file.toString('latin1', c.resultOffset[row], c.resultOffset[row] + c.resultLength[row]);
        assert.ok(text.startsWith('{') && text.endsWith('}') && text.includes(`"custom_id":"${c.customId[row]}"`), `row ${row}`);
      }
    }
  });

  it('reports progress by bytes, and stops when cancelled', async () => {
    const sources = sourcesFor(dataset, RESULTS_BATCH_IDS.huge, dir);
    const fractions: number[] = [];
    await buildResultsIndex(sources, { onProgress: (f) => fractions.push(f) });
    assert.ok(fractions.length > 10);
    assert.ok(fractions.every((f, i) => f >= 0 && f <= 1 && (i === 0 || f >= fractions[i - 1])));
    assert.equal(fractions[fractions.length - 1], 1);

    const controller = new AbortController();
    const building = buildResultsIndex(sources, { signal: controller.signal, onProgress: (f) => f > 0.2 && controller.abort() });
    await assert.rejects(building, (e: ApiError) => e.isAborted);
  });

  it('caps the anomaly lists but counts everything', async () => {
    const input = path.join(dir, 'many.jsonl');
    fs.writeFileSync(input, Array.from({ length: ANOMALY_LIST_CAP + 50 }, () => '{"custom_id": "same"}').join('\n'));
    const index = await buildResultsIndex({ batch: parseBatch({ id: 'b', status: 'completed' }).batch!, input: { path: input } });
    assert.equal(index.summary.anomalies.duplicateCount, ANOMALY_LIST_CAP + 49);
    assert.equal(index.summary.anomalies.duplicates.length, ANOMALY_LIST_CAP);
    assert.equal(counts(index.summary).missing, ANOMALY_LIST_CAP + 50);
  });
});
