import * as vscode from 'vscode';
import { BatchStore, type BatchListSource } from './core/batchStore';
import { registerApiKeyCommands } from './commands/apiKeyCommands';
import { registerBatchCommands } from './commands/batchCommands';
import type { CommandContext } from './commands/context';
import { registerListCommands } from './commands/listCommands';
import { BATCHES_VIEW_ID, CONFIG_SECTION, LOG_CHANNEL_NAME, Scheme, Setting } from './constants';
import { BatchFileProvider } from './documents/batchFileProvider';
import { BatchJsonProvider } from './documents/batchJsonProvider';
import { ApiSession } from './services/apiSession';
import { BatchesTreeProvider } from './views/batchesTreeProvider';

/** What the extension hands to `vscode.extensions.getExtension(...).exports` (used by its tests). */
export interface BatchesExtensionApi {
  readonly tree: BatchesTreeProvider;
  readonly store: BatchStore;
  readonly session: ApiSession;
  /** Folder of the "OpenAI Batches" log, for reading it back in tests. */
  readonly logUri: vscode.Uri;
}

/** The composition root: builds every part once, wires them, and owns every disposable. */
export function activate(context: vscode.ExtensionContext): BatchesExtensionApi {
  const log = vscode.window.createOutputChannel(LOG_CHANNEL_NAME, { log: true });
  const session = new ApiSession(context.secrets, log);
  // Always the current client, so a changed timeout applies without resetting what is loaded.
  const source: BatchListSource = { listBatches: (params, signal) => session.requireClient().listBatches(params, signal) };
  const pageSize = () => vscode.workspace.getConfiguration(CONFIG_SECTION).get<number>(Setting.pageSize, 50);
  const store = new BatchStore(undefined, pageSize, log);
  const tree = new BatchesTreeProvider(store, session);
  const batchJson = new BatchJsonProvider(session, store);
  const batchFiles = new BatchFileProvider(session);
  const ctx: CommandContext = { session, store, batchJson, batchFiles, log };

  context.subscriptions.push(
    log,
    session,
    tree,
    batchJson,
    // A new key or endpoint is another account: start over. (Also fires once the stored key is read.)
    session.onDidChange(() => store.reset(session.client ? source : undefined)),
    vscode.window.createTreeView(BATCHES_VIEW_ID, { treeDataProvider: tree, showCollapseAll: true }),
    vscode.workspace.registerTextDocumentContentProvider(Scheme.batch, batchJson),
    vscode.workspace.registerTextDocumentContentProvider(Scheme.file, batchFiles),
    ...registerListCommands(ctx),
    ...registerBatchCommands(ctx),
    ...registerApiKeyCommands(ctx),
    { dispose: () => store.reset(undefined) },
  );
  return { tree, store, session, logUri: context.logUri };
}

export function deactivate(): void {}
