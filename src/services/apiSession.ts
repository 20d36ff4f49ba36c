import * as vscode from 'vscode';
import { ApiError } from '../core/apiError';
import { resolveConnection, type Connection, type ConnectionResult, type ConnectionSettings } from '../core/connection';
import { connectionList, connectionNamed, DEFAULT_CONNECTION, type ConnectionEntry, type ConnectionList } from '../core/connections';
import { OpenAIClient } from '../core/openaiClient';
import { NO_DEPLOYMENTS, type Deployments } from '../core/deployments';
import { dashboardKind } from '../core/providers';
import { CONFIG_SECTION, ContextKey, SECRET_API_KEY } from '../constants';
import { entraToken } from './entraAuth';
import { setting } from './settings';

const USER_AGENT = 'openai-batches-vscode';

/** Where the name of the connection in use is remembered (global state: no workspace can choose it). */
const ACTIVE_CONNECTION = 'openaiBatches.activeConnection';

/**
 * The connection in use — chosen among the default one and `openaiBatches.connections`, its key from
 * SecretStorage (or, for the default one, the environment), its endpoint from user settings — and the
 * client built from it. Fires when any of them changes.
 */
export class ApiSession implements vscode.Disposable {
  private result: ConnectionResult = { ok: false, problem: 'noApiKey', message: '' };
  private current?: OpenAIClient;
  private entry?: ConnectionEntry;
  private problemsLogged = '';
  private list?: ConnectionList;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  readonly onDidChange = this.changed.event;
  /** Settles once the stored key has been read the first time. */
  readonly ready: Promise<void>;

  constructor(
    /** Where each connection's key is kept (under its `secretKey`). */
    readonly secrets: vscode.SecretStorage,
    private readonly log: vscode.LogOutputChannel,
    private readonly chosen: vscode.Memento,
    /** A session of this one connection only (a root of the tree when there are several), never the chosen one. */
    private readonly pinned?: string,
  ) {
    this.disposables.push(
      secrets.onDidChange((e) => e.key === this.connection.secretKey && void this.reload()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration(CONFIG_SECTION)) return;
        this.list = undefined;
        void this.reload();
      }),
    );
    this.ready = this.reload();
  }

  /** Reads settings and the stored key; resolves once the first connection is known. */
  async reload(): Promise<void> {
    const entry = this.readEntry();
    const storedKey = await this.secrets.get(entry.secretKey);
    const next = resolveConnection(entry.settings, entry.env, storedKey);
    const before = { result: this.result, name: this.entry?.name };
    this.entry = entry;
    this.result = next;
    this.current = next.ok ? this.createClient(next.connection) : undefined;
    if (!this.pinned) void vscode.commands.executeCommand('setContext', ContextKey.dashboard, next.ok ? dashboardKind(next.connection) : undefined);
    if (before.name !== entry.name || !sameConnection(before.result, next)) {
      const named = entry.isDefault ? '' : `"${entry.name}": `;
      this.log.info(next.ok ? `Using ${named}${next.connection.baseUrl} with ${KEY_SOURCE[next.connection.keySource]}.` : `Not connected: ${named}${next.message || next.problem}`);
      this.changed.fire();
    }
  }

  /** The connection in use (the default one until another is chosen, or when the chosen one is gone). */
  get connection(): ConnectionEntry {
    return (this.entry ??= this.readEntry());
  }

  /** Which model each deployment of the connection named `name` (default: the one in use) runs. */
  deployments(name?: string): Deployments {
    const entry = name === undefined ? this.connection : this.connections().find((e) => e.name === name);
    return entry?.settings.deployments ?? NO_DEPLOYMENTS;
  }

  /** Every connection set up: the default one first. */
  connections(): readonly ConnectionEntry[] {
    return this.readList().entries;
  }

  /** Uses the connection named `name` from now on (remembered across restarts). */
  async useConnection(name: string): Promise<void> {
    await this.chosen.update(ACTIVE_CONNECTION, name === DEFAULT_CONNECTION ? undefined : name);
    await this.reload();
  }

  get state(): ConnectionResult {
    return this.result;
  }

  get client(): OpenAIClient | undefined {
    return this.current;
  }

  /**
   * The client once the stored key has been read (a command run right after start-up must not fail for
   * want of a key that is stored), or the reason there is none as an error a command can show.
   */
  async readyClient(): Promise<OpenAIClient> {
    await this.ready;
    return this.requireClient();
  }

  /**
   * A client for the connection named `name` (a document's or a Results panel's, which may not be the one
   * in use): its own settings and its own stored key, never another connection's.
   */
  async clientFor(name: string): Promise<OpenAIClient> {
    await this.ready;
    if (name === this.connection.name) return this.requireClient();
    const entry = this.connections().find((e) => e.name === name);
    if (!entry) throw new ApiError({ kind: 'config', message: `The connection "${name}" is no longer set up.` });
    const r = resolveConnection(entry.settings, entry.env, await this.secrets.get(entry.secretKey));
    if (!r.ok) throw new ApiError({ kind: 'config', message: r.message, code: r.problem });
    return this.createClient(r.connection);
  }

  /** The client, or the reason there is none as an error a command can show. */
  requireClient(): OpenAIClient {
    if (this.current) return this.current;
    const r = this.result;
    throw new ApiError({ kind: 'config', message: r.ok ? 'Not connected.' : r.message, code: r.ok ? undefined : r.problem });
  }

  /** A client for a key that is not stored yet, to check it before saving it. */
  clientForKey(apiKey: string): OpenAIClient {
    const entry = this.connection;
    const r = resolveConnection(entry.settings, { ...entry.env, OPENAI_API_KEY: apiKey }, undefined);
    if (!r.ok) throw new ApiError({ kind: 'config', message: r.message });
    return this.createClient(r.connection);
  }

  async storeApiKey(apiKey: string): Promise<void> {
    await this.secrets.store(this.connection.secretKey, apiKey);
    this.log.info(this.connection.isDefault ? 'A new API key was stored.' : `A new API key was stored for "${this.connection.name}".`);
    await this.reload();
  }

  async clearApiKey(): Promise<void> {
    await this.secrets.delete(this.connection.secretKey);
    this.log.info(this.connection.isDefault ? 'The stored API key was removed.' : `The stored API key of "${this.connection.name}" was removed.`);
    await this.reload();
  }

  /** Where keys are: in secret storage, in the environment (either may be absent). */
  async keySources(): Promise<{ readonly stored: boolean; readonly environment: boolean }> {
    const entry = this.connection;
    const stored = (await this.secrets.get(entry.secretKey))?.trim();
    return { stored: !!stored, environment: !!entry.env.OPENAI_API_KEY?.trim() };
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  /** Read once per change of the settings: the view asks for it on every refresh. */
  private readList(): ConnectionList {
    if (this.list) return this.list;
    const list = connectionList(setting('connections'), readSettings(), process.env, SECRET_API_KEY);
    // Said once per change of what is wrong, not on every read.
    const problems = list.problems.join(' ');
    if (!this.pinned && problems && problems !== this.problemsLogged) this.log.warn(`Connections left out: ${problems}`);
    this.problemsLogged = problems;
    return (this.list = list);
  }

  private readEntry(): ConnectionEntry {
    return connectionNamed(this.readList(), this.pinned ?? this.chosen.get<string>(ACTIVE_CONNECTION));
  }

  /** A client for `connection` with this session's timeout, log and user agent (Add Connection… checks with one). */
  createClient(connection: Connection): OpenAIClient {
    return new OpenAIClient({ connection, timeoutMs: setting('requestTimeoutSeconds') * 1000, log: this.log, userAgent: USER_AGENT, entraToken: connection.auth === 'entra' ? () => entraToken(false) : undefined });
  }
}

const KEY_SOURCE: Readonly<Record<Connection['keySource'], string>> = {
  stored: 'the stored API key',
  environment: 'the OPENAI_API_KEY environment variable',
  entra: 'the Microsoft account signed in to VS Code (Entra ID)',
};

/** Endpoint settings (user settings only, as the settings table says). */
function readSettings(): ConnectionSettings {
  return {
    baseUrl: setting('baseURL'),
    organization: setting('organization'),
    project: setting('project'),
    allowInsecureHttp: setting('allowInsecureHTTP'),
  };
}

function sameConnection(a: ConnectionResult, b: ConnectionResult): boolean {
  // Deployments (a Map, no JSON) are left out: other deployments reprice, they are not another account.
  if (a.ok && b.ok) return JSON.stringify(a.connection) === JSON.stringify(b.connection);
  return !a.ok && !b.ok && a.problem === b.problem && a.message === b.message;
}
