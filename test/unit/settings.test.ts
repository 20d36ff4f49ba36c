import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SETTINGS, settingMoves, settingValue, type SettingSpec } from '../../src/core/settings';
import { CONFIG_SECTION } from '../../src/constants';

interface Contributed {
  type: string;
  default: unknown;
  minimum?: number;
  maximum?: number;
  scope?: string;
  order?: number;
  enum?: string[];
}

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, Contributed> } };
};
const contributed = manifest.contributes.configuration.properties;

describe('settings table', () => {
  it('declares in package.json exactly the settings the code reads, with the same defaults and bounds', () => {
    const specs: SettingSpec[] = Object.values(SETTINGS);
    assert.deepEqual(Object.keys(contributed).sort(), specs.map((s) => `${CONFIG_SECTION}.${s.key}`).sort());
    for (const spec of specs) {
      const declared = contributed[`${CONFIG_SECTION}.${spec.key}`];
      assert.deepEqual(declared.default, spec.default, `${spec.key} default`);
      assert.equal(declared.type, spec.integer ? 'integer' : Array.isArray(spec.default) ? 'array' : typeof spec.default, `${spec.key} type`);
      assert.equal(declared.minimum, spec.minimum, `${spec.key} minimum`);
      assert.equal(declared.maximum, spec.maximum, `${spec.key} maximum`);
      assert.deepEqual(declared.enum, spec.values, `${spec.key} values`);
      // What only user settings may decide is also out of a workspace's reach in the Settings editor.
      if (spec.userOnly) assert.equal(declared.scope, 'application', `${spec.key} scope`);
    }
  });

  it('orders the Settings editor as the table is ordered, the risky insecure-HTTP switch last', () => {
    const keys = Object.values(SETTINGS).map((s: SettingSpec) => `${CONFIG_SECTION}.${s.key}`);
    assert.deepEqual(keys.map((key) => contributed[key].order), keys.map((_, i) => i + 1));
    assert.equal(keys[keys.length - 1], `${CONFIG_SECTION}.allowInsecureHTTP`);
  });

  it('spells keys so the titles VS Code derives from them read right (URL, HTTP, MB)', () => {
    // The Settings editor splits camelCase before each capital that follows a lower-case letter or digit.
    const title = (key: string) => key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/^[a-z]/, (c) => c.toUpperCase());
    assert.deepEqual(
      Object.values(SETTINGS).map((s: SettingSpec) => title(s.key)),
      ['Base URL', 'Organization', 'Project', 'Connections', 'Auto Refresh Seconds', 'Large File Threshold MB', 'Prices', 'Page Size', 'Request Timeout Seconds', 'Results Cache MB', 'Label', 'Allow Insecure HTTP'],
    );
  });

  it('moves user values from the former keys, never over a value already under the new key', () => {
    const user: Record<string, unknown> = { baseUrl: 'https://old.example/v1', allowInsecureHttp: true, allowInsecureHTTP: false };
    assert.deepEqual(settingMoves((key) => user[key]), [
      { from: 'baseUrl', to: 'baseURL', value: 'https://old.example/v1', keepExisting: false },
      { from: 'allowInsecureHttp', to: 'allowInsecureHTTP', value: true, keepExisting: true },
    ]);
    assert.deepEqual(settingMoves(() => undefined), []);
  });

  it('turns what a hand-edited settings.json may hold into a usable value', () => {
    assert.equal(settingValue('pageSize', 250), 100);
    assert.equal(settingValue('pageSize', 0), 1);
    assert.equal(settingValue('pageSize', 12.7), 12);
    assert.equal(settingValue('pageSize', '30'), 50);
    assert.equal(settingValue('pageSize', Number.NaN), 50);
    assert.equal(settingValue('pageSize', undefined), 50);
    assert.equal(settingValue('requestTimeoutSeconds', 0.5), 1);
    assert.equal(settingValue('largeFileThresholdMB', 0.5), 0.5);
    assert.equal(settingValue('baseURL', '  https://example.test/v1 '), 'https://example.test/v1');
    assert.equal(settingValue('baseURL', 42), '');
    assert.equal(settingValue('allowInsecureHTTP', 'true'), false);
    assert.equal(settingValue('allowInsecureHTTP', true), true);
    assert.deepEqual(settingValue('prices', { 'gpt-x': { input: 1 } }), { 'gpt-x': { input: 1 } });
    assert.deepEqual(settingValue('prices', [1]), {});
    assert.deepEqual(settingValue('prices', null), {});
    assert.deepEqual(settingValue('prices', 'cheap'), {});
    assert.deepEqual(settingValue('connections', [{ name: 'Work' }]), [{ name: 'Work' }]);
    assert.deepEqual(settingValue('connections', { name: 'Work' }), []);
    assert.equal(settingValue('label', ' id '), 'id');
    assert.equal(settingValue('label', 'name'), 'description', 'a value the setting does not take is the default');
    assert.equal(settingValue('label', 1), 'description');
  });
});
