import * as vscode from 'vscode';
import { SETTINGS, settingValue, type SettingName, type SettingValue } from '../core/settings';
import { CONFIG_SECTION } from '../constants';

/** The current value of a setting, read as the table says (user settings only where it must be). */
export function setting<K extends SettingName>(name: K): SettingValue<K> {
  const spec = SETTINGS[name];
  const config = vscode.workspace.getConfiguration(CONFIG_SECTION);
  const raw = 'userOnly' in spec && spec.userOnly ? config.inspect(spec.key)?.globalValue : config.get(spec.key);
  return settingValue(name, raw);
}

/** Whether a configuration change touches any of `names`. */
export function affectsSettings(event: vscode.ConfigurationChangeEvent, ...names: SettingName[]): boolean {
  return names.some((name) => event.affectsConfiguration(`${CONFIG_SECTION}.${SETTINGS[name].key}`));
}
