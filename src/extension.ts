import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ActiveBatchPoller } from './core/activeBatchPoller';
import type { BatchStore } from './core/batchStore';
import { registerApiKeyCommands } from './commands/apiKeyCommands';
import { registerBatchCommands } from './commands/batchCommands';
import { registerCancelCommand } from './commands/cancelCommand';
import type { CommandContext } from './commands/context';
import { registerDownloadCommand } from './commands/downloadCommand';
import { registerFilterCommands, ViewFilter } from './commands/filterCommands';
import { registerListCommands } from './commands/listCommands';
import { PromptTracker } from './commands/quickSteps';
import { exportPanel, openRowDocument, registerResultsCommands, type ResultsCommandContext } from './commands/resultsCommands';
import { lazyFlows, registerConnectionCommands, registerDashboardCommands, registerCreateCommands, registerRetryCommands, registerUsageCommand } from './commands/flowCommands';
import { registerShowBatchCommand } from './commands/showBatchCommand';
import { BATCHES_VIEW_ID, LOG_CHANNEL_NAME, Scheme, VIEW_NAME } from './constants';
import { BatchFileProvider } from './documents/batchFileProvider';
import { BatchCostLens } from './documents/batchCostLens';
import { BatchJsonProvider } from './documents/batchJsonProvider';
import { InputCodeLens } from './documents/inputCodeLens';
import { InputDiagnostics } from './documents/inputDiagnostics';
import { InputStatusBar } from './documents/inputStatusBar';
import { LiveInputChecks } from './documents/liveInputChecks';
import { ResultDocumentProvider } from './documents/resultDocumentProvider';
import { lazyPricing, priceCatalogue } from './core/pricing';
import { linkedParent, type RetryLinkStore } from './core/retry/retryLinks';
import { InputEstimator } from './services/inputEstimator';
import { InputOriginStore } from './services/inputOrigins';
import { UsageCosts, type CatalogueModule } from './services/usageCosts';
import { TokenCounter } from './services/tokenCounter';
import { ApiSession } from './services/apiSession';
import { lazyResultsEngine } from './services/resultsEngine';
import { affectsSettings, migrateSettings, setting } from './services/settings';
import { ActivityIndicators } from './views/activityIndicators';
import { ConnectionSection, ConnectionSections } from './views/connectionSections';
import { ConnectionsTreeProvider } from './views/connectionsTree';
import { LazyResultsPanels } from './views/lazyResultsPanels';
import type { TreeNode } from './views/treeNodes';

/** What the extension hands to `vscode.extensions.getExtension(...).exports` (used by its tests). */
export interface BatchesExtensionApi {
  /** The view's rows: with several connections, one root per connection. */
  readonly tree: ConnectionsTreeProvider;
  /** Each connection's part of the view (the one in use is `store`, `poller` and `session`). */
  readonly sections: ConnectionSections;
  /** The Batches view itself (whether it is visible, what is selected). */
  readonly view: vscode.TreeView<TreeNode>;
  readonly store: BatchStore;
  readonly session: ApiSession;
  readonly poller: ActiveBatchPoller;
  /** The status-bar count of active batches. */
  readonly indicators: ActivityIndicators;
  /** The open Results panels (and what each last posted to its page). */
  readonly results: LazyResultsPanels;
  /** Where the Results view keeps the batches' downloaded files. */
  readonly resultsCacheUri: vscode.Uri;
  /** Folder of the "OpenAI Batches" log, for reading it back in tests. */
  readonly logUri: vscode.Uri;
  /** How long `activate()` took, for the benchmark. */
  readonly activationMs: number;
  /** The Create flow's quick input on screen, if any (tests answer it with workbench commands). */
  readonly prompts: PromptTracker;
  /** The batch input status bar item. */
  readonly inputStatus: InputStatusBar;
}

/** The composition root: builds every part once, wires them, and owns every disposable. */
export function activate(context: vscode.ExtensionContext): BatchesExtensionApi {
  const started = performance.now();
  const log = vscode.window.createOutputChannel(LOG_CHANNEL_NAME, { log: true });
  // Until it is done, settings are read under their former keys too (services/settings.ts).
  void migrateSettings(log);
  const session = new ApiSession(context.secrets, log, context.globalState);
  // The tokenizer and the price catalogue are bundled apart (dist/tokens.js, dist/catalogue.js) and loaded
  // when an estimate or a cost is first needed, never here.
  const dist = vscode.Uri.joinPath(context.extensionUri, 'dist').fsPath;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const catalogue = async () => require(path.join(dist, 'catalogue.js')) as CatalogueModule;
  const pricing = lazyPricing(async () => {
    const { catalogueModels, catalogueSource } = await catalogue();
    return priceCatalogue(catalogueModels, catalogueSource);
  });
  const costs = new UsageCosts(catalogue, pricing, log, (connection) => session.deployments(connection));
  const origins = new InputOriginStore(context.workspaceState);
  // What every connection's commands share, made once the view exists (the view needs the sections first);
  // sections read it only when a command first runs.
  const base = () => shared;
  const sectionServices = { costs, origins, log };
  // The connection in use, and each other one when several are set up: the view's roots.
  const main = new ConnectionSection(session, base, sectionServices);
  const sections = new ConnectionSections(main, (name) => new ConnectionSection(new ApiSession(context.secrets, log, context.globalState, name), base, sectionServices, name));
  const { store, files, poller } = main;
  const tree = new ConnectionsTreeProvider(sections);
  // Several batches may be selected: Show Usage sums them.
  const view = vscode.window.createTreeView(BATCHES_VIEW_ID, { treeDataProvider: tree, showCollapseAll: true, canSelectMany: true });
  const batchJson = new BatchJsonProvider(session, store);
  const batchFiles = new BatchFileProvider(session, files);
  const costLens = new BatchCostLens(costs);
  const indicators = new ActivityIndicators(store, poller);
  const shared: Omit<CommandContext, 'session' | 'store' | 'files'> = { batchJson, batchFiles, origins, log, view, scope: (arg) => sections.of(arg).ctx, everyConnection: () => sections.all.map(({ section }) => section.ctx) };
  const ctx = main.ctx;
  const tokens = new TokenCounter(path.join(dist, 'tokens.js'), log);
  const estimator = new InputEstimator(tokens, pricing, log, () => session.deployments());
  const diagnostics = new InputDiagnostics();
  const liveChecks = new LiveInputChecks(diagnostics, estimator, log);
  const inputStatus = new InputStatusBar(liveChecks);
  const prompts = new PromptTracker();
  // Create's and Retry's flows are bundled apart (dist/flows.js) and loaded when first used, as is the retry
  // links' upkeep (hashing the files Review First wrote); looking a link up reads the workspace state.
  const flows = lazyFlows(dist);
  // Filter Batches… and Find in All Batches come with them.
  const viewFilter = new ViewFilter(tree, view);
  const linksChanged = new vscode.EventEmitter<void>();
  const links: RetryLinkStore = { storage: context.workspaceState, load: () => flows().retryLinks(context.workspaceState, () => linksChanged.fire()) };
  const isLinked = (uri: vscode.Uri) => uri.scheme === 'file' && linkedParent(links.storage, uri.fsPath) !== undefined;
  const createDeps = { diagnostics, estimator, prompts, links };
  const resultsCacheUri = vscode.Uri.joinPath(context.globalStorageUri, 'results');
  // The Results engine and panels are bundled apart (dist/results.js) and loaded when Results are first used.
  const engine = lazyResultsEngine(dist, { dir: resultsCacheUri.fsPath, capBytes: () => setting('resultsCacheMB') * 1024 * 1024, log });
  const results: LazyResultsPanels = new LazyResultsPanels({
    session,
    store,
    engine,
    costs,
    log,
    extensionUri: context.extensionUri,
    exportPanel: (panel) => exportPanel(resultsCtx, panel),
    // Through the panel's own connection (its part of the view, when several are shown).
    retryPanel: (panel) => flows().retryFromPanel(ctx.scope(panel), retryDeps, panel),
    combine: (own, options) => flows().combineForPanel(ctx.scope(options), retryDeps, own, options),
    openRowDocument: (panel, rowId, part) => openRowDocument(ctx, panel, rowId, part),
  });
  const resultsCtx: ResultsCommandContext = { ...ctx, panels: results, engine };
  const retryDeps = { ...createDeps, engine };

  // Live status only while someone can see it.
  const updatePolling = () => {
    for (const { section } of sections.all) {
      section.poller.setInterval(setting('autoRefreshSeconds'));
      section.poller.setEnabled(view.visible);
    }
  };
  updatePolling();

  context.subscriptions.push(
    log,
    session,
    main,
    sections,
    sections.onDidChange(updatePolling),
    tree,
    view,
    viewFilter,
    batchJson,
    diagnostics,
    tokens,
    liveChecks,
    inputStatus,
    vscode.languages.registerCodeLensProvider({ scheme: 'file', pattern: '**/*.jsonl' }, new InputCodeLens(liveChecks, links.storage, linksChanged.event)),
    linksChanged,
    // A reviewed retry saved or renamed in the editor is still that retry.
    vscode.workspace.onDidSaveTextDocument((doc) => isLinked(doc.uri) && void links.load().saved(doc.uri.fsPath)),
    vscode.workspace.onDidRenameFiles((e) => e.files.forEach((f) => isLinked(f.oldUri) && void links.load().moved(f.oldUri.fsPath, f.newUri.fsPath))),
    costLens,
    vscode.languages.registerCodeLensProvider({ scheme: Scheme.batch }, costLens),
    indicators,
    // A new key or endpoint is another account: start over. (Also fires once the stored key is read.)
    // Alone in its container, the view is titled "OPENAI BATCHES: WORK" for a connection named Work (with
    // several, each is a root of its own).
    session.onDidChange(() => (view.title = session.connection.isDefault || sections.several ? VIEW_NAME : session.connection.name)),
    sections.onDidChange(() => (view.title = session.connection.isDefault || sections.several ? VIEW_NAME : session.connection.name)),
    view.onDidChangeVisibility(updatePolling),
    vscode.workspace.onDidChangeConfiguration((e) => affectsSettings(e, 'autoRefreshSeconds') && updatePolling()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      // A connection's deployments say which model's prices apply.
      if (!affectsSettings(e, 'prices') && !affectsSettings(e, 'connections')) return;
      liveChecks.refreshEstimates();
      costLens.refresh();
      tree.repriced();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => affectsSettings(e, 'label') && tree.relabel()),
    vscode.workspace.registerTextDocumentContentProvider(Scheme.batch, batchJson),
    vscode.workspace.registerTextDocumentContentProvider(Scheme.file, batchFiles),
    vscode.workspace.registerTextDocumentContentProvider(Scheme.result, new ResultDocumentProvider(results)),
    results,
    ...registerListCommands(ctx),
    ...registerBatchCommands(ctx),
    ...registerApiKeyCommands(ctx),
    ...registerConnectionCommands(ctx, prompts, flows),
    ...registerDashboardCommands(ctx, flows),
    ...registerDownloadCommand(ctx),
    ...registerCancelCommand(ctx),
    ...registerCreateCommands(ctx, createDeps, flows),
    ...registerRetryCommands(ctx, retryDeps, flows),
    ...registerFilterCommands(ctx, { filter: viewFilter, prompts }, flows),
    ...registerShowBatchCommand(view, tree),
    ...registerResultsCommands(resultsCtx),
    ...registerUsageCommand(ctx, costs, flows),
  );
  const activationMs = performance.now() - started;
  log.info(`Activated in ${activationMs.toFixed(1)} ms.`);
  return { tree, sections, view, store, session, poller, indicators, results, resultsCacheUri, logUri: context.logUri, activationMs, prompts, inputStatus };
}

export function deactivate(): void {}
