import * as vscode from 'vscode';
import { SETTINGS, settingMoves, settingValue, type SettingName, type SettingSpec, type SettingValue } from '../core/settings';
import type { LabelMode } from '../core/batchSummary';
import { CONFIG_SECTION, EXTENSION_ID } from '../constants';

/** The current value of a setting, read as the table says (user settings only where it must be). */
export function setting<K extends SettingName>(name: K): SettingValue<K> {
  const spec: SettingSpec = SETTINGS[name];
  const config = vscode.workspace.getConfiguration(CONFIG_SECTION);
  let raw = spec.userOnly ? config.inspect(spec.key)?.globalValue : config.get(spec.key);
  // Until the move at activation has happened (or if it failed), a value under the former key still
  // applies: an endpoint must never silently fall back to the default one.
  if (raw === undefined && spec.formerKey) raw = config.inspect(spec.formerKey)?.globalValue;
  return settingValue(name, raw);
}

/** What batch rows are labelled with. */
export function labelMode(): LabelMode {
  return setting('label') === 'id' ? 'id' : 'description';
}

/** Files larger than this are not opened in an editor tab. */
export function largeFileThresholdBytes(): number {
  return setting('largeFileThresholdMB') * 1024 * 1024;
}

/** Whether a configuration change touches any of `names`. */
export function affectsSettings(event: vscode.ConfigurationChangeEvent, ...names: SettingName[]): boolean {
  return names.some((name) => event.affectsConfiguration(`${CONFIG_SECTION}.${SETTINGS[name].key}`));
}

/** The full id of a setting, as the Settings editor and settings.json know it. */
export function settingId(name: SettingName): string {
  return `${CONFIG_SECTION}.${SETTINGS[name].key}`;
}

/** Opens the Settings editor on one setting, or on all of the extension's. */
export function openSettings(name?: SettingName): Thenable<unknown> {
  return vscode.commands.executeCommand('workbench.action.openSettings', name ? settingId(name) : `@ext:${EXTENSION_ID}`);
}

/**
 * Moves user settings still under a former key to the current one, once per activation with
 * something to move, and says so in the log.
 */
export async function migrateSettings(log: vscode.LogOutputChannel): Promise<void> {
  const config = vscode.workspace.getConfiguration(CONFIG_SECTION);
  for (const move of settingMoves((key) => config.inspect(key)?.globalValue)) {
    const from = `${CONFIG_SECTION}.${move.from}`;
    const to = `${CONFIG_SECTION}.${move.to}`;
    try {
      if (!move.keepExisting) await config.update(move.to, move.value, vscode.ConfigurationTarget.Global);
      await config.update(move.from, undefined, vscode.ConfigurationTarget.Global);
      log.info(move.keepExisting ? `Removed the old setting ${from}: ${to} is already set.` : `Moved the setting ${from} to ${to}.`);
    } catch (e) {
      log.warn(`Could not move the setting ${from} to ${to}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
