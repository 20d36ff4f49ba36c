import * as assert from 'node:assert/strict';
import { encodingFor, IMAGE_TOKENS, InputTokenTally, totalInputTokens, type CountTokens } from '../../src/core/tokenEstimate';

/** The real tokenizer (gpt-tokenizer's ES build, which dist/tokens.js bundles). */
async function tokenizer(encoding: 'o200k_base' | 'cl100k_base'): Promise<CountTokens> {
  return encoding === 'o200k_base' ? (await import('gpt-tokenizer/encoding/o200k_base')).countTokens : (await import('gpt-tokenizer/encoding/cl100k_base')).countTokens;
}

describe('token estimate', function () {
  this.timeout(20_000);

  it('uses the encoding of the model', () => {
    assert.equal(encodingFor('gpt-4o-mini'), 'o200k_base');
    assert.equal(encodingFor('gpt-4.1-nano'), 'o200k_base');
    assert.equal(encodingFor('o3'), 'o200k_base');
    assert.equal(encodingFor('gpt-5'), 'o200k_base');
    assert.equal(encodingFor('gpt-4'), 'cl100k_base');
    assert.equal(encodingFor('gpt-4-turbo'), 'cl100k_base');
    assert.equal(encodingFor('gpt-3.5-turbo'), 'cl100k_base');
    assert.equal(encodingFor('text-embedding-3-small'), 'cl100k_base');
    assert.equal(encodingFor('ft:gpt-4o-mini-2024-07-18:acme::x1'), 'o200k_base');
    assert.equal(encodingFor('ft:gpt-3.5-turbo-0125:acme::x1'), 'cl100k_base');
  });

  it('counts chat message text with the tokenizer, plus OpenAI’s per-message formatting', async () => {
    const count = await tokenizer('o200k_base');
    const tally = new InputTokenTally(count, 'o200k_base');
    const messages = [
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'What is the capital of France?' },
    ];
    tally.addLine(JSON.stringify({ custom_id: 'a', method: 'POST', url: '/v1/chat/completions', body: { model: 'gpt-4o-mini', messages } }));
    const t = tally.result();
    const expected = messages.reduce((n, m) => n + count(m.role) + count(m.content) + 3, 3);
    assert.equal(t.text, expected);
    assert.equal(totalInputTokens(t), expected);
    assert.deepEqual({ requests: t.requests, images: t.images, toolTokens: t.toolTokens, uncounted: t.uncounted, sampled: t.sampled }, { requests: 1, images: 0, toolTokens: 0, uncounted: 0, sampled: undefined });
    // The numbers OpenAI's cookbook gives for this conversation on o200k_base models.
    assert.ok(t.text > 20 && t.text < 35, String(t.text));
  });

  it('estimates images and tools apart from the text, and names what it cannot count', async () => {
    const count = await tokenizer('o200k_base');
    const tally = new InputTokenTally(count, 'o200k_base');
    const tools = [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: { q: { type: 'string' } } } } }];
    tally.add('/v1/chat/completions', {
      model: 'gpt-4o',
      tools,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Describe these.' },
            { type: 'image_url', image_url: { url: 'https://example.test/a.png' } },
            { type: 'image_url', image_url: { url: 'https://example.test/b.png', detail: 'low' } },
            { type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } },
          ],
        },
      ],
    });
    const t = tally.result();
    assert.equal(t.images, 2);
    assert.equal(t.imageTokens, IMAGE_TOKENS.high + IMAGE_TOKENS.low);
    assert.equal(t.toolTokens, count(JSON.stringify(tools)));
    assert.equal(t.uncounted, 1);
    assert.equal(t.text, count('user') + count('Describe these.') + 3 + 3);
  });

  it('counts the inputs of the other endpoints', async () => {
    const count = await tokenizer('cl100k_base');
    const tally = new InputTokenTally(count, 'cl100k_base');
    tally.add('/v1/embeddings', { model: 'text-embedding-3-small', input: ['first text', 'second text'] });
    tally.add('/v1/embeddings', { model: 'text-embedding-3-small', input: [101, 102, 103] });
    tally.add('/v1/completions', { model: 'gpt-3.5-turbo-instruct', prompt: 'Once upon a time' });
    tally.add('/v1/responses', { model: 'gpt-4o', instructions: 'Be brief.', input: [{ role: 'user', content: [{ type: 'input_text', text: 'Hello there' }, { type: 'input_image', image_url: 'x', detail: 'low' }] }] });
    tally.add('/v1/moderations', { model: 'omni-moderation-latest', input: 'is this fine' });
    tally.add('/v1/images/generations', { model: 'gpt-image-1', prompt: 'a red fox' });
    const t = tally.result();
    const expected =
      count('first text') + count('second text') + 3 + count('Once upon a time') + (count('Be brief.') + count('Hello there') + 2 * 3 + 3) + count('is this fine') + count('a red fox');
    assert.equal(t.text, expected);
    assert.equal(t.requests, 6);
    assert.equal(t.images, 1);
  });

  it('skips lines that do not parse (the checks report them)', async () => {
    const tally = new InputTokenTally(await tokenizer('o200k_base'), 'o200k_base');
    tally.addLine('{oops');
    tally.addLine('');
    tally.addLine('[1]');
    assert.equal(tally.result().requests, 0);
  });

  it('after sampleLess(), tokenizes one request in ten and extrapolates the rest from their length', async () => {
    const count = await tokenizer('o200k_base');
    const exact = new InputTokenTally(count, 'o200k_base');
    const sampled = new InputTokenTally(count, 'o200k_base');
    sampled.sampleLess();
    const words = 'alpha beta gamma delta epsilon zeta eta theta iota kappa'.split(' ');
    for (let i = 0; i < 200; i++) {
      const body = { model: 'gpt-4o-mini', input: Array.from({ length: 40 }, (_, j) => words[(i * 7 + j) % words.length]).join(' ') };
      exact.add('/v1/embeddings', body);
      sampled.add('/v1/embeddings', body);
    }
    const a = exact.result();
    const b = sampled.result();
    assert.equal(a.sampled, undefined);
    assert.deepEqual(b.sampled, { counted: 20 });
    assert.ok(Math.abs(b.text - a.text) / a.text < 0.05, `sampled ${b.text} vs exact ${a.text}`);
  });
});
