import * as assert from 'node:assert/strict';
import { DEFAULT_BASE_URL, dashboardUrl, isLoopbackHost, isOpenAIBaseUrl, resolveConnection } from '../../src/core/connection';

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

  it('knows OpenAI, loopback and dashboard URLs', () => {
    assert.equal(isOpenAIBaseUrl('https://api.openai.com/v1'), true);
    assert.equal(isOpenAIBaseUrl('https://x.openai.azure.com/openai/v1'), false);
    assert.deepEqual(['localhost', '127.0.0.1', '127.1.2.3', '[::1]', '10.0.0.1', 'example.com'].map(isLoopbackHost), [true, true, true, true, false, false]);
    assert.equal(dashboardUrl('batch_1'), 'https://platform.openai.com/batches/batch_1');
  });
});
