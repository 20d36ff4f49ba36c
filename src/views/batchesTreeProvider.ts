import * as vscode from 'vscode';
import { ApiError } from '../core/apiError';
import type { Batch } from '../core/batch';
import type { BatchStore, LoadFailure, StoreChange } from '../core/batchStore';
import type { FileInfoCache } from '../core/fileInfo';
import { GroupedBatches, type StatusGroup } from '../core/grouping';
import type { ApiSession } from '../services/apiSession';
import type { InputOriginStore } from '../services/inputOrigins';
import { labelMode, largeFileThresholdBytes } from '../services/settings';
import type { UsageCosts } from '../services/usageCosts';
import { describeError } from '../core/apiError';
import { dashboardKind } from '../core/providers';
import { escapeMarkdown } from '../core/format';
import { Lineage, retryOf } from '../core/retry/lineage';
import { BatchRow, ErrorRow, type ConnectionRow, type NoticeRow, fileRows, GroupRow, LoadMoreRow, RetriesRow, tooltipMarkdown, validationErrorRows, type TreeNode } from './treeNodes';
import { batchAccessibilityLabel } from '../core/batchSummary';

/** The rows of one connection's part of the view. */
type SectionRow = Exclude<TreeNode, ConnectionRow | NoticeRow>;

/** Where the ids of a connection's rows start when connections are the view's roots. */
export function connectionIdPrefix(connection: string): string {
  return `c:${encodeURIComponent(connection)}/`;
}

/** `noMatch`: batches are loaded, but the view's filter lets none of them through. */
export type ViewState = 'noApiKey' | 'loading' | 'empty' | 'noMatch' | 'ready' | 'error';

/**
 * Renders the store: status groups, batches, their files, "Load More" and error rows. It never starts a
 * page load from a re-render — only the very first load — so intent (Load More, Refresh) lives in
 * commands and the store, and a re-render can never fetch twice.
 *
 * A change refreshes only the rows it changed: a page appended refreshes the groups it added to (and the
 * Load More row), a batch updated in its group refreshes its row; the root only when its rows change. VS
 * Code refreshes a row alone only when handed the very object it got for that row, so every row is one
 * object for as long as it is shown. A group's refresh still lists all its rows, so each row is its own
 * TreeItem, brought up to date when its batch changes or the age it shows does, never when it is listed.
 */
export class BatchesTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | TreeNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly stateChanged = new vscode.EventEmitter<ViewState>();
  /** The view's state changed (as its context key says). */
  readonly onDidChangeState = this.stateChanged.event;
  private readonly groups: GroupedBatches;
  private viewState?: ViewState;
  private readonly subscription: { dispose(): void };
  private readonly batchRows = new Map<string, BatchRow>();
  /** Which batch each file row belongs to, to refresh it when the file's metadata arrives. */
  private readonly fileOwners = new Map<string, string>();
  private readonly fileSubscription: { dispose(): void };
  private readonly groupRows = new Map<string, GroupRow>();
  private readonly loadMore = new LoadMoreRow();
  private error?: { readonly failure: LoadFailure; readonly row: ErrorRow };
  /**
   * Each group's rows, for the group object they were listed from (a group only grows until regrouped),
   * and when the first of the ages they show goes out of date.
   */
  private readonly listed = new Map<string, { readonly group: StatusGroup; readonly rows: BatchRow[]; staleAt: number }>();
  /** The root rows as VS Code last got them; undefined once the root is due for a refresh. */
  private shownRoot?: { readonly rows: readonly TreeNode[]; readonly partial: boolean };
  /** Who retries whom among the loaded batches, kept as pages arrive. */
  private lineage: Lineage;
  /** Rows under Retries rows, by their path ("a/b/c"): one object each, like the rows in groups. */
  private readonly nestedRows = new Map<string, BatchRow>();
  /** What batch rows are labelled with (the `openaiBatches.label` setting). */
  private mode = labelMode();
  private filtered = false;

  constructor(
    private readonly store: BatchStore,
    private readonly session: ApiSession,
    private readonly files: FileInfoCache,
    /** Prices for the tooltips' costs, and where each uploaded input came from (for validation errors). */
    private readonly services: { readonly costs: UsageCosts; readonly origins: InputOriginStore },
    /**
     * For a connection shown as a root beside others (not the one in use): its name, which its rows carry
     * (commands act on that connection) and prefix their ids with (ids are unique in the whole view).
     */
    private readonly owner?: string,
  ) {
    this.own(this.loadMore);
    // The batch row is refreshed, so its file rows are listed again, with the metadata.
    this.fileSubscription = files.onDidChange((fileId) => {
      const owner = this.fileOwners.get(fileId);
      const row = owner === undefined ? undefined : this.batchRows.get(owner);
      if (row) this.changed.fire(row);
    });
    // Subscribed first, so the groups are current before the view asks for them.
    this.groups = new GroupedBatches(store);
    this.lineage = new Lineage(store.batches);
    this.subscription = store.onDidChange((change) => this.onStoreChange(change));
  }

  /** The row itself: it is kept current as the store changes. */
  getTreeItem(row: TreeNode): vscode.TreeItem {
    return row;
  }

  /**
   * Tooltips, built on hover: a batch's with its estimated cost, a group's with its batches' summed usage.
   * The price catalogue is loaded for the first one that needs it.
   */
  async resolveTreeItem(item: vscode.TreeItem, row: TreeNode): Promise<vscode.TreeItem> {
    if (item.tooltip !== undefined) return item;
    const group = row.type === 'group' ? (this.currentGroup(row.status) ?? row.group) : undefined;
    if (row.type !== 'batch' && !group) return item;
    let markdown: string;
    try {
      const { price, usage, modelLabel } = await this.services.costs.prices(this.owner);
      markdown = group ? usage.groupTooltipMarkdown(group, (row as GroupRow).partial, price) : usage.batchTooltipWithCost((row as BatchRow).batch, price, Date.now(), modelLabel);
    } catch (e) {
      // What the row says, and why there is no more.
      const said = row.type === 'batch' ? batchAccessibilityLabel(row.batch, Date.now(), this.mode) : String(row.accessibilityInformation?.label ?? row.label);
      markdown = `${escapeMarkdown(said)}\n\nThe details could not be loaded: ${escapeMarkdown(describeError(e))}`;
    }
    item.tooltip = tooltipMarkdown(markdown);
    return item;
  }

  /** The prices changed: tooltips built with the old ones are built again on the next hover. */
  repriced(): void {
    for (const row of [...this.batchRows.values(), ...this.nestedRows.values(), ...this.groupRows.values()]) row.tooltip = undefined;
    this.changed.fire(undefined);
  }

  /** Shows every batch row again as the `openaiBatches.label` setting now says. */
  relabel(): void {
    this.mode = labelMode();
    const now = Date.now();
    for (const row of [...this.batchRows.values(), ...this.nestedRows.values()]) row.show(row.batch, now, this.mode);
    this.shownRoot = undefined;
    this.changed.fire(undefined);
  }

  async getChildren(row?: TreeNode): Promise<TreeNode[]> {
    if (!row) return this.rootChildren();
    if (row.type === 'group') return this.rowsOf(row.status);
    if (row.type === 'batch') {
      const batch = this.store.get(row.batch.id) ?? row.batch;
      const origin = this.services.origins.get(batch.inputFileId);
      const children = row.under ? [] : [...validationErrorRows(batch, origin ? vscode.Uri.parse(origin.uri).fsPath : undefined).map((r) => this.own(r)), ...this.fileRowsOf(batch)];
      return row.retries.length > 0 ? [...children, this.retriesRowOf(row)] : children;
    }
    if (row.type === 'retries') return row.parent.retries.map((batch) => this.nestedRow(batch, row.parent));
    return [];
  }

  getParent(row: TreeNode): TreeNode | undefined {
    if (row.type === 'retries') return row.parent;
    if (row.type === 'batch' && row.under) return (row.under.includes('/') ? this.nestedRows.get(row.under) : this.batchRows.get(row.under))?.retriesRow;
    if (row.type === 'batch') return this.currentGroup(row.batch.status) ? this.groupRow(row.batch.status) : undefined;
    if (row.type === 'file' || row.type === 'validationError') return this.batchRow(this.store.get(row.batch.id) ?? row.batch);
    return undefined;
  }

  /** The row of a loaded batch the filter lets through, for `TreeView.reveal`. */
  nodeFor(batchId: string): BatchRow | undefined {
    const batch = this.store.get(batchId);
    return batch && this.groups.shows(batch) ? this.batchRow(batch) : undefined;
  }

  /** Shows only the batches `matches` lets through (every batch when undefined). */
  setFilter(matches: ((batch: Batch) => boolean) | undefined): void {
    this.filtered = matches !== undefined;
    this.groups.setFilter(matches);
    this.shownRoot = undefined;
    this.changed.fire(undefined);
  }

  /** What the view currently shows; also published as a context key for the welcome content. */
  get state(): ViewState | undefined {
    return this.viewState;
  }

  dispose(): void {
    this.subscription.dispose();
    this.fileSubscription.dispose();
    this.groups.dispose();
    this.changed.dispose();
    this.stateChanged.dispose();
  }

  private onStoreChange(change: StoreChange | undefined): void {
    if (change?.kind === 'updated' && change.previous.status === change.current.status) {
      // Same group, same counts: only this row changes (if it was ever listed, it has a row).
      const row = this.batchRows.get(change.current.id);
      if (row) {
        row.show(change.current, Date.now(), this.mode);
        const listed = this.listed.get(row.batch.status);
        if (listed) listed.staleAt = Math.min(listed.staleAt, row.staleAt);
      }
      // And its rows under Retries rows, if it is a retry.
      const nested = [...this.nestedRows.values()].filter((r) => r.batch.id === change.current.id);
      for (const r of nested) r.show(change.current, Date.now(), this.mode);
      this.lineage.add([change.current]);
      const changed = row ? [row, ...nested] : nested;
      if (changed.length > 0) this.changed.fire(changed);
      return;
    }
    const retried = this.followLineage(change);
    if (!this.store.loaded) {
      this.batchRows.clear();
      this.listed.clear();
      this.nestedRows.clear();
    }
    const rows = this.rowsChangedBy(change);
    if (rows === undefined) {
      this.shownRoot = undefined;
      this.changed.fire(undefined);
    } else if (rows.length + retried.length > 0) {
      this.changed.fire([...rows, ...retried]);
    }
  }

  /**
   * Keeps the lineage current: a page or a fresher copy adds its batches (at their cost only), anything in
   * bulk starts over. Returns the rows whose retries changed (or one of whose retries changed status),
   * shown again: their Retries rows follow.
   */
  private followLineage(change: StoreChange | undefined): BatchRow[] {
    if (change?.kind === 'loadState') return [];
    let parents: ReadonlySet<string> | undefined;
    if (change?.kind === 'appended') parents = this.lineage.add(change.batches);
    else if (change?.kind === 'updated') {
      this.lineage.add([change.current]);
      const parent = retryOf(change.current);
      parents = new Set(parent === undefined ? [] : [parent]);
    } else this.lineage = new Lineage(this.store.batches);
    const now = Date.now();
    const shown: BatchRow[] = [];
    for (const row of [...this.batchRows.values(), ...this.nestedRows.values()]) {
      if (parents ? !parents.has(row.batch.id) : row.retries.length === 0 && this.lineage.retriesOf(row.batch.id).length === 0) continue;
      row.retries = this.lineage.retriesOf(row.batch.id);
      row.show(row.batch, now, this.mode);
      row.retriesRow?.show();
      shown.push(row);
    }
    return shown;
  }

  /**
   * The rows a page appended, a status change or a Load More starting or failing changed, when the root
   * keeps the same rows; undefined when the root itself must be refreshed (a group appears or goes, the
   * error row or the Load More row comes or goes, the counts become complete, or anything in bulk).
   */
  private rowsChangedBy(change: StoreChange | undefined): TreeNode[] | undefined {
    const shown = this.shownRoot;
    if (!shown || !change) return undefined;
    let statuses: Iterable<string>;
    if (change.kind === 'appended') statuses = new Set(change.batches.map((b) => b.status));
    else if (change.kind === 'updated') statuses = [change.previous.status, change.current.status]; // moved between groups
    else if (change.load === 'more') statuses = [];
    else return undefined;
    const loadMoreBefore = [this.loadMore.loading, this.loadMore.error];
    const rows = this.rootRows();
    if (this.store.hasMore !== shown.partial || rows.length !== shown.rows.length || rows.some((row, i) => row !== shown.rows[i])) return undefined;
    const changed: TreeNode[] = [...statuses].map((status) => this.groupRow(status));
    if (this.loadMore.loading !== loadMoreBefore[0] || this.loadMore.error !== loadMoreBefore[1]) changed.push(this.loadMore);
    return changed;
  }

  private async rootChildren(): Promise<TreeNode[]> {
    this.shownRoot = undefined;
    await this.session.ready;
    const session = this.session.state;
    if (!session.ok) {
      if (session.problem === 'noApiKey') return this.show('noApiKey', []);
      return this.show('error', [this.own(new ErrorRow('Cannot connect', new ApiError({ kind: 'config', message: session.message, code: session.problem })))]);
    }
    // The first page loads when the view is first shown; the view's own progress bar covers it.
    if (!this.store.loaded && this.store.loading !== 'more') {
      this.setState('loading');
      await this.store.ensureLoaded();
    }
    const store = this.store;
    const rows = this.rootRows();
    this.shownRoot = { rows, partial: store.hasMore };
    // Nothing loaded lets the filter through: the welcome content says so and offers Find in All Batches.
    if (this.filtered && store.batches.length > 0 && !rows.some((row) => row.type === 'group' || row.type === 'error')) return this.show('noMatch', []);
    if (rows.length === 0) return this.show(store.loaded ? 'empty' : 'loading', rows);
    return this.show(store.lastError && store.batches.length === 0 ? 'error' : 'ready', rows);
  }

  /** The root's rows for the store as it is now, each the object it was before, brought up to date. */
  private rootRows(): TreeNode[] {
    const store = this.store;
    const failure = store.lastError;
    const rows: TreeNode[] = [];
    if (failure && failure.kind !== 'more') rows.push(this.errorRow(failure));
    for (const group of this.currentGroups()) {
      const row = this.groupRow(group.status);
      row.show(group, store.hasMore);
      rows.push(row);
    }
    if (store.loading === 'more' || store.hasMore || failure?.kind === 'more') {
      const loading = store.loading === 'more';
      this.loadMore.show(loading, !loading && failure?.kind === 'more' ? failure.error : undefined);
      rows.push(this.loadMore);
    }
    return rows;
  }

  /**
   * A group's batch rows, extended by what was appended since they were last listed. The list itself, not
   * a copy: VS Code copies what it gets, and a copy per refresh would cost as much as the rest of it. Rows
   * whose age is out of date are shown again first; until then, listing them costs nothing per row.
   */
  private rowsOf(status: string): BatchRow[] {
    const group = this.currentGroup(status);
    if (!group) return [];
    let listed = this.listed.get(status);
    if (listed?.group !== group) this.listed.set(status, (listed = { group, rows: [], staleAt: Infinity }));
    const { rows } = listed;
    for (let i = rows.length; i < group.batches.length; i++) {
      const row = this.batchRow(group.batches[i]);
      rows.push(row);
      listed.staleAt = Math.min(listed.staleAt, row.staleAt);
    }
    const now = Date.now();
    if (now >= listed.staleAt) {
      listed.staleAt = Infinity;
      for (const row of rows) {
        if (now >= row.staleAt) row.show(row.batch, now, this.mode);
        listed.staleAt = Math.min(listed.staleAt, row.staleAt);
      }
    }
    return rows;
  }

  /** A batch's file rows; expanding it fetches their metadata, once per file. */
  private fileRowsOf(batch: Batch): TreeNode[] {
    const rows = fileRows(batch, (fileId) => this.files.get(fileId), largeFileThresholdBytes()).map((r) => this.own(r));
    for (const row of rows) this.fileOwners.set(row.fileId, batch.id);
    const client = this.session.client;
    if (client) this.files.prefetch(client, rows.map((row) => row.fileId));
    return rows;
  }

  /** The row of a batch (made, or brought up to date for a fresher copy). */
  private batchRow(batch: Batch): BatchRow {
    let row = this.batchRows.get(batch.id);
    if (!row) this.batchRows.set(batch.id, (row = this.withDashboard(this.own(new BatchRow(batch, Date.now(), this.mode, this.lineage.retriesOf(batch.id))))));
    else if (row.batch !== batch) row.show(batch, Date.now(), this.mode);
    return row;
  }

  private retriesRowOf(row: BatchRow): RetriesRow {
    row.retriesRow ??= this.own(new RetriesRow(row));
    row.retriesRow.show();
    return row.retriesRow;
  }

  /** The row of `batch` under the Retries row of `parent`. */
  private nestedRow(batch: Batch, parent: BatchRow): BatchRow {
    const under = parent.under ? `${parent.under}/${parent.batch.id}` : parent.batch.id;
    let row = this.nestedRows.get(`${under}/${batch.id}`);
    if (!row) this.nestedRows.set(`${under}/${batch.id}`, (row = this.withDashboard(this.own(new BatchRow(batch, Date.now(), this.mode, this.lineage.retriesOf(batch.id), under)))));
    else if (row.batch !== batch) row.show(batch, Date.now(), this.mode);
    return row;
  }

  private groupRow(status: string): GroupRow {
    let row = this.groupRows.get(status);
    if (!row) this.groupRows.set(status, (row = this.own(new GroupRow(status))));
    return row;
  }

  private errorRow(failure: LoadFailure): ErrorRow {
    if (this.error?.failure !== failure) this.error = { failure, row: this.own(new ErrorRow(failure.kind === 'refresh' ? 'Refresh failed' : 'Could not load batches', failure.error)) };
    return this.error.row;
  }

  private currentGroups(): readonly StatusGroup[] {
    return this.groups.current;
  }

  private currentGroup(status: string): StatusGroup | undefined {
    return this.groups.current.find((g) => g.status === status);
  }

  private show(state: ViewState, rows: TreeNode[]): TreeNode[] {
    this.setState(state);
    return rows;
  }

  private setState(state: ViewState): void {
    if (state === this.viewState) return;
    this.viewState = state;
    this.stateChanged.fire(state);
  }

  /** A new batch row, told which web page its connection shows batches on. */
  private withDashboard(row: BatchRow): BatchRow {
    const state = this.session.state;
    row.dashboard = state.ok ? dashboardKind(state.connection) : undefined;
    if (row.dashboard) row.show(row.batch, Date.now(), this.mode);
    return row;
  }

  /** Marks a row as this provider's: its connection, and an id no other root's rows have. */
  private own<T extends SectionRow>(row: T): T {
    if (this.owner !== undefined && row.connection === undefined) {
      row.connection = this.owner;
      row.id = `${connectionIdPrefix(this.owner)}${row.id}`;
    }
    return row;
  }
}
