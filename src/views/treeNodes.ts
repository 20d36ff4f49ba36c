import * as vscode from 'vscode';
import { describeError, isApiError } from '../core/apiError';
import { FILE_KIND, FILE_KINDS, fileIdOf, type Batch, type BatchError, type FileKind } from '../core/batch';
import {
  batchAccessibilityLabel,
  batchAppearance,
  batchDescription,
  batchLabel,
  descriptionChangesAt,
  fileDescription,
  nothingSucceeded,
  type LabelMode,
} from '../core/batchSummary';
import { isTooLargeForEditor } from '../core/editorFile';
import type { FileInfo } from '../core/fileInfo';
import { escapeMarkdown, formatBytes, formatCount, localTime } from '../core/format';
import type { StatusGroup } from '../core/grouping';
import { retryOf } from '../core/retry/lineage';
import { mayHaveSomethingToRetry } from '../core/retry/retryable';
import { settingToCheck } from '../core/settings';
import { PRICES_SETTING } from '../core/pricing';
import { isActiveStatus, isCancellableStatus, statusAppearance, statusLabel } from '../core/status';
import { Command, FILE_COMMAND } from '../constants';
import { DEFAULT_CONNECTION } from '../core/connections';
import { PROVIDERS, type DashboardKind, type ProviderKind } from '../core/providers';

/**
 * The rows of the batches tree. Each row is its own TreeItem — the provider hands VS Code the row itself —
 * kept current by the provider as the store changes: re-listing a group of thousands of rows then costs
 * nothing per row. Commands get the row as their first argument (or a plain object of the same shape).
 */
export type TreeNode = ConnectionRow | NoticeRow | GroupRow | BatchRow | FileRow | ValidationErrorRow | RetriesRow | LoadMoreRow | ErrorRow;

/** What a command needs of a batch row. */
export interface BatchNode {
  readonly type: 'batch';
  readonly batch: Batch;
  /** The connection whose tree root it is under; none for the connection in use. */
  readonly connection?: string;
}

/** What a command needs of a file row. */
export interface FileNode {
  readonly type: 'file';
  readonly batch: Batch;
  readonly kind: FileKind;
  readonly fileId: string;
  readonly connection?: string;
}

/** What a command needs of a validation error row: one of a failed batch's `errors.data`. */
export interface ValidationErrorNode {
  readonly type: 'validationError';
  readonly batch: Batch;
  readonly error: BatchError;
  /** Its place in `batch.errors`: part of the row's stable id. */
  readonly index: number;
  readonly connection?: string;
}

export function statusIcon(status: string, spin = true): vscode.ThemeIcon {
  return themeIcon(statusAppearance(status), spin);
}

function themeIcon({ icon, color, spins }: { readonly icon: string; readonly color: string; readonly spins: boolean }, spin = true): vscode.ThemeIcon {
  return new vscode.ThemeIcon(spin && spins ? `${icon}~spin` : icon, new vscode.ThemeColor(color));
}

/**
 * A connection, when several are set up and each is a root of the view: its name, its provider's icon and
 * how many of its loaded batches are still running.
 */
export class ConnectionRow extends vscode.TreeItem {
  readonly type = 'connection';

  constructor(
    readonly connection: string,
    readonly provider: ProviderKind,
  ) {
    super(connection, vscode.TreeItemCollapsibleState.Expanded);
    this.id = `connection:${encodeURIComponent(connection)}`;
    this.iconPath = new vscode.ThemeIcon(PROVIDERS[provider].icon);
  }

  /** `active`: its loaded batches still running; `inUse`: the connection commands from the palette act on. */
  show(active: number, inUse: boolean, partial: boolean): void {
    const { label } = PROVIDERS[this.provider];
    const running = active > 0 ? `${formatCount(active)}${partial ? '+' : ''} active` : undefined;
    this.description = [label, running, inUse ? 'in use' : undefined].filter(Boolean).join(' · ');
    this.accessibilityInformation = { label: [`Connection ${this.connection}`, label, running, inUse ? 'in use' : undefined].filter(Boolean).join(', ') };
    // The Default connection is today's settings: it can be switched to, not edited, renamed or removed here.
    this.contextValue = ['connection', `provider-${this.provider}`, inUse ? 'in-use' : undefined, this.connection === DEFAULT_CONNECTION ? undefined : 'configured'].filter(Boolean).join(' ');
  }
}

/** What a connection's root says in place of its rows: no key yet, nothing to show, loading. */
export class NoticeRow extends vscode.TreeItem {
  readonly type = 'notice';

  constructor(
    readonly connection: string,
    text: string,
    icon: string,
    command?: Omit<vscode.Command, 'arguments'>,
  ) {
    super(text, vscode.TreeItemCollapsibleState.None);
    this.id = `notice:${encodeURIComponent(connection)}`;
    this.iconPath = new vscode.ThemeIcon(icon);
    this.contextValue = 'notice';
    if (command) this.command = { ...command, arguments: [this] };
  }
}

/** Terminal, bulky groups start collapsed; what is running or failed is in view. */
const COLLAPSED_BY_DEFAULT = new Set(['completed', 'expired', 'cancelled']);

/** One per status, for as long as the view lives. */
export class GroupRow extends vscode.TreeItem {
  readonly type = 'group';
  /** The connection whose tree root it is under (set by its provider); none for the connection in use. */
  connection?: string;
  /** What it last showed: its tooltip (the batches' usage) is built on hover from these. */
  group?: StatusGroup;
  partial = false;

  constructor(readonly status: string) {
    super(statusLabel(status), COLLAPSED_BY_DEFAULT.has(status) ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded);
    this.id = `group:${status}`;
    this.iconPath = statusIcon(status, false);
  }

  /** Shows how many batches `group` holds; `partial`: more pages exist, so the count covers only what is loaded. */
  show(group: StatusGroup, partial: boolean): void {
    const n = group.batches.length;
    this.group = group;
    this.partial = partial;
    this.description = partial ? `${formatCount(n)} so far` : formatCount(n);
    this.tooltip = undefined; // the count and the batches' usage, built on hover
    this.accessibilityInformation = { label: `${group.label}, ${n} ${plural(n)}${partial ? ' loaded so far' : ''}` };
    this.contextValue = `group status-${group.status}${group.known ? '' : ' unknown-status'}`;
  }
}

/**
 * One per batch id in its group (and one per place under a Retries row); shown again for a fresher copy of
 * the batch, once the age it shows is out of date, or when its retries change.
 */
export class BatchRow extends vscode.TreeItem implements BatchNode {
  readonly type = 'batch';
  /** The connection whose tree root it is under (set by its provider); none for the connection in use. */
  connection?: string;
  /** When the age in the description next reads differently (ms since the epoch). */
  staleAt = 0;
  /** Its Retries row, once listed. */
  retriesRow?: RetriesRow;
  /** The web page its connection shows batches on (menus offer Open in OpenAI Dashboard or Azure Portal by it). */
  dashboard?: DashboardKind;

  /**
   * `retries`: the loaded batches that retry it, listed under its Retries row. `under`: for a row under a
   * Retries row, the ids of the batches above it ("a/b"); it says its status (no group does) and lists only
   * its retries (its files are under its row in its group).
   */
  constructor(
    public batch: Batch,
    nowMs: number,
    mode: LabelMode,
    public retries: readonly Batch[] = [],
    readonly under?: string,
  ) {
    super(batch.id);
    this.id = under ? `batch:${under}/${batch.id}` : `batch:${batch.id}`;
    this.show(batch, nowMs, mode);
  }

  /** Labelled by its description or id (`mode`), its model, progress or outcome, and age beside. */
  show(batch: Batch, nowMs: number, mode: LabelMode): void {
    this.batch = batch;
    const hasChildren = !this.under && (batch.inputFileId || batch.outputFileId || batch.errorFileId || batch.errors.length > 0);
    this.collapsibleState = hasChildren || this.retries.length > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None;
    const parent = retryOf(batch);
    this.label = batchLabel(batch, mode);
    this.description = [this.under ? statusLabel(batch.status) : undefined, batchDescription(batch, nowMs, mode), parent && !this.under ? `retry of ${parent}` : undefined].filter(Boolean).join(' · ');
    this.accessibilityInformation = { label: batchAccessibilityLabel(batch, nowMs, mode) };
    this.staleAt = descriptionChangesAt(batch, nowMs);
    this.iconPath = themeIcon(batchAppearance(batch));
    this.contextValue = batchContextValue(batch) + (parent || this.retries.length > 0 ? ' in-chain' : '') + (this.dashboard ? ` dashboard-${this.dashboard}` : '');
    this.command = { command: Command.openBatchJson, title: 'Open Batch JSON', arguments: [this] };
    this.tooltip = undefined; // built on hover, for this copy
  }
}

/**
 * Tooltip Markdown (server text in it escaped by the caller) that may show a warning icon and in which the
 * prices setting, where named, is a link to it: the only command it may run.
 */
export function tooltipMarkdown(markdown: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString(markdown.split(escapeMarkdown(PRICES_SETTING)).join(PRICES_LINK), true);
  md.isTrusted = { enabledCommands: ['workbench.action.openSettings'] };
  return md;
}

const PRICES_LINK = `[${escapeMarkdown(PRICES_SETTING)}](command:workbench.action.openSettings?${encodeURIComponent(JSON.stringify([PRICES_SETTING]))} "Set your own prices")`;

/** Space-separated flags that menus match with `viewItem =~ /\bhas-output\b/` and the like. */
export function batchContextValue(batch: Batch): string {
  return [
    'batch',
    `status-${batch.status}`,
    batch.inputFileId ? 'has-input' : undefined,
    batch.outputFileId ? 'has-output' : undefined,
    batch.errorFileId ? 'has-error' : undefined,
    nothingSucceeded(batch) ? 'no-success' : undefined,
    isActiveStatus(batch.status) ? 'active' : undefined,
    isCancellableStatus(batch.status) ? 'cancellable' : undefined,
    mayHaveSomethingToRetry(batch) ? 'retryable' : undefined,
  ]
    .filter(Boolean)
    .join(' ');
}

/** "Retries" under a batch row: the loaded batches that retry it, with what became of them. */
export class RetriesRow extends vscode.TreeItem {
  readonly type = 'retries';
  /** The connection whose tree root it is under (set by its provider); none for the connection in use. */
  connection?: string;

  constructor(readonly parent: BatchRow) {
    super('Retries', vscode.TreeItemCollapsibleState.Collapsed);
    this.id = `retries:${parent.under ? `${parent.under}/` : ''}${parent.batch.id}`;
    this.iconPath = new vscode.ThemeIcon('debug-rerun');
    this.contextValue = 'retries';
    this.show();
  }

  /** Shows the parent row's retries as they are now. */
  show(): void {
    const { retries } = this.parent;
    const byStatus = new Map<string, number>();
    for (const r of retries) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
    const statuses = [...byStatus].map(([status, n]) => `${formatCount(n)} ${statusLabel(status).toLowerCase()}`).join(', ');
    this.description = `${formatCount(retries.length)} · ${statuses}`;
    const lines = retries.map((r) => `- ${escapeMarkdown(r.id)}: ${escapeMarkdown([statusLabel(r.status), batchDescription(r)].filter(Boolean).join(' · '))}`);
    this.tooltip = new vscode.MarkdownString([`**Retries of ${escapeMarkdown(this.parent.batch.id)}**, oldest first:`, '', ...lines].join('\n'));
    this.accessibilityInformation = { label: `Retries, ${retries.length}: ${statuses}` };
  }
}

/**
 * A batch's file rows: each its kind, then name, size and age from the file's metadata (fetched when the
 * batch is expanded; the batch row is refreshed, so listed again, when it arrives). A file too large for
 * a tab carries a warning and offers its first lines; a failed fetch is said on the row.
 */
export function fileRows(batch: Batch, infoOf: (fileId: string) => FileInfo | undefined, limitBytes: number): FileRow[] {
  return FILE_KINDS.flatMap((kind) => {
    const fileId = fileIdOf(batch, kind);
    return fileId ? [new FileRow(batch, kind, fileId, infoOf(fileId), limitBytes)] : [];
  });
}

export class FileRow extends vscode.TreeItem implements FileNode {
  readonly type = 'file';
  /** The connection whose tree root it is under (set by its provider); none for the connection in use. */
  connection?: string;

  constructor(
    readonly batch: Batch,
    readonly kind: FileKind,
    readonly fileId: string,
    info: FileInfo | undefined,
    limitBytes: number,
  ) {
    const { label, icon } = FILE_KIND[kind];
    super(label, vscode.TreeItemCollapsibleState.None);
    this.id = `file:${batch.id}:${kind}`;
    const file = info?.state === 'ready' ? info.file : undefined;
    const large = file !== undefined && isTooLargeForEditor(file, limitBytes);
    const description = file ? fileDescription(file, limitBytes) : info?.state === 'failed' ? 'details unavailable' : 'loading…';
    this.description = description;
    const tooltip = [`**${label}** of ${escapeMarkdown(batch.id)}`, '', `ID: ${escapeMarkdown(fileId)}  `];
    if (file?.filename) tooltip.push(`Name: ${escapeMarkdown(file.filename)}  `);
    if (file) tooltip.push(`Size: ${file.bytes === undefined ? 'unknown' : escapeMarkdown(formatBytes(file.bytes))}  `);
    if (file?.createdAt !== undefined) tooltip.push(`Created: ${escapeMarkdown(localTime(file.createdAt))}  `);
    if (large) tooltip.push('', `${escapeMarkdown(`Too large for an editor tab (the limit is ${formatBytes(limitBytes)})`)}: *Open First Lines* or *Download File…*`);
    if (info?.state === 'failed') tooltip.push('', `Its details could not be fetched: ${escapeMarkdown(describeError(info.error))}`, '', 'Click to open it (which tries again).');
    this.tooltip = new vscode.MarkdownString(tooltip.join('\n'));
    this.accessibilityInformation = { label: [label, description.replace(/ · /g, ', '), large ? 'too large to open in a tab' : undefined].filter(Boolean).join(', ') };
    this.iconPath = large ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')) : new vscode.ThemeIcon(icon);
    this.contextValue = ['batchFile', `kind-${kind}`, large ? 'large' : undefined].filter(Boolean).join(' ');
    this.command = { command: FILE_COMMAND[kind], title: `Open ${label}`, arguments: [this] };
  }
}

/** A failed batch's validation errors, as rows under it. */
export function validationErrorRows(batch: Batch, localFile: string | undefined): ValidationErrorRow[] {
  return batch.errors.map((error, index) => new ValidationErrorRow(batch, error, index, localFile));
}

/**
 * A validation error: `Line 3: This line is not parseable as valid JSON.` with its code beside. Choosing it
 * opens its line in the local file the batch was created from (`localFile`, when known), else in the
 * uploaded input file.
 */
export class ValidationErrorRow extends vscode.TreeItem implements ValidationErrorNode {
  readonly type = 'validationError';
  /** The connection whose tree root it is under (set by its provider); none for the connection in use. */
  connection?: string;

  constructor(
    readonly batch: Batch,
    readonly error: BatchError,
    readonly index: number,
    localFile: string | undefined,
  ) {
    const message = error.message?.replace(/\s+/g, ' ').trim() || 'No message';
    super(error.line !== undefined ? `Line ${formatCount(error.line)}: ${message}` : message, vscode.TreeItemCollapsibleState.None);
    this.id = `validationError:${batch.id}:${index}`;
    this.description = error.code;
    const where = localFile ? `${escapeMarkdown(localFile)}, the file it was created from` : 'the uploaded input file';
    const opens = batch.inputFileId === undefined && !localFile ? undefined : error.line !== undefined ? `Click to open line ${formatCount(error.line)} of ${where}.` : `Click to open ${where}.`;
    const tooltip = [
      `**${error.code ? escapeMarkdown(error.code) : 'Validation error'}**${error.line !== undefined ? ` on line ${formatCount(error.line)}` : ''}`,
      '',
      escapeMarkdown(message),
      ...(error.param ? ['', `Parameter: \`${error.param.replace(/`/g, '')}\``] : []),
      ...(opens ? ['', opens] : []),
    ];
    this.tooltip = new vscode.MarkdownString(tooltip.join('\n'));
    this.accessibilityInformation = { label: ['Validation error', error.line !== undefined ? `line ${error.line}` : undefined, error.code, message].filter(Boolean).join(', ') };
    this.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
    this.contextValue = ['validationError', error.line !== undefined ? 'has-line' : undefined].filter(Boolean).join(' ');
    if (opens) this.command = { command: Command.openErrorLine, title: 'Open Line', arguments: [this] };
  }
}

/** The one Load More row, switched in place between ready, loading and failed so that it can be refreshed alone. */
export class LoadMoreRow extends vscode.TreeItem {
  readonly type = 'loadMore';
  /** The connection whose tree root it is under (set by its provider); none for the connection in use. */
  connection?: string;
  loading = false;
  error: unknown = undefined;

  constructor() {
    // No ellipsis: clicking loads at once, it asks nothing more.
    super('Load More');
    this.id = 'loadMore';
    this.show(false, undefined);
  }

  show(loading: boolean, error: unknown): void {
    this.loading = loading;
    this.error = error;
    if (loading) {
      this.label = 'Loading more…';
      this.iconPath = new vscode.ThemeIcon('loading~spin');
      this.contextValue = 'loadMore loading';
      this.description = undefined;
      this.tooltip = undefined;
      this.accessibilityInformation = undefined;
      this.command = undefined;
      return;
    }
    this.label = 'Load More';
    this.accessibilityInformation = { label: error !== undefined ? 'Load More, the last attempt failed' : 'Load More' };
    this.command = { command: Command.loadMore, title: 'Load More', arguments: [this] };
    this.contextValue = 'loadMore';
    if (error !== undefined) {
      this.description = 'failed — click to retry';
      this.tooltip = errorTooltip('Loading the next page failed.', error);
      this.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
    } else {
      this.description = undefined;
      this.tooltip = 'Fetch the next page of older batches.';
      this.iconPath = new vscode.ThemeIcon('fold-down');
    }
  }
}

/**
 * The view's one place for a failed load. An unreachable API is a single plain sentence; a setting that
 * may fix the failure is one click away (Open Settings, inline); a wrong connection setting opens it.
 */
export class ErrorRow extends vscode.TreeItem {
  readonly type = 'error';
  /** The connection whose tree root it is under (set by its provider); none for the connection in use. */
  connection?: string;

  constructor(
    readonly title: string,
    readonly error: unknown,
  ) {
    const apiError = isApiError(error) ? error : undefined;
    const authFailed = !!apiError?.isAuthError;
    const unreachable = apiError?.kind === 'connection';
    const setting = settingToCheck(error);
    super(authFailed ? 'The API key was rejected — click to set another' : unreachable ? describeError(apiError) : title);
    this.id = 'error';
    this.description = unreachable ? undefined : describeError(error);
    this.accessibilityInformation = { label: [this.label, this.description].filter(Boolean).join(', ') };
    const action = authFailed ? 'Click to set another key' : apiError?.kind === 'config' ? 'Click to open the setting' : setting ? 'Click to retry, or check the setting (Open Settings)' : 'Click to retry';
    this.tooltip = errorTooltip(title, error, action);
    this.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
    this.contextValue = ['error', authFailed ? 'auth' : undefined, setting ? 'has-setting' : undefined].filter(Boolean).join(' ');
    this.command = authFailed
      ? { command: Command.setApiKey, title: 'Set API Key', arguments: [this] }
      : apiError?.kind === 'config' && setting
        ? { command: Command.openSettings, title: 'Open Settings', arguments: [this] }
        : { command: Command.retry, title: 'Retry', arguments: [this] };
  }
}

function errorTooltip(title: string, error: unknown, action = 'Click to retry'): vscode.MarkdownString {
  return new vscode.MarkdownString(`**${title}**\n\n${escapeMarkdown(describeError(error))}\n\n${action}; details are in the log (*OpenAI Batches: Show Log*).`);
}

function plural(n: number): string {
  return n === 1 ? 'batch' : 'batches';
}
