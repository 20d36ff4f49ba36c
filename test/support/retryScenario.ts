// Batches whose results are planned per request (its fate), written as real input, output and error files
// and indexed by the results engine: what the retry selection and the combined join are tested on.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseBatch, type Batch } from '../../src/core/batch';
import type { Outcome } from '../../src/core/results/protocol';
import { buildResultsIndex, type ResultsIndex } from '../../src/core/results/resultsIndex';
import type { FakeBatch, FakeFile } from '../fake-openai/dataset';

export type Fate = 'succeeded' | 'rateLimited' | 'contextLength' | 'serverError' | 'expired' | 'cancelled' | 'missing';
export const FATES: readonly Fate[] = ['succeeded', 'rateLimited', 'contextLength', 'serverError', 'expired', 'cancelled', 'missing'];

/** Each fate's outcome, and its error group when it failed. */
export const FATE_OUTCOME: Readonly<Record<Fate, { outcome: Outcome; key?: string }>> = {
  succeeded: { outcome: 'succeeded' },
  rateLimited: { outcome: 'failed', key: 'code:rate_limit_exceeded' },
  contextLength: { outcome: 'failed', key: 'code:context_length_exceeded' },
  serverError: { outcome: 'failed', key: 'status:500' },
  expired: { outcome: 'expired', key: 'code:batch_expired' },
  cancelled: { outcome: 'cancelled', key: 'code:batch_cancelled' },
  missing: { outcome: 'missing' },
};

export interface PlannedRequest {
  /** The input line exactly as written (spacing, key order and escapes vary: it must be copied, not rebuilt). */
  readonly line: string;
  readonly customId: string;
  readonly fate: Fate;
}

/** A chat request line for `customId`; `style` picks one of several spellings of the same JSON. */
export function requestLine(customId: string, style: number, text = `question ${customId}`): string {
  const body = `{"model":"gpt-4o-mini","messages":[{"role":"user","content":${JSON.stringify(text)}}]}`;
  switch (style % 4) {
    case 0:
      return `{"custom_id":${JSON.stringify(customId)},"method":"POST","url":"/v1/chat/completions","body":${body}}`;
    case 1:
      return `{ "custom_id": ${JSON.stringify(customId)}, "method": "POST", "url": "/v1/chat/completions", "body": ${body} }`;
    case 2:
      // Escapes a parse-and-stringify would rewrite.
      return `{"method":"POST","custom_id":${JSON.stringify(customId)},"url":"\\/v1\\/chat\\/completions","body":{"model":"gpt-4o-mini","messages":[{"role":"user","content":"caf\\u00e9 ${customId.replace(/["\\]/g, '')}"}]}}`;
    default:
      return `{"custom_id":${JSON.stringify(customId)},"method":"POST","url":"/v1/chat/completions","body":${body},"extra":  [1.50, 2e3, "☃"]}`;
  }
}

/** The result line a fate produces (undefined: no line in either file). */
export function resultLine(customId: string, fate: Fate, n: number, answer = `answer ${n} to ${customId}`): { file: 'output' | 'error'; text: string } | undefined {
  const line = (response: unknown, error: unknown) => JSON.stringify({ id: `batch_req_${n}`, custom_id: customId, response, error });
  const failure = (status: number, code: string | null) => line({ status_code: status, request_id: `req_${n}`, body: { error: { message: `error ${n}`, type: 'x', param: null, code } } }, null);
  switch (fate) {
    case 'succeeded':
      return { file: 'output', text: line({ status_code: 200, request_id: `req_${n}`, body: { choices: [{ index: 0, message: { role: 'assistant', content: answer }, finish_reason: 'stop' }], usage: { prompt_tokens: 10, completion_tokens: 2 } } }, null) };
    case 'rateLimited':
      return { file: 'output', text: failure(429, 'rate_limit_exceeded') };
    case 'contextLength':
      return { file: 'error', text: failure(400, 'context_length_exceeded') };
    case 'serverError':
      return { file: 'error', text: failure(500, null) };
    case 'expired':
      return { file: 'error', text: line(null, { code: 'batch_expired', message: 'This request could not be executed before the completion window expired.' }) };
    case 'cancelled':
      return { file: 'error', text: line(null, { code: 'batch_cancelled', message: 'This request was not executed because the batch was cancelled.' }) };
    case 'missing':
      return undefined;
  }
}

export interface WrittenBatch {
  readonly batch: Batch;
  readonly index: ResultsIndex;
  readonly inputPath: string;
  /** The output file's lines by custom_id (to check what an export copied). */
  readonly results: ReadonlyMap<string, string>;
}

/**
 * Writes a batch's three files into `dir` (output and error in a shuffled order, CRLF if asked) and
 * indexes them. `extraInput` lines (blank, unreadable) go in after the request at that position.
 */
export async function writeBatch(
  dir: string,
  id: string,
  requests: readonly PlannedRequest[],
  options: { seed?: number; crlf?: boolean; finalNewline?: boolean; extraInput?: ReadonlyMap<number, string>; createdAt?: number; status?: string; metadata?: Record<string, string> } = {},
): Promise<WrittenBatch> {
  const eol = options.crlf ? '\r\n' : '\n';
  const inputLines: string[] = [];
  requests.forEach((r, i) => {
    inputLines.push(r.line);
    const extra = options.extraInput?.get(i);
    if (extra !== undefined) inputLines.push(extra);
  });
  const output: string[] = [];
  const error: string[] = [];
  const results = new Map<string, string>();
  requests.forEach((r, i) => {
    const result = resultLine(r.customId, r.fate, i + 1, `answer of ${id} to ${r.customId}`);
    if (!result) return;
    (result.file === 'output' ? output : error).push(result.text);
    results.set(r.customId, result.text);
  });
  const write = (kind: string, lines: string[]) => {
    const file = path.join(dir, `${id}-${kind}.jsonl`);
    const text = lines.join(eol) + (lines.length > 0 && options.finalNewline !== false ? eol : '');
    fs.writeFileSync(file, text);
    return file;
  };
  const inputPath = write('input', inputLines);
  const outputPath = write('output', shuffle(output, options.seed ?? 1));
  const errorPath = write('error', shuffle(error, (options.seed ?? 1) + 7));
  const batch = parseBatch({
    id,
    status: options.status ?? 'completed',
    endpoint: '/v1/chat/completions',
    input_file_id: `file-${id}-input`,
    output_file_id: `file-${id}-output`,
    error_file_id: `file-${id}-error`,
    created_at: options.createdAt ?? 1_750_000_000,
    metadata: options.metadata,
  }).batch!;
  const index = await buildResultsIndex({ batch, input: { path: inputPath }, output: { path: outputPath }, error: { path: errorPath } });
  return { batch, index, inputPath, results };
}

export function shuffle<T>(items: T[], seed: number): T[] {
  let s = seed >>> 0 || 1;
  for (let i = items.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/** What the fake needs to finish a batch: its batches and files, as FakeOpenAI has them. */
interface FakeServer {
  readonly batches: FakeBatch[];
  readonly files: Map<string, FakeFile>;
  addFile(file: FakeFile): void;
}

/**
 * Finishes a batch the fake holds (one the extension created): every request of its input gets the fate
 * `fateOf` gives its custom_id; output and error files are written (output in reverse order), and the
 * batch is `completed` with its counts.
 */
export function finishFakeBatch(fake: FakeServer, batchId: string, fateOf: (customId: string) => Fate): FakeBatch {
  const batch = fake.batches.find((b) => b.id === batchId);
  if (!batch?.input_file_id) throw new Error(`no batch ${batchId} with an input file`);
  const input = fake.files.get(batch.input_file_id);
  if (!input || typeof input.content !== 'string') throw new Error(`no input file for ${batchId}`);
  const ids = input.content
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => (JSON.parse(l) as { custom_id: string }).custom_id);
  const output: string[] = [];
  const error: string[] = [];
  ids.forEach((id, i) => {
    const result = resultLine(id, fateOf(id), i + 1, `answer of ${batchId} to ${id}`);
    if (result) (result.file === 'output' ? output : error).push(result.text);
  });
  const now = Math.floor(Date.now() / 1000);
  const file = (kind: string, lines: string[]): string | null => {
    if (lines.length === 0) return null;
    const content = lines.reverse().map((l) => `${l}\n`).join('');
    const id = `file-${batchId}-${kind}`;
    fake.addFile({ meta: { id, object: 'file', bytes: Buffer.byteLength(content), created_at: now, filename: `${batchId}_${kind}.jsonl`, purpose: 'batch_output', status: 'processed', expires_at: null, status_details: null }, content });
    return id;
  };
  const succeeded = ids.filter((id) => fateOf(id) === 'succeeded').length;
  const notRun = ids.filter((id) => fateOf(id) === 'missing').length;
  Object.assign(batch, {
    status: 'completed',
    in_progress_at: now - 60,
    finalizing_at: now - 10,
    completed_at: now,
    output_file_id: file('output', output),
    error_file_id: file('error', error),
    request_counts: { total: ids.length, completed: succeeded, failed: ids.length - succeeded - notRun },
  });
  return batch;
}
