import * as vscode from 'vscode';
import { ApiError } from '../core/apiError';
import type { BatchStore } from '../core/batchStore';
import type { FileInfoCache } from '../core/fileInfo';
import { GroupedBatches, type StatusGroup } from '../core/grouping';
import type { ApiSession } from '../services/apiSession';
import { largeFileThresholdBytes } from '../services/settings';
import { ContextKey } from '../constants';
import type { Batch } from '../core/batch';
import { batchItem, batchTooltip, errorItem, fileItem, fileNodes, groupItem, loadMoreItem, type BatchNode, type TreeNode } from './treeNodes';

export type ViewState = 'noApiKey' | 'loading' | 'empty' | 'ready' | 'error';

/**
 * Renders the store: status groups, batches, their files, "Load More" and error rows. It never starts a
 * page load from a re-render — only the very first load — so intent (Load More, Refresh) lives in
 * commands and the store, and a re-render can never fetch twice.
 */
export class BatchesTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly groups: GroupedBatches;
  private viewState?: ViewState;
  private readonly subscription: { dispose(): void };
  /** One node object per batch: VS Code refreshes a single row only for the same object. */
  private readonly batchNodes = new Map<string, BatchNode>();
  /** Which batch each file row belongs to, to refresh it when the file's metadata arrives. */
  private readonly fileOwners = new Map<string, string>();
  private readonly fileSubscription: { dispose(): void };

  constructor(
    private readonly store: BatchStore,
    private readonly session: ApiSession,
    private readonly files: FileInfoCache,
  ) {
    this.fileSubscription = files.onDidChange((fileId) => {
      const owner = this.fileOwners.get(fileId);
      const node = owner === undefined ? undefined : this.batchNodes.get(owner);
      if (node) this.changed.fire(node);
    });
    // Subscribed first, so the groups are current before the view asks for them.
    this.groups = new GroupedBatches(store);
    this.subscription = store.onDidChange((change) => {
      const node = change?.kind === 'updated' && change.previous.status === change.current.status ? this.batchNodes.get(change.current.id) : undefined;
      if (node && change?.kind === 'updated') {
        // Same group, same counts: only this row changes.
        node.batch = change.current;
        this.changed.fire(node);
        return;
      }
      if (!store.loaded) this.batchNodes.clear();
      this.changed.fire(undefined);
    });
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    switch (node.type) {
      case 'group':
        return groupItem(node);
      case 'batch':
        return batchItem(node.batch);
      case 'file':
        return fileItem(node, this.files.get(node.fileId), largeFileThresholdBytes());
      case 'loadMore':
        return loadMoreItem(node);
      case 'error':
        return errorItem(node);
    }
  }

  resolveTreeItem(item: vscode.TreeItem, node: TreeNode): vscode.TreeItem {
    if (node.type === 'batch' && item.tooltip === undefined) item.tooltip = batchTooltip(node.batch);
    return item;
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) return this.rootChildren();
    if (node.type === 'group') {
      const group = this.currentGroups().find((g) => g.status === node.group.status);
      return (group?.batches ?? []).map((batch) => this.batchNode(batch));
    }
    if (node.type === 'batch') return this.fileNodesOf(this.store.get(node.batch.id) ?? node.batch);
    return [];
  }

  getParent(node: TreeNode): TreeNode | undefined {
    if (node.type === 'batch') {
      const group = this.currentGroups().find((g) => g.status === node.batch.status);
      return group ? { type: 'group', group, partial: this.store.hasMore } : undefined;
    }
    if (node.type === 'file') return this.batchNode(node.batch);
    return undefined;
  }

  /** The row of a loaded batch, for `TreeView.reveal`. */
  nodeFor(batchId: string): BatchNode | undefined {
    const batch = this.store.get(batchId);
    return batch ? this.batchNode(batch) : undefined;
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
  }

  private async rootChildren(): Promise<TreeNode[]> {
    await this.session.ready;
    const session = this.session.state;
    if (!session.ok) {
      if (session.problem === 'noApiKey') return this.show('noApiKey', []);
      return this.show('error', [{ type: 'error', title: 'Cannot connect', error: new ApiError({ kind: 'config', message: session.message, code: session.problem }) }]);
    }
    // The first page loads when the view is first shown; the view's own progress bar covers it.
    if (!this.store.loaded && this.store.loading !== 'more') {
      this.setState('loading');
      await this.store.ensureLoaded();
    }
    const store = this.store;
    const failure = store.lastError;
    const nodes: TreeNode[] = [];
    if (failure && failure.kind !== 'more') {
      nodes.push({ type: 'error', title: failure.kind === 'refresh' ? 'Refresh failed' : 'Could not load batches', error: failure.error });
    }
    for (const group of this.currentGroups()) nodes.push({ type: 'group', group, partial: store.hasMore });
    if (store.loading === 'more') nodes.push({ type: 'loadMore', loading: true });
    else if (store.hasMore || failure?.kind === 'more') nodes.push({ type: 'loadMore', loading: false, error: failure?.kind === 'more' ? failure.error : undefined });
    if (nodes.length === 0) return this.show(store.loaded ? 'empty' : 'loading', nodes);
    return this.show(failure && store.batches.length === 0 ? 'error' : 'ready', nodes);
  }

  /** A batch's file rows; expanding it fetches their metadata, once per file. */
  private fileNodesOf(batch: Batch): TreeNode[] {
    const nodes = fileNodes(batch);
    for (const node of nodes) this.fileOwners.set(node.fileId, batch.id);
    const client = this.session.client;
    if (client) this.files.prefetch(client, nodes.map((node) => node.fileId));
    return nodes;
  }

  private batchNode(batch: Batch): BatchNode {
    let node = this.batchNodes.get(batch.id);
    if (node) node.batch = batch;
    else this.batchNodes.set(batch.id, (node = { type: 'batch', batch }));
    return node;
  }

  private currentGroups(): readonly StatusGroup[] {
    return this.groups.current;
  }

  private show(state: ViewState, nodes: TreeNode[]): TreeNode[] {
    this.setState(state);
    return nodes;
  }

  private setState(state: ViewState): void {
    if (state === this.viewState) return;
    this.viewState = state;
    void vscode.commands.executeCommand('setContext', ContextKey.state, state);
  }
}
