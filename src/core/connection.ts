/** Where requests go and with which key: settings first, then the variables the official SDKs read. */

import { apiBaseUrl, PROVIDERS, type ProviderKind } from './providers';

export const DEFAULT_BASE_URL = 'https://api.openai.com/v1';

export interface ConnectionSettings {
  /** Default `openai`. */
  readonly provider?: ProviderKind;
  readonly baseUrl?: string;
  readonly organization?: string;
  readonly project?: string;
  /** Azure's older paths: sent as `?api-version=` on every call. */
  readonly apiVersion?: string;
  readonly allowInsecureHttp?: boolean;
  /**
   * The connection's name, for messages that say which one is wrong; absent for the connection set up by
   * the single-endpoint settings, whose messages name those settings.
   */
  readonly name?: string;
}

export type Environment = Readonly<Record<string, string | undefined>>;

export type KeySource = 'stored' | 'environment';

export interface Connection {
  readonly provider: ProviderKind;
  /** The base the `/batches` and `/files` paths go under. */
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly keySource: KeySource;
  readonly organization?: string;
  readonly project?: string;
  readonly apiVersion?: string;
}

export type ConnectionProblem = 'noApiKey' | 'invalidBaseUrl' | 'insecureBaseUrl' | 'invalidConnection';

export type ConnectionResult =
  | { readonly ok: true; readonly connection: Connection }
  | { readonly ok: false; readonly problem: ConnectionProblem; readonly message: string };

/**
 * Resolves one connection. `env` is where the SDK variables are read from: the process environment for the
 * connection they belong to, nothing for the others (a key from the environment must never travel to a
 * server the environment did not name).
 */
export function resolveConnection(settings: ConnectionSettings, env: Environment, storedKey: string | undefined): ConnectionResult {
  const provider = settings.provider ?? 'openai';
  const named = settings.name;
  const configured = nonEmpty(settings.baseUrl) ?? nonEmpty(env.OPENAI_BASE_URL) ?? (provider === 'openai' ? DEFAULT_BASE_URL : undefined);
  const fix = named ? `Check the URL of the connection "${named}" (Edit Connection…).` : 'Check the openaiBatches.baseURL setting or OPENAI_BASE_URL.';
  if (configured === undefined) return { ok: false, problem: 'invalidBaseUrl', message: `The connection "${named ?? PROVIDERS[provider].label}" has no URL. ${fix}` };
  const apiVersion = nonEmpty(settings.apiVersion);
  const baseUrl = apiBaseUrl(provider, configured, apiVersion);
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return { ok: false, problem: 'invalidBaseUrl', message: `The base URL "${baseUrl}" is not a valid URL. ${fix}` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, problem: 'invalidBaseUrl', message: `The base URL "${baseUrl}" must start with https:// (or http:// for a server on this machine).` };
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname) && !settings.allowInsecureHttp) {
    const optIn = named ? `allow it for "${named}" (Edit Connection…)` : 'enable the openaiBatches.allowInsecureHTTP setting';
    return {
      ok: false,
      problem: 'insecureBaseUrl',
      message: `Refusing to send the API key over plain http:// to ${url.host}. Use https://, or ${optIn} if this network is trusted.`,
    };
  }
  const stored = nonEmpty(storedKey);
  const fromEnv = nonEmpty(env.OPENAI_API_KEY);
  const apiKey = stored ?? fromEnv;
  if (!apiKey) {
    const message = named
      ? `No API key is stored for "${named}". Run "OpenAI Batches: Set API Key" for it.`
      : 'No API key is set. Run "OpenAI Batches: Set API Key" or set OPENAI_API_KEY.';
    return { ok: false, problem: 'noApiKey', message };
  }
  return {
    ok: true,
    connection: {
      provider,
      baseUrl,
      apiKey,
      keySource: stored ? 'stored' : 'environment',
      organization: provider === 'openai' ? (nonEmpty(settings.organization) ?? nonEmpty(env.OPENAI_ORG_ID)) : undefined,
      project: provider === 'openai' ? (nonEmpty(settings.project) ?? nonEmpty(env.OPENAI_PROJECT_ID)) : undefined,
      apiVersion,
    },
  };
}

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

function nonEmpty(s: string | undefined): string | undefined {
  const t = s?.trim();
  return t ? t : undefined;
}
