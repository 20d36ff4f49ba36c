/**
 * Azure OpenAI names a deployment where OpenAI names a model: a request line's `model` (and a batch's) is
 * the deployment's name. A connection's `deployments` map says which model each deployment runs, so
 * prices and token estimates, which know models, find it; wherever a model is shown, both names are.
 */

import type { CostEstimate, TokenCounts } from './pricing';

/** Deployment name → model name. */
export type Deployments = ReadonlyMap<string, string>;

export const NO_DEPLOYMENTS: Deployments = new Map();

/**
 * Reads a connection's `deployments` (`{ "my-gpt4o": "gpt-4o" }`). Entries whose model is not a non-empty
 * string are left out and said.
 */
export function parseDeployments(raw: unknown): { deployments: Deployments; problems: string[] } {
  if (raw === undefined || raw === null) return { deployments: NO_DEPLOYMENTS, problems: [] };
  if (typeof raw !== 'object' || Array.isArray(raw)) return { deployments: NO_DEPLOYMENTS, problems: ['"deployments" must be an object of deployment names and the models they run; it is ignored.'] };
  const deployments = new Map<string, string>();
  const problems: string[] = [];
  for (const [name, model] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof model === 'string' && model.trim() !== '' && name.trim() !== '') deployments.set(name.trim(), model.trim());
    else problems.push(`the deployment ${JSON.stringify(name)} needs a model name; it is left out.`);
  }
  return { deployments, problems };
}

/** The model `name` runs: the deployment's model, or `name` itself (a model name, or a deployment not in the map). */
export function modelOf(name: string, deployments: Deployments): string {
  return deployments.get(name) ?? name;
}

/** `name` as shown: `my-gpt4o (gpt-4o)` for a mapped deployment, else `name`. */
export function modelLabel(name: string, deployments: Deployments): string {
  const model = deployments.get(name);
  return model !== undefined && model !== name ? `${name} (${model})` : name;
}

/** A price function that looks deployments up by the model they run. */
export function pricedByModel<T extends TokenCounts>(price: (model: string, tokens: T) => CostEstimate | undefined, deployments: Deployments): (model: string, tokens: T) => CostEstimate | undefined {
  return deployments.size === 0 ? price : (name, tokens) => price(modelOf(name, deployments), tokens);
}
