import { isApiError } from './apiError';

/**
 * Every setting the extension reads, with its key (under `openaiBatches.`), default and bounds: the one
 * table the code reads them through. package.json's `contributes.configuration` declares the same
 * defaults and bounds for the Settings editor, ordered as this table is (most important first); a unit
 * test keeps the two in step.
 *
 * VS Code titles a setting from its key (camelCase split before each capital, a few acronyms upper-cased):
 * keys are spelled so the titles read right, `baseURL` as "Base URL", `allowInsecureHTTP` as "Allow Insecure HTTP".
 */
export const SETTINGS = {
  baseURL: { key: 'baseURL', default: '', userOnly: true, formerKey: 'baseUrl' },
  organization: { key: 'organization', default: '', userOnly: true },
  project: { key: 'project', default: '', userOnly: true },
  /** Further accounts and servers, read through core/connections.ts `connectionList`. */
  connections: { key: 'connections', default: [] as readonly unknown[], userOnly: true },
  autoRefreshSeconds: { key: 'autoRefreshSeconds', default: 30, minimum: 0, maximum: 3600 },
  largeFileThresholdMB: { key: 'largeFileThresholdMB', default: 50, minimum: 0 },
  /** Batch prices by model, USD per 1M tokens: read through core/pricing.ts `parsePriceOverrides`. */
  prices: { key: 'prices', default: {} as Readonly<Record<string, unknown>> },
  pageSize: { key: 'pageSize', default: 50, minimum: 1, maximum: 100, integer: true },
  requestTimeoutSeconds: { key: 'requestTimeoutSeconds', default: 60, minimum: 1, maximum: 600 },
  resultsCacheMB: { key: 'resultsCacheMB', default: 2048, minimum: 0 },
  /** What a batch row is labelled with: its `metadata.description` when it has one, or always its id. */
  label: { key: 'label', default: 'description', values: ['description', 'id'] },
  // Last: the one setting that weakens a protection.
  allowInsecureHTTP: { key: 'allowInsecureHTTP', default: false, userOnly: true, formerKey: 'allowInsecureHttp' },
} as const satisfies Record<string, SettingSpec>;

export interface SettingSpec {
  readonly key: string;
  readonly default: string | number | boolean | readonly unknown[] | Readonly<Record<string, unknown>>;
  /**
   * Read from user settings only: where requests carrying the key go must not be decided by a
   * repository's `.vscode/settings.json`, whatever VS Code does with the `application` scope.
   */
  readonly userOnly?: boolean;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly integer?: boolean;
  /** The only values a string setting may take (package.json's `enum`); anything else is the default. */
  readonly values?: readonly string[];
  /**
   * The key this setting had before (user settings only): read while a value is still there, and moved
   * to `key` once at activation.
   */
  readonly formerKey?: string;
}

export type SettingName = keyof typeof SETTINGS;

type Widen<T> = T extends string
  ? string
  : T extends number
    ? number
    : T extends boolean
      ? boolean
      : T extends readonly unknown[]
        ? readonly unknown[]
        : T extends object
          ? Readonly<Record<string, unknown>>
          : never;
export type SettingValue<K extends SettingName> = Widen<(typeof SETTINGS)[K]['default']>;

/** A raw configured value made safe: the wrong type gives the default, numbers are kept within bounds. */
export function settingValue<K extends SettingName>(name: K, raw: unknown): SettingValue<K> {
  const spec: SettingSpec = SETTINGS[name];
  const fallback = spec.default as SettingValue<K>;
  if (Array.isArray(spec.default)) return (Array.isArray(raw) ? raw : fallback) as SettingValue<K>;
  if (typeof raw !== typeof spec.default || raw === null || Array.isArray(raw)) return fallback;
  if (typeof raw === 'string') return (spec.values && !spec.values.includes(raw.trim()) ? fallback : raw.trim()) as SettingValue<K>;
  if (typeof raw !== 'number') return raw as SettingValue<K>;
  if (!Number.isFinite(raw)) return fallback;
  let n = spec.integer ? Math.floor(raw) : raw;
  if (spec.minimum !== undefined) n = Math.max(spec.minimum, n);
  if (spec.maximum !== undefined) n = Math.min(spec.maximum, n);
  return n as SettingValue<K>;
}

/** A setting whose user-level value is still under its former key. */
export interface SettingMove {
  readonly from: string;
  readonly to: string;
  readonly value: unknown;
  /** The new key already has a user value, which wins: the old one is only removed. */
  readonly keepExisting: boolean;
}

/**
 * What to move from former keys to current ones, given how to read a key's user-level value
 * (`undefined` when unset). A value under the new key is never overwritten.
 */
export function settingMoves(userValue: (key: string) => unknown): SettingMove[] {
  const moves: SettingMove[] = [];
  for (const spec of Object.values(SETTINGS) as SettingSpec[]) {
    if (!spec.formerKey) continue;
    const value = userValue(spec.formerKey);
    if (value === undefined) continue;
    moves.push({ from: spec.formerKey, to: spec.key, value, keepExisting: userValue(spec.key) !== undefined });
  }
  return moves;
}

/**
 * The setting worth checking after a failure: the endpoint when the API cannot be reached or the
 * connection settings are wrong, the timeout when requests time out.
 */
export function settingToCheck(error: unknown): SettingName | undefined {
  if (!isApiError(error)) return undefined;
  if (error.kind === 'connection' || (error.kind === 'config' && (error.code === 'invalidBaseUrl' || error.code === 'insecureBaseUrl'))) return 'baseURL';
  if (error.kind === 'timeout') return 'requestTimeoutSeconds';
  return undefined;
}
