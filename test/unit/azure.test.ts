import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { parseBatch, type Batch } from '../../src/core/batch';
import { resolveConnection } from '../../src/core/connection';
import { connectionEntry, newConnectionSettings, withConnectionEdited } from '../../src/core/connectionEdits';
import { connectionList } from '../../src/core/connections';
import { modelLabel, modelOf, parseDeployments, pricedByModel } from '../../src/core/deployments';
import { priceCatalogue, Pricing } from '../../src/core/pricing';
import { authHeaders, azureResourceName, dashboardKind, dashboardLink, isAzureResourceId } from '../../src/core/providers';
import { batchCost, batchTooltipWithCost, priceOf, sumUsage } from '../../src/core/usage';
import { terminalStatesAccount } from '../fake-openai/terminalStates';

const SECRET = 'openaiBatches.apiKey';
const RESOURCE_ID = '/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg-batches/providers/Microsoft.CognitiveServices/accounts/work-openai';
const azure = (extra: Record<string, unknown>) => connectionList([{ name: 'Work', provider: 'azure', baseURL: 'https://work-openai.openai.azure.com', ...extra }], {}, {}, SECRET);

describe('Azure OpenAI connections', () => {
  describe('the dashboard link', () => {
    it("goes to the resource's page in the Azure portal when the connection names its resource id", () => {
      const target = { provider: 'azure' as const, baseUrl: 'https://work-openai.openai.azure.com/openai/v1', resourceId: RESOURCE_ID };
      assert.equal(dashboardKind(target), 'azure');
      assert.deepEqual(dashboardLink(target, 'batch_1'), { url: `https://portal.azure.com/#@/resource${RESOURCE_ID}/overview` });
    });

    it("without a resource id, goes to the portal's list of resources and names the endpoint's resource to pick", () => {
      for (const host of ['work-openai.openai.azure.com', 'work-openai.cognitiveservices.azure.com', 'work-openai.services.ai.azure.com']) {
        const link = dashboardLink({ provider: 'azure', baseUrl: `https://${host}/openai/v1` }, 'batch_1');
        assert.deepEqual(link, { url: 'https://portal.azure.com/#browse/Microsoft.CognitiveServices%2Faccounts', resourceName: 'work-openai' }, host);
      }
    });

    it('for an endpoint that is not on an Azure host (a gateway), still the portal, naming no resource', () => {
      assert.equal(dashboardKind({ provider: 'azure', baseUrl: 'http://127.0.0.1:4000/openai/v1' }), 'azure');
      assert.deepEqual(dashboardLink({ provider: 'azure', baseUrl: 'https://gateway.example/openai/v1' }, 'batch_1'), { url: 'https://portal.azure.com/#browse/Microsoft.CognitiveServices%2Faccounts', resourceName: undefined });
      assert.equal(azureResourceName('https://evil.example/?x=.openai.azure.com'), undefined);
      assert.equal(dashboardKind({ provider: 'openai-compatible', baseUrl: 'https://work-openai.openai.azure.com/v1' }), undefined, 'other servers have none');
    });

    it('carries no key, whatever the connection holds', () => {
      const link = dashboardLink({ provider: 'azure', baseUrl: 'https://work-openai.openai.azure.com', resourceId: RESOURCE_ID, apiKey: 'azure-key-secret' } as never, 'batch_1');
      assert.ok(link && !link.url.includes('azure-key-secret'));
    });

    it('takes only the id of an Azure AI services account as a resource id', () => {
      assert.equal(isAzureResourceId(RESOURCE_ID), true);
      for (const bad of ['work-openai', `${RESOURCE_ID}/deployments/x`, '/subscriptions/1/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/s', `https://portal.azure.com/#@/resource${RESOURCE_ID}`]) {
        assert.equal(isAzureResourceId(bad), false, bad);
      }
    });
  });

  describe('deployments', () => {
    it('reads the map and says which entries it leaves out', () => {
      const { deployments, problems } = parseDeployments({ 'my-gpt4o': 'gpt-4o', ' mini ': ' gpt-4o-mini ', broken: 4, empty: '' });
      assert.deepEqual([...deployments], [['my-gpt4o', 'gpt-4o'], ['mini', 'gpt-4o-mini']]);
      assert.equal(problems.length, 2);
      assert.match(problems.join(' '), /"broken".*"empty"/);
      assert.deepEqual(parseDeployments(['gpt-4o']).problems.length, 1);
      assert.equal(parseDeployments(undefined).deployments.size, 0);
    });

    it('names a mapped deployment by its model too, and leaves other names alone', () => {
      const d = new Map([['my-gpt4o', 'gpt-4o']]);
      assert.equal(modelOf('my-gpt4o', d), 'gpt-4o');
      assert.equal(modelOf('gpt-4o-mini', d), 'gpt-4o-mini');
      assert.equal(modelOf('toString', d), 'toString', 'no inherited property is a deployment');
      assert.equal(modelLabel('my-gpt4o', d), 'my-gpt4o (gpt-4o)');
      assert.equal(modelLabel('other', d), 'other');
      assert.equal(modelLabel('gpt-4o', new Map([['gpt-4o', 'gpt-4o']])), 'gpt-4o', 'a deployment named as its model is not named twice');
    });

    it('prices a batch of a deployment at its model\'s catalogue prices, and shows both names in its tooltip', async () => {
      const models = (await import('gpt-tokenizer/models')) as unknown as Record<string, unknown>;
      const { version } = JSON.parse(fs.readFileSync(require.resolve('gpt-tokenizer/package.json'), 'utf8')) as { version: string };
      const pricing = new Pricing(priceCatalogue(models, `gpt-tokenizer ${version} catalogue`));
      const { states } = terminalStatesAccount(1_764_331_200);
      const raw = JSON.parse(JSON.stringify(states.emptyStringIds)) as { model: string };
      assert.equal(raw.model, 'gpt-4o');
      const onOpenAI = parseBatch(raw).batch!;
      const onAzure: Batch = parseBatch({ ...raw, model: 'my-gpt4o' }).batch!;
      const deployments = parseDeployments({ 'my-gpt4o': 'gpt-4o' }).deployments;
      const plain = priceOf(pricing, new Map());
      assert.deepEqual(batchCost(onAzure, plain), { kind: 'unpriced', model: 'my-gpt4o' }, 'without the map, no price');
      const mapped = pricedByModel(plain, deployments);
      const cost = batchCost(onAzure, mapped);
      assert.deepEqual(cost, batchCost(onOpenAI, plain), 'the same estimate as the model itself');
      assert.equal(sumUsage([onAzure], mapped).cost?.usd, sumUsage([onOpenAI], plain).cost?.usd);
      const tooltip = batchTooltipWithCost(onAzure, mapped, 1_764_331_200_000, (name) => modelLabel(name, deployments)).replace(/\\(?=\S)/g, '');
      assert.match(tooltip, /Model: my-gpt4o \(gpt-4o\)/);
      assert.match(tooltip, /Est\. cost: \$\d/);
    });
  });

  describe('Entra ID sign-in', () => {
    it('sends the token as a Bearer token and no api-key; a key connection sends its key', () => {
      assert.deepEqual(authHeaders({ provider: 'azure', apiKey: '', auth: 'entra' }, 'tok'), { Authorization: 'Bearer tok' });
      assert.deepEqual(authHeaders({ provider: 'azure', apiKey: 'k', auth: 'key' }, 'tok'), { 'api-key': 'k' });
      assert.throws(() => authHeaders({ provider: 'azure', apiKey: '', auth: 'entra' }), /needs a token/);
    });

    it('reads "auth", "resourceId" and "deployments" from the entry, and needs no key when signing in with Microsoft', () => {
      const { entries, problems } = azure({ auth: 'entra', resourceId: RESOURCE_ID, deployments: { 'my-gpt4o': 'gpt-4o' } });
      assert.deepEqual(problems, []);
      const s = entries[1].settings;
      assert.equal(s.auth, 'entra');
      assert.equal(s.resourceId, RESOURCE_ID);
      assert.deepEqual([...(s.deployments ?? [])], [['my-gpt4o', 'gpt-4o']]);
      const r = resolveConnection(s, {}, undefined);
      assert.ok(r.ok);
      assert.deepEqual([r.connection.auth, r.connection.keySource, r.connection.apiKey, r.connection.resourceId], ['entra', 'entra', '', RESOURCE_ID]);
    });

    it('ignores and names options that do not fit, and refuses Entra ID for a provider other than Azure', () => {
      const { entries, problems } = azure({ auth: 'password', resourceId: 'work-openai', deployments: 'gpt-4o' });
      assert.equal(entries.length, 2, 'the connection is kept');
      assert.equal(problems.length, 3);
      assert.match(problems.join('\n'), /"auth": "password" is not[\s\S]*"resourceId" is not[\s\S]*"deployments" must be an object/);
      assert.deepEqual([entries[1].settings.auth, entries[1].settings.resourceId], [undefined, undefined]);
      const proxy = connectionList([{ name: 'Proxy', provider: 'openai-compatible', baseURL: 'https://proxy.example/v1', auth: 'entra' }], {}, {}, SECRET);
      assert.match(proxy.problems.join(' '), /"auth": "entra" is not for this connection \(only Azure takes "entra"\)/);
      const r = resolveConnection(proxy.entries[1].settings, {}, 'sk-1');
      assert.ok(r.ok, 'its key is used');
      assert.equal(r.connection.auth, 'key');
      assert.ok(!resolveConnection({ ...proxy.entries[1].settings, auth: 'entra' }, {}, undefined).ok, 'never without a key');
    });

    it('Add and Edit Connection write "auth": "entra" for Azure only, and remove it when the key is chosen again', () => {
      const added = { name: 'Work', provider: 'azure' as const, baseURL: 'https://work-openai.openai.azure.com', auth: 'entra' as const };
      assert.deepEqual(connectionEntry(added), { name: 'Work', provider: 'azure', baseURL: 'https://work-openai.openai.azure.com', auth: 'entra' });
      assert.equal(newConnectionSettings(added).auth, 'entra');
      assert.equal(connectionEntry({ ...added, provider: 'openai' }).auth, undefined);
      const raw = [{ ...connectionEntry(added), deployments: { 'my-gpt4o': 'gpt-4o' } }];
      assert.deepEqual(withConnectionEdited(raw, 'Work', { ...added, auth: 'key' }), [{ name: 'Work', provider: 'azure', baseURL: 'https://work-openai.openai.azure.com', deployments: { 'my-gpt4o': 'gpt-4o' } }]);
    });
  });
});
