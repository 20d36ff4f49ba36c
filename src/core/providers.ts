/**
 * The kinds of server a connection can talk to, and everything that differs between them: how the key is
 * sent, how the base URL is formed, where a batch can be seen in a browser. Nothing else in the extension
 * asks which provider it talks to.
 */

export const PROVIDER_KINDS = ['openai', 'azure', 'openai-compatible'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

export interface ProviderInfo {
  /** As messages, menus and pickers name it. */
  readonly label: string;
  /** Its connections' codicon in the view. */
  readonly icon: string;
}

export const PROVIDERS: Readonly<Record<ProviderKind, ProviderInfo>> = {
  openai: { label: 'OpenAI', icon: 'sparkle' },
  azure: { label: 'Azure OpenAI', icon: 'azure' },
  'openai-compatible': { label: 'OpenAI-compatible', icon: 'server' },
};

export function isProviderKind(value: unknown): value is ProviderKind {
  return typeof value === 'string' && (PROVIDER_KINDS as readonly string[]).includes(value);
}

/** What a request needs to know about where it goes. */
export interface ProviderTarget {
  readonly provider: ProviderKind;
  readonly apiKey: string;
  readonly organization?: string;
  readonly project?: string;
}

/** The headers that carry the key (and, on OpenAI, the organization and project). */
export function authHeaders(target: ProviderTarget): Record<string, string> {
  if (target.provider === 'azure') return { 'api-key': target.apiKey };
  const headers: Record<string, string> = { Authorization: `Bearer ${target.apiKey}` };
  // Only OpenAI knows these; another server must not learn which OpenAI project a user has.
  if (target.provider === 'openai') {
    if (target.organization) headers['OpenAI-Organization'] = target.organization;
    if (target.project) headers['OpenAI-Project'] = target.project;
  }
  return headers;
}

/** Header names that carry credentials or account identity: never sent to another origin. */
export const CREDENTIAL_HEADERS: ReadonlySet<string> = new Set(['authorization', 'api-key', 'openai-organization', 'openai-project', 'cookie']);

/**
 * The base the `/batches` and `/files` paths go under. An Azure endpoint is completed to the v1 API
 * (`{endpoint}/openai/v1`), or with an API version to the older paths (`{endpoint}/openai`, which then get
 * `?api-version=` on every call); a URL that already ends in `/openai/v1` or `/openai` is taken as it is.
 */
export function apiBaseUrl(provider: ProviderKind, url: string, apiVersion?: string): string {
  const trimmed = url.trim().replace(/\/+$/, '');
  if (provider !== 'azure') return trimmed;
  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch {
    return trimmed; // reported as invalid by the caller
  }
  if (/\/openai(\/v1)?$/i.test(parsed.pathname.replace(/\/+$/, ''))) return trimmed;
  return `${trimmed}${apiVersion ? '/openai' : '/openai/v1'}`;
}

/** Where a batch can be seen in a browser: OpenAI's dashboard, for OpenAI's own API only. */
export function dashboardLink(target: { readonly provider: ProviderKind; readonly baseUrl: string }, batchId: string): { readonly url: string } | undefined {
  if (target.provider === 'openai' && isOpenAIBaseUrl(target.baseUrl)) return { url: `https://platform.openai.com/batches/${encodeURIComponent(batchId)}` };
  return undefined;
}

/** Dashboard links only make sense for OpenAI's own API. */
export function isOpenAIBaseUrl(baseUrl: string): boolean {
  try {
    return new URL(baseUrl).hostname === 'api.openai.com';
  } catch {
    return false;
  }
}
