/** Where requests go and with which key: settings first, then the variables the official SDKs read. */

export const DEFAULT_BASE_URL = 'https://api.openai.com/v1';

export interface ConnectionSettings {
  readonly baseUrl?: string;
  readonly organization?: string;
  readonly project?: string;
  readonly allowInsecureHttp?: boolean;
}

export type Environment = Readonly<Record<string, string | undefined>>;

export type KeySource = 'stored' | 'environment';

export interface Connection {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly keySource: KeySource;
  readonly organization?: string;
  readonly project?: string;
}

export type ConnectionProblem = 'noApiKey' | 'invalidBaseUrl' | 'insecureBaseUrl';

export type ConnectionResult =
  | { readonly ok: true; readonly connection: Connection }
  | { readonly ok: false; readonly problem: ConnectionProblem; readonly message: string };

export function resolveConnection(settings: ConnectionSettings, env: Environment, storedKey: string | undefined): ConnectionResult {
  const baseUrl = normalizeBaseUrl(nonEmpty(settings.baseUrl) ?? nonEmpty(env.OPENAI_BASE_URL) ?? DEFAULT_BASE_URL);
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return { ok: false, problem: 'invalidBaseUrl', message: `The base URL "${baseUrl}" is not a valid URL. Check the openaiBatches.baseURL setting or OPENAI_BASE_URL.` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, problem: 'invalidBaseUrl', message: `The base URL "${baseUrl}" must start with https:// (or http:// for a server on this machine).` };
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname) && !settings.allowInsecureHttp) {
    return {
      ok: false,
      problem: 'insecureBaseUrl',
      message: `Refusing to send the API key over plain http:// to ${url.host}. Use https://, or enable the openaiBatches.allowInsecureHTTP setting if this network is trusted.`,
    };
  }
  const stored = nonEmpty(storedKey);
  const fromEnv = nonEmpty(env.OPENAI_API_KEY);
  const apiKey = stored ?? fromEnv;
  if (!apiKey) return { ok: false, problem: 'noApiKey', message: 'No API key is set. Run "OpenAI Batches: Set API Key" or set OPENAI_API_KEY.' };
  return {
    ok: true,
    connection: {
      baseUrl,
      apiKey,
      keySource: stored ? 'stored' : 'environment',
      organization: nonEmpty(settings.organization) ?? nonEmpty(env.OPENAI_ORG_ID),
      project: nonEmpty(settings.project) ?? nonEmpty(env.OPENAI_PROJECT_ID),
    },
  };
}

function normalizeBaseUrl(url: string): string {
  return url.trim().replace(/\/+$/, '');
}

/** Dashboard links only make sense for OpenAI's own API. */
export function isOpenAIBaseUrl(baseUrl: string): boolean {
  try {
    return new URL(baseUrl).hostname === 'api.openai.com';
  } catch {
    return false;
  }
}

export function dashboardUrl(batchId: string): string {
  return `https://platform.openai.com/batches/${encodeURIComponent(batchId)}`;
}

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

function nonEmpty(s: string | undefined): string | undefined {
  const t = s?.trim();
  return t ? t : undefined;
}
