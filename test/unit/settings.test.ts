import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SETTINGS, settingValue, type SettingSpec } from '../../src/core/settings';
import { CONFIG_SECTION } from '../../src/constants';

interface Contributed {
  type: string;
  default: unknown;
  minimum?: number;
  maximum?: number;
  scope?: string;
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
      assert.equal(declared.type, spec.integer ? 'integer' : typeof spec.default, `${spec.key} type`);
      assert.equal(declared.minimum, spec.minimum, `${spec.key} minimum`);
      assert.equal(declared.maximum, spec.maximum, `${spec.key} maximum`);
      // What only user settings may decide is also out of a workspace's reach in the Settings editor.
      if (spec.userOnly) assert.equal(declared.scope, 'application', `${spec.key} scope`);
    }
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
    assert.equal(settingValue('baseUrl', '  https://example.test/v1 '), 'https://example.test/v1');
    assert.equal(settingValue('baseUrl', 42), '');
    assert.equal(settingValue('allowInsecureHttp', 'true'), false);
    assert.equal(settingValue('allowInsecureHttp', true), true);
    assert.deepEqual(settingValue('prices', { 'gpt-x': { input: 1 } }), { 'gpt-x': { input: 1 } });
    assert.deepEqual(settingValue('prices', [1]), {});
    assert.deepEqual(settingValue('prices', null), {});
    assert.deepEqual(settingValue('prices', 'cheap'), {});
  });
});
