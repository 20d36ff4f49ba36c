/**
 * Every setting the extension reads, with its key (under `openaiBatches.`), default and bounds: the one
 * table the code reads them through. package.json's `contributes.configuration` declares the same
 * defaults and bounds for the Settings editor; a unit test keeps the two in step.
 */
export const SETTINGS = {
  baseUrl: { key: 'baseUrl', default: '', userOnly: true },
  organization: { key: 'organization', default: '', userOnly: true },
  project: { key: 'project', default: '', userOnly: true },
  pageSize: { key: 'pageSize', default: 50, minimum: 1, maximum: 100, integer: true },
  largeFileThresholdMB: { key: 'largeFileThresholdMB', default: 50, minimum: 0 },
  requestTimeoutSeconds: { key: 'requestTimeoutSeconds', default: 60, minimum: 1, maximum: 600 },
  autoRefreshSeconds: { key: 'autoRefreshSeconds', default: 30, minimum: 0, maximum: 3600 },
  allowInsecureHttp: { key: 'allowInsecureHttp', default: false, userOnly: true },
  /** Batch prices by model, USD per 1M tokens: read through core/pricing.ts `parsePriceOverrides`. */
  prices: { key: 'prices', default: {} as Readonly<Record<string, unknown>> },
} as const satisfies Record<string, SettingSpec>;

export interface SettingSpec {
  readonly key: string;
  readonly default: string | number | boolean | Readonly<Record<string, unknown>>;
  /**
   * Read from user settings only: where requests carrying the key go must not be decided by a
   * repository's `.vscode/settings.json`, whatever VS Code does with the `application` scope.
   */
  readonly userOnly?: boolean;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly integer?: boolean;
}

export type SettingName = keyof typeof SETTINGS;

type Widen<T> = T extends string ? string : T extends number ? number : T extends boolean ? boolean : T extends object ? Readonly<Record<string, unknown>> : never;
export type SettingValue<K extends SettingName> = Widen<(typeof SETTINGS)[K]['default']>;

/** A raw configured value made safe: the wrong type gives the default, numbers are kept within bounds. */
export function settingValue<K extends SettingName>(name: K, raw: unknown): SettingValue<K> {
  const spec: SettingSpec = SETTINGS[name];
  const fallback = spec.default as SettingValue<K>;
  if (typeof raw !== typeof spec.default || raw === null || Array.isArray(raw)) return fallback;
  if (typeof raw === 'string') return raw.trim() as SettingValue<K>;
  if (typeof raw !== 'number') return raw as SettingValue<K>;
  if (!Number.isFinite(raw)) return fallback;
  let n = spec.integer ? Math.floor(raw) : raw;
  if (spec.minimum !== undefined) n = Math.max(spec.minimum, n);
  if (spec.maximum !== undefined) n = Math.min(spec.maximum, n);
  return n as SettingValue<K>;
}
