import * as vscode from 'vscode';
import { describeError, isApiError } from '../core/apiError';
import { FILE_KIND, FILE_KINDS, fileIdOf, type Batch, type FileKind } from '../core/batch';
import { batchDescription, batchTooltipMarkdown, fileDescription } from '../core/batchSummary';
import { isTooLargeForEditor } from '../core/editorFile';
import type { FileInfo } from '../core/fileInfo';
import { escapeMarkdown, formatBytes, formatCount, localTime } from '../core/format';
import type { StatusGroup } from '../core/grouping';
import { settingToCheck } from '../core/settings';
import { isActiveStatus, isCancellableStatus, statusAppearance } from '../core/status';
import { Command, FILE_COMMAND } from '../constants';

/** The elements of the batches tree. Commands receive them as their first argument. */
export type TreeNode = GroupNode | BatchNode | FileNode | LoadMoreNode | ErrorNode;

export interface GroupNode {
  readonly type: 'group';
  readonly group: StatusGroup;
  /** More pages exist: the count covers only what is loaded. */
  readonly partial: boolean;
}

export interface BatchNode {
  readonly type: 'batch';
  /** Replaced in place when a fresher copy arrives, so the node can be refreshed alone. */
  batch: Batch;
}

export interface FileNode {
  readonly type: 'file';
  readonly batch: Batch;
  readonly kind: FileKind;
  readonly fileId: string;
}

export interface LoadMoreNode {
  readonly type: 'loadMore';
  readonly loading: boolean;
  readonly error?: unknown;
}

export interface ErrorNode {
  readonly type: 'error';
  readonly title: string;
  readonly error: unknown;
}

export function statusIcon(status: string, spin = true): vscode.ThemeIcon {
  const { icon, color, spins } = statusAppearance(status);
  return new vscode.ThemeIcon(spin && spins ? `${icon}~spin` : icon, new vscode.ThemeColor(color));
}

/** Terminal, bulky groups start collapsed; what is running or failed is in view. */
const COLLAPSED_BY_DEFAULT = new Set(['completed', 'expired', 'cancelled']);

export function groupItem(node: GroupNode): vscode.TreeItem {
  const { group, partial } = node;
  const n = group.batches.length;
  const item = new vscode.TreeItem(
    group.label,
    COLLAPSED_BY_DEFAULT.has(group.status) ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded,
  );
  item.id = `group:${group.status}`;
  item.description = partial ? `${formatCount(n)} so far` : formatCount(n);
  item.tooltip = partial
    ? `${formatCount(n)} ${group.label.toLowerCase()} ${plural(n)} among those loaded so far; there may be more among the older batches behind "Load More".`
    : `${formatCount(n)} ${group.label.toLowerCase()} ${plural(n)}.`;
  item.accessibilityInformation = { label: `${group.label}, ${n} ${plural(n)}${partial ? ' loaded so far' : ''}` };
  item.iconPath = statusIcon(group.status, false);
  item.contextValue = `group status-${group.status}${group.known ? '' : ' unknown-status'}`;
  return item;
}

export function batchItem(batch: Batch): vscode.TreeItem {
  const hasFiles = batch.inputFileId || batch.outputFileId || batch.errorFileId;
  const item = new vscode.TreeItem(batch.id, hasFiles ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.id = `batch:${batch.id}`;
  item.description = batchDescription(batch);
  item.iconPath = statusIcon(batch.status);
  item.contextValue = batchContextValue(batch);
  item.command = { command: Command.openBatchJson, title: 'Open Batch JSON', arguments: [{ type: 'batch', batch } satisfies BatchNode] };
  return item;
}

/** Built on hover only (`resolveTreeItem`): with thousands of rows, eager tooltips would dominate a render. */
export function batchTooltip(batch: Batch): vscode.MarkdownString {
  return new vscode.MarkdownString(batchTooltipMarkdown(batch));
}

/** Space-separated flags that menus match with `viewItem =~ /\bhas-output\b/` and the like. */
export function batchContextValue(batch: Batch): string {
  return [
    'batch',
    `status-${batch.status}`,
    batch.inputFileId ? 'has-input' : undefined,
    batch.outputFileId ? 'has-output' : undefined,
    batch.errorFileId ? 'has-error' : undefined,
    isActiveStatus(batch.status) ? 'active' : undefined,
    isCancellableStatus(batch.status) ? 'cancellable' : undefined,
  ]
    .filter(Boolean)
    .join(' ');
}

export function fileNodes(batch: Batch): FileNode[] {
  return FILE_KINDS.flatMap((kind) => {
    const fileId = fileIdOf(batch, kind);
    return fileId ? [{ type: 'file' as const, batch, kind, fileId }] : [];
  });
}

/**
 * A file row: its kind, then name, size and age from the file's metadata (fetched when the batch is
 * expanded). A file too large for a tab carries a warning and offers its first lines; a failed fetch
 * is said on the row.
 */
export function fileItem(node: FileNode, info: FileInfo | undefined, limitBytes: number): vscode.TreeItem {
  const { label, icon } = FILE_KIND[node.kind];
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
  item.id = `file:${node.batch.id}:${node.kind}`;
  const file = info?.state === 'ready' ? info.file : undefined;
  const large = file !== undefined && isTooLargeForEditor(file, limitBytes);
  item.description = file ? fileDescription(file, limitBytes) : info?.state === 'failed' ? 'details unavailable' : 'loading…';
  const tooltip = [`**${label}** of ${escapeMarkdown(node.batch.id)}`, '', `ID: ${escapeMarkdown(node.fileId)}  `];
  if (file?.filename) tooltip.push(`Name: ${escapeMarkdown(file.filename)}  `);
  if (file) tooltip.push(`Size: ${file.bytes === undefined ? 'unknown' : escapeMarkdown(formatBytes(file.bytes))}  `);
  if (file?.createdAt !== undefined) tooltip.push(`Created: ${escapeMarkdown(localTime(file.createdAt))}  `);
  if (large) tooltip.push('', `${escapeMarkdown(`Too large for an editor tab (the limit is ${formatBytes(limitBytes)})`)}: *Open First Lines* or *Download File…*`);
  if (info?.state === 'failed') tooltip.push('', `Its details could not be fetched: ${escapeMarkdown(describeError(info.error))}`, '', 'Click to open it (which tries again).');
  item.tooltip = new vscode.MarkdownString(tooltip.join('\n'));
  item.accessibilityInformation = { label: [label, item.description.replace(/ · /g, ', '), large ? 'too large to open in a tab' : undefined].filter(Boolean).join(', ') };
  item.iconPath = large ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')) : new vscode.ThemeIcon(icon);
  item.contextValue = ['batchFile', `kind-${node.kind}`, large ? 'large' : undefined].filter(Boolean).join(' ');
  item.command = { command: FILE_COMMAND[node.kind], title: `Open ${label}`, arguments: [node] };
  return item;
}

export function loadMoreItem(node: LoadMoreNode): vscode.TreeItem {
  if (node.loading) {
    const item = new vscode.TreeItem('Loading more…');
    item.id = 'loadMore';
    item.iconPath = new vscode.ThemeIcon('loading~spin');
    item.contextValue = 'loadMore loading';
    return item;
  }
  // No ellipsis: clicking loads at once, it asks nothing more.
  const item = new vscode.TreeItem('Load More');
  item.id = 'loadMore';
  item.accessibilityInformation = { label: node.error !== undefined ? 'Load More, the last attempt failed' : 'Load More' };
  item.command = { command: Command.loadMore, title: 'Load More' };
  if (node.error !== undefined) {
    item.description = 'failed — click to retry';
    item.tooltip = errorTooltip('Loading the next page failed.', node.error);
    item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
  } else {
    item.tooltip = 'Fetch the next page of older batches.';
    item.iconPath = new vscode.ThemeIcon('fold-down');
  }
  item.contextValue = 'loadMore';
  return item;
}

/**
 * The view's one place for a failed load. An unreachable API is a single plain sentence; a setting that
 * may fix the failure is one click away (Open Settings, inline); a wrong connection setting opens it.
 */
export function errorItem(node: ErrorNode): vscode.TreeItem {
  const error = isApiError(node.error) ? node.error : undefined;
  const authFailed = !!error?.isAuthError;
  const unreachable = error?.kind === 'connection';
  const setting = settingToCheck(node.error);
  const item = new vscode.TreeItem(authFailed ? 'The API key was rejected — click to set another' : unreachable ? describeError(error) : node.title);
  item.id = 'error';
  item.description = unreachable ? undefined : describeError(node.error);
  item.accessibilityInformation = { label: [item.label, item.description].filter(Boolean).join(', ') };
  const action = authFailed ? 'Click to set another key' : error?.kind === 'config' ? 'Click to open the setting' : setting ? 'Click to retry, or check the setting (Open Settings)' : 'Click to retry';
  item.tooltip = errorTooltip(node.title, node.error, action);
  item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
  item.contextValue = ['error', authFailed ? 'auth' : undefined, setting ? 'has-setting' : undefined].filter(Boolean).join(' ');
  item.command = authFailed
    ? { command: Command.setApiKey, title: 'Set API Key' }
    : error?.kind === 'config' && setting
      ? { command: Command.openSettings, title: 'Open Settings', arguments: [node] }
      : { command: Command.retry, title: 'Retry' };
  return item;
}

function errorTooltip(title: string, error: unknown, action = 'Click to retry'): vscode.MarkdownString {
  return new vscode.MarkdownString(`**${title}**\n\n${escapeMarkdown(describeError(error))}\n\n${action}; details are in the log (*OpenAI Batches: Show Log*).`);
}

function plural(n: number): string {
  return n === 1 ? 'batch' : 'batches';
}
