import * as vscode from 'vscode';
import { DEFAULT_CONNECTION, type ConnectionEntry } from '../core/connections';
import { resolveConnection } from '../core/connection';
import { PROVIDERS } from '../core/providers';
import { openSettings } from '../services/settings';
import type { CommandContext } from './context';
import { pickStep, type PromptTracker } from './quickSteps';

/**
 * Switch Connection… (view title, palette): which connection the view shows. Resolves with the name of the
 * connection chosen, undefined when dismissed or there is no other. Loaded with the flows (dist/flows.js).
 */
export async function switchConnection(ctx: CommandContext, prompts: PromptTracker): Promise<string | undefined> {
  const entries = ctx.session.connections();
  if (entries.length === 1) {
    const choice = await vscode.window.showInformationMessage('Only the Default connection is set up. Add others (an OpenAI project, an Azure OpenAI resource, a proxy) in the openaiBatches.connections setting.', 'Open Settings');
    if (choice) await openSettings('connections');
    return undefined;
  }
  const inUse = ctx.session.connection.name;
  const name = await pickStep<string>(prompts, {
    id: 'connection',
    title: 'Switch Connection',
    placeholder: 'The connection the OpenAI Batches view shows',
    items: entries.map((entry) => ({
      label: `${entry.name === inUse ? '$(check)' : '$(blank)'} ${entry.name}`,
      description: `${PROVIDERS[entry.provider].label} · ${where(entry)}`,
      value: entry.name,
    })),
    active: Math.max(0, entries.findIndex((e) => e.name === inUse)),
  });
  if (typeof name !== 'string') return undefined;
  await ctx.session.useConnection(name);
  return name;
}

/** The host a connection's requests go to, as far as its settings say. */
function where(entry: ConnectionEntry): string {
  const r = resolveConnection(entry.settings, entry.env, 'any key');
  if (!r.ok) return entry.name === DEFAULT_CONNECTION ? 'not set up' : 'its URL needs fixing';
  return new URL(r.connection.baseUrl).host;
}
