import * as assert from 'node:assert/strict';
import { DEFAULT_BASE_URL, isLoopbackHost, resolveConnection } from '../../src/core/connection';
import { apiBaseUrl, authHeaders, dashboardLink, isOpenAIBaseUrl } from '../../src/core/providers';

describe('resolveConnection', () => {
  it('prefers the stored key, then OPENAI_API_KEY', () => {
    const stored = resolveConnection({}, { OPENAI_API_KEY: 'env-key' }, 'stored-key');
    assert.ok(stored.ok);
    assert.equal(stored.connection.apiKey, 'stored-key');
    assert.equal(stored.connection.keySource, 'stored');
    const env = resolveConnection({}, { OPENAI_API_KEY: 'env-key' }, undefined);
    assert.ok(env.ok);
    assert.equal(env.connection.keySource, 'environment');
  });

  it('says there is no key rather than failing', () => {
    const r = resolveConnection({}, {}, '  ');
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.problem, 'noApiKey');
  });

  it('takes the base URL from the setting, then OPENAI_BASE_URL, then OpenAI', () => {
    const url = (settings: object, env: object) => {
      const r = resolveConnection(settings, { OPENAI_API_KEY: 'k', ...env }, undefined);
      assert.ok(r.ok);
      return r.connection.baseUrl;
    };
    assert.equal(url({}, {}), DEFAULT_BASE_URL);
    assert.equal(url({}, { OPENAI_BASE_URL: 'https://proxy.example/v1/' }), 'https://proxy.example/v1');
    assert.equal(url({ baseUrl: 'https://setting.example/v1' }, { OPENAI_BASE_URL: 'https://proxy.example/v1' }), 'https://setting.example/v1');
  });

  it('reads organization and project from settings, then the SDK variables', () => {
    const r = resolveConnection({ project: 'proj_s' }, { OPENAI_API_KEY: 'k', OPENAI_ORG_ID: 'org_e', OPENAI_PROJECT_ID: 'proj_e' }, undefined);
    assert.ok(r.ok);
    assert.equal(r.connection.organization, 'org_e');
    assert.equal(r.connection.project, 'proj_s');
  });

  it('refuses plain http to another host unless allowed; loopback is fine', () => {
    const remote = resolveConnection({ baseUrl: 'http://10.0.0.5:4000/v1' }, { OPENAI_API_KEY: 'k' }, undefined);
    assert.equal(!remote.ok && remote.problem, 'insecureBaseUrl');
    assert.ok(resolveConnection({ baseUrl: 'http://10.0.0.5:4000/v1', allowInsecureHttp: true }, { OPENAI_API_KEY: 'k' }, undefined).ok);
    assert.ok(resolveConnection({ baseUrl: 'http://127.0.0.1:4000/v1' }, { OPENAI_API_KEY: 'k' }, undefined).ok);
    assert.ok(resolveConnection({ baseUrl: 'http://[::1]:4000/v1' }, { OPENAI_API_KEY: 'k' }, undefined).ok);
  });

  it('rejects a base URL that is not http(s)', () => {
    for (const baseUrl of ['not a url', 'file:///etc/passwd', 'ftp://x/v1']) {
      const r = resolveConnection({ baseUrl }, { OPENAI_API_KEY: 'k' }, undefined);
      assert.equal(!r.ok && r.problem, 'invalidBaseUrl', baseUrl);
    }
  });

  it('knows OpenAI and loopback URLs', () => {
    assert.equal(isOpenAIBaseUrl('https://api.openai.com/v1'), true);
    assert.equal(isOpenAIBaseUrl('https://x.openai.azure.com/openai/v1'), false);
    assert.deepEqual(['localhost', '127.0.0.1', '127.1.2.3', '[::1]', '10.0.0.1', 'example.com'].map(isLoopbackHost), [true, true, true, true, false, false]);
  });

  it('names the connection in what it says, and reads no environment for a named one', () => {
    const noKey = resolveConnection({ name: 'Work', provider: 'azure', baseUrl: 'https://work.openai.azure.com' }, {}, undefined);
    assert.equal(!noKey.ok && noKey.message, 'No API key is stored for "Work". Run "OpenAI Batches: Set API Key" for it.');
    const insecure = resolveConnection({ name: 'Proxy', provider: 'openai-compatible', baseUrl: 'http://10.0.0.5:4000/v1' }, {}, 'k');
    assert.match(!insecure.ok ? insecure.message : '', /allow it for "Proxy" \(Edit Connection…\)/);
    const noUrl = resolveConnection({ name: 'Groq', provider: 'openai-compatible' }, {}, 'k');
    assert.equal(!noUrl.ok && noUrl.problem, 'invalidBaseUrl');
    assert.match(!noUrl.ok ? noUrl.message : '', /"Groq" has no URL/);
  });

  it('keeps organization and project for OpenAI only', () => {
    const r = resolveConnection({ provider: 'openai-compatible', baseUrl: 'https://proxy.example/v1', organization: 'org_1', project: 'proj_1' }, {}, 'k');
    assert.ok(r.ok);
    assert.equal(r.connection.organization, undefined);
    assert.equal(r.connection.project, undefined);
  });
});

describe('providers', () => {
  it("completes an Azure endpoint to the v1 API, or with an API version to the older paths; others' URLs stay", () => {
    assert.equal(apiBaseUrl('azure', 'https://res.openai.azure.com/'), 'https://res.openai.azure.com/openai/v1');
    assert.equal(apiBaseUrl('azure', 'https://res.openai.azure.com', '2024-10-21'), 'https://res.openai.azure.com/openai');
    assert.equal(apiBaseUrl('azure', 'https://res.openai.azure.com/openai/v1'), 'https://res.openai.azure.com/openai/v1');
    assert.equal(apiBaseUrl('azure', 'https://res.openai.azure.com/openai/', '2024-10-21'), 'https://res.openai.azure.com/openai');
    assert.equal(apiBaseUrl('openai-compatible', 'http://localhost:4000/v1/'), 'http://localhost:4000/v1');
    assert.equal(apiBaseUrl('openai', 'https://api.openai.com/v1'), 'https://api.openai.com/v1');
    const r = resolveConnection({ provider: 'azure', baseUrl: 'https://res.openai.azure.com', apiVersion: '2024-10-21' }, {}, 'k');
    assert.ok(r.ok);
    assert.equal(r.connection.baseUrl, 'https://res.openai.azure.com/openai');
    assert.equal(r.connection.apiVersion, '2024-10-21');
  });

  it('sends the key as each provider expects: api-key on Azure, Bearer elsewhere, OpenAI headers to OpenAI only', () => {
    assert.deepEqual(authHeaders({ provider: 'azure', apiKey: 'k', organization: 'o', project: 'p' }), { 'api-key': 'k' });
    assert.deepEqual(authHeaders({ provider: 'openai-compatible', apiKey: 'k', organization: 'o', project: 'p' }), { Authorization: 'Bearer k' });
    assert.deepEqual(authHeaders({ provider: 'openai', apiKey: 'k', organization: 'o', project: 'p' }), { Authorization: 'Bearer k', 'OpenAI-Organization': 'o', 'OpenAI-Project': 'p' });
  });

  it("links a batch to OpenAI's dashboard for OpenAI's own API only (Azure's link: azure.test.ts)", () => {
    assert.deepEqual(dashboardLink({ provider: 'openai', baseUrl: DEFAULT_BASE_URL }, 'batch_1'), { url: 'https://platform.openai.com/batches/batch_1' });
    assert.equal(dashboardLink({ provider: 'openai', baseUrl: 'https://proxy.example/v1' }, 'batch_1'), undefined);
    assert.equal(dashboardLink({ provider: 'openai-compatible', baseUrl: DEFAULT_BASE_URL }, 'batch_1'), undefined);
  });
});
