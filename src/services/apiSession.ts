import * as vscode from 'vscode';
import { ApiError } from '../core/apiError';
import { resolveConnection, type Connection, type ConnectionResult, type ConnectionSettings } from '../core/connection';
import { OpenAIClient } from '../core/openaiClient';
import { isOpenAIBaseUrl } from '../core/providers';
import { CONFIG_SECTION, ContextKey, SECRET_API_KEY } from '../constants';
import { setting } from './settings';

const USER_AGENT = 'openai-batches-vscode';

/**
 * The current connection — key from SecretStorage or the environment, endpoint from user settings —
 * and the client built from it. Fires when any of them changes.
 */
export class ApiSession implements vscode.Disposable {
  private result: ConnectionResult = { ok: false, problem: 'noApiKey', message: '' };
  private current?: OpenAIClient;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  readonly onDidChange = this.changed.event;
  /** Settles once the stored key has been read the first time. */
  readonly ready: Promise<void>;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      secrets.onDidChange((e) => e.key === SECRET_API_KEY && void this.reload()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(CONFIG_SECTION)) void this.reload();
      }),
    );
    this.ready = this.reload();
  }

  /** Reads settings and the stored key; resolves once the first connection is known. */
  async reload(): Promise<void> {
    const storedKey = await this.secrets.get(SECRET_API_KEY);
    const next = resolveConnection(readSettings(), process.env, storedKey);
    const before = this.result;
    this.result = next;
    this.current = next.ok ? this.createClient(next.connection) : undefined;
    void vscode.commands.executeCommand('setContext', ContextKey.isOpenAI, next.ok && isOpenAIBaseUrl(next.connection.baseUrl));
    if (!sameConnection(before, next)) {
      this.log.info(next.ok ? `Using ${next.connection.baseUrl} with the ${next.connection.keySource === 'stored' ? 'stored API key' : 'OPENAI_API_KEY environment variable'}.` : `Not connected: ${next.message || next.problem}`);
      this.changed.fire();
    }
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

  /** The client, or the reason there is none as an error a command can show. */
  requireClient(): OpenAIClient {
    if (this.current) return this.current;
    const r = this.result;
    throw new ApiError({ kind: 'config', message: r.ok ? 'Not connected.' : r.message, code: r.ok ? undefined : r.problem });
  }

  /** A client for a key that is not stored yet, to check it before saving it. */
  clientForKey(apiKey: string): OpenAIClient {
    const r = resolveConnection(readSettings(), { ...process.env, OPENAI_API_KEY: apiKey }, undefined);
    if (!r.ok) throw new ApiError({ kind: 'config', message: r.message });
    return this.createClient(r.connection);
  }

  async storeApiKey(apiKey: string): Promise<void> {
    await this.secrets.store(SECRET_API_KEY, apiKey);
    this.log.info('A new API key was stored.');
    await this.reload();
  }

  async clearApiKey(): Promise<void> {
    await this.secrets.delete(SECRET_API_KEY);
    this.log.info('The stored API key was removed.');
    await this.reload();
  }

  /** Where keys are: in secret storage, in the environment (either may be absent). */
  async keySources(): Promise<{ readonly stored: boolean; readonly environment: boolean }> {
    const stored = (await this.secrets.get(SECRET_API_KEY))?.trim();
    return { stored: !!stored, environment: !!process.env.OPENAI_API_KEY?.trim() };
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  private createClient(connection: Connection): OpenAIClient {
    return new OpenAIClient({ connection, timeoutMs: setting('requestTimeoutSeconds') * 1000, log: this.log, userAgent: USER_AGENT });
  }
}

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
  if (a.ok && b.ok) return JSON.stringify(a.connection) === JSON.stringify(b.connection);
  return !a.ok && !b.ok && a.problem === b.problem && a.message === b.message;
}
