import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApiError } from '../../src/core/apiError';
import { buildResultsIndex, type ResultsIndex } from '../../src/core/results/resultsIndex';
import { CSV_COLUMNS, exportResults, textCell } from '../../src/core/results/resultsExport';
import { ResultsView } from '../../src/core/results/resultsQuery';
import { parseBatch } from '../../src/core/batch';
import { writeBatchFiles } from '../fake-openai/batchFiles';
import { HTML_ANSWER, largeResultsSpec, RESULTS_BATCH_IDS, resultsDataset } from '../fake-openai/resultsDatasets';
import { sourcesFor } from '../support/resultsFiles';

/** RFC 4180 reader for the tests: quoted fields, doubled quotes, CRLF records. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"' && field === '') {
      for (i++; i < text.length; i++) {
        if (text[i] === '"' && text[i + 1] === '"') {
          field += '"';
          i++;
        } else if (text[i] === '"') break;
        else field += text[i];
      }
    } else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else field += ch;
  }
  return records;
}

describe('exportResults', function () {
  this.timeout(30_000);
  const dataset = resultsDataset({ now: 1_750_000_000 });
  let dir: string;
  let mixed: ResultsIndex;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'export-'));
    mixed = await buildResultsIndex(sourcesFor(dataset, RESULTS_BATCH_IDS.mixed, dir));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const parts = () => fs.readdirSync(dir).filter((f) => f.endsWith('.part'));

  it('writes JSON Lines: one object per request in input order, bodies copied byte for byte', async () => {
    const target = path.join(dir, 'all.jsonl');
    const progress: number[] = [];
    const result = await exportResults(mixed, 'all', 'jsonl', target, { onProgress: (done, total) => progress.push(done / total) });
    const text = fs.readFileSync(target, 'utf8');
    assert.deepEqual(result, { rows: mixed.rowCount, bytes: fs.statSync(target).size });
    assert.equal(progress[progress.length - 1], 1);
    const lines = text.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(lines.length, mixed.rowCount);
    assert.deepEqual(Object.keys(lines[0]), ['custom_id', 'outcome', 'status_code', 'request', 'response', 'error']);
    assert.deepEqual(
      lines.map((l) => l.custom_id),
      mixed.columns.customId.map((id) => id ?? null),
    );
    const first = lines[0] as { outcome: string; status_code: number; request: { messages: unknown[] }; response: { choices: { message: { content: string } }[] }; error: null };
    assert.deepEqual([first.outcome, first.status_code, first.error], ['succeeded', 200, null]);
    assert.deepEqual(first.request.messages, [{ role: 'user', content: 'Question 1' }]);
    assert.equal(first.response.choices[0].message.content, 'Canberra');
    const byId = (id: string) => lines.find((l) => l.custom_id === id)!;
    assert.deepEqual(byId('mixed-12').error, { message: "This model's maximum context length is 128000 tokens. However, your messages resulted in 131072 tokens. Please reduce the length of the messages.", type: 'invalid_request_error', param: null, code: 'context_length_exceeded' });
    assert.deepEqual(byId('mixed-14').error, { code: 'invalid_request', message: 'The request body is missing the required field "messages".' });
    assert.deepEqual([byId('mixed-15').outcome, byId('mixed-15').response, byId('mixed-15').status_code], ['missing', null, null]);
    // The answer that was not UTF-8 stays as it was written (its bytes copied, not re-encoded).
    assert.ok(fs.readFileSync(target).includes(Buffer.from([0xff, 0xfe])));
    assert.deepEqual(parts(), []);
  });

  it('writes CSV: the chosen rows with the full answer text, quoted, formulas made inert', async () => {
    const view = new ResultsView(mixed);
    view.query({ outcomes: ['succeeded', 'failed'] });
    const target = path.join(dir, 'some.csv');
    await exportResults(mixed, view.matchingIds(), 'csv', target);
    const records = parseCsv(fs.readFileSync(target, 'utf8'));
    assert.deepEqual(records[0], [...CSV_COLUMNS]);
    assert.equal(records.length - 1, 16);
    const row = (id: string) => records.find((r) => r[0] === id)!;
    assert.deepEqual(row('mixed-01'), ['mixed-01', 'succeeded', '200', '', 'stop', '27', 'Canberra']);
    assert.deepEqual(row('mixed-06').slice(6), [HTML_ANSWER]);
    assert.deepEqual(row('mixed-03')[6], 'get_weather({"q":0})\nlookup_order({"q":1})');
    assert.deepEqual(row('mixed-09').slice(1, 6), ['failed', '429', 'rate_limit_exceeded', '', '']);
  });

  it('quotes fields per RFC 4180 and defuses formula injection', () => {
    assert.equal(textCell('plain'), 'plain');
    assert.equal(textCell('a,b'), '"a,b"');
    assert.equal(textCell('say "hi"'), '"say ""hi"""');
    assert.equal(textCell('two\nlines'), '"two\nlines"');
    assert.equal(textCell('=HYPERLINK("http://x")'), `"'=HYPERLINK(""http://x"")"`);
    assert.equal(textCell('+1'), "'+1");
    assert.equal(textCell('@SUM(A1)'), "'@SUM(A1)");
  });

  it('leaves nothing behind when cancelled, and does not touch an existing destination', async () => {
    const target = path.join(dir, 'cancelled.jsonl');
    fs.writeFileSync(target, 'keep me');
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(exportResults(mixed, 'all', 'jsonl', target, { signal: controller.signal }), (e: ApiError) => e.isAborted);
    // Cancelled part way, with the temporary file open and written to.
    const paths = await writeBatchFiles(dir, largeResultsSpec({ requests: 2000, seed: 3, answerChars: 200 }));
    const large = await buildResultsIndex({ batch: parseBatch({ id: 'b', status: 'completed' }).batch!, input: { path: paths.input }, output: { path: paths.output }, error: { path: paths.error } });
    const midway = new AbortController();
    let seen = 0;
    await assert.rejects(
      exportResults(large, 'all', 'csv', target, {
        signal: midway.signal,
        onProgress: (done) => {
          seen = done;
          midway.abort();
        },
      }),
      (e: ApiError) => e.isAborted,
    );
    assert.ok(seen > 0 && seen < 2000);
    assert.equal(fs.readFileSync(target, 'utf8'), 'keep me');
    assert.deepEqual(parts(), []);
  });

  it('fails cleanly when a file it reads from has gone', async () => {
    const sources = sourcesFor(dataset, RESULTS_BATCH_IDS.expired, dir);
    const index = await buildResultsIndex(sources);
    fs.rmSync((sources.output as { path: string }).path);
    await assert.rejects(exportResults(index, 'all', 'csv', path.join(dir, 'gone.csv')), /ENOENT/);
    assert.equal(fs.existsSync(path.join(dir, 'gone.csv')), false);
    assert.deepEqual(parts(), []);
  });
});
