import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { readRequestLine, readResultLine, singleLine, type ResultFacts } from '../../src/core/results/requestPreview';

const line = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8');
const read = (value: unknown, mode: 'preview' | 'whole' = 'preview') => {
  const buf = typeof value === 'string' ? Buffer.from(value, 'utf8') : line(value);
  return readResultLine(buf, 0, buf.length, mode);
};
const ok = (body: unknown, status = 200) => ({ id: 'batch_req_1', custom_id: 'r1', response: { status_code: status, request_id: 'req', body }, error: null });
const facts = (value: unknown, mode: 'preview' | 'whole' = 'preview'): ResultFacts => {
  const f = read(value, mode);
  assert.ok(typeof f !== 'string', `unreadable: ${f}`);
  return f;
};

describe('reading result lines per endpoint', () => {
  it('chat completions: the message text, finish reason, model and usage (cached and reasoning tokens)', () => {
    const f = facts(
      ok({
        id: 'chatcmpl-1',
        object: 'chat.completion',
        model: 'gpt-4o-mini-2024-07-18',
        choices: [{ index: 0, message: { role: 'assistant', content: 'Hello\n\n  world', refusal: null }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17, prompt_tokens_details: { cached_tokens: 4 }, completion_tokens_details: { reasoning_tokens: 2 } },
      }),
    );
    assert.deepEqual(
      { outcome: f.outcome, status: f.status, preview: f.preview, finishReason: f.finishReason, model: f.model, usage: f.usage },
      { outcome: 'succeeded', status: 200, preview: 'Hello world', finishReason: 'stop', model: 'gpt-4o-mini-2024-07-18', usage: { input: 12, cached: 4, output: 5, reasoning: 2 } },
    );
  });

  it('chat completions: tool calls by name (whole: with their arguments), content parts, refusals', () => {
    const calls = ok({ choices: [{ message: { content: null, tool_calls: [{ type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }, { type: 'function', function: { name: 'lookup' } }] }, finish_reason: 'tool_calls' }] });
    assert.equal(facts(calls).preview, 'Tool calls: get_weather, lookup');
    assert.equal(facts(calls, 'whole').answer, 'get_weather({"city":"Paris"})\nlookup()');
    assert.equal(facts(ok({ choices: [{ message: { content: [{ type: 'text', text: 'Part' }, { type: 'image_url' }, { type: 'text', text: 'two' }] } }] })).preview, 'Part two');
    assert.equal(facts(ok({ choices: [{ message: { content: null, refusal: 'I can’t help with that.' } }] })).preview, 'Refusal: I can’t help with that.');
  });

  it('responses API: output_text of the messages, function calls, status and incomplete reason as finish reason', () => {
    const message = (text: string) => ({ type: 'message', content: [{ type: 'output_text', text }] });
    const f = facts(ok({ object: 'response', status: 'completed', model: 'o4-mini', output: [{ type: 'reasoning', summary: [] }, message('One.'), message('Two.')], usage: { input_tokens: 10, output_tokens: 20, input_tokens_details: { cached_tokens: 3 }, output_tokens_details: { reasoning_tokens: 15 } } }));
    assert.deepEqual([f.preview, f.finishReason, f.usage], ['One. Two.', 'completed', { input: 10, cached: 3, output: 20, reasoning: 15 }]);
    assert.equal(facts(ok({ object: 'response', status: 'completed', output: [message('One.'), message('Two.')] }), 'whole').answer, 'One.\nTwo.');
    const cut = facts(ok({ object: 'response', status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, output: [] }));
    assert.deepEqual([cut.preview, cut.finishReason], ['', 'max_output_tokens']);
    assert.equal(facts(ok({ status: 'completed', output: [{ type: 'function_call', name: 'search', arguments: '{}' }] })).preview, 'Tool calls: search');
  });

  it('completions, embeddings, moderations and images', () => {
    assert.deepEqual(
      [facts(ok({ object: 'text_completion', choices: [{ text: '\n\nOne, two', finish_reason: 'length' }] }))].map((f) => [f.preview, f.finishReason])[0],
      ['One, two', 'length'],
    );
    const vector = Array.from({ length: 1536 }, (_, i) => i / 1e4);
    assert.equal(facts(ok({ object: 'list', data: [{ object: 'embedding', embedding: vector }], usage: { prompt_tokens: 8, total_tokens: 8 } })).preview, '1 embedding · 1,536 dimensions');
    assert.equal(facts(ok({ data: [{ embedding: vector }, { embedding: vector }] })).preview, '2 embeddings · 1,536 dimensions');
    assert.equal(facts(ok({ data: [{ embedding: Buffer.alloc(1536 * 4).toString('base64') }] })).preview, '1 embedding · 1,536 dimensions');
    assert.equal(facts(ok({ results: [{ flagged: true, categories: { hate: false, violence: true, harassment: true } }] })).preview, 'Flagged: violence, harassment');
    assert.equal(facts(ok({ results: [{ flagged: false, categories: { hate: false } }] })).preview, 'Not flagged');
    assert.equal(facts(ok({ created: 1, data: [{ b64_json: 'A'.repeat(5000) }, { b64_json: 'B' }] })).preview, '2 images');
    assert.equal(facts(ok({ data: [{ url: 'https://example.com/a.png', revised_prompt: 'x' }] })).preview, '1 image');
  });

  it('anything else: the start of the body, on one line', () => {
    assert.equal(facts(ok({ weird: { shape: [1, 2] }, text: 'a\nb' })).preview, '{"weird":{"shape":[1,2]},"text":"a\\nb"}');
    assert.equal(facts(ok('plain text body')).preview, 'plain text body');
    assert.equal(facts(ok({ x: 'y'.repeat(500) })).preview.length, 200);
  });

  it('outcomes: by error code and status code, never by file', () => {
    const expired = facts({ custom_id: 'r', response: null, error: { code: 'batch_expired', message: 'Expired.' } });
    assert.deepEqual([expired.outcome, expired.errorCode, expired.preview], ['expired', 'batch_expired', 'Expired.']);
    assert.equal(facts({ custom_id: 'r', response: null, error: { code: 'batch_cancelled', message: 'x' } }).outcome, 'cancelled');
    const other = facts({ custom_id: 'r', response: { status_code: 200, body: {} }, error: { code: 'server_error', message: 'Boom' } });
    assert.deepEqual([other.outcome, other.errorCode, other.status], ['failed', 'server_error', 200]);
    const http400 = facts(ok({ error: { message: 'Too long.', type: 'invalid_request_error', param: 'messages', code: 'context_length_exceeded' } }, 400));
    assert.deepEqual([http400.outcome, http400.errorCode, http400.errorMessage, http400.status], ['failed', 'context_length_exceeded', 'Too long.', 400]);
    const http500 = facts(ok({ error: { message: 'Oops', type: 'server_error', code: null } }, 500));
    assert.deepEqual([http500.outcome, http500.errorCode, http500.errorMessage], ['failed', undefined, 'Oops']);
    assert.equal(facts(ok({}, 204)).outcome, 'succeeded');
    assert.equal(facts(ok({ error: 'Bad gateway' }, 502)).errorMessage, 'Bad gateway');
    assert.equal(facts(ok('<html>Bad gateway</html>', 502)).errorMessage, 'HTTP 502: <html>Bad gateway</html>');
    assert.equal(facts({ custom_id: 'r', error: 'flat message' }).errorMessage, 'flat message');
  });

  it('wrong types count as absent: never a crash, never a made-up value', () => {
    const f = facts({ custom_id: 'r', response: { status_code: '200', body: { choices: {}, usage: 'lots' } }, error: null });
    assert.deepEqual([f.outcome, f.status, f.errorMessage], ['failed', undefined, 'The response has no status code.']);
    const g = facts(ok({ choices: [{ message: { content: 42 } }], usage: { prompt_tokens: '12', completion_tokens: -1 } }));
    assert.deepEqual([g.outcome, g.preview, g.usage], ['succeeded', '', undefined]);
    assert.equal(facts({ custom_id: 'r', response: null, error: null }).errorMessage, 'The result has neither a response nor an error.');
  });

  it('unreadable lines say why', () => {
    assert.equal(read('not json'), 'not valid JSON');
    assert.equal(read('{"custom_id": "a", "response": {'), 'not valid JSON');
    assert.equal(read('[1, 2]'), 'not a JSON object');
    assert.equal(read('"text"'), 'not a JSON object');
    assert.equal(read({ response: {} }), 'no custom_id');
    assert.equal(read({ custom_id: 17 }), 'custom_id is not a string');
    assert.equal(read('{"custom_id": "a"} {"custom_id": "b"}'), 'not valid JSON');
  });

  it('custom_id is read exactly, escapes and all; markup is just text', () => {
    assert.equal(facts({ custom_id: 'a\u00e9\n"\\\u{1F389}', response: { status_code: 200, body: {} } }).customId, 'a\u00e9\n"\\\u{1F389}');
    const raw = '{"custom_id":"caf\\u00e9","response":{"status_code":200,"body":{"choices":[{"message":{"content":"<script>alert(1)</script>"}}]}}}';
    const f = facts(raw);
    assert.deepEqual([f.customId, f.preview], ['café', '<script>alert(1)</script>']);
  });

  it('request lines: custom_id and model', () => {
    const buf = line({ custom_id: 'r-1', method: 'POST', url: '/v1/chat/completions', body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] } });
    assert.deepEqual(readRequestLine(buf, 0, buf.length), { customId: 'r-1', idHash: (readRequestLine(buf, 0, buf.length) as { idHash: number }).idHash, model: 'gpt-4o-mini' });
    const bad = Buffer.from('{"custom_id": null}');
    assert.equal(readRequestLine(bad, 0, bad.length), 'custom_id is not a string');
  });

  it('singleLine collapses whitespace and cuts at 200 characters', () => {
    assert.equal(singleLine('  a\n\tb   c\u0001d '), 'a b c d');
    assert.equal(singleLine('x'.repeat(5000)), `${'x'.repeat(199)}…`);
    assert.equal(singleLine('ok'), 'ok');
  });
});

// ---------------------------------------------------------------------------------------------------------
// The same rules over JSON.parse'd values: the oracle the byte reader must agree with.

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
/** A text that is not only whitespace or control characters. */
// eslint-disable-next-line no-control-regex -- blank means whitespace or control characters
const filled = (v: unknown) => (typeof v === 'string' && /[^\s\0-\x1f]/.test(v) ? v : undefined);
const num = (v: unknown) => (typeof v === 'number' && v >= 0 ? v : undefined);

function oracle(value: unknown, whole: boolean): Omit<ResultFacts, 'idHash'> | string {
  if (!isObj(value)) return 'not a JSON object';
  if (!('custom_id' in value)) return 'no custom_id';
  if (typeof value.custom_id !== 'string') return 'custom_id is not a string';
  const customId = value.custom_id;
  const response = isObj(value.response) ? value.response : undefined;
  const status = response && typeof response.status_code === 'number' && Number.isInteger(response.status_code) ? response.status_code : undefined;
  const body = response?.body;
  const error = value.error;
  if (error !== undefined && error !== null) {
    const code = isObj(error) && typeof error.code === 'string' ? str(error.code) : undefined;
    const message = (isObj(error) ? filled(error.message) : filled(error)) ?? code ?? 'The request failed without a message.';
    const outcome = code === 'batch_expired' ? 'expired' : code === 'batch_cancelled' ? 'cancelled' : 'failed';
    return { customId, outcome, status, errorCode: code, errorMessage: singleLine(message), preview: singleLine(message) };
  }
  const b = isObj(body) ? body : undefined;
  const model = b && typeof b.model === 'string' ? singleLine(b.model) || undefined : undefined;
  if (status !== undefined && status >= 200 && status < 300) {
    const answer = oracleAnswer(body, whole);
    const usage = b ? oracleUsage(b.usage) : undefined;
    const choice = b && Array.isArray(b.choices) && isObj(b.choices[0]) ? b.choices[0] : undefined;
    let finishReason = choice && typeof choice.finish_reason === 'string' ? singleLine(choice.finish_reason) || undefined : undefined;
    const incomplete = b && isObj(b.incomplete_details) && typeof b.incomplete_details.reason === 'string' ? singleLine(b.incomplete_details.reason) || undefined : undefined;
    if (finishReason === undefined && b && (Array.isArray(b.output) || incomplete !== undefined)) finishReason = incomplete ?? (typeof b.status === 'string' ? singleLine(b.status) || undefined : undefined);
    return { customId, outcome: 'succeeded', status, model, finishReason, usage, preview: singleLine(answer), ...(whole ? { answer } : {}) };
  }
  const bodyError = b && isObj(b.error) ? b.error : undefined;
  const code = bodyError && typeof bodyError.code === 'string' ? str(bodyError.code) : undefined;
  const bodyMessage = bodyError ? filled(bodyError.message) : b ? filled(b.error) : undefined;
  const bodyText = typeof body === 'string' ? body : body !== null && body !== undefined && !isObj(body) ? JSON.stringify(body) : undefined;
  const message =
    bodyMessage ?? (status !== undefined ? `HTTP ${status}${bodyText?.trim() ? `: ${bodyText}` : ''}` : response ? 'The response has no status code.' : 'The result has neither a response nor an error.');
  return { customId, outcome: 'failed', status, errorCode: code, errorMessage: singleLine(message), model, preview: singleLine(message) };
}

/** A name (of a tool or function) is a word: whitespace collapsed, and a blank one is no name. */
function word(value: unknown): string | undefined {
  return typeof value === 'string' ? singleLine(value) || undefined : undefined;
}

function oracleAnswer(body: unknown, whole: boolean): string {
  if (typeof body === 'string') return body;
  if (!isObj(body)) return body === null || body === undefined ? '' : JSON.stringify(body);
  const choice = Array.isArray(body.choices) && isObj(body.choices[0]) ? body.choices[0] : undefined;
  const texts = (content: unknown[]) =>
    content.filter(isObj).flatMap((p) => (typeof p.text === 'string' && (p.type === undefined || p.type === 'text' || p.type === 'output_text') ? [p.text] : []));
  if (choice && isObj(choice.message)) {
    const m = choice.message;
    const content = typeof m.content === 'string' ? m.content : Array.isArray(m.content) ? texts(m.content).join(whole ? '\n' : ' ') : undefined;
    if (filled(content)) return content!;
    const calls = Array.isArray(m.tool_calls) ? m.tool_calls.filter(isObj) : [];
    if (calls.length > 0) {
      const names = calls.map((c) => (isObj(c.function) ? word(c.function.name) : undefined) ?? word(c.type) ?? '?');
      return whole ? calls.map((c, i) => `${names[i]}(${isObj(c.function) && typeof c.function.arguments === 'string' ? c.function.arguments : ''})`).join('\n') : `Tool calls: ${names.join(', ')}`;
    }
    const called = isObj(m.function_call) ? word(m.function_call.name) : undefined;
    if (called) return `Function call: ${called}`;
    return filled(m.refusal) ? `Refusal: ${m.refusal}` : '';
  }
  if (choice && typeof choice.text === 'string') return choice.text;
  if (Array.isArray(body.output)) {
    const out: string[] = [];
    const calls: string[] = [];
    for (const item of body.output.filter(isObj)) {
      if (item.type === 'message' && Array.isArray(item.content)) out.push(...texts(item.content));
      else if (item.type === 'function_call') {
        const name = word(item.name) ?? '?';
        calls.push(whole ? `${name}(${typeof item.arguments === 'string' ? item.arguments : ''})` : name);
      }
    }
    if (out.length) return out.join(whole ? '\n' : ' ');
    if (calls.length) return whole ? calls.join('\n') : `Tool calls: ${calls.join(', ')}`;
    return '';
  }
  if (Array.isArray(body.data) && body.data.length > 0 && isObj(body.data[0])) {
    const first = body.data[0];
    const n = body.data.length;
    if ('embedding' in first) {
      const dims = Array.isArray(first.embedding) ? first.embedding.length : undefined;
      return `${n} embedding${n === 1 ? '' : 's'}${dims === undefined ? '' : ` · ${dims.toLocaleString('en-US')} dimensions`}`;
    }
  }
  const errorMessage = isObj(body.error) ? filled(body.error.message) : filled(body.error);
  if (errorMessage) return errorMessage;
  return JSON.stringify(body);
}

function oracleUsage(usage: unknown): ResultFacts['usage'] {
  if (!isObj(usage)) return undefined;
  const input = num(usage.prompt_tokens) ?? num(usage.input_tokens);
  const output = num(usage.completion_tokens) ?? num(usage.output_tokens);
  const inD = isObj(usage.prompt_tokens_details) ? usage.prompt_tokens_details : isObj(usage.input_tokens_details) ? usage.input_tokens_details : undefined;
  const outD = isObj(usage.completion_tokens_details) ? usage.completion_tokens_details : isObj(usage.output_tokens_details) ? usage.output_tokens_details : undefined;
  const cached = inD ? num(inD.cached_tokens) : undefined;
  const reasoning = outD ? num(outD.reasoning_tokens) : undefined;
  if (input === undefined && output === undefined) {
    const total = num(usage.total_tokens);
    return total === undefined ? undefined : { input: total, cached: cached ?? 0, output: 0, reasoning: reasoning ?? 0 };
  }
  return { input: input ?? 0, cached: cached ?? 0, output: output ?? 0, reasoning: reasoning ?? 0 };
}

describe('reading result lines agrees with a reference over JSON.parse (property)', () => {
  const text = fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.constantFrom('', ' ', '  padded\n\ttext  ', 'a\u0001b', 'é'.repeat(150), 'word '.repeat(120), '<b>x</b>'),
  );
  const maybe = <T>(arb: fc.Arbitrary<T>) => fc.oneof(arb, fc.constant(undefined), fc.constant(null), fc.integer(), fc.constant('wrong'), fc.constant({}));
  const usage = fc.record(
    {
      prompt_tokens: maybe(fc.nat()),
      completion_tokens: maybe(fc.nat()),
      input_tokens: maybe(fc.nat()),
      output_tokens: maybe(fc.nat()),
      total_tokens: maybe(fc.nat()),
      prompt_tokens_details: maybe(fc.record({ cached_tokens: maybe(fc.nat()) })),
      output_tokens_details: maybe(fc.record({ reasoning_tokens: maybe(fc.nat()) })),
    },
    { requiredKeys: [] },
  );
  const part = fc.record({ type: fc.constantFrom('text', 'output_text', 'image_url', undefined), text: maybe(text) }, { requiredKeys: [] });
  const chat = fc.record({
    model: maybe(fc.constantFrom('gpt-4o-mini', 'm')),
    choices: fc.array(
      fc.record(
        {
          finish_reason: maybe(fc.constantFrom('stop', 'length', 'content_filter', 'tool_calls')),
          message: maybe(
            fc.record(
              {
                content: fc.oneof(maybe(text), fc.array(part, { maxLength: 3 })),
                refusal: maybe(text),
                tool_calls: fc.array(fc.record({ type: fc.constant('function'), function: fc.record({ name: maybe(text), arguments: maybe(text) }, { requiredKeys: [] }) }, { requiredKeys: [] }), { maxLength: 3 }),
              },
              { requiredKeys: [] },
            ),
          ),
          text: maybe(text),
        },
        { requiredKeys: [] },
      ),
      { maxLength: 2 },
    ),
    usage: maybe(usage),
  });
  const responses = fc.record(
    {
      object: fc.constant('response'),
      status: maybe(fc.constantFrom('completed', 'incomplete')),
      incomplete_details: maybe(fc.record({ reason: maybe(fc.constantFrom('max_output_tokens', 'content_filter')) })),
      output: fc.array(
        fc.oneof(
          fc.record({ type: fc.constant('message'), content: fc.array(part, { maxLength: 3 }) }),
          fc.record({ type: fc.constant('function_call'), name: maybe(text), arguments: maybe(text) }, { requiredKeys: ['type'] }),
          fc.record({ type: fc.constant('reasoning') }),
        ),
        { maxLength: 3 },
      ),
      usage: maybe(usage),
    },
    { requiredKeys: ['output'] },
  );
  const embeddings = fc.record({ data: fc.array(fc.record({ embedding: fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { maxLength: 40 }) }), { minLength: 1, maxLength: 3 }) });
  const errorBody = fc.record({ error: maybe(fc.record({ message: maybe(text), code: maybe(fc.constantFrom('context_length_exceeded', 'rate_limit_exceeded')) }, { requiredKeys: [] })) });
  const body = fc.oneof(chat, responses, embeddings, errorBody, fc.jsonValue({ maxDepth: 3 }), text);
  const resultLine = fc.record(
    {
      id: fc.constant('batch_req_x'),
      custom_id: fc.oneof({ weight: 9, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) }, { weight: 1, arbitrary: maybe(fc.constant('x')) }),
      response: maybe(fc.record({ status_code: maybe(fc.constantFrom(200, 201, 299, 400, 429, 500, 2.5, 100)), body }, { requiredKeys: [] })),
      error: fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: maybe(fc.record({ code: maybe(fc.constantFrom('batch_expired', 'batch_cancelled', 'server_error')), message: maybe(text) }, { requiredKeys: [] })) }),
    },
    { requiredKeys: [] },
  );

  for (const mode of ['preview', 'whole'] as const) {
    it(`${mode}: same outcome, status, error, model, finish reason, usage, preview${mode === 'whole' ? ' and answer' : ''}`, () => {
      fc.assert(
        fc.property(resultLine, (value) => {
          const json = JSON.stringify(value);
          const buf = Buffer.from(json, 'utf8');
          const got = readResultLine(buf, 0, buf.length, mode);
          const want = oracle(JSON.parse(json), mode === 'whole');
          if (typeof got === 'string' || typeof want === 'string') return assert.deepEqual(got, want, json);
          const { idHash, ...rest } = got;
          assert.equal(typeof idHash, 'number');
          const clean = (o: object) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
          assert.deepEqual(clean({ ...rest, errorMessage: rest.errorMessage && singleLine(rest.errorMessage) }), clean(want), json);
        }),
        { numRuns: 2000 },
      );
    });
  }
});
