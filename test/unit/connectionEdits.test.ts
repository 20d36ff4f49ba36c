import * as assert from 'node:assert/strict';
import { resolveConnection } from '../../src/core/connection';
import {
  baseUrlProblem,
  connectionEntry,
  connectionNameProblem,
  newConnectionSettings,
  withConnectionAdded,
  withConnectionEdited,
  withConnectionRemoved,
  withConnectionRenamed,
} from '../../src/core/connectionEdits';
import { connectionList } from '../../src/core/connections';

describe('adding, renaming and removing connections', () => {
  it('a name must be new (any case), not Default, not blank', () => {
    const taken = ['Default', 'Work'];
    assert.equal(connectionNameProblem('Research', taken), undefined);
    assert.match(connectionNameProblem('  ', taken) ?? '', /Enter a name/);
    assert.match(connectionNameProblem('default', taken) ?? '', /"Default" is the connection/);
    assert.match(connectionNameProblem(' work ', taken) ?? '', /"work" exists already/);
    assert.match(connectionNameProblem('x'.repeat(65), taken) ?? '', /at most 64/);
  });

  it('a URL must be https, or http to this machine only', () => {
    for (const ok of ['https://api.openai.com/v1', 'https://my.openai.azure.com', 'http://localhost:4000/v1', 'http://127.0.0.1:8080', 'http://[::1]:4000/v1']) assert.equal(baseUrlProblem(ok), undefined, ok);
    assert.match(baseUrlProblem('http://proxy.example/v1') ?? '', /unencrypted to proxy\.example.*allowInsecureHTTP/);
    assert.match(baseUrlProblem('ftp://example.com') ?? '', /must start with https/);
    assert.match(baseUrlProblem('api.openai.com/v1') ?? '', /Enter a URL/);
  });

  it('writes only what was given, trimmed, and never a key; the entry reads back as the connection that was checked', () => {
    const added = { name: ' Work ', provider: 'azure' as const, baseURL: ' https://work.openai.azure.com ', apiVersion: ' ', project: undefined };
    const entry = connectionEntry(added);
    assert.deepEqual(entry, { name: 'Work', provider: 'azure', baseURL: 'https://work.openai.azure.com' });
    const read = connectionList([entry], {}, {}, 'secret').entries[1];
    assert.deepEqual(resolveConnection(read.settings, read.env, 'k'), resolveConnection(newConnectionSettings(added), {}, 'k'));
    assert.deepEqual(connectionEntry({ name: 'R', provider: 'openai', baseURL: 'https://api.openai.com/v1', organization: 'org_1', project: 'proj_1' }), {
      name: 'R',
      provider: 'openai',
      baseURL: 'https://api.openai.com/v1',
      organization: 'org_1',
      project: 'proj_1',
    });
  });

  it('changes only the entry it is about, keeping the others exactly (unusable ones too)', () => {
    const raw = [{ name: 'Work', provider: 'azure', baseURL: 'https://w', allowInsecureHTTP: true }, 'junk', { name: 'Proxy', provider: 'openai-compatible', baseURL: 'http://localhost:4000/v1' }];
    const added = withConnectionAdded(raw, { name: 'New', provider: 'openai', baseURL: 'https://api.openai.com/v1' });
    assert.deepEqual(added, [...raw, { name: 'New', provider: 'openai', baseURL: 'https://api.openai.com/v1' }]);
    assert.deepEqual(withConnectionAdded(undefined, { name: 'A', provider: 'openai', baseURL: 'https://a' }), [{ name: 'A', provider: 'openai', baseURL: 'https://a' }]);
    assert.deepEqual(withConnectionRenamed(raw, 'Work', ' Office '), [{ name: 'Office', provider: 'azure', baseURL: 'https://w', allowInsecureHTTP: true }, 'junk', raw[2]]);
    assert.deepEqual(withConnectionRemoved(raw, 'Work'), ['junk', raw[2]]);
    assert.deepEqual(withConnectionRemoved(raw, 'work'), raw, 'names are matched exactly, as the view names them');
    assert.equal(raw.length, 3, 'the value read is not changed in place');
  });
});

describe('editing a connection', () => {
  it('replaces its URL and options (an emptied one is removed), keeping its name, provider and anything else', () => {
    const raw = [{ name: 'Work', provider: 'azure', baseURL: 'http://w.lan', apiVersion: '2024-10-21', allowInsecureHTTP: true, note: 'x' }, { name: 'Proxy', baseURL: 'http://localhost:4000/v1' }];
    const edited = withConnectionEdited(raw, 'Work', { name: 'Work', provider: 'azure', baseURL: ' https://work.openai.azure.com ', apiVersion: '' });
    assert.deepEqual(edited, [{ name: 'Work', provider: 'azure', baseURL: 'https://work.openai.azure.com', allowInsecureHTTP: true, note: 'x' }, raw[1]]);
    assert.deepEqual(withConnectionEdited(raw, 'Proxy', { name: 'Proxy', provider: 'openai', baseURL: 'http://localhost:5000/v1', project: 'p' }).at(1), { name: 'Proxy', baseURL: 'http://localhost:5000/v1', project: 'p' }, 'no provider added where none was written');
    assert.deepEqual(withConnectionEdited(raw, 'Nope', { name: 'Nope', provider: 'openai', baseURL: 'https://a' }), raw);
  });

  it('a connection that allows plain http may keep an http URL to another host', () => {
    assert.equal(baseUrlProblem('http://w.lan/v1', true), undefined);
    assert.notEqual(baseUrlProblem('http://w.lan/v1', false), undefined);
    assert.notEqual(baseUrlProblem('ftp://w.lan', true), undefined);
  });
});
