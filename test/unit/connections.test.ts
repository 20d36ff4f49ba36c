import * as assert from 'node:assert/strict';
import { resolveConnection } from '../../src/core/connection';
import { connectionList, connectionNamed, DEFAULT_CONNECTION } from '../../src/core/connections';

const SECRET = 'openaiBatches.apiKey';
const ENV = { OPENAI_API_KEY: 'sk-env', OPENAI_BASE_URL: 'https://proxy.example/v1', OPENAI_PROJECT_ID: 'proj_env' };

describe('connections in settings', () => {
  it("makes today's setup the Default connection: the same settings, the same key, the environment", () => {
    const legacy = { baseUrl: 'https://eu.example/v1', organization: 'org_1' };
    const { entries, problems } = connectionList(undefined, legacy, ENV, SECRET);
    assert.deepEqual(problems, []);
    assert.equal(entries.length, 1);
    const [d] = entries;
    assert.deepEqual([d.name, d.provider, d.secretKey, d.isDefault], [DEFAULT_CONNECTION, 'openai', SECRET, true]);
    // Resolved exactly as before there were connections.
    assert.deepEqual(resolveConnection(d.settings, d.env, undefined), resolveConnection(legacy, ENV, undefined));
    const r = resolveConnection(d.settings, d.env, undefined);
    assert.ok(r.ok);
    assert.deepEqual([r.connection.baseUrl, r.connection.apiKey, r.connection.project], ['https://eu.example/v1', 'sk-env', 'proj_env']);
  });

  it('reads the configured ones after it, each with a key of its own and no environment', () => {
    const raw = [
      { name: 'Work', provider: 'azure', baseURL: 'https://work.openai.azure.com' },
      { name: ' Research ', provider: 'openai', project: 'proj_r' },
      { name: 'Proxy', provider: 'openai-compatible', baseURL: 'http://localhost:4000/v1' },
    ];
    const { entries, problems } = connectionList(raw, {}, ENV, SECRET);
    assert.deepEqual(problems, []);
    assert.deepEqual(entries.map((e) => [e.name, e.provider, e.secretKey]), [
      [DEFAULT_CONNECTION, 'openai', SECRET],
      ['Work', 'azure', `${SECRET}.Work`],
      ['Research', 'openai', `${SECRET}.Research`],
      ['Proxy', 'openai-compatible', `${SECRET}.Proxy`],
    ]);
    const work = connectionNamed({ entries, problems }, 'Work');
    assert.deepEqual(work.env, {});
    const resolved = resolveConnection(work.settings, work.env, undefined);
    assert.equal(!resolved.ok && resolved.message, 'No API key is stored for "Work". Run "OpenAI Batches: Set API Key" for it.', 'never the key from the environment');
    const withKey = resolveConnection(work.settings, work.env, 'azure-key');
    assert.ok(withKey.ok);
    assert.deepEqual([withKey.connection.provider, withKey.connection.baseUrl], ['azure', 'https://work.openai.azure.com/openai/v1']);
    const research = resolveConnection(connectionNamed({ entries, problems }, 'Research').settings, {}, 'k');
    assert.ok(research.ok);
    assert.deepEqual([research.connection.baseUrl, research.connection.project], ['https://api.openai.com/v1', 'proj_r'], 'not OPENAI_BASE_URL');
  });

  it('leaves out, and says, what it cannot use: no name, a name used before, an unknown provider, not an object', () => {
    const raw = [{ provider: 'openai' }, { name: 'default' }, { name: 'A' }, { name: 'a', provider: 'openai' }, { name: 'B', provider: 'bedrock' }, 'C', null];
    const { entries, problems } = connectionList(raw, {}, {}, SECRET);
    assert.deepEqual(entries.map((e) => e.name), [DEFAULT_CONNECTION, 'A']);
    assert.deepEqual(problems, [
      'openaiBatches.connections[0] has no name.',
      'openaiBatches.connections[1]: the name "default" is used before.',
      'openaiBatches.connections[3]: the name "a" is used before.',
      'openaiBatches.connections[4] ("B"): the provider "bedrock" is not one of openai, azure, openai-compatible.',
      'openaiBatches.connections[5] is not an object.',
      'openaiBatches.connections[6] is not an object.',
    ]);
    assert.deepEqual(connectionList({ name: 'x' }, {}, {}, SECRET).problems, ['openaiBatches.connections is not a list; it is ignored.']);
  });

  it('falls back to the Default connection when the one chosen is gone', () => {
    const list = connectionList([{ name: 'Work', provider: 'azure', baseURL: 'https://w.openai.azure.com' }], {}, {}, SECRET);
    assert.equal(connectionNamed(list, 'Work').name, 'Work');
    assert.equal(connectionNamed(list, 'Gone').name, DEFAULT_CONNECTION);
    assert.equal(connectionNamed(list, undefined).name, DEFAULT_CONNECTION);
  });
});
