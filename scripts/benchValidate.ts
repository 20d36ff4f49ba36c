// Create's local check, measured: `validateMBps` on a 200 MB, 50,000-request input file, and
// `validateVsRead`, its time over the time to stream the same file's bytes from disk with Node's default
// read stream, as the upload does (target ≤ 3). Both from the page cache, medians of five runs.
// Used by `npm run bench`; standalone: `node out/scripts/benchValidate.js` prints the figures as JSON.
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { once } from 'node:events';
import { checkBatchInputFile } from '../src/core/batchInput';

const REQUESTS = 50_000;
/** Just under the API's 200 MB: the file is valid, so the check does all its work on every line. */
const LINE_BYTES = Math.floor((200 * 1024 * 1024 - 1) / REQUESTS);
const RUNS = 5;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x: number, digits = 2) => Number(x.toFixed(digits));

/** Chat requests of varied text (a fixed pseudo-random sequence), each line exactly LINE_BYTES with its newline. */
async function writeInput(file: string): Promise<number> {
  const words = 'batch model token request answer question summary reason cost window line file upload result error output input estimate prompt system user'.split(' ');
  let seed = 42;
  const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
  const out = createWriteStream(file);
  let bytes = 0;
  for (let i = 0; i < REQUESTS; i++) {
    const request = { custom_id: `request-${i}`, method: 'POST', url: '/v1/chat/completions', body: { model: 'gpt-4o-mini', messages: [{ role: 'system', content: 'Answer briefly.' }, { role: 'user', content: '' }] } };
    const room = LINE_BYTES - 1 - Buffer.byteLength(JSON.stringify(request));
    let text = '';
    while (text.length < room) text += `${words[next() % words.length]} `;
    request.body.messages[1].content = text.slice(0, room);
    const line = `${JSON.stringify(request)}\n`;
    bytes += line.length;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return bytes;
}

async function timeRead(file: string): Promise<number> {
  const started = performance.now();
  let bytes = 0;
  for await (const chunk of createReadStream(file)) bytes += (chunk as Buffer).length;
  if (bytes === 0) throw new Error('read nothing');
  return (performance.now() - started) / 1000;
}

async function timeValidate(file: string): Promise<number> {
  const started = performance.now();
  const check = await checkBatchInputFile(file);
  const seconds = (performance.now() - started) / 1000;
  if (check.requests !== REQUESTS || check.problemCount !== 0) throw new Error(`the bench file should be valid: ${check.requests} requests, ${check.problemCount} problems (${check.problems[0]?.message})`);
  return seconds;
}

export async function validateFigures(): Promise<{ validateMBps: number; validateVsRead: number }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-validate-'));
  try {
    const file = path.join(dir, 'requests.jsonl');
    const bytes = await writeInput(file);
    await timeRead(file); // warm the page cache, as a file just saved is
    await timeValidate(file);
    const reads: number[] = [];
    const checks: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      reads.push(await timeRead(file));
      checks.push(await timeValidate(file));
    }
    const validateS = median(checks);
    return { validateMBps: round(bytes / 2 ** 20 / validateS, 1), validateVsRead: round(validateS / median(reads)) };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  validateFigures().then(
    (figures) => console.log(JSON.stringify(figures)),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
