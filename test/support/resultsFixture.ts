// A small batch whose results are known by construction: each request's fate is planned first, the three
// files are written from the plan (output in a shuffled order), and the expected figures come from the plan,
// never from parsing the files. Used by the Results integration tests and UI checks.
import type { FakeBatch, FakeFile } from '../fake-openai/server';

export type PlannedFate = 'succeeded' | 'length' | 'context_length' | 'server_error' | 'rate_limited' | 'expired' | 'cancelled' | 'missing';

export interface ResultsFixture {
  readonly batch: FakeBatch;
  readonly files: FakeFile[];
  /** What the Results view must report (`errors`: every error group, expired and cancelled ones too). */
  readonly expected: {
    readonly total: number;
    readonly outcomes: { succeeded: number; failed: number; expired: number; cancelled: number; missing: number };
    readonly errors: Readonly<Record<string, number>>;
    readonly orphans: number;
    readonly duplicates: number;
    readonly unreadable: number;
    readonly inputTokens: number;
    readonly outputTokens: number;
  };
  /** custom_id → planned fate, in input order. */
  readonly plan: readonly (readonly [string, PlannedFate])[];
}

export interface FixtureOptions {
  readonly id: string;
  readonly status: 'completed' | 'expired' | 'cancelled' | 'in_progress';
  /** How many requests of each fate, in this order of input lines (interleaved). */
  readonly fates: Partial<Record<PlannedFate, number>>;
  /** Add one orphan result, one repeated custom_id in the input and one unreadable output line. */
  readonly anomalies?: boolean;
  readonly description?: string;
  readonly now?: number;
}

const ENDPOINT = '/v1/chat/completions';
const MODEL = 'gpt-4o-mini-2024-07-18';

export function resultsFixture(options: FixtureOptions): ResultsFixture {
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const fates: PlannedFate[] = [];
  const remaining = { ...options.fates };
  // Interleave the fates so every window of the table holds several of them.
  for (let more = true; more; ) {
    more = false;
    for (const fate of Object.keys(remaining) as PlannedFate[]) {
      if ((remaining[fate] ?? 0) > 0) {
        fates.push(fate);
        remaining[fate]!--;
        more = true;
      }
    }
  }
  const plan = fates.map((fate, i) => [`req-${String(i + 1).padStart(4, '0')}`, fate] as const);
  const input: string[] = [];
  const output: string[] = [];
  const errors: string[] = [];
  let inputTokens = 0;
  let outputTokens = 0;
  for (const [customId, fate] of plan) {
    const n = Number(customId.slice(4));
    const prompt = n === 3 ? 'Reply with <script>alert("x")</script> as plain text.' : `Summarise ticket ${n} in one sentence.`;
    input.push(JSON.stringify({ custom_id: customId, method: 'POST', url: ENDPOINT, body: { model: MODEL, messages: [{ role: 'user', content: prompt }], max_tokens: 64 } }));
    const request = { id: `batch_req_${n}`, custom_id: customId };
    if (fate === 'succeeded' || fate === 'length') {
      const usage = { prompt_tokens: 20 + (n % 7), completion_tokens: fate === 'length' ? 64 : 10 + (n % 5), total_tokens: 0 };
      usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
      inputTokens += usage.prompt_tokens;
      outputTokens += usage.completion_tokens;
      const content = n === 3 ? '<script>alert("x")</script>' : `Ticket ${n}: the customer asks for a refund of order ${1000 + n}.`;
      output.push(
        JSON.stringify({
          ...request,
          response: {
            status_code: 200,
            request_id: `req_${n}`,
            body: { id: `chatcmpl-${n}`, object: 'chat.completion', created: now, model: MODEL, choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: fate === 'length' ? 'length' : 'stop' }], usage },
          },
          error: null,
        }),
      );
    } else if (fate === 'context_length') {
      errors.push(
        JSON.stringify({
          ...request,
          response: { status_code: 400, request_id: `req_${n}`, body: { error: { message: "This model's maximum context length is 128000 tokens.", type: 'invalid_request_error', param: 'messages', code: 'context_length_exceeded' } } },
          error: null,
        }),
      );
    } else if (fate === 'server_error') {
      errors.push(
        JSON.stringify({ ...request, response: { status_code: 500, request_id: `req_${n}`, body: { error: { message: 'The server had an error processing your request.', type: 'server_error', param: null, code: null } } }, error: null }),
      );
    } else if (fate === 'rate_limited') {
      errors.push(JSON.stringify({ ...request, response: null, error: { code: 'rate_limit_exceeded', message: 'Rate limit reached for requests.' } }));
    } else if (fate === 'expired') {
      errors.push(JSON.stringify({ ...request, response: null, error: { code: 'batch_expired', message: 'This request could not be executed before the completion window expired.' } }));
    } else if (fate === 'cancelled') {
      errors.push(JSON.stringify({ ...request, response: null, error: { code: 'batch_cancelled', message: 'This request was not executed because the batch was cancelled.' } }));
    }
  }
  const count = (...f: PlannedFate[]) => plan.filter(([, fate]) => f.includes(fate)).length;
  let duplicates = 0;
  let orphans = 0;
  let unreadable = 0;
  if (options.anomalies) {
    // A repeated custom_id (its line has no second result: missing), a result for nobody, a broken line.
    input.push(JSON.stringify({ custom_id: plan[0][0], method: 'POST', url: ENDPOINT, body: { model: MODEL, messages: [{ role: 'user', content: 'again' }] } }));
    duplicates = 1;
    output.push(JSON.stringify({ id: 'batch_req_orphan', custom_id: 'not-in-the-input', response: { status_code: 200, request_id: 'req_x', body: { choices: [] } }, error: null }));
    orphans = 1;
    output.push('{"custom_id": "req-0002", "response": {"status_code": 200, "body": ');
    unreadable = 1;
  }
  shuffle(output, 7);
  shuffle(errors, 11);

  const file = (id: string, purpose: string, lines: string[]): FakeFile => {
    const content = lines.map((l) => `${l}\n`).join('');
    return { meta: { id, object: 'file', bytes: Buffer.byteLength(content), created_at: now - 3600, filename: `${id}.jsonl`, purpose, status: 'processed', expires_at: null, status_details: null }, content };
  };
  const files: FakeFile[] = [file(`file-${options.id}-input`, 'batch', input)];
  const finished = options.status !== 'in_progress';
  const outputFile = finished && output.length > 0 ? file(`file-${options.id}-output`, 'batch_output', output) : undefined;
  const errorFile = finished && errors.length > 0 ? file(`file-${options.id}-errors`, 'batch_output', errors) : undefined;
  if (outputFile) files.push(outputFile);
  if (errorFile) files.push(errorFile);

  const succeeded = count('succeeded', 'length');
  const failed = count('context_length', 'server_error', 'rate_limited');
  const at = (status: string) => (options.status === status ? now - 60 : null);
  const batch: FakeBatch = {
    id: options.id,
    object: 'batch',
    endpoint: ENDPOINT,
    model: MODEL,
    errors: null,
    input_file_id: files[0].meta.id,
    completion_window: '24h',
    status: options.status,
    output_file_id: outputFile?.meta.id ?? null,
    error_file_id: errorFile?.meta.id ?? null,
    created_at: now - 7200,
    in_progress_at: now - 7000,
    expires_at: now + 80_000,
    finalizing_at: finished ? now - 120 : null,
    completed_at: at('completed'),
    failed_at: null,
    expired_at: at('expired'),
    cancelling_at: options.status === 'cancelled' ? now - 100 : null,
    cancelled_at: at('cancelled'),
    request_counts: { total: input.length, completed: finished ? succeeded : Math.floor(succeeded / 2), failed: finished ? failed + count('expired', 'cancelled') : 0 },
    metadata: options.description ? { description: options.description } : null,
  };
  const missingPlanned = finished ? count('missing') : plan.length;
  return {
    batch,
    files,
    plan,
    expected: {
      total: input.length,
      outcomes: finished
        ? { succeeded, failed, expired: count('expired'), cancelled: count('cancelled'), missing: missingPlanned + duplicates }
        : { succeeded: 0, failed: 0, expired: 0, cancelled: 0, missing: plan.length + duplicates },
      errors: finished
        ? Object.fromEntries(
            [
              ['code:context_length_exceeded', count('context_length')],
              ['status:500', count('server_error')],
              ['code:rate_limit_exceeded', count('rate_limited')],
              ['code:batch_expired', count('expired')],
              ['code:batch_cancelled', count('cancelled')],
            ].filter(([, n]) => (n as number) > 0),
          )
        : {},
      orphans: finished ? orphans : 0,
      duplicates,
      unreadable: finished ? unreadable : 0,
      inputTokens: finished ? inputTokens : 0,
      outputTokens: finished ? outputTokens : 0,
    },
  };
}

/** Deterministic Fisher–Yates: the output file is in completion order, not input order. */
function shuffle<T>(items: T[], seed: number): void {
  let s = seed;
  const next = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
}
