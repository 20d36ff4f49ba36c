/**
 * Adding, renaming and removing entries of `openaiBatches.connections`: what a new connection may be called
 * and where it may point, the entry written for it, and the setting's value after each change. Entries the
 * change is not about are kept exactly as they are (even ones that cannot be used).
 */

import { isLoopbackHost, type ConnectionSettings } from './connection';
import { DEFAULT_CONNECTION } from './connections';
import type { AuthKind, ProviderKind } from './providers';

/** What Add Connection… says about each provider, in the order it offers them. */
export const PROVIDER_HINTS: Readonly<Record<ProviderKind, { readonly detail: string; readonly urlPrompt: string; readonly urlExample: string }>> = {
  openai: {
    detail: 'An OpenAI project or organization with its own key',
    urlPrompt: "The API's base URL (OpenAI's own unless a regional or proxy endpoint is used).",
    urlExample: 'https://api.openai.com/v1',
  },
  azure: {
    detail: 'An Azure OpenAI resource (key sent as api-key)',
    urlPrompt: "The resource's endpoint; /openai/v1 is added unless an API version is given next.",
    urlExample: 'https://my-resource.openai.azure.com',
  },
  'openai-compatible': {
    detail: 'A LiteLLM proxy, Groq or another server with the OpenAI Batch API',
    urlPrompt: "The server's base URL, the one /batches goes under.",
    urlExample: 'http://localhost:4000/v1',
  },
};

/** What Add Connection… asks for. */
export interface NewConnection {
  readonly name: string;
  readonly provider: ProviderKind;
  readonly baseURL: string;
  readonly organization?: string;
  readonly project?: string;
  readonly apiVersion?: string;
  /** Azure: `entra` signs in with Microsoft instead of a key. */
  readonly auth?: AuthKind;
}

/** What Add Connection… offers for an Azure connection's sign-in, in order. */
export const AUTH_CHOICES: readonly { readonly auth: AuthKind; readonly label: string; readonly detail: string }[] = [
  { auth: 'key', label: 'API Key', detail: "The resource's key, kept in VS Code's secret storage" },
  { auth: 'entra', label: 'Sign in with Microsoft', detail: 'An Entra ID token of the Microsoft account signed in to VS Code; no key is stored' },
];

/** Why `name` cannot name a new connection (or a renamed one), given the names in use; undefined if it can. */
export function connectionNameProblem(name: string, taken: readonly string[]): string | undefined {
  const n = name.trim();
  if (!n) return 'Enter a name.';
  if (n.toLowerCase() === DEFAULT_CONNECTION.toLowerCase()) return `"${DEFAULT_CONNECTION}" is the connection made of the single-endpoint settings; choose another name.`;
  if (taken.some((t) => t.trim().toLowerCase() === n.toLowerCase())) return `A connection named "${n}" exists already.`;
  if (n.length > 64) return 'Use at most 64 characters.';
  return undefined;
}

/**
 * Why `url` cannot be a connection's base URL; undefined if it can. Keys go over https, or http to this
 * machine, or anywhere over http for a connection that has `allowInsecureHTTP` in its entry.
 */
export function baseUrlProblem(url: string, allowInsecureHttp = false): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return 'Enter a URL such as https://api.openai.com/v1.';
  }
  if (parsed.protocol === 'https:') return undefined;
  if (parsed.protocol !== 'http:') return 'The URL must start with https://.';
  if (isLoopbackHost(parsed.hostname) || allowInsecureHttp) return undefined;
  return `The key would travel unencrypted to ${parsed.host}: use https://, or add the connection with "allowInsecureHTTP": true in the openaiBatches.connections setting if this network is trusted.`;
}

/** The entry written to `openaiBatches.connections` (no key: that is kept in secret storage). */
export function connectionEntry(c: NewConnection): Record<string, string> {
  const entry: Record<string, string> = { name: c.name.trim(), provider: c.provider, baseURL: c.baseURL.trim() };
  for (const key of ['organization', 'project', 'apiVersion'] as const) {
    const value = c[key]?.trim();
    if (value) entry[key] = value;
  }
  if (c.auth === 'entra' && c.provider === 'azure') entry.auth = 'entra';
  return entry;
}

/** The settings the new connection will be read with (to check it before it is saved). */
export function newConnectionSettings(c: NewConnection): ConnectionSettings {
  const e = connectionEntry(c);
  return { name: e.name, provider: c.provider, baseUrl: e.baseURL, organization: e.organization, project: e.project, apiVersion: e.apiVersion, auth: e.auth === 'entra' ? 'entra' : undefined };
}

/** The setting's value with `entry` at the end. */
export function withConnectionAdded(raw: unknown, entry: Record<string, string>): unknown[] {
  return [...list(raw), entry];
}

/** The setting's value with the entry named `from` called `to`; everything else about it kept. */
export function withConnectionRenamed(raw: unknown, from: string, to: string): unknown[] {
  return list(raw).map((item) => (isNamed(item, from) ? { ...(item as object), name: to.trim() } : item));
}

/**
 * The setting's value with the entry named `name` pointing where `edited` says: its URL and provider options
 * replaced (an option left empty is removed), its name, provider and anything else kept.
 */
export function withConnectionEdited(raw: unknown, name: string, edited: NewConnection): unknown[] {
  const { baseURL, organization, project, apiVersion, auth } = connectionEntry(edited);
  return list(raw).map((item) => {
    if (!isNamed(item, name)) return item;
    const next: Record<string, unknown> = { ...(item as Record<string, unknown>), baseURL, organization, project, apiVersion, auth };
    for (const key of ['organization', 'project', 'apiVersion', 'auth']) if (next[key] === undefined) delete next[key];
    return next;
  });
}

/** The setting's value without the entry named `name`. */
export function withConnectionRemoved(raw: unknown, name: string): unknown[] {
  return list(raw).filter((item) => !isNamed(item, name));
}

function list(raw: unknown): unknown[] {
  return Array.isArray(raw) ? raw : [];
}

function isNamed(item: unknown, name: string): boolean {
  return typeof item === 'object' && item !== null && typeof (item as { name?: unknown }).name === 'string' && (item as { name: string }).name.trim() === name;
}
