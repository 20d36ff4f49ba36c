import * as vscode from 'vscode';
import { describeError } from '../core/apiError';
import { DEFAULT_CONNECTION, type ConnectionEntry } from '../core/connections';
import { resolveConnection, type ConnectionSettings } from '../core/connection';
import {
  AUTH_CHOICES,
  baseUrlProblem,
  connectionEntry,
  connectionNameProblem,
  newConnectionSettings,
  PROVIDER_HINTS,
  withConnectionAdded,
  withConnectionEdited,
  withConnectionRemoved,
  withConnectionRenamed,
  type NewConnection,
} from '../core/connectionEdits';
import { PROVIDER_KINDS, PROVIDERS, type ProviderKind } from '../core/providers';
import { CONFIG_SECTION, type RemoveConnectionOptions } from '../constants';
import { entraToken } from '../services/entraAuth';
import { openSettings } from '../services/settings';
import type { CommandContext } from './context';
import { BACK, inputStep, pickStep, type Answer, type PromptTracker } from './quickSteps';

/** The connection a connection row (the view's roots, when there are several) names. */
function rowConnection(arg: unknown): string | undefined {
  const row = arg as { type?: unknown; connection?: unknown } | undefined;
  return typeof row === 'object' && row !== null && row.type === 'connection' && typeof row.connection === 'string' ? row.connection : undefined;
}

/**
 * Switch Connection… (view title, palette): the connection the view shows — with several, the one the
 * palette's commands act on (the others are roots of the view all the same). From a connection's row, that
 * one. Resolves with the name of the connection chosen, undefined when dismissed or there is no other.
 * Loaded with the flows (dist/flows.js).
 */
export async function switchConnection(ctx: CommandContext, prompts: PromptTracker, arg?: unknown): Promise<string | undefined> {
  const entries = ctx.session.connections();
  const fromRow = rowConnection(arg);
  if (fromRow !== undefined && entries.some((e) => e.name === fromRow)) {
    await ctx.session.useConnection(fromRow);
    return fromRow;
  }
  if (entries.length === 1) {
    const choice = await vscode.window.showInformationMessage('Only the Default connection is set up. Add others (an OpenAI project, an Azure OpenAI resource, a proxy) with "OpenAI Batches: Add Connection…" or in the openaiBatches.connections setting.', 'Open Settings');
    if (choice) await openSettings('connections');
    return undefined;
  }
  const inUse = ctx.session.connection.name;
  const name = await pickStep<string>(prompts, {
    id: 'connection',
    title: 'Switch Connection',
    placeholder: entries.length > 1 ? "The connection the palette's commands act on" : 'The connection the OpenAI Batches view shows',
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

const SETTING = 'connections';
const settings = () => vscode.workspace.getConfiguration(CONFIG_SECTION);
/** The user-level value: the only one read (a workspace cannot add or redirect a connection). */
const userConnections = (): unknown => settings().inspect(SETTING)?.globalValue;
const writeConnections = (value: unknown[]) => settings().update(SETTING, value, vscode.ConfigurationTarget.Global);

type Draft = { -readonly [K in keyof NewConnection]?: NewConnection[K] };
type Step = (step: number, total: number) => Promise<Answer<unknown>>;

/** What the wizard asks: Add asks everything; Edit keeps the provider and name, and may keep the stored key. */
interface WizardOptions {
  readonly title: string;
  /** Names a new connection may not take (Add only). */
  readonly taken?: readonly string[];
  /** Edit: the connection's stored key, kept when the key box is left empty. */
  readonly storedKey?: string;
  readonly allowInsecureHttp?: boolean;
}

/**
 * The steps of Add and Edit Connection, with Back. The last one takes the key and checks the connection with
 * one list request; a failure says why and keeps the box open. Resolves with what was answered, or
 * undefined when dismissed.
 */
async function connectionWizard(ctx: CommandContext, prompts: PromptTracker, d: Draft, o: WizardOptions): Promise<{ connection: NewConnection; key: string } | undefined> {
  const { title } = o;
  const optional = (id: string, prompt: string, field: 'organization' | 'project' | 'apiVersion', placeholder: string): Step => (step, totalSteps) =>
    inputStep(prompts, { id, title, step, totalSteps, prompt, placeholder, value: d[field] }).then((v) => (typeof v === 'string' ? (d[field] = v.trim() || undefined, v) : v));
  const extra: Record<ProviderKind, Step[]> = {
    openai: [
      optional('connectionOrganization', 'The organization ID sent with every request (optional).', 'organization', 'org-… (Enter to skip)'),
      optional('connectionProject', 'The project ID sent with every request (optional).', 'project', 'proj_… (Enter to skip)'),
    ],
    azure: [
      optional('connectionApiVersion', 'An API version for the older /openai paths (optional; empty keeps the v1 API).', 'apiVersion', '2024-10-21 (Enter to skip)'),
      (step, totalSteps) => authStep(ctx, prompts, d, { title, step, totalSteps, allowInsecureHttp: o.allowInsecureHttp }),
    ],
    'openai-compatible': [],
  };
  let key = '';
  const usesKey = () => d.provider !== 'azure' || d.auth !== 'entra';
  const steps = (): Step[] => [
    ...(o.taken
      ? [
          (step: number, totalSteps: number) =>
            pickStep<ProviderKind>(prompts, {
              id: 'connectionProvider',
              title,
              step,
              totalSteps,
              placeholder: 'What the connection talks to',
              items: PROVIDER_KINDS.map((kind) => ({ label: PROVIDERS[kind].label, detail: PROVIDER_HINTS[kind].detail, value: kind })),
              active: Math.max(0, PROVIDER_KINDS.indexOf(d.provider ?? 'openai')),
            }).then((v) => (typeof v === 'string' ? (d.provider = v) : v)),
          (step: number, totalSteps: number) =>
            inputStep(prompts, { id: 'connectionName', title, step, totalSteps, value: d.name, prompt: 'A name for the connection (the view shows it by this name).', placeholder: 'Work', validate: (v) => connectionNameProblem(v, o.taken ?? []) }).then((v) =>
              typeof v === 'string' ? (d.name = v.trim()) : v,
            ),
        ]
      : []),
    (step, totalSteps) => {
      const hint = PROVIDER_HINTS[d.provider ?? 'openai'];
      return inputStep(prompts, {
        id: 'connectionUrl',
        title,
        step,
        totalSteps,
        value: d.baseURL ?? hint.urlExample,
        prompt: hint.urlPrompt,
        placeholder: hint.urlExample,
        validate: (v) => baseUrlProblem(v, o.allowInsecureHttp),
      }).then((v) => (typeof v === 'string' ? (d.baseURL = v.trim()) : v));
    },
    ...extra[d.provider ?? 'openai'],
    ...(usesKey() ? [keyStep] : []),
  ];
  const keyStep: Step = (step, totalSteps) =>
    inputStep(prompts, {
      id: 'connectionKey',
      title,
      step,
      totalSteps,
      password: true,
      prompt: `${o.storedKey ? 'A new API key, or empty to keep the stored one.' : "The connection's API key."} It is checked with one request to ${hostOf(d.baseURL)}, then kept in VS Code's secret storage.`,
      placeholder: o.storedKey ? 'Enter keeps the stored key' : 'sk-…',
      validate: (v) => (v.trim() || o.storedKey ? undefined : 'Enter an API key.'),
      check: (v) => checkConnection(ctx, { ...newConnectionSettings(d as NewConnection), allowInsecureHttp: o.allowInsecureHttp }, v.trim() || (o.storedKey ?? '')),
    }).then((v) => (typeof v === 'string' ? (key = v.trim() || (o.storedKey ?? '')) : v));
  for (let i = 0; ; ) {
    const all = steps();
    if (i >= all.length) return { connection: d as NewConnection, key };
    const answer = await all[i](i + 1, all.length);
    if (answer === undefined) return undefined;
    i = answer === BACK ? Math.max(0, i - 1) : i + 1;
  }
}

/**
 * Azure's sign-in: the key (asked next) or the Microsoft account in VS Code. Signing in is done here, and
 * the connection checked with one list request; a failure says why and asks again.
 */
async function authStep(ctx: CommandContext, prompts: PromptTracker, d: Draft, s: { title: string; step: number; totalSteps: number; allowInsecureHttp?: boolean }): Promise<Answer<unknown>> {
  let problem: string | undefined;
  for (;;) {
    const auth = await pickStep(prompts, {
      id: 'connectionAuth',
      title: s.title,
      step: s.step,
      totalSteps: s.totalSteps,
      placeholder: problem ?? 'How requests are authorized',
      items: AUTH_CHOICES.map((c) => ({ label: c.label, detail: c.detail, value: c.auth })),
      active: Math.max(0, AUTH_CHOICES.findIndex((c) => c.auth === (d.auth ?? 'key'))),
    });
    if (typeof auth !== 'string') return auth;
    d.auth = auth === 'entra' ? 'entra' : undefined;
    if (auth !== 'entra') return auth;
    problem = await checkEntra(ctx, { ...newConnectionSettings(d as NewConnection), allowInsecureHttp: s.allowInsecureHttp });
    if (!problem) return auth;
  }
}

/** Signs in with Microsoft (asking the user when needed), then one list request; the reason it failed, or undefined. */
async function checkEntra(ctx: CommandContext, settings: ConnectionSettings): Promise<string | undefined> {
  try {
    await entraToken(true);
  } catch (e) {
    return describeError(e);
  }
  return checkConnection(ctx, settings, '');
}

/**
 * Add Connection… (palette, the view's `…` menu): provider → name → URL → the provider's options → key.
 * The key is checked with one list request before anything is saved; a failure says why and keeps the
 * wizard open (Back fixes the URL). Then the entry is appended to the user's `openaiBatches.connections`,
 * the key stored under its name, and switching to it offered. Resolves with the name added.
 */
export async function addConnection(ctx: CommandContext, prompts: PromptTracker): Promise<string | undefined> {
  const answered = await connectionWizard(ctx, prompts, {}, { title: 'Add Connection', taken: ctx.session.connections().map((e) => e.name) });
  if (!answered) return undefined;
  const added = answered.connection;
  await writeConnections(withConnectionAdded(userConnections(), connectionEntry(added)));
  const entry = ctx.session.connections().find((e) => e.name === added.name);
  if (!entry) {
    // Only if the setting is overridden where it is not read from; nothing was stored.
    void vscode.window.showErrorMessage(`The connection "${added.name}" could not be added to the openaiBatches.connections setting.`);
    return undefined;
  }
  if (added.auth !== 'entra') await ctx.session.secrets.store(entry.secretKey, answered.key);
  ctx.log.info(`The connection "${entry.name}" (${PROVIDERS[entry.provider].label}, ${hostOf(added.baseURL)}) was added, ${added.auth === 'entra' ? 'signing in with Microsoft' : 'with its key in secret storage'}.`);
  void offerSwitch(ctx, entry.name);
  return entry.name;
}

/**
 * Edit Connection… (palette): asks which (never Default), then its URL, options and key as Add does (the
 * stored key is kept unless another is typed), checked with one request before anything is saved.
 * Resolves with the name edited.
 */
export async function editConnection(ctx: CommandContext, prompts: PromptTracker, arg?: unknown): Promise<string | undefined> {
  const name = rowConnection(arg) ?? (await pickConfigured(ctx, prompts, 'Edit Connection', 'The connection to edit (Rename Connection… changes its name)'));
  const entry = ctx.session.connections().find((e) => !e.isDefault && e.name === name);
  if (!entry) return undefined;
  const { baseUrl, organization, project, apiVersion, allowInsecureHttp, auth } = entry.settings;
  const storedKey = (await ctx.session.secrets.get(entry.secretKey))?.trim() || undefined;
  const draft: Draft = { name: entry.name, provider: entry.provider, baseURL: baseUrl, organization, project, apiVersion, auth };
  const answered = await connectionWizard(ctx, prompts, draft, { title: `Edit Connection "${entry.name}"`, storedKey, allowInsecureHttp });
  if (!answered) return undefined;
  await writeConnections(withConnectionEdited(userConnections(), entry.name, answered.connection));
  const newKey = answered.connection.auth !== 'entra' && answered.key !== storedKey;
  if (newKey) await ctx.session.secrets.store(entry.secretKey, answered.key);
  ctx.log.info(`The connection "${entry.name}" was changed (${hostOf(answered.connection.baseURL)}${newKey ? ', with a new key' : ''}${answered.connection.auth === 'entra' ? ', signing in with Microsoft' : ''}).`);
  return entry.name;
}

async function offerSwitch(ctx: CommandContext, name: string): Promise<void> {
  const choice = await vscode.window.showInformationMessage(`The connection "${name}" was added.`, 'Switch to It');
  if (choice) await ctx.session.useConnection(name);
}

/** One list request with `key` to where `settings` point; the reason it failed, or undefined. The key is never in the reason. */
async function checkConnection(ctx: CommandContext, settings: ConnectionSettings, key: string): Promise<string | undefined> {
  const r = resolveConnection(settings, {}, key);
  if (!r.ok) return r.message;
  try {
    await ctx.session.createClient(r.connection).listBatches({ limit: 1 });
    return undefined;
  } catch (e) {
    return `The connection could not be checked: ${describeError(e).split(key).join('…')} Fix the key, or go Back to fix the URL.`;
  }
}

/** Remove Connection (palette): asks which (never the Default one) and confirms; resolves with the name removed. */
export async function removeConnection(ctx: CommandContext, prompts: PromptTracker, arg?: unknown): Promise<string | undefined> {
  const name = rowConnection(arg) ?? (await pickConfigured(ctx, prompts, 'Remove Connection', 'The connection to remove, with its stored key'));
  if (!name) return undefined;
  const REMOVE = 'Remove';
  const choice = await vscode.window.showWarningMessage(`Remove the connection "${name}"?`, { modal: true, detail: 'Its entry in the openaiBatches.connections setting and its stored API key are removed.' }, REMOVE);
  if (choice !== REMOVE) return undefined;
  return (await removeNamed(ctx, name)) ? name : undefined;
}

/** The internal command: removes without asking. Resolves whether the connection was there. */
export async function removeConnectionWithOptions(ctx: CommandContext, options: unknown): Promise<boolean> {
  const name = (options as Partial<RemoveConnectionOptions> | undefined)?.name;
  return typeof name === 'string' && removeNamed(ctx, name);
}

async function removeNamed(ctx: CommandContext, name: string): Promise<boolean> {
  const entry = ctx.session.connections().find((e) => !e.isDefault && e.name === name);
  if (!entry) return false;
  const wasActive = ctx.session.connection.name === name;
  await writeConnections(withConnectionRemoved(userConnections(), name));
  await ctx.session.secrets.delete(entry.secretKey);
  if (wasActive) await ctx.session.useConnection(DEFAULT_CONNECTION);
  ctx.log.info(`The connection "${name}" and its stored key were removed.`);
  return true;
}

/** Rename Connection… (palette): asks which and the new name; its key moves along; the one in use stays in use. */
export async function renameConnection(ctx: CommandContext, prompts: PromptTracker, arg?: unknown): Promise<string | undefined> {
  const title = 'Rename Connection';
  const fromRow = rowConnection(arg);
  for (;;) {
    const from = fromRow ?? (await pickConfigured(ctx, prompts, title, 'The connection to rename', 2));
    if (!from) return undefined;
    const others = ctx.session.connections().map((e) => e.name).filter((n) => n !== from);
    const to = await inputStep(prompts, { id: 'connectionName', title, step: 2, totalSteps: 2, value: from, prompt: `A new name for "${from}".`, validate: (v) => connectionNameProblem(v, others) });
    if (to === BACK && fromRow === undefined) continue;
    if (to === BACK) return undefined; // from a row: there is no pick to go back to
    if (to === undefined) return undefined;
    const name = to.trim();
    if (name !== from) await renameNamed(ctx, from, name);
    return name;
  }
}

async function renameNamed(ctx: CommandContext, from: string, to: string): Promise<void> {
  const old = ctx.session.connections().find((e) => !e.isDefault && e.name === from);
  if (!old) return;
  const wasActive = ctx.session.connection.name === from;
  const key = await ctx.session.secrets.get(old.secretKey);
  await writeConnections(withConnectionRenamed(userConnections(), from, to));
  const renamed = ctx.session.connections().find((e) => e.name === to);
  if (renamed && key !== undefined) await ctx.session.secrets.store(renamed.secretKey, key);
  if (renamed && wasActive) await ctx.session.useConnection(to);
  // Only once the key is under its new name: no moment without it, none left under the old one.
  if (renamed) await ctx.session.secrets.delete(old.secretKey);
  ctx.log.info(`The connection "${from}" was renamed "${to}".`);
}

/** A pick of the configured connections (never the Default one); says so when there is none. */
async function pickConfigured(ctx: CommandContext, prompts: PromptTracker, title: string, placeholder: string, totalSteps?: number): Promise<string | undefined> {
  const entries = ctx.session.connections().filter((e) => !e.isDefault);
  if (entries.length === 0) {
    void vscode.window.showInformationMessage('No connection is set up besides the Default one. Add one with "OpenAI Batches: Add Connection…".');
    return undefined;
  }
  const name = await pickStep<string>(prompts, {
    id: 'connectionChoice',
    title,
    step: totalSteps ? 1 : undefined,
    totalSteps,
    placeholder,
    items: entries.map((entry) => ({ label: entry.name, description: `${PROVIDERS[entry.provider].label} · ${where(entry)}`, value: entry.name })),
  });
  return typeof name === 'string' ? name : undefined;
}

function hostOf(url: string | undefined): string {
  try {
    return new URL(url ?? '').host;
  } catch {
    return 'its server';
  }
}
