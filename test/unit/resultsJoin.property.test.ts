// The join over generated input/output/error files: every outcome, shuffled completion order, orphans,
// duplicates, unreadable and blank lines, CRLF. What must hold: every input custom_id is accounted for
// exactly once, the outcome counts add up to the input's line count, and byte offsets find the lines.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as fc from 'fast-check';
import { parseBatch } from '../../src/core/batch';
import { OUTCOMES, type Outcome } from '../../src/core/results/protocol';
import { buildResultsIndex, RESULT_FILE, ROW_FLAG } from '../../src/core/results/resultsIndex';

type Fate = 'succeeded' | 'failedInOutput' | 'failedInError' | 'expired' | 'cancelled' | 'otherError' | 'missing';
const FATE_OUTCOME: Record<Fate, Outcome> = {
  succeeded: 'succeeded',
  failedInOutput: 'failed',
  failedInError: 'failed',
  expired: 'expired',
  cancelled: 'cancelled',
  otherError: 'failed',
  missing: 'missing',
};

interface InputSpec {
  /** Index into a small pool of ids, so some repeat; or a kind of unreadable line. */
  readonly id: number | 'garbage' | 'noCustomId' | 'numericId' | 'blank';
  readonly fate: Fate;
}

const idText = (n: number) => (n % 5 === 0 ? `id-${n}-é` : `id-${n}`);

function resultFor(customId: string, fate: Fate, n: number): { file: 'output' | 'error'; text: string } | undefined {
  const ok = { status_code: 200, request_id: `r${n}`, body: { choices: [{ message: { content: `answer ${n}` }, finish_reason: 'stop' }], usage: { prompt_tokens: n, completion_tokens: 1 } } };
  const http = (status: number, code: string | null) => ({ status_code: status, request_id: `r${n}`, body: { error: { message: `error ${n}`, type: 'x', code } } });
  const line = (response: unknown, error: unknown) => JSON.stringify({ id: `batch_req_${n}`, custom_id: customId, response, error });
  switch (fate) {
    case 'succeeded':
      return { file: 'output', text: line(ok, null) };
    case 'failedInOutput':
      return { file: 'output', text: line(http(429, 'rate_limit_exceeded'), null) };
    case 'failedInError':
      return { file: 'error', text: line(http(n % 2 ? 500 : 400, n % 2 ? null : 'context_length_exceeded'), null) };
    case 'expired':
      return { file: 'error', text: line(null, { code: 'batch_expired', message: 'expired' }) };
    case 'cancelled':
      return { file: 'error', text: line(null, { code: 'batch_cancelled', message: 'cancelled' }) };
    case 'otherError':
      return { file: 'error', text: line(null, { code: 'invalid_request', message: 'bad' }) };
    case 'missing':
      return undefined;
  }
}

const fate = fc.constantFrom<Fate>('succeeded', 'succeeded', 'failedInOutput', 'failedInError', 'expired', 'cancelled', 'otherError', 'missing');
const inputSpec = fc.record({
  id: fc.oneof({ weight: 12, arbitrary: fc.nat(40) }, { weight: 1, arbitrary: fc.constantFrom('garbage', 'noCustomId', 'numericId', 'blank') as fc.Arbitrary<InputSpec['id']> }),
  fate,
});
const scenario = fc.record({
  inputs: fc.array(inputSpec, { maxLength: 60 }),
  /** Results for ids not in the input, or one more than the input has lines for. */
  extras: fc.array(fc.record({ id: fc.nat(50), fate }), { maxLength: 6 }),
  unreadableResults: fc.array(fc.constantFrom('garbage', 'noCustomId', 'blank', 'array'), { maxLength: 4 }),
  seed: fc.integer(),
  crlf: fc.boolean(),
  finalNewline: fc.boolean(),
});

function shuffle<T>(items: T[], seed: number): T[] {
  let s = seed >>> 0 || 1;
  for (let i = items.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

describe('the join of a batch’s three files (property)', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'join-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('accounts for every input line exactly once, counts add up, offsets point at the lines', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const eol = s.crlf ? '\r\n' : '\n';
        // Input file: readable lines carry their id; the rest are the kinds of broken lines seen in the wild.
        const inputLines = s.inputs.map((spec, n) => {
          if (spec.id === 'garbage') return '{"custom_id": "cut off';
          if (spec.id === 'noCustomId') return JSON.stringify({ method: 'POST', url: '/v1/chat/completions', body: {} });
          if (spec.id === 'numericId') return JSON.stringify({ custom_id: 7, body: {} });
          if (spec.id === 'blank') return '   ';
          return JSON.stringify({ custom_id: idText(spec.id), method: 'POST', url: '/v1/chat/completions', body: { model: 'm', messages: [{ role: 'user', content: `q${n}` }] } });
        });
        const results: { file: 'output' | 'error'; text: string; customId: string; fate: Fate }[] = [];
        s.inputs.forEach((spec, n) => {
          if (typeof spec.id !== 'number') return;
          const r = resultFor(idText(spec.id), spec.fate, n);
          if (r) results.push({ ...r, customId: idText(spec.id), fate: spec.fate });
        });
        s.extras.forEach((extra, k) => {
          const r = resultFor(idText(extra.id), extra.fate, 1000 + k);
          if (r) results.push({ ...r, customId: idText(extra.id), fate: extra.fate });
        });
        const unreadable = s.unreadableResults.map((kind) => (kind === 'garbage' ? 'not json at all' : kind === 'noCustomId' ? '{"response": null, "error": null}' : kind === 'array' ? '[1, 2]' : ''));
        const outputLines = shuffle([...results.filter((r) => r.file === 'output').map((r) => r.text), ...unreadable.filter((_, i) => i % 2 === 0)], s.seed);
        const errorLines = shuffle([...results.filter((r) => r.file === 'error').map((r) => r.text), ...unreadable.filter((_, i) => i % 2 === 1)], s.seed ^ 0x5555);
        const join = (lines: string[]) => lines.join(eol) + (s.finalNewline && lines.length > 0 ? eol : '');
        const files = { input: join(inputLines), output: join(outputLines), error: join(errorLines) };
        const paths = { input: path.join(dir, 'input.jsonl'), output: path.join(dir, 'output.jsonl'), error: path.join(dir, 'error.jsonl') };
        for (const kind of ['input', 'output', 'error'] as const) fs.writeFileSync(paths[kind], files[kind]);

        const index = await buildResultsIndex({
          batch: parseBatch({ id: 'batch_prop', status: 'completed' }).batch!,
          input: { path: paths.input },
          output: { path: paths.output },
          error: { path: paths.error },
        });

        // The expectation, by the contract's rule: results meet their custom_id's input lines in order
        // (output file first, then error file); what is left over is an orphan.
        const nonBlank = inputLines.map((text, i) => ({ text, line: i + 1 })).filter((l) => l.text.trim() !== '');
        const waiting = new Map<string, number[]>();
        nonBlank.forEach((l, row) => {
          const spec = s.inputs[l.line - 1];
          if (typeof spec.id === 'number') waiting.set(idText(spec.id), [...(waiting.get(idText(spec.id)) ?? []), row]);
        });
        const expected: Outcome[] = nonBlank.map(() => 'missing');
        const orphanIds: string[] = [];
        for (const text of [...outputLines, ...errorLines]) {
          const r = results.find((x) => x.text === text);
          if (!r) continue;
          const row = waiting.get(r.customId)?.shift();
          if (row === undefined) orphanIds.push(r.customId);
          else expected[row] = FATE_OUTCOME[r.fate];
        }

        const { summary, columns: c } = index;
        assert.equal(summary.total, nonBlank.length);
        assert.equal(index.inputRows, nonBlank.length);
        assert.equal(summary.outcomes.reduce((sum, o) => sum + o.count, 0), summary.total);
        for (let row = 0; row < index.inputRows; row++) {
          assert.equal(c.inputLine[row], nonBlank[row].line);
          assert.equal(OUTCOMES[c.outcome[row]], expected[row], `row ${row}`);
        }
        // Every readable input custom_id exactly once, in input order.
        const readableIds = nonBlank.map((l) => s.inputs[l.line - 1].id).map((id) => (typeof id === 'number' ? idText(id) : undefined));
        assert.deepEqual(c.customId.slice(0, index.inputRows), readableIds);
        // Orphans come after the input's rows, flagged, with their ids.
        assert.deepEqual(c.customId.slice(index.inputRows), orphanIds);
        assert.equal(summary.anomalies.orphanCount, orphanIds.length);
        for (let row = index.inputRows; row < index.rowCount; row++) assert.ok(c.flags[row] & ROW_FLAG.orphan);
        const seen = new Set<string>();
        const duplicates = readableIds.filter((id) => id !== undefined && (seen.has(id) || !seen.add(id))).length;
        assert.equal(summary.anomalies.duplicateCount, duplicates);
        const brokenInputs = nonBlank.filter((l) => typeof s.inputs[l.line - 1].id !== 'number').length;
        assert.equal(summary.anomalies.unreadableCount, brokenInputs + unreadable.filter((u) => u !== '').length);

        // Byte offsets find each row's lines.
        const bytes = { input: Buffer.from(files.input), output: Buffer.from(files.output), error: Buffer.from(files.error) };
        for (let row = 0; row < index.rowCount; row++) {
          if (c.inputLine[row] !== 0) {
            const text = bytes.input.toString('utf8', c.inputOffset[row], c.inputOffset[row] + c.inputLength[row]);
            assert.equal(text, inputLines[c.inputLine[row] - 1]);
          }
          if (c.resultFile[row] !== RESULT_FILE.none) {
            const kind = c.resultFile[row] === RESULT_FILE.output ? 'output' : 'error';
            const text = bytes[kind].toString('utf8', c.resultOffset[row], c.resultOffset[row] + c.resultLength[row]);
            assert.equal(text, (kind === 'output' ? outputLines : errorLines)[c.resultLine[row] - 1]);
            assert.equal((JSON.parse(text) as { custom_id: string }).custom_id, c.customId[row]);
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});
