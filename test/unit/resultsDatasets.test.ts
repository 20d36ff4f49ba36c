// The results datasets are test fixtures other suites trust: they must say what they claim.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { batchFileChunks, batchFilesFacts, customIdOf, expectedOutcomes, writeBatchFiles } from '../fake-openai/batchFiles';
import { contentBytes, contentChunks } from '../fake-openai/dataset';
import { addResultsBatches, LARGE_RESULTS, largeResultsBatch, largeResultsSpec, RESULTS_BATCH_IDS, resultsDataset } from '../fake-openai/resultsDatasets';
import { FakeOpenAI } from '../fake-openai/server';

describe('results datasets of the fake API', function () {
  this.timeout(60_000);

  it('names every batch it makes, newest first, each file announced at its real size', () => {
    const { batches, files } = resultsDataset({ now: 1_750_000_000, large: true });
    assert.deepEqual(new Set(batches.map((b) => b.id)), new Set(Object.values(RESULTS_BATCH_IDS)));
    assert.ok(batches.every((b, i) => i === 0 || b.created_at <= batches[i - 1].created_at));
    for (const f of files.filter((f) => !f.meta.id.includes('50k'))) {
      let streamed = 0;
      for (const chunk of contentChunks(f.content)) streamed += chunk.length;
      assert.equal(streamed, f.meta.bytes, f.meta.id);
      assert.equal(contentBytes(f.content), f.meta.bytes, f.meta.id);
    }
    const byId = new Map(batches.map((b) => [b.id, b]));
    assert.equal(byId.get(RESULTS_BATCH_IDS.allFailed)!.output_file_id, null);
    assert.equal(byId.get(RESULTS_BATCH_IDS.noErrors)!.error_file_id, '');
    const gone = byId.get(RESULTS_BATCH_IDS.outputGone)!;
    assert.ok(gone.output_file_id && !files.some((f) => f.meta.id === gone.output_file_id));
  });

  it('generates the large batch consistently: ids join, output in a fixed shuffled order, sizes as announced', async () => {
    const spec = largeResultsSpec({ requests: 3000, seed: 11, answerChars: 300 });
    const lines = (kind: 'input' | 'output' | 'error') => Buffer.concat([...batchFileChunks(spec, kind)]).toString('utf8').split('\n').slice(0, -1);
    const input = lines('input').map((l) => (JSON.parse(l) as { custom_id: string }).custom_id);
    assert.deepEqual(input.slice(0, 3), [customIdOf(1, 3000), customIdOf(2, 3000), customIdOf(3, 3000)]);
    assert.equal(input[0], 'request-0001');
    const output = lines('output').map((l) => JSON.parse(l) as { custom_id: string; response: { status_code: number } });
    const errors = lines('error').map((l) => JSON.parse(l) as { custom_id: string; response: { status_code: number } });
    const expected = expectedOutcomes(spec.fates);
    assert.equal(output.length + errors.length + expected.missing, 3000);
    assert.equal(output.filter((l) => l.response.status_code === 200).length, expected.succeeded);
    assert.ok(errors.every((l) => l.response.status_code >= 400));
    assert.ok(output.some((l) => l.response.status_code === 429), 'a non-2xx response in the output file');
    const all = [...output, ...errors].map((l) => l.custom_id);
    assert.equal(new Set(all).size, all.length);
    const inputIds = new Set(input);
    assert.ok(all.every((id) => inputIds.has(id)));
    assert.notDeepEqual(all.slice(0, 20), input.slice(0, 20), 'completion order, not input order');
    assert.deepEqual(lines('output').slice(0, 5), lines('output').slice(0, 5), 'deterministic');

    const facts = batchFilesFacts(spec);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'large-'));
    try {
      const paths = await writeBatchFiles(dir, spec);
      for (const kind of ['input', 'output', 'error'] as const) assert.equal(fs.statSync(paths[kind]).size, facts.bytes[kind]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('makes the 50,000-request batch’s output about 200 MB, sized without being generated', () => {
    const bytes = batchFilesFacts(LARGE_RESULTS).bytes.output;
    assert.ok(bytes > 190 * 1024 * 1024 && bytes < 215 * 1024 * 1024, `${bytes}`);
    const { batch, files } = largeResultsBatch();
    assert.equal(batch.request_counts?.total, 50_000);
    assert.deepEqual(
      files.map((f) => f.meta.bytes),
      files.map((f) => contentBytes(f.content)),
    );
  });

  it('serves the batches from a running fake, files streamed as announced', async () => {
    const fake = await FakeOpenAI.start({ count: 3 });
    try {
      const added = addResultsBatches(fake, { now: 1_750_000_000 });
      assert.deepEqual(
        fake.batches.slice(0, added.length).map((b) => b.id),
        added.map((b) => b.id),
      );
      const auth = { authorization: `Bearer ${fake.apiKey}` };
      const mixed = (await (await fetch(`${fake.baseUrl}/batches/${RESULTS_BATCH_IDS.mixed}`, { headers: auth })).json()) as { output_file_id: string };
      const meta = (await (await fetch(`${fake.baseUrl}/files/${mixed.output_file_id}`, { headers: auth })).json()) as { bytes: number };
      const content = Buffer.from(await (await fetch(`${fake.baseUrl}/files/${mixed.output_file_id}/content`, { headers: auth })).arrayBuffer());
      assert.equal(content.length, meta.bytes);
      assert.ok(content.includes(Buffer.from([0xff, 0xfe])), 'bytes that are not UTF-8 arrive as they are');
    } finally {
      await fake.close();
    }
  });
});
