/** Where requests go and with which key: settings first, then the variables the official SDKs read. */

import type { Deployments } from './deployments';
import { apiBaseUrl, PROVIDERS, type AuthKind, type ProviderKind } from './providers';

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
  /** Azure: `entra` signs in with the Microsoft account in VS Code instead of a key. Default `key`. */
  readonly auth?: AuthKind;
  /** Azure: the resource's ARM id, for its page in the portal. */
  readonly resourceId?: string;
  /** Azure: which model each deployment runs (prices and token counts know models). */
  readonly deployments?: Deployments;
  /**
   * The connection's name, for messages that say which one is wrong; absent for the connection set up by
   * the single-endpoint settings, whose messages name those settings.
   */
  readonly name?: string;
}

export type Environment = Readonly<Record<string, string | undefined>>;

/** Where the credential comes from: a stored key, OPENAI_API_KEY, or the Microsoft account signed in to VS Code. */
export type KeySource = 'stored' | 'environment' | 'entra';

export interface Connection {
  readonly provider: ProviderKind;
  /** The base the `/batches` and `/files` paths go under. */
  readonly baseUrl: string;
  /** Empty for an Entra ID connection: its token is asked for per request, never kept here. */
  readonly apiKey: string;
  readonly keySource: KeySource;
  /** Default `key`. */
  readonly auth?: AuthKind;
  readonly organization?: string;
  readonly project?: string;
  readonly apiVersion?: string;
  readonly resourceId?: string;
  readonly deployments?: Deployments;
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
  // Only Azure takes Entra ID tokens (connections.ts says so of another provider's entry).
  const auth = provider === 'azure' ? (settings.auth ?? 'key') : 'key';
  const common = { provider, baseUrl, auth, apiVersion, resourceId: provider === 'azure' ? settings.resourceId : undefined, deployments: settings.deployments };
  if (auth === 'entra') return { ok: true, connection: { ...common, apiKey: '', keySource: 'entra' } };
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
      ...common,
      apiKey,
      keySource: stored ? 'stored' : 'environment',
      organization: provider === 'openai' ? (nonEmpty(settings.organization) ?? nonEmpty(env.OPENAI_ORG_ID)) : undefined,
      project: provider === 'openai' ? (nonEmpty(settings.project) ?? nonEmpty(env.OPENAI_PROJECT_ID)) : undefined,
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
