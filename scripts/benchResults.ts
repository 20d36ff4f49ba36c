// Results figures for `npm run bench`: indexing the generated 50,000-request batch (a ~200 MB output file)
// against just streaming the same bytes from disk and splitting them into lines, in the same run, and the
// memory indexing takes. Standalone: `node out/scripts/benchResults.js` prints the figures.
import { execFileSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseBatch } from '../src/core/batch';
import { readLines } from '../src/core/results/lineReader';
import { buildResultsIndex } from '../src/core/results/resultsIndex';
import { expectedOutcomes, writeBatchFiles } from '../test/fake-openai/batchFiles';
import { LARGE_RESULTS } from '../test/fake-openai/resultsDatasets';

const RUNS = 5;
const CHUNK = 1024 * 1024;

export interface ResultsFigures {
  /** Index time ÷ stream-and-split time, medians of interleaved runs. Target ≤ 2.5. */
  resultsIndexVsRead: number;
  /** Peak RSS growth while indexing, MB. Target ≤ 150. */
  resultsRssMB: number;
  resultsIndexS: number;
  resultsReadS: number;
}

type Paths = Record<'input' | 'output' | 'error', string>;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x: number, digits = 2) => Number(x.toFixed(digits));

/** A collection now, when the run allows it, so each measured run starts from the same heap. */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as (() => void) | undefined;
  return () => gc?.();
}

/**
 * The baseline: stream each file with Node's read stream (its default chunks, as benchValidate's baseline
 * and the upload read) and split it into lines on a Buffer-level indexOf loop, nothing more.
 */
async function streamAndSplit(paths: Paths, highWaterMark?: number): Promise<number> {
  let lines = 0;
  for (const file of [paths.input, paths.output, paths.error]) {
    let carry: Buffer[] = [];
    for await (const chunk of createReadStream(file, highWaterMark ? { highWaterMark } : {}) as AsyncIterable<Buffer>) {
      let pos = 0;
      for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10, pos)) {
        // A line that began in an earlier chunk is joined, as any reader of whole lines must.
        if (carry.length > 0) {
          carry.push(chunk.subarray(0, nl));
          Buffer.concat(carry);
          carry = [];
        }
        lines++;
        pos = nl + 1;
      }
      if (pos < chunk.length) carry.push(chunk.subarray(pos));
    }
    if (carry.length > 0) lines++;
  }
  return lines;
}

async function index(paths: Paths) {
  return buildResultsIndex({
    batch: parseBatch({ id: 'batch_bench', status: 'completed' }).batch!,
    input: { path: paths.input },
    output: { path: paths.output },
    error: { path: paths.error },
  });
}

export async function resultsFigures(): Promise<ResultsFigures> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-results-'));
  const gc = collector();
  try {
    const paths = await writeBatchFiles(dir, LARGE_RESULTS);
    const expected = expectedOutcomes(LARGE_RESULTS.fates);
    // Warm-up: the page cache holds the files, the code is compiled.
    await streamAndSplit(paths);
    const warm = await index(paths);
    if (warm.summary.total !== expected.total || warm.summary.outcomes[0].count !== expected.succeeded) throw new Error('the index does not match the generated batch');

    const readTimes: number[] = [];
    const indexTimes: number[] = [];
    const ownReaderTimes: number[] = [];
    const bigChunkTimes: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      gc();
      let t = performance.now();
      await streamAndSplit(paths);
      readTimes.push((performance.now() - t) / 1000);

      gc();
      t = performance.now();
      await streamAndSplit(paths, CHUNK);
      bigChunkTimes.push((performance.now() - t) / 1000);

      gc();
      t = performance.now();
      let n = 0;
      for (const file of [paths.input, paths.output, paths.error]) await readLines(file, { line: () => void n++, tooLong: () => void n++ });
      ownReaderTimes.push((performance.now() - t) / 1000);

      gc();
      t = performance.now();
      const result = await index(paths);
      indexTimes.push((performance.now() - t) / 1000);
      if (result.rowCount !== expected.total) throw new Error('short index');
    }
    // Memory in a fresh process: one that has indexed before keeps pages it would reuse.
    const peak = Number(execFileSync(process.execPath, [__filename, '--rss', dir], { encoding: 'utf8' }).trim());
    const readS = median(readTimes);
    const indexS = median(indexTimes);
    const ownS = median(ownReaderTimes);
    if (require.main === module) {
      // Stricter baselines, for the record: 1 MB chunks (the index's chunk size), and the index's own reader.
      const bigS = median(bigChunkTimes);
      console.log(`(stream and split in 1 MB chunks: ${round(bigS, 3)} s, index ÷ that ${round(indexS / bigS)}; the index's own reader, splitting only: ${round(ownS, 3)} s, index ÷ that ${round(indexS / ownS)})`);
    }
    return { resultsIndexVsRead: round(indexS / readS), resultsRssMB: round(peak / 1024 / 1024, 1), resultsIndexS: round(indexS, 3), resultsReadS: round(readS, 3) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** In a child process: index the files in `dir` once and print the peak RSS growth, in bytes. */
async function rssProbe(dir: string): Promise<void> {
  const paths = { input: path.join(dir, 'input.jsonl'), output: path.join(dir, 'output.jsonl'), error: path.join(dir, 'error.jsonl') };
  collector()();
  const baseline = process.memoryUsage.rss();
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss() - baseline)), 2);
  const result = await index(paths);
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss() - baseline);
  if (result.rowCount === 0) throw new Error('empty index');
  console.log(peak);
}

if (require.main === module && process.argv[2] === '--rss') {
  rssProbe(process.argv[3]).catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
} else if (require.main === module) {
  resultsFigures()
    .then((figures) => {
      console.log(`results: index ${figures.resultsIndexS} s, stream and split ${figures.resultsReadS} s (median of ${RUNS}, interleaved)`);
      console.log(`resultsIndexVsRead ${figures.resultsIndexVsRead} (target ≤ 2.5)   resultsRssMB ${figures.resultsRssMB} (target ≤ 150)`);
      console.log(JSON.stringify(figures));
    })
    .catch((e: unknown) => {
      console.error(e);
      process.exit(1);
    });
}
