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

/**
 * How a connection proves who it is: its key, or (Azure only) a Microsoft Entra ID token from the account
 * signed in to VS Code.
 */
export type AuthKind = 'key' | 'entra';

/** The Entra ID scope of Azure OpenAI (Azure AI services) data-plane calls. */
export const ENTRA_SCOPE = 'https://cognitiveservices.azure.com/.default';

/** What a request needs to know about where it goes. */
export interface ProviderTarget {
  readonly provider: ProviderKind;
  readonly apiKey: string;
  /** Default `key`. */
  readonly auth?: AuthKind;
  readonly organization?: string;
  readonly project?: string;
}

/**
 * The headers that carry the key (and, on OpenAI, the organization and project). A connection signed in
 * with Entra ID sends `token` as a Bearer token instead, and no `api-key`.
 */
export function authHeaders(target: ProviderTarget, token?: string): Record<string, string> {
  if (target.auth === 'entra') {
    if (!token) throw new Error('An Entra ID connection needs a token for every request.');
    return { Authorization: `Bearer ${token}` };
  }
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

/** Which web page shows a connection's batches: OpenAI's dashboard, or the Azure portal. */
export type DashboardKind = 'openai' | 'azure';

export interface DashboardTarget {
  readonly provider: ProviderKind;
  readonly baseUrl: string;
  /** Azure: the resource's ARM id, for a link to its page in the portal. */
  readonly resourceId?: string;
}

/** The dashboard a connection has: OpenAI's for OpenAI's own API, the Azure portal for an Azure resource; none for other servers. */
export function dashboardKind(target: DashboardTarget): DashboardKind | undefined {
  if (target.provider === 'openai') return isOpenAIBaseUrl(target.baseUrl) ? 'openai' : undefined;
  return target.provider === 'azure' ? 'azure' : undefined;
}

/**
 * Where a batch can be seen in a browser: OpenAI's dashboard page of the batch; on Azure the resource's
 * page in the portal (the portal has no page per batch), or, without a resource id, the portal's list of
 * Azure OpenAI resources, with the resource name the endpoint gives (if it is on an Azure host) to pick
 * there. Nothing secret is in the link.
 */
export function dashboardLink(target: DashboardTarget, batchId: string): { readonly url: string; readonly resourceName?: string } | undefined {
  switch (dashboardKind(target)) {
    case 'openai':
      return { url: `https://platform.openai.com/batches/${encodeURIComponent(batchId)}` };
    case 'azure':
      return target.resourceId
        ? { url: `https://portal.azure.com/#@/resource${target.resourceId}/overview` }
        : { url: 'https://portal.azure.com/#browse/Microsoft.CognitiveServices%2Faccounts', resourceName: azureResourceName(target.baseUrl) };
    default:
      return undefined;
  }
}

/** An Azure AI services account's ARM id: `/subscriptions/…/resourceGroups/…/providers/Microsoft.CognitiveServices/accounts/<name>`. */
export function isAzureResourceId(value: string): boolean {
  return /^\/subscriptions\/[\w-]+\/resourceGroups\/[\w.()-]+\/providers\/Microsoft\.CognitiveServices\/accounts\/[a-zA-Z0-9][\w.-]*$/i.test(value);
}

/** The resource name in an Azure endpoint (`https://<name>.openai.azure.com`, `.cognitiveservices.azure.com`, `.services.ai.azure.com`). */
export function azureResourceName(baseUrl: string): string | undefined {
  try {
    return /^([a-z0-9][a-z0-9-]*)\.(?:openai|cognitiveservices|services\.ai)\.azure\.com$/i.exec(new URL(baseUrl).hostname)?.[1];
  } catch {
    return undefined;
  }
}

/** Dashboard links only make sense for OpenAI's own API. */
export function isOpenAIBaseUrl(baseUrl: string): boolean {
  try {
    return new URL(baseUrl).hostname === 'api.openai.com';
  } catch {
    return false;
  }
}
