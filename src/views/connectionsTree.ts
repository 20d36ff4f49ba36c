import * as vscode from 'vscode';
import type { Batch } from '../core/batch';
import { isActiveStatus } from '../core/status';
import { Command, ContextKey } from '../constants';
import type { ViewState } from './batchesTreeProvider';
import type { ConnectionSection, ConnectionSections } from './connectionSections';
import { ConnectionRow, NoticeRow, type BatchRow, type TreeNode } from './treeNodes';

/** What a connection's root says when its part of the view has no rows. */
const NOTICES: Partial<Record<ViewState, { readonly text: string; readonly icon: string; readonly command?: Omit<vscode.Command, 'arguments'> }>> = {
  noApiKey: { text: 'No API key — click to set one', icon: 'key', command: { command: Command.setApiKey, title: 'Set API Key' } },
  loading: { text: 'Loading…', icon: 'loading~spin' },
  empty: { text: 'No batches yet', icon: 'info' },
  noMatch: { text: 'No loaded batch matches the filter', icon: 'filter' },
};

/**
 * The view: with one connection, that connection's rows, as they always were; with several, one root per
 * connection, each with its own groups, Load More, error row and notice, refreshed on its own. Rows of a
 * connection not in use carry its name, so the commands they run act on it.
 */
export class ConnectionsTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | TreeNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly stateChanged = new vscode.EventEmitter<ViewState>();
  /** What the view shows changed (as its context key says). */
  readonly onDidChangeState = this.stateChanged.event;
  private readonly rows = new Map<string, ConnectionRow>();
  private sectionSubscriptions: vscode.Disposable[] = [];
  private readonly subscription: vscode.Disposable;
  private matches?: (batch: Batch) => boolean;
  private published?: ViewState;

  constructor(private readonly sections: ConnectionSections) {
    this.subscription = sections.onDidChange(() => this.follow());
    this.follow();
  }

  getTreeItem(row: TreeNode): vscode.TreeItem {
    return row;
  }

  async getChildren(row?: TreeNode): Promise<TreeNode[]> {
    if (!row) return this.sections.several ? this.sections.all.map(({ entry, section }) => this.connectionRow(section, entry.provider)) : this.sections.main.tree.getChildren();
    if (row.type === 'notice') return [];
    const section = this.sections.of(row);
    if (row.type !== 'connection') return section.tree.getChildren(row);
    const rows = await section.tree.getChildren();
    const notice = rows.length === 0 && section.tree.state ? NOTICES[section.tree.state] : undefined;
    return notice ? [new NoticeRow(section.name, notice.text, notice.icon, notice.command)] : rows;
  }

  getParent(row: TreeNode): TreeNode | undefined {
    if (row.type === 'connection') return undefined;
    const section = this.sections.of(row);
    const parent = row.type === 'notice' ? undefined : section.tree.getParent(row);
    if (parent || !this.sections.several) return parent;
    return this.rows.get(section.name);
  }

  async resolveTreeItem(item: vscode.TreeItem, row: TreeNode): Promise<vscode.TreeItem> {
    return row.type === 'connection' || row.type === 'notice' ? item : this.sections.of(row).tree.resolveTreeItem(item, row);
  }

  /** The prices changed: every connection's tooltips are built again on the next hover. */
  repriced(): void {
    for (const { section } of this.sections.all) section.tree.repriced();
  }

  /** Every connection's batch rows shown again as the `openaiBatches.label` setting now says. */
  relabel(): void {
    for (const { section } of this.sections.all) section.tree.relabel();
  }

  /** The row of a loaded batch of `connection` (the one in use when not said) that the filter lets through. */
  nodeFor(batchId: string, connection?: string): BatchRow | undefined {
    const section = connection === undefined ? this.sections.main : this.sections.named(connection);
    return section?.tree.nodeFor(batchId);
  }

  /** Shows, under every connection, only the batches `matches` lets through (every batch when undefined). */
  setFilter(matches: ((batch: Batch) => boolean) | undefined): void {
    this.matches = matches;
    for (const { section } of this.sections.all) section.tree.setFilter(matches);
  }

  /** With one connection, its state (the welcome content follows it); with several, always `ready`. */
  get state(): ViewState | undefined {
    return this.sections.several ? 'ready' : this.sections.main.tree.state;
  }

  dispose(): void {
    this.subscription.dispose();
    for (const d of this.sectionSubscriptions) d.dispose();
    this.changed.dispose();
    this.stateChanged.dispose();
  }

  /** Listens to each section as they are now; a section's root refresh is its connection row's. */
  private follow(): void {
    for (const d of this.sectionSubscriptions) d.dispose();
    const live = new Set<string>();
    this.sectionSubscriptions = this.sections.all.flatMap(({ section }) => {
      live.add(section.name);
      if (this.matches) section.tree.setFilter(this.matches);
      return [
        section.tree.onDidChangeTreeData((rows) => {
          const row = this.rows.get(section.name);
          this.changed.fire(rows === undefined && this.sections.several ? row : rows);
        }),
        section.tree.onDidChangeState(() => this.publish()),
        section.store.onDidChange(() => this.recount(section)),
      ];
    });
    for (const name of this.rows.keys()) if (!live.has(name)) this.rows.delete(name);
    this.changed.fire(undefined);
    this.publish();
  }

  private connectionRow(section: ConnectionSection, provider: ConnectionRow['provider']): ConnectionRow {
    let row = this.rows.get(section.name);
    if (row?.provider !== provider) this.rows.set(section.name, (row = new ConnectionRow(section.name, provider)));
    this.show(row, section);
    return row;
  }

  private show(row: ConnectionRow, section: ConnectionSection): boolean {
    const before = row.description;
    row.show(section.store.batches.filter((b) => isActiveStatus(b.status)).length, section === this.sections.main, section.store.hasMore);
    return row.description !== before;
  }

  /** A connection row says how many of its batches run: shown again only when that changes. */
  private recount(section: ConnectionSection): void {
    const row = this.sections.several ? this.rows.get(section.name) : undefined;
    if (row && this.show(row, section)) this.changed.fire(row);
  }

  private publish(): void {
    const state = this.state;
    if (state === undefined || state === this.published) return;
    this.published = state;
    void vscode.commands.executeCommand('setContext', ContextKey.state, state);
    this.stateChanged.fire(state);
  }
}
