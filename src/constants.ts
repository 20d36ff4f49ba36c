// Every id the extension shares with package.json, menus and tests, in one place.
import type { FileKind } from './core/batch';

export const EXTENSION_ID = 'openai-batches.openai-batches';
export const VIEW_CONTAINER_ID = 'openaiBatches';
export const BATCHES_VIEW_ID = 'openaiBatches.batches';
/** The view's name in package.json: its title while the default connection is in use. */
export const VIEW_NAME = 'OpenAI Batches';
export const LOG_CHANNEL_NAME = 'OpenAI Batches';
export const SECRET_API_KEY = 'openaiBatches.apiKey';
export const CONFIG_SECTION = 'openaiBatches';
/** The Results panels' webview type (also in package.json's `onWebviewPanel:` activation event). */
export const RESULTS_VIEW_TYPE = 'openaiBatches.results';

export const Command = {
  listBatches: 'openaiBatches.listBatches',
  refresh: 'openaiBatches.refresh',
  setApiKey: 'openaiBatches.setApiKey',
  clearApiKey: 'openaiBatches.clearApiKey',
  openBatchJson: 'openaiBatches.openBatchJson',
  openInputFile: 'openaiBatches.openInputFile',
  openOutputFile: 'openaiBatches.openOutputFile',
  openErrorFile: 'openaiBatches.openErrorFile',
  copyBatchId: 'openaiBatches.copyBatchId',
  copyFileId: 'openaiBatches.copyFileId',
  /** The first lines of a file too large for a tab (offered, and on large file rows). */
  openFirstLines: 'openaiBatches.openFirstLines',
  openInDashboard: 'openaiBatches.openInDashboard',
  openInAzurePortal: 'openaiBatches.openInAzurePortal',
  refreshDocument: 'openaiBatches.refreshDocument',
  showLog: 'openaiBatches.showLog',
  /** The Settings editor on one setting (a name from the settings table, or the one an error row needs) or on all. */
  openSettings: 'openaiBatches.openSettings',
  downloadFile: 'openaiBatches.downloadFile',
  cancelBatch: 'openaiBatches.cancelBatch',
  createBatch: 'openaiBatches.createBatch',
  /** Resubmits what did not succeed of a finished batch (a batch row; the palette asks which). */
  retryFailed: 'openaiBatches.retryFailedRequests',
  /** A batch and its retries joined, as one JSON Lines file (a batch row; the palette asks which). */
  exportCombined: 'openaiBatches.exportCombinedResults',
  openResults: 'openaiBatches.openResults',
  exportResults: 'openaiBatches.exportResults',
  clearResultsCache: 'openaiBatches.clearResultsCache',
  /** Sums the usage and estimated cost of the selected batches (a group's, or every loaded one from the palette). */
  showUsage: 'openaiBatches.showUsage',
  /** A validation error row's action: its line in the local file the batch came from, or in the uploaded input file. */
  openErrorLine: 'openaiBatches.openErrorLine',
  /** Reveals a batch in the view, by id (notifications, Create, List Batches, after Cancel): registered, not contributed. */
  showBatch: 'openaiBatches.showBatch',
  /** Which of the connections set up the view shows (the view's title menu). */
  switchConnection: 'openaiBatches.switchConnection',
  /** A wizard: provider, name, URL, options, key (checked with one request before anything is saved). */
  addConnection: 'openaiBatches.addConnection',
  /** Asks which (never the Default one), then its URL, options and key like Add; checked before it is saved. */
  editConnection: 'openaiBatches.editConnection',
  /** Asks which (never the Default one), confirms; its stored key goes too. */
  removeConnection: 'openaiBatches.removeConnection',
  /** Asks which and the new name; its stored key moves along. */
  renameConnection: 'openaiBatches.renameConnection',
  /** Statuses, words and age the view shows batches of (the view's title). */
  filterBatches: 'openaiBatches.filterBatches',
  /** Shown while a filter is set. */
  clearFilter: 'openaiBatches.clearFilter',
  /** Pages through the account until the filter has a page's worth more matches, the age limit or the end. */
  findInAllBatches: 'openaiBatches.findInAllBatches',
  /** Error rows' inline action; hidden from the palette. */
  retry: 'openaiBatches.retry',
  /** The "Load More" row's action: registered, deliberately not contributed. */
  loadMore: 'openaiBatches.loadMore',
} as const;

/**
 * Commands for automation and tests: registered, never contributed, each taking one typed options object.
 * The contributed commands take exactly what their menus pass (a tree node, the Explorer's `(uri, uris)`,
 * nothing from the palette) and ask the user the rest; these run the same pipelines without asking.
 */
export const InternalCommand = {
  /** {@link SetApiKeyOptions}: checked with one request, then stored, like the key typed into Set API Key. */
  setApiKey: 'openaiBatches.internal.setApiKey',
  /** {@link CancelOptions}: cancels without the confirmation. */
  cancelBatch: 'openaiBatches.internal.cancelBatch',
  /** {@link DownloadOptions}: downloads to the given file without the save dialog. */
  downloadFile: 'openaiBatches.internal.downloadFile',
  /** {@link CreateBatchOptions}: one batch per file, without the questions and the confirmation. */
  createBatch: 'openaiBatches.internal.createBatch',
  /** {@link RetryOptions}: retries without the questions; resolves with a {@link RetryResult}. */
  retryFailed: 'openaiBatches.internal.retryFailedRequests',
  /** {@link ExportCombinedOptions}: exports without the save dialog; resolves with the rows and the combined summary. */
  exportCombined: 'openaiBatches.internal.exportCombinedResults',
  /** {@link ConnectionOption}: removes the stored key without the confirmation; resolves whether one was removed. */
  clearApiKey: 'openaiBatches.internal.clearApiKey',
  /** {@link RemoveConnectionOptions}: removes a connection and its stored key without the confirmation; resolves whether it was there. */
  removeConnection: 'openaiBatches.internal.removeConnection',
} as const;

export interface RemoveConnectionOptions {
  readonly name: string;
}

/** Which connection an internal command acts on, by name; the one in use when not said. */
export interface ConnectionOption {
  readonly connection?: string;
}

export interface SetApiKeyOptions extends ConnectionOption {
  readonly apiKey: string;
}

export interface CancelOptions extends ConnectionOption {
  readonly batchId: string;
}

export interface DownloadOptions extends ConnectionOption {
  readonly batchId: string;
  readonly kind: FileKind;
  readonly destination: import('vscode').Uri;
}

export interface CreateBatchOptions extends ConnectionOption {
  /** One batch per file, in this order. */
  readonly files: readonly import('vscode').Uri[];
  /** Stored as `metadata.description` (at most 512 characters); default: each file's name. */
  readonly description?: string;
  /** `output_expires_after.seconds` (3600..2592000, from when the output file is written); default: the API's. */
  readonly outputExpiresAfterSeconds?: number;
  /** The uploaded input file's `expires_after[seconds]` (3600..2592000, from the upload); default: the API's. */
  readonly inputExpiresAfterSeconds?: number;
  /**
   * The id of the batch the (one) file retries: the new batch's metadata is `retry_of` it, a description
   * saying so (unless `description` is given) and its other metadata; its completion window is the parent's.
   */
  readonly retryOf?: string;
}

export interface RetryOptions extends ConnectionOption {
  readonly batchId: string;
  /**
   * What to resubmit: outcomes (`failed`, `expired`, `cancelled`, `missing`) and error groups of the failed
   * ones (`code:rate_limit_exceeded`, `status:500`). Default: everything that did not succeed.
   */
  readonly include?: readonly string[];
  /** Review First: the file to write (and open, and remember as a retry of the batch) instead of creating the batch. */
  readonly reviewAt?: import('vscode').Uri;
}

export interface RetryResult {
  /** How many requests the retry holds. */
  readonly requests: number;
  /** The batch created (Create Batch). */
  readonly batch?: import('./core/batch').Batch;
  /** The file written (Review First). */
  readonly file?: import('vscode').Uri;
}

export interface ExportCombinedOptions extends ConnectionOption {
  /** Any batch of the line: its first batch or one of the retries. */
  readonly batchId: string;
  readonly destination: import('vscode').Uri;
}

/** The command that opens each kind of batch file. */
export const FILE_COMMAND: Readonly<Record<FileKind, string>> = {
  input: Command.openInputFile,
  output: Command.openOutputFile,
  error: Command.openErrorFile,
};

export const ContextKey = {
  /** `loading` | `noApiKey` | `empty` | `ready` | `error`: drives the view's welcome content. */
  state: 'openaiBatches.state',
  /** `openai` | `azure` | unset: which web page shows the connection's batches (core/providers.ts dashboardKind). */
  dashboard: 'openaiBatches.dashboard',
  /** The view shows only the batches a filter lets through (Clear Filter is offered). */
  filtered: 'openaiBatches.filtered',
} as const;

export const Scheme = {
  batch: 'openai-batch',
  file: 'openai-batch-file',
  /** One request or its result from a Results panel, as a read-only JSON tab. */
  result: 'openai-batch-result',
} as const;
