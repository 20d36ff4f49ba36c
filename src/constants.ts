// Every id the extension shares with package.json, menus and tests, in one place.
import type { FileKind } from './core/batch';

export const EXTENSION_ID = 'openai-batches.openai-batches';
export const VIEW_CONTAINER_ID = 'openaiBatches';
export const BATCHES_VIEW_ID = 'openaiBatches.batches';
export const LOG_CHANNEL_NAME = 'OpenAI Batches';
export const SECRET_API_KEY = 'openaiBatches.apiKey';
export const CONFIG_SECTION = 'openaiBatches';

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
  openInDashboard: 'openaiBatches.openInDashboard',
  refreshDocument: 'openaiBatches.refreshDocument',
  showLog: 'openaiBatches.showLog',
  downloadFile: 'openaiBatches.downloadFile',
  cancelBatch: 'openaiBatches.cancelBatch',
  createBatch: 'openaiBatches.createBatch',
  /** Reveals a batch in the view (notifications, status bar). */
  showBatch: 'openaiBatches.showBatch',
  /** Error rows' inline action; hidden from the palette. */
  retry: 'openaiBatches.retry',
  /** The "Load more…" row's action: registered, deliberately not contributed. */
  loadMore: 'openaiBatches.loadMore',
} as const;

/** The command that opens each kind of batch file. */
export const FILE_COMMAND: Readonly<Record<FileKind, string>> = {
  input: Command.openInputFile,
  output: Command.openOutputFile,
  error: Command.openErrorFile,
};

export const ContextKey = {
  /** `loading` | `noApiKey` | `empty` | `ready` | `error`: drives the view's welcome content. */
  state: 'openaiBatches.state',
  /** The base URL is OpenAI's own, so dashboard links make sense. */
  isOpenAI: 'openaiBatches.isOpenAI',
} as const;

export const Scheme = {
  batch: 'openai-batch',
  file: 'openai-batch-file',
} as const;
