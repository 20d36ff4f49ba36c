import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MAX_ROWS_PER_MESSAGE, type ResultRow } from '../../src/core/results/protocol';
import { buildResultsIndex, type ResultsIndex } from '../../src/core/results/resultsIndex';
import { DETAILS_DISPLAY_BYTES, prettyJson, ResultsView } from '../../src/core/results/resultsQuery';
import { customIdOf, writeBatchFiles } from '../fake-openai/batchFiles';
import { largeResultsSpec, RESULTS_BATCH_IDS, resultsDataset } from '../fake-openai/resultsDatasets';
import { parseBatch } from '../../src/core/batch';
import { sourcesFor } from '../support/resultsFiles';

describe('ResultsView', function () {
  this.timeout(60_000);
  const dataset = resultsDataset({ now: 1_750_000_000 });
  let dir: string;
  let mixed: ResultsIndex;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'query-'));
    mixed = await buildResultsIndex(sourcesFor(dataset, RESULTS_BATCH_IDS.mixed, dir));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const ids = (rows: ResultRow[]) => rows.map((r) => r.customId ?? `#${r.line}`);

  it('starts with every row in input order, results without an input line last', () => {
    const view = new ResultsView(mixed);
    assert.equal(view.summary, mixed.summary);
    const rows = view.rows(0, 100);
    assert.equal(rows.length, mixed.rowCount);
    assert.deepEqual(
      rows.map((r) => r.id),
      rows.map((_, i) => i),
    );
    assert.deepEqual(ids(rows.slice(-2)), ['mixed-ghost', 'mixed-01']);
  });

  it('filters by outcome and by error key, counting the input’s requests as the summary does', () => {
    const view = new ResultsView(mixed);
    for (const o of mixed.summary.outcomes) assert.equal(view.query({ outcomes: [o.outcome] }), o.count, o.outcome);
    assert.equal(view.query({ outcomes: ['failed', 'missing'] }), 12);
    for (const e of mixed.summary.errors) assert.equal(view.query({ errorKey: e.key }), e.count, e.key);
    assert.equal(view.query({ errorKey: 'code:context_length_exceeded' }), 2);
    assert.deepEqual(ids(view.rows(0, 10)), ['mixed-12', 'mixed-dup']);
    assert.equal(view.query({ errorKey: 'code:nothing_like_it' }), 0);
    assert.equal(view.query({ outcomes: [] }), mixed.rowCount);
  });

  it('searches custom_id, preview and error message, ignoring case', () => {
    const view = new ResultsView(mixed);
    assert.deepEqual((view.query({ search: 'CANBERRA' }), ids(view.rows(0, 10))), ['mixed-01']);
    assert.deepEqual((view.query({ search: 'mixed-1' }), ids(view.rows(0, 10))), ['mixed-10', 'mixed-11', 'mixed-12', 'mixed-13', 'mixed-14', 'mixed-15', 'mixed-16']);
    assert.deepEqual((view.query({ search: 'overloaded' }), ids(view.rows(0, 10))), ['mixed-11']);
    assert.deepEqual((view.query({ search: '<SCRIPT>' }), ids(view.rows(0, 10))), ['mixed-06']);
    assert.equal(view.query({ search: 'context length', outcomes: ['succeeded'] }), 0);
    assert.equal(view.query({ search: '   ' }), mixed.rowCount);
  });

  it('sorts by every column both ways; ties and empty values keep input order, empties last', () => {
    const view = new ResultsView(mixed);
    view.query({ sort: { column: 'status', descending: true } });
    const statuses = view.rows(0, 100).map((r) => r.status);
    const withStatus = statuses.filter((s) => s !== undefined) as number[];
    assert.deepEqual(withStatus, [...withStatus].sort((a, b) => b - a));
    assert.ok(statuses.slice(withStatus.length).every((s) => s === undefined), 'rows without a status come last');
    const rows200 = view.rows(0, 100).filter((r) => r.status === 200);
    assert.deepEqual(
      rows200.map((r) => r.id),
      rows200.map((r) => r.id).sort((a, b) => a - b),
      'equal statuses keep input order',
    );

    view.query({ sort: { column: 'customId', descending: false } });
    const natural = ids(view.rows(0, 100)).filter((id) => !id.startsWith('#'));
    assert.deepEqual(natural.slice(0, 3), ['mixed-01', 'mixed-01', 'mixed-02']);
    assert.ok(natural.indexOf('mixed-09') < natural.indexOf('mixed-10'), 'numbers by value');

    for (const column of ['line', 'customId', 'outcome', 'status', 'finishReason', 'tokens', 'preview'] as const) {
      for (const descending of [false, true]) {
        assert.equal(view.query({ sort: { column, descending } }), mixed.rowCount);
        assert.equal(new Set(view.rows(0, 100).map((r) => r.id)).size, mixed.rowCount, `${column} ${descending}`);
      }
    }
    view.query({ sort: { column: 'line', descending: true } });
    assert.deepEqual(view.rows(0, 2).map((r) => r.line), [22, 21]);
    view.query({ sort: { column: 'outcome', descending: false } });
    assert.deepEqual(view.rows(0, 1).map((r) => r.outcome), ['succeeded']);
  });

  it('hands out windows of at most MAX_ROWS_PER_MESSAGE rows, and the matching ids in input order', async () => {
    const large = await largeIndex();
    const view = new ResultsView(large);
    assert.equal(view.query({ sort: { column: 'tokens', descending: true } }), large.rowCount);
    assert.equal(view.rows(0, 10_000).length, MAX_ROWS_PER_MESSAGE);
    assert.equal(view.rows(large.rowCount - 5, 100).length, 5);
    assert.deepEqual(view.rows(-3, 2).map((r) => r.id).length, 2);
    assert.deepEqual(view.rows(large.rowCount + 10, 10), []);
    assert.deepEqual(view.rows(0, Number.NaN), []);
    const failed = view.query({ outcomes: ['failed'], sort: { column: 'preview', descending: false } });
    const matching = view.matchingIds();
    assert.equal(matching.length, failed);
    assert.ok(matching.every((id, i) => i === 0 || id > matching[i - 1]));
  });

  it('opens a row: request and result read by offset, pretty-printed', async () => {
    const view = new ResultsView(mixed);
    const row = mixed.columns.customId.indexOf('mixed-03');
    const details = await view.details(row);
    assert.equal(details.customId, 'mixed-03');
    assert.equal(details.resultKind, 'output');
    assert.equal(details.truncated, false);
    assert.deepEqual(JSON.parse(details.request!), JSON.parse(fs.readFileSync(path.join(dir, 'file-results-mixed-input.jsonl'), 'utf8').split('\n')[2]));
    assert.match(details.request!, /^\{\n {2}"custom_id": "mixed-03",\n {2}"method": "POST",/);
    assert.equal((JSON.parse(details.result!) as { custom_id: string }).custom_id, 'mixed-03');

    const missing = await view.details(mixed.columns.customId.indexOf('mixed-15'));
    assert.deepEqual([missing.resultKind, missing.result], ['none', undefined]);
    const orphan = await view.details(mixed.rowCount - 1);
    assert.deepEqual([orphan.request, orphan.resultKind], [undefined, 'error']);
    const unreadable = await view.details(15);
    assert.equal(unreadable.request, '{"custom_id": "mixed-broken", "method": "POST", "url": "/v1/chat/comp');
    const notUtf8 = await view.details(mixed.columns.customId.indexOf('mixed-07'));
    assert.match(notUtf8.result!, /Invalid bytes follow: \ufffd\ufffd/);
    await assert.rejects(view.details(10_000), /no row 10000/);
    await assert.rejects(view.fullText(mixed.columns.customId.indexOf('mixed-15'), 'result'), /no result line/);
  });

  it('cuts bodies over the display limit; the full text has them whole', async () => {
    const huge = await buildResultsIndex(sourcesFor(dataset, RESULTS_BATCH_IDS.huge, dir));
    const view = new ResultsView(huge);
    const row = huge.columns.customId.indexOf('huge-1');
    const details = await view.details(row);
    assert.equal(details.truncated, true);
    assert.equal(Buffer.byteLength(details.result!), DETAILS_DISPLAY_BYTES);
    const full = await view.fullText(row, 'result');
    assert.ok(full.length > 10_000_000);
    assert.equal((JSON.parse(full) as { custom_id: string }).custom_id, 'huge-1');
  });

  it('pretty-prints token for token, and leaves text that is not JSON as it is', () => {
    assert.equal(prettyJson('{"a":[1,2.50,{}],"b":{"c":"x\\"y, {z}"},"e":[],"n":12345678901234567890}'), '{\n  "a": [\n    1,\n    2.50,\n    {}\n  ],\n  "b": {\n    "c": "x\\"y, {z}"\n  },\n  "e": [],\n  "n": 12345678901234567890\n}');
    assert.equal(prettyJson('{"2":1,"1":2}'), '{\n  "2": 1,\n  "1": 2\n}');
    assert.equal(prettyJson(' { "a" : 1 } '), '{\n  "a": 1\n}');
    assert.equal(prettyJson('not {json'), 'not {json');
  });

  let largeCache: Promise<ResultsIndex> | undefined;
  /** The generated batch at a tenth of its size: the same shapes, fast enough for a unit test. */
  function largeIndex(): Promise<ResultsIndex> {
    largeCache ??= (async () => {
      const paths = await writeBatchFiles(dir, largeResultsSpec({ requests: 5000, seed: 7, answerChars: 400 }));
      const index = await buildResultsIndex({ batch: parseBatch({ id: 'b', status: 'completed' }).batch!, input: { path: paths.input }, output: { path: paths.output }, error: { path: paths.error } });
      assert.equal(index.columns.customId[4999], customIdOf(5000, 5000));
      return index;
    })();
    return largeCache;
  }
});
