import * as vscode from 'vscode';
import { ActiveBatchPoller } from '../core/activeBatchPoller';
import { BatchStore, type BatchListSource } from '../core/batchStore';
import { FileInfoCache } from '../core/fileInfo';
import type { ConnectionEntry } from '../core/connections';
import { CONFIG_SECTION } from '../constants';
import type { CommandContext } from '../commands/context';
import type { ApiSession } from '../services/apiSession';
import type { InputOriginStore } from '../services/inputOrigins';
import { setting } from '../services/settings';
import type { UsageCosts } from '../services/usageCosts';
import { BatchesTreeProvider } from './batchesTreeProvider';

/**
 * One connection's part of the view: its session, its loaded batches, their live status, its files'
 * metadata and the rows that show them. One failing never touches another.
 */
export class ConnectionSection implements vscode.Disposable {
  readonly store: BatchStore;
  readonly files = new FileInfoCache();
  readonly tree: BatchesTreeProvider;
  readonly poller: ActiveBatchPoller;
  private context?: CommandContext;
  private readonly subscription: vscode.Disposable;

  /** `owner`: the connection's name when it is shown beside the one in use (the session is pinned to it). */
  constructor(
    readonly session: ApiSession,
    /** What every connection's commands share (read when first needed: the view is made after the sections). */
    private readonly base: () => Omit<CommandContext, 'session' | 'store' | 'files'>,
    services: { readonly costs: UsageCosts; readonly origins: InputOriginStore; readonly log: vscode.LogOutputChannel },
    private readonly owner?: string,
  ) {
    // Always the session's current client, so a changed timeout applies without resetting what is loaded.
    const source: BatchListSource = { listBatches: async (params, signal) => (await session.readyClient()).listBatches(params, signal) };
    this.store = new BatchStore(undefined, () => setting('pageSize'), services.log);
    this.tree = new BatchesTreeProvider(this.store, session, this.files, services, owner);
    this.poller = new ActiveBatchPoller(this.store, async (id, signal) => (await session.readyClient()).retrieveBatch(id, signal), services.log);
    // A new key or endpoint is another account: start over. (Also fires once the stored key is read.)
    this.subscription = session.onDidChange(() => {
      this.files.reset();
      this.store.reset(session.client ? source : undefined);
    });
  }

  /** What commands on its rows work with. */
  get ctx(): CommandContext {
    return (this.context ??= { ...this.base(), session: this.session, store: this.store, files: this.files });
  }

  get name(): string {
    return this.owner ?? this.session.connection.name;
  }

  dispose(): void {
    this.subscription.dispose();
    this.store.reset(undefined);
    this.poller.dispose();
    this.tree.dispose();
    if (this.owner !== undefined) this.session.dispose();
  }
}

/**
 * The connections the view shows: the one in use (`main`, whose objects the rest of the extension also
 * works with), and — when more than one is set up — every other, each a section of its own with a session
 * pinned to it. Kept in step with `openaiBatches.connections` and with Switch Connection….
 */
export class ConnectionSections implements vscode.Disposable {
  private readonly others = new Map<string, ConnectionSection>();
  /** The name of the connection in use when last synced. */
  private mainName?: string;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Sections came or went. */
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    readonly main: ConnectionSection,
    /** A section of its own for the connection named so. */
    private readonly open: (name: string) => ConnectionSection,
  ) {
    this.subscriptions = [
      main.session.onDidChange(() => this.sync()),
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration(CONFIG_SECTION) && this.sync()),
    ];
    this.sync();
  }

  /** Every connection set up, in its order, with its section. */
  get all(): readonly { readonly entry: ConnectionEntry; readonly section: ConnectionSection }[] {
    const all = this.main.session.connections().flatMap((entry) => {
      const section = this.named(entry.name);
      return section ? [{ entry, section }] : [];
    });
    // The one in use is always there, even in the moment its settings changed and its session has not caught up.
    return all.some((s) => s.section === this.main) ? all : [{ entry: this.main.session.connection, section: this.main }, ...all];
  }

  /** More than one connection: each is a root of the view. */
  get several(): boolean {
    return this.others.size > 0;
  }

  named(name: string): ConnectionSection | undefined {
    return name === this.main.name ? this.main : this.others.get(name);
  }

  /** The section a tree row (or any argument carrying a connection's name) belongs to; the main one otherwise. */
  of(arg: unknown): ConnectionSection {
    const connection = typeof arg === 'object' && arg !== null ? (arg as { connection?: unknown }).connection : undefined;
    return (typeof connection === 'string' && this.named(connection)) || this.main;
  }

  /** Opens a section for each connection not in use, and closes those whose connection is gone or now in use. */
  private sync(): void {
    const names = this.main.session.connections().map((e) => e.name);
    const wanted = new Set(names.length > 1 ? names.filter((n) => n !== this.main.name) : []);
    let changed = this.mainName !== this.main.name;
    this.mainName = this.main.name;
    for (const [name, section] of this.others) {
      if (wanted.has(name)) continue;
      section.dispose();
      this.others.delete(name);
      changed = true;
    }
    for (const name of wanted) {
      if (this.others.has(name)) continue;
      this.others.set(name, this.open(name));
      changed = true;
    }
    if (changed) this.changed.fire();
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
    for (const section of this.others.values()) section.dispose();
    this.others.clear();
    this.changed.dispose();
  }
}
