import * as assert from 'node:assert/strict';
import { estimateDetails, estimateInput, inputSummary } from '../../src/core/inputEstimate';
import { lazyPricing, parsePriceOverrides, priceCatalogue, Pricing, type PriceCatalogue } from '../../src/core/pricing';
import type { InputTokens } from '../../src/core/tokenEstimate';

/** The catalogue as the extension loads it: gpt-tokenizer's own `models` (its ES build; dist/catalogue.js bundles the same). */
async function realCatalogue(): Promise<{ catalogue: PriceCatalogue; models: Record<string, { price_data?: { batch?: { input?: number; output?: number } } }> }> {
  const models = (await import('gpt-tokenizer/models')) as unknown as Record<string, { price_data?: { batch?: { input?: number; output?: number } } }>;
  return { catalogue: priceCatalogue(models, 'gpt-tokenizer catalogue'), models };
}

describe('pricing', () => {
  it('prices input and output at the catalogue batch prices, as gpt-tokenizer computes them, for three models', async () => {
    const { catalogue, models } = await realCatalogue();
    const { estimateCost: theirs } = await import('gpt-tokenizer/encoding/o200k_base');
    const pricing = new Pricing(catalogue);
    for (const model of ['gpt-4o', 'o3', 'gpt-3.5-turbo']) {
      const spec = models[model];
      assert.ok(spec.price_data?.batch?.input, `${model} has a batch price in the catalogue`);
      const tokens = 2_345_678;
      const expected = theirs(tokens, spec as never).batch!;
      const input = pricing.estimateCost(model, { input: tokens });
      assert.ok(input, model);
      assert.ok(Math.abs(input.usd - expected.input!) < 1e-9, `${model}: ${input.usd} vs ${expected.input}`);
      assert.equal(input.source, 'gpt-tokenizer catalogue, batch prices');
      const both = pricing.estimateCost(model, { input: tokens, output: tokens })!;
      assert.ok(Math.abs(both.usd - (expected.input! + expected.output!)) < 1e-9, `${model} with output`);
    }
  });

  it('has no estimate for a model it has no price for: never a made-up cost', async () => {
    const { catalogue, models } = await realCatalogue();
    const pricing = new Pricing(catalogue);
    assert.equal(pricing.estimateCost('ft:gpt-4o-2024-08-06:acme::abc123', { input: 1000 }), undefined, 'a fine-tune is not its base model');
    assert.equal(pricing.estimateCost('llama-3-70b', { input: 1000 }), undefined);
    const unpriced = Object.keys(models).find((m) => !models[m]?.price_data?.batch);
    assert.ok(unpriced, 'the catalogue has models without batch prices');
    assert.equal(pricing.estimateCost(unpriced, { input: 1000 }), undefined, unpriced);
  });

  it('lets the prices setting override and add models, exactly or by a prefix ending in *', () => {
    const catalogue = priceCatalogue({ 'gpt-x': { price_data: { batch: { input: 1, output: 4, cached_input: 0.5 } } } }, 'test catalogue');
    const pricing = new Pricing(catalogue);
    const { overrides, problems } = parsePriceOverrides({
      'gpt-x': { input: 2, output: 8 },
      'ft:gpt-4o-mini:acme': { input: 0.15, output: 0.6, cachedInput: 0.075 },
      'ft:gpt-4o-mini-2024-07-18:acme:*': { input: 0.3 },
      'ft:gpt-4o-mini-2024-07-18:*': { input: 9 },
    });
    assert.deepEqual(problems, []);
    assert.deepEqual(pricing.estimateCost('gpt-x', { input: 1e6, output: 1e6 }, overrides), { usd: 2 + 8, source: 'openaiBatches.prices "gpt-x"' });
    assert.deepEqual(pricing.estimateCost('gpt-x', { input: 1e6 }), { usd: 1, source: 'test catalogue, batch prices' }, 'without the override');
    assert.deepEqual(pricing.estimateCost('ft:gpt-4o-mini:acme', { input: 2e6, cachedInput: 1e6, output: 1e6 }, overrides), { usd: 0.15 + 0.075 + 0.6, source: 'openaiBatches.prices "ft:gpt-4o-mini:acme"' });
    const longest = pricing.estimateCost('ft:gpt-4o-mini-2024-07-18:acme:v2:xyz', { input: 1e6 }, overrides)!;
    assert.equal(longest.source, 'openaiBatches.prices "ft:gpt-4o-mini-2024-07-18:acme:*"');
    assert.ok(Math.abs(longest.usd - 0.3) < 1e-12);
    assert.equal(pricing.estimateCost('ft:gpt-4o-mini-2024-07-18:acme:v2:xyz', { input: 1e6, output: 5 }, overrides), undefined, 'output with no output price: no estimate');
  });

  it('charges cached input at the cached price, or at the input price and says so', () => {
    const pricing = new Pricing(priceCatalogue({ a: { price_data: { batch: { input: 1, output: 2, cached_input: 0.25 } } }, b: { price_data: { batch: { input: 1, output: 2 } } } }, 'cat'));
    assert.deepEqual(pricing.estimateCost('a', { input: 4e6, cachedInput: 2e6 }), { usd: 2 + 0.5, source: 'cat, batch prices' });
    assert.deepEqual(pricing.estimateCost('b', { input: 4e6, cachedInput: 2e6 }), { usd: 4, source: 'cat, batch prices; cached input at the full input price' });
  });

  it('reads the setting defensively, naming what it leaves out', () => {
    assert.deepEqual(parsePriceOverrides(undefined).problems, []);
    assert.match(parsePriceOverrides([1]).problems[0], /must be an object/);
    const { overrides, problems } = parsePriceOverrides({ ok: { input: 1 }, noInput: { output: 1 }, negative: { input: -1 }, text: { input: '1' }, typo: { input: 1, ouput: 2 } });
    assert.deepEqual([...overrides.keys()], ['ok']);
    assert.equal(problems.length, 4);
    assert.match(problems[0], /"noInput" needs "input"/);
  });

  it('loads the catalogue once, lazily, and again after a failed load', async () => {
    let loads = 0;
    let fail = true;
    const get = lazyPricing(async () => {
      loads++;
      if (fail) throw new Error('not there');
      return priceCatalogue({}, 'c');
    });
    assert.equal(loads, 0, 'nothing loaded until asked');
    await assert.rejects(get(), /not there/);
    fail = false;
    const [a, b] = await Promise.all([get(), get()]);
    assert.equal(a, b);
    assert.equal(loads, 2);
  });

  it('summarises an input with its estimate, labelled as such, and without a price says tokens only', () => {
    const pricing = new Pricing(priceCatalogue({ 'gpt-4o-mini': { price_data: { batch: { input: 0.075 } } } }, 'cat'));
    const tokens: InputTokens = { requests: 1204, text: 2_000_000, images: 12, imageTokens: 12 * 765, toolTokens: 90_000, uncounted: 0, encoding: 'o200k_base' };
    const check = { requests: 1204, model: 'gpt-4o-mini', endpoint: '/v1/chat/completions', bytes: 1, problems: [], problemCount: 0 };
    const estimate = estimateInput('gpt-4o-mini', tokens, pricing, new Map());
    assert.equal(inputSummary(check, estimate), '1,204 requests · gpt-4o-mini · ~2.1M input tokens · est. $0.16');
    assert.equal(inputSummary({ ...check, requests: 1 }, 'pending'), '1 request · gpt-4o-mini · counting tokens…');
    const details = estimateDetails('gpt-4o-mini', estimate);
    assert.match(details[0], /^~2,099,180 input tokens \(estimate\)/);
    assert.match(details.join('\n'), /12 images, estimated at 765 tokens each/);
    assert.match(details.join('\n'), /tool and schema definitions, estimated from their JSON/);
    assert.match(details.at(-1)!, /^Estimated input cost: \$0\.16 \(cat, batch prices\)/);
    const unknown = estimateInput('my-model', tokens, pricing, new Map());
    assert.equal(unknown.cost, undefined);
    assert.equal(inputSummary({ ...check, model: 'my-model' }, unknown), '1,204 requests · my-model · ~2.1M input tokens');
    assert.match(estimateDetails('my-model', unknown).at(-1)!, /No price known for my-model: tokens only/);
  });
});
