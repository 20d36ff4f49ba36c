import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseBatch, type Batch } from '../../src/core/batch';
import { parsePriceOverrides, priceCatalogue, Pricing, type TokenPrices } from '../../src/core/pricing';
import { resultsCost } from '../../src/core/results/resultsCost';
import { buildResultsIndex } from '../../src/core/results/resultsIndex';
import { tokensByModel } from '../../src/core/results/tokensByModel';
import { batchCost, batchCostMarkdown, priceOf, sumUsage, usageLines } from '../../src/core/usage';
import { terminalStatesAccount } from '../fake-openai/terminalStates';
import { sourcesFor } from '../support/resultsFiles';

type Models = Record<string, { price_data?: { batch?: { input?: number; output?: number; cached_input?: number } } }>;

/** The catalogue as the extension loads it (gpt-tokenizer's `models`), named as the extension names it. */
async function catalogue() {
  const models = (await import('gpt-tokenizer/models')) as unknown as Models;
  const { version } = JSON.parse(fs.readFileSync(require.resolve('gpt-tokenizer/package.json'), 'utf8')) as { version: string };
  const source = `gpt-tokenizer ${version} catalogue`;
  return { pricing: new Pricing(priceCatalogue(models, source)), models, source };
}

/** The cost by hand, from the catalogue's own batch prices (USD per 1M tokens); cached input at its price or the input's. */
function byHand(p: { input?: number; output?: number; cached_input?: number } | TokenPrices, input: number, cached: number, output: number): number {
  const cachedPrice = ('cached_input' in p ? p.cached_input : 'cachedInput' in p ? p.cachedInput : undefined) ?? p.input!;
  return ((input - cached) * p.input! + cached * cachedPrice + output * p.output!) / 1e6;
}

const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-9, `${what}: ${a} vs ${b}`);

describe('usage and cost', () => {
  const { states } = terminalStatesAccount(1_764_331_200);
  const batch = (raw: unknown): Batch => parseBatch(JSON.parse(JSON.stringify(raw))).batch!;
  const gpt4o = batch(states.emptyStringIds); // 2M in (0.5M cached), 0.4M out
  const o3 = batch(states.expiredPartial); // 1M in, 0.3M out (0.12M reasoning, part of the output)
  const gpt35 = batch(states.cancelledPartial); // 4M in, 1M out
  const fineTune = batch(states.described); // 3M in (1M cached), 0.5M out: in no catalogue
  const override = { 'ft:gpt-4o-mini-2024-07-18:acme:*': { input: 0.15, output: 0.6, cachedInput: 0.075 } };

  it('prices each batch at its model\'s catalogue batch prices, for three models, labelled with the catalogue and its version', async () => {
    const { pricing, models, source } = await catalogue();
    const price = priceOf(pricing, new Map());
    for (const [b, input, cached, output] of [
      [gpt4o, 2e6, 5e5, 4e5],
      [o3, 1e6, 0, 3e5],
      [gpt35, 4e6, 0, 1e6],
    ] as const) {
      const cost = batchCost(b, price);
      assert.equal(cost.kind, 'estimate', b.model);
      if (cost.kind !== 'estimate') return;
      close(cost.estimate.usd, byHand(models[b.model!].price_data!.batch!, input, cached, output), b.model!);
      assert.match(cost.estimate.source, new RegExp(`^${source.replace(/\./g, '\\.')}, batch prices`), 'the catalogue, by name and version');
    }
    // gpt-4o's catalogue entry has no cached price: the estimate says it charged cached input in full.
    const cost = batchCost(gpt4o, price);
    assert.ok(cost.kind === 'estimate' && cost.estimate.source.endsWith('; cached input at the full input price'));
    assert.match(batchCostMarkdown(cost)!.replace(/\\/g, ''), /^Est\. cost: \$\d+\.\d\d — an estimate from gpt-tokenizer \d+\.\d+\.\d+ catalogue, batch prices/);
  });

  it('has tokens only for a model no price is known for, or a batch that does not say its model', async () => {
    const { pricing } = await catalogue();
    const price = priceOf(pricing, new Map());
    assert.deepEqual(batchCost(fineTune, price), { kind: 'unpriced', model: 'ft:gpt-4o-mini-2024-07-18:acme::x1' });
    assert.match(batchCostMarkdown(batchCost(fineTune, price))!, /no price known for .+, tokens only \(add it to openaiBatches\\\.prices\)/);
    const noModel = parseBatch({ id: 'x', status: 'completed', usage: { input_tokens: 10, output_tokens: 5 } }).batch!;
    assert.deepEqual(batchCost(noModel, price), { kind: 'noModel' });
    assert.deepEqual(batchCost(batch(states.failedValidation), price), { kind: 'noUsage' });
    assert.equal(batchCostMarkdown({ kind: 'noUsage' }), undefined);
  });

  it('sums tokens and cost over batches of three models and one priced by the prices setting', async () => {
    const { pricing, models } = await catalogue();
    const { overrides, problems } = parsePriceOverrides(override);
    assert.deepEqual(problems, []);
    const all = [gpt4o, o3, gpt35, fineTune, batch(states.allFailed), batch(states.expiredNothing), batch(states.failedValidation)];
    const totals = sumUsage(all, priceOf(pricing, overrides));
    assert.equal(totals.batches, 7);
    assert.equal(totals.withUsage, 5, 'the all-failed batch reports (zero) usage; two report none');
    assert.deepEqual([totals.input, totals.cached, totals.output, totals.reasoning, totals.total], [10e6, 1.5e6, 2.2e6, 0.12e6, 12.2e6]);
    const expected =
      byHand(models['gpt-4o'].price_data!.batch!, 2e6, 5e5, 4e5) + byHand(models.o3.price_data!.batch!, 1e6, 0, 3e5) + byHand(models['gpt-3.5-turbo'].price_data!.batch!, 4e6, 0, 1e6) + byHand(override['ft:gpt-4o-mini-2024-07-18:acme:*'], 3e6, 1e6, 5e5);
    close(totals.cost!.usd, expected, 'the sum');
    close(byHand(override['ft:gpt-4o-mini-2024-07-18:acme:*'], 3e6, 1e6, 5e5), 0.675, 'the override by itself');
    assert.equal(totals.cost!.batches, 5);
    assert.ok(totals.cost!.sources.includes('openaiBatches.prices "ft:gpt-4o-mini-2024-07-18:acme:*"'), totals.cost!.sources.join(' | '));
    assert.deepEqual(totals.unpriced, []);

    const without = sumUsage(all, priceOf(pricing, new Map()));
    close(without.cost!.usd, expected - 0.675, 'without the setting');
    assert.deepEqual(without.unpriced, [{ model: 'ft:gpt-4o-mini-2024-07-18:acme::x1', batches: 1 }]);
    const lines = usageLines(without);
    assert.equal(lines[0], 'Tokens of 5 of 7 batches: 10,000,000 in · 1,500,000 cached · 2,200,000 out · 120,000 reasoning');
    assert.match(lines[1], /^Est\. cost: \$\d+\.\d\d for 4 of them — an estimate from gpt-tokenizer \d/);
    assert.equal(lines[2], 'No price known for ft:gpt-4o-mini-2024-07-18:acme::x1 (1 batch): tokens only; add it to openaiBatches.prices');
  });

  it('says when nothing reports usage, and never makes up a cost', () => {
    const none = sumUsage([batch(states.failedValidation)], () => assert.fail('nothing to price'));
    assert.equal(none.cost, undefined);
    assert.deepEqual(usageLines(none), ['None of 1 batch reports its usage.']);
    assert.deepEqual(usageLines(sumUsage([], () => undefined)), ['No batches.']);
    const unknown = sumUsage([o3], () => undefined);
    assert.equal(unknown.cost, undefined);
    assert.deepEqual(unknown.unpriced, [{ model: 'o3', batches: 1 }]);
  });

  describe('in the Results view', () => {
    let dir: string;
    beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cost-'))));
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('sums the per-request usage by each response\'s model and prices it; what has no price is counted', async () => {
      const { pricing, models, source } = await catalogue();
      const account = terminalStatesAccount(1_764_331_200);
      const expired = await buildResultsIndex(sourcesFor(account, states.expiredPartial.id, dir));
      const byModel = tokensByModel(expired);
      assert.deepEqual([...byModel.keys()], ['o3-2025-04-16']);
      assert.deepEqual(byModel.get('o3-2025-04-16'), { ...expired.summary.tokens });
      const cost = resultsCost(byModel, priceOf(pricing, new Map()));
      close(cost.usd!, byHand(models['o3-2025-04-16'].price_data!.batch!, 300, 0, 60), 'three responses of 100 in, 20 out');
      assert.deepEqual([cost.pricedResponses, cost.unpriced, cost.sources], [3, [], [`${source}, batch prices`]]);

      const described = await buildResultsIndex(sourcesFor(account, states.described.id, dir));
      const unpriced = resultsCost(tokensByModel(described), priceOf(pricing, new Map()));
      assert.deepEqual(unpriced, { pricedResponses: 0, sources: [], unpriced: [{ model: 'ft:gpt-4o-mini-2024-07-18:acme::x1', responses: 2 }] });
      const priced = resultsCost(tokensByModel(described), priceOf(pricing, parsePriceOverrides(override).overrides));
      close(priced.usd!, byHand(override['ft:gpt-4o-mini-2024-07-18:acme:*'], 200, 0, 40), 'the override');
    });
  });
});
