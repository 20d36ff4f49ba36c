/**
 * The connections a user has set up: the default one, made of the single-endpoint settings and the SDK's
 * environment variables exactly as before, and those listed in `openaiBatches.connections`. Each has its
 * own key in secret storage; only the default one reads the environment.
 */

import type { ConnectionSettings, Environment } from './connection';
import { parseDeployments } from './deployments';
import { isAzureResourceId, isProviderKind, PROVIDERS, type ProviderKind } from './providers';

/** The default connection's name: today's setup, whatever it points at. */
export const DEFAULT_CONNECTION = 'Default';

export interface ConnectionEntry {
  readonly name: string;
  readonly provider: ProviderKind;
  /** What resolveConnection takes (named, except the default, so messages say which one is wrong). */
  readonly settings: ConnectionSettings;
  /** Where its key is kept in secret storage. */
  readonly secretKey: string;
  /** The environment it may read: the process's for the default connection, none for the others. */
  readonly env: Environment;
  readonly isDefault: boolean;
}

export interface ConnectionList {
  /** The default connection first, then the configured ones in their order. */
  readonly entries: readonly ConnectionEntry[];
  /** Configured entries that were left out, and why (for the log). */
  readonly problems: readonly string[];
}

/**
 * Reads `openaiBatches.connections` (an array of `{ name, provider, baseURL, organization?, project?,
 * apiVersion?, allowInsecureHTTP?, auth?, resourceId?, deployments? }`) after the default connection built
 * from `legacy`. An entry without a usable name, with a name used before (any case) or an unknown provider
 * is left out and said; an option that does not fit is ignored and said.
 */
export function connectionList(raw: unknown, legacy: ConnectionSettings, env: Environment, defaultSecretKey: string): ConnectionList {
  const entries: ConnectionEntry[] = [{ name: DEFAULT_CONNECTION, provider: legacy.provider ?? 'openai', settings: legacy, secretKey: defaultSecretKey, env, isDefault: true }];
  const problems: string[] = [];
  const taken = new Set([DEFAULT_CONNECTION.toLowerCase()]);
  if (raw !== undefined && raw !== null && !Array.isArray(raw)) problems.push('openaiBatches.connections is not a list; it is ignored.');
  (Array.isArray(raw) ? raw : []).forEach((item: unknown, i) => {
    const at = `openaiBatches.connections[${i}]`;
    const problem = (what: string) => void problems.push(`${at}${what}`);
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return problem(' is not an object.');
    const c = item as Record<string, unknown>;
    const name = typeof c.name === 'string' ? c.name.trim() : '';
    if (!name) return problem(' has no name.');
    if (taken.has(name.toLowerCase())) return problem(`: the name "${name}" is used before.`);
    const provider = c.provider ?? 'openai';
    if (!isProviderKind(provider)) return problem(` ("${name}"): the provider ${JSON.stringify(provider)} is not one of ${Object.keys(PROVIDERS).join(', ')}.`);
    taken.add(name.toLowerCase());
    const option = (what: string) => void problems.push(`${at} ("${name}"): ${what}`);
    const auth = c.auth === 'entra' && provider === 'azure' ? 'entra' : undefined;
    if (c.auth !== undefined && c.auth !== 'key' && !auth) option(`"auth": ${JSON.stringify(c.auth)} is not for this connection (only Azure takes "entra"); its key is used.`);
    let resourceId = text(c.resourceId);
    if (resourceId && !isAzureResourceId(resourceId)) {
      option('"resourceId" is not the id of an Azure AI services account (/subscriptions/…/resourceGroups/…/providers/Microsoft.CognitiveServices/accounts/…); it is ignored.');
      resourceId = undefined;
    }
    const { deployments, problems: deploymentProblems } = parseDeployments(c.deployments);
    for (const p of deploymentProblems) option(p);
    entries.push({
      name,
      provider,
      settings: {
        name,
        provider,
        baseUrl: text(c.baseURL),
        organization: text(c.organization),
        project: text(c.project),
        apiVersion: text(c.apiVersion),
        allowInsecureHttp: c.allowInsecureHTTP === true,
        auth,
        resourceId,
        deployments: deployments.size > 0 ? deployments : undefined,
      },
      secretKey: `${defaultSecretKey}.${name}`,
      env: {},
      isDefault: false,
    });
  });
  return { entries, problems };
}

/** The connection named `name`, else the default one. */
export function connectionNamed(list: ConnectionList, name: string | undefined): ConnectionEntry {
  return list.entries.find((e) => e.name === name) ?? list.entries[0];
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
