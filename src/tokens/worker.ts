// The token worker, bundled on its own as dist/tokens.js and started in a worker thread when an estimate
// is first needed: the tokenizer's tables (megabytes) and the counting never load or run on the
// extension host's thread.
import { createReadStream, promises as fs } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { encodingFor, InputTokenTally, type CountTokens, type Encoding } from '../core/tokenEstimate';
import type { TokenReply, TokenRequest } from './protocol';

/** Every request is tokenized for this long; after each such period, a sample ten times smaller is. */
const BUDGET_MS = 2_000;
/** How often the worker looks up from counting: for cancellations and progress. */
const TURN_MS = 50;

const port = parentPort;
if (!port) throw new Error('dist/tokens.js runs in a worker thread.');
const cancelled = new Set<number>();
const counters = new Map<Encoding, Promise<CountTokens>>();

function counter(encoding: Encoding): Promise<CountTokens> {
  let pending = counters.get(encoding);
  if (!pending) {
    pending = encoding === 'cl100k_base' ? import('gpt-tokenizer/encoding/cl100k_base').then((m) => m.countTokens) : import('gpt-tokenizer/encoding/o200k_base').then((m) => m.countTokens);
    counters.set(encoding, pending);
  }
  return pending;
}

const send = (reply: TokenReply) => port.postMessage(reply);
const turn = () => new Promise((resolve) => setImmediate(resolve));

port.on('message', (request: TokenRequest) => {
  if (request.type === 'cancel') {
    cancelled.add(request.id);
    return;
  }
  count(request).then(
    (tokens) => send({ type: 'done', id: request.id, tokens }),
    (e: unknown) => send({ type: 'failed', id: request.id, message: e instanceof Error ? e.message : String(e) }),
  ).finally(() => cancelled.delete(request.id));
});

async function count(request: Extract<TokenRequest, { type: 'count' }>) {
  const encoding = encodingFor(request.model);
  const tally = new InputTokenTally(await counter(encoding), encoding);
  let budgetEnds = Date.now() + BUDGET_MS;
  let total = 0;
  let lastTurn = Date.now();
  const step = async (done: number) => {
    if (Date.now() - lastTurn < TURN_MS) return;
    send({ type: 'progress', id: request.id, fraction: total > 0 ? done / total : 0 });
    await turn();
    if (cancelled.has(request.id)) throw new Error('cancelled');
    if (Date.now() > budgetEnds) {
      tally.sampleLess();
      budgetEnds = Date.now() + BUDGET_MS;
    }
    lastTurn = Date.now();
  };
  if ('text' in request) {
    const text = request.text;
    total = text.length;
    for (let start = 0; start < text.length; ) {
      const end = text.indexOf('\n', start);
      const stop = end < 0 ? text.length : end;
      tally.addLine(text.slice(start, stop));
      start = stop + 1;
      await step(start);
    }
  } else {
    total = (await fs.stat(request.path)).size;
    let done = 0;
    let carry = '';
    for await (const chunk of createReadStream(request.path, { encoding: 'utf8' })) {
      const lines = (carry + (chunk as string)).split('\n');
      carry = lines.pop() ?? '';
      for (const line of lines) {
        tally.addLine(line);
        done += line.length + 1;
        await step(done);
      }
    }
    tally.addLine(carry);
  }
  return tally.result();
}
