import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { describeError, isApiError } from '../core/apiError';
import { fileIdOf, FILE_KINDS, type Batch } from '../core/batch';
import type { BatchStore } from '../core/batchStore';
import type { CachedFile } from '../core/results/fileCache';
import { MAX_ROWS_PER_MESSAGE, type PageMessage, type PanelMessage, type ResultsCost, type ResultsQuery, type ResultsSummary } from '../core/results/protocol';
import type { ResultsIndex } from '../core/results/resultsIndex';
import type { ResultsView } from '../core/results/resultsQuery';
import type { ChainMember } from '../core/retry/combinedResults';
import { Lineage } from '../core/retry/lineage';
import type { ApiSession } from '../services/apiSession';
import { fetchResultFiles, freshBatch } from '../services/batchResults';
import type { ResultsEngine } from '../services/resultsEngine';
import { openSettings } from '../services/settings';
import type { UsageCosts } from '../services/usageCosts';
import { restoredPanel } from '../core/results/panelState';
import { RESULTS_VIEW_TYPE } from '../constants';

export interface ResultsPanelDeps {
  readonly session: ApiSession;
  readonly store: BatchStore;
  /** The Results engine and its file cache, loaded on first use. */
  readonly engine: () => Promise<ResultsEngine>;
  /** Prices for the estimated cost of the responses' tokens. */
  readonly costs: UsageCosts;
  readonly log: vscode.LogOutputChannel;
  readonly extensionUri: vscode.Uri;
  /** Export Results… for this panel (the page's button). */
  readonly exportPanel: (panel: ResultsPanel) => unknown;
  /** Retry Failed Requests… for this panel (the page's button): the current filter when one is set. */
  readonly retryPanel: (panel: ResultsPanel) => unknown;
  /**
   * Combined: the batch (`own`, already read) joined with the rest of its line, with progress; undefined
   * (having said why) when it stands alone, could not be read, or was cancelled.
   */
  readonly combine: (own: ChainMember, options: { signal: AbortSignal; report: (message: string) => void; connection: string }) => Promise<CombinedView | undefined>;
  /** Open in Editor for one row's request or result. */
  readonly openRowDocument: (panel: ResultsPanel, rowId: number, part: 'request' | 'result') => unknown;
}

const PROGRESS_INTERVAL_MS = 200;

/**
 * The Results panels, one per batch of a connection: opening a batch's results again reveals its panel.
 * Panels come back after a window reload from the state the page keeps (batch id, connection and query; none
 * saved is the default connection), handed over by the serializer registered at activation
 * (views/lazyResultsPanels.ts): this class is bundled apart (dist/results.js) and loaded on first use.
 */
export class ResultsPanels implements vscode.Disposable {
  private readonly panels = new Map<string, ResultsPanel>();

  constructor(private readonly deps: ResultsPanelDeps) {}

  /** A panel VS Code kept over a window reload, adopted again (or closed: its batch already has one, or it names none). */
  restore(panel: vscode.WebviewPanel, state: unknown): void {
    const saved = restoredPanel(state);
    if (!saved) {
      this.deps.log.warn('A Results panel could not be restored: its saved state names no batch.');
      panel.dispose();
      return;
    }
    const { batchId, connection } = saved;
    if (this.get(batchId, connection)) {
      panel.dispose(); // one panel per batch
      return;
    }
    this.deps.log.info(`Restoring the Results of ${batchId}.`);
    this.adopt(panel, batchId, connection, connection === this.deps.session.connection.name ? this.deps.store.get(batchId) : undefined);
  }

  /** Reveals the panel of the batch of `connection` (by default the one in use), or opens one. */
  open(batch: Batch, connection = this.deps.session.connection.name): ResultsPanel {
    const existing = this.get(batch.id, connection);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(RESULTS_VIEW_TYPE, panelTitle(batch), vscode.ViewColumn.Active, webviewOptions(this.deps.extensionUri));
    return this.adopt(panel, batch.id, connection, batch);
  }

  get(batchId: string, connection = this.deps.session.connection.name): ResultsPanel | undefined {
    return this.panels.get(`${connection}\n${batchId}`);
  }

  /** The panel in front, for commands run from the palette. */
  get active(): ResultsPanel | undefined {
    return [...this.panels.values()].find((p) => p.panel.active);
  }

  get all(): readonly ResultsPanel[] {
    return [...this.panels.values()];
  }

  dispose(): void {
    for (const p of this.panels.values()) p.panel.dispose();
  }

  private adopt(panel: vscode.WebviewPanel, batchId: string, connection: string, batch: Batch | undefined): ResultsPanel {
    const results = new ResultsPanel(panel, batchId, connection, batch, this.deps);
    const key = `${connection}\n${batchId}`;
    this.panels.set(key, results);
    panel.onDidDispose(() => {
      if (this.panels.get(key) === results) this.panels.delete(key);
    });
    return results;
  }
}

type LoadState =
  | { kind: 'loading'; message: string; fraction?: number }
  | { kind: 'loaded'; view: ResultsView; index: ResultsIndex; cost?: ResultsCost }
  | { kind: 'failed'; message: string };

/** Combined results as the panel shows them, and how to let their files go. */
export interface CombinedView extends Shown {
  release(): void;
}

/** The batch's own results, or with its retries. */
interface Shown {
  readonly view: ResultsView;
  readonly index: ResultsIndex;
  /** The batches shown: the batch alone, or its line (first batch, then the retries). */
  readonly members: readonly ChainMember[];
  /** The batch's own per-request cost (Combined has none: its requests' answers span batches). */
  readonly cost?: ResultsCost;
}

/**
 * One batch's Results panel: fetches the batch's files through the cache, builds the index, and answers
 * the page's messages from it. The page asks for windows of rows; answers to superseded queries are dropped.
 */
export class ResultsPanel {
  private state: LoadState = { kind: 'loading', message: 'Loading the results…' };
  private leases: CachedFile[] = [];
  private loading?: AbortController;
  private loadTask: Promise<void>;
  private querySeq = -1;
  /** custom_ids of rows whose details were shown: the names of their editor tabs. */
  private readonly labels = new Map<number, string>();
  private disposed = false;
  /** The batch's own results, once loaded; and with its retries, once Combined was asked for. */
  private single?: Shown;
  private combinedResults?: CombinedView;
  private combining?: AbortController;
  /** The query the page shows (Export offers it). */
  query: ResultsQuery = {};
  /** How many rows that query matches. */
  matching = 0;
  /** The last summary posted to the page, and the most rows one message carried: what tests check. */
  lastSummary?: ResultsSummary;
  maxRowsPosted = 0;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly batchId: string,
    /** The connection it reads from, whichever is in use. */
    readonly connection: string,
    private batch: Batch | undefined,
    private readonly deps: ResultsPanelDeps,
  ) {
    panel.webview.options = webviewOptions(deps.extensionUri);
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'batches.svg');
    if (batch) panel.title = panelTitle(batch);
    panel.webview.html = pageHtml(panel.webview, deps.extensionUri, batchId, connection);
    panel.webview.onDidReceiveMessage((m: PageMessage) => this.onMessage(m).catch((e: unknown) => deps.log.error(`Results ${batchId}: ${describeError(e)}`)));
    panel.onDidDispose(() => this.dispose());
    this.loadTask = this.loadOnce();
  }

  get view(): ResultsView | undefined {
    return this.state.kind === 'loaded' ? this.state.view : undefined;
  }

  get index(): ResultsIndex | undefined {
    return this.state.kind === 'loaded' ? this.state.index : undefined;
  }

  /** What is shown: the batch alone or its line (Retry takes the newest as the batch it retries). */
  get members(): readonly ChainMember[] {
    const index = this.index;
    if (this.combinedResults && index === this.combinedResults.index) return this.combinedResults.members;
    return this.single && index === this.single.index ? this.single.members : [];
  }

  /** Combined results are shown. */
  get combined(): boolean {
    return this.index !== undefined && this.index === this.combinedResults?.index;
  }

  /** Fetches the batch again (its files may have changed), downloads what is not cached, and indexes it. */
  load(): Promise<void> {
    this.loadTask = this.loadOnce();
    return this.loadTask;
  }

  /** Resolves once the latest load has finished, however it ended. */
  async settled(): Promise<void> {
    let task: Promise<void>;
    do {
      task = this.loadTask;
      await task;
    } while (task !== this.loadTask);
  }

  /** The tab name for a row: its custom_id when the page has shown it, else its row number. */
  rowLabel(rowId: number): string {
    return this.labels.get(rowId) ?? `row-${rowId + 1}`;
  }

  private async loadOnce(): Promise<void> {
    this.loading?.abort();
    const controller = new AbortController();
    this.loading = controller;
    this.releaseLeases();
    this.dropCombined();
    this.single = undefined;
    this.labels.clear();
    this.setState({ kind: 'loading', message: 'Loading the batch…' });
    const title = `Loading the results of ${this.batchId}`;
    try {
      const state = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
        token.onCancellationRequested(() => controller.abort());
        let lastReport = 0;
        const report = (message: string, fraction?: number, force = false) => {
          const now = Date.now();
          if (this.loading !== controller || (!force && now - lastReport < PROGRESS_INTERVAL_MS)) return;
          lastReport = now;
          progress.report({ message });
          this.setState({ kind: 'loading', message, fraction });
        };
        await this.deps.session.clientFor(this.connection); // not connected: say that, not that the batch is unknown
        const batch = await this.fetchBatch(controller.signal);
        if (!FILE_KINDS.some((k) => fileIdOf(batch, k))) throw new Error(`${batch.id} has no files yet: nothing to show.`);
        const engine = await this.deps.engine();
        const { sources, leases } = await fetchResultFiles(this.deps, engine, batch, controller.signal, (m, f) => report(m, f), this.connection);
        if (this.disposed) leases.forEach((lease) => lease.release());
        else this.leases.push(...leases);
        report('Indexing…', 0, true);
        const index = await engine.module.buildResultsIndex({ batch, ...sources }, { signal: controller.signal, onProgress: (fraction, message) => report(message, fraction) });
        const cost = await this.costOf(engine, index);
        return { kind: 'loaded', view: new engine.module.ResultsView(index), index, batch, cost } as const;
      });
      if (this.loading !== controller || this.disposed) return;
      this.single = { view: state.view, index: state.index, members: [{ batch: state.batch, index: state.index }], cost: state.cost };
      this.setState({ kind: 'loaded', view: state.view, index: state.index, cost: state.cost });
    } catch (e) {
      if (this.loading !== controller || this.disposed) return;
      this.releaseLeases();
      const cancelled = controller.signal.aborted || (isApiError(e) && e.isAborted);
      const message = cancelled ? 'Loading was cancelled. Reload to try again.' : `The results of ${this.batchId} could not be loaded: ${describeError(e)}`;
      if (!cancelled) this.deps.log.error(message);
      this.setState({ kind: 'failed', message });
    }
  }

  private async fetchBatch(signal: AbortSignal): Promise<Batch> {
    // What the tree already knows is good enough to show files that were already fetched.
    this.batch = await freshBatch(this.deps, this.batch ?? this.batchId, signal, this.connection);
    this.panel.title = panelTitle(this.batch);
    return this.batch;
  }

  /**
   * Combined on: the batch's line read (the other batches' files through the cache) and joined, each
   * request's latest outcome; off: the batch alone again. A failure says why and leaves the batch shown.
   */
  async setCombined(on: boolean): Promise<void> {
    const single = this.single;
    if (!single) return;
    if (!on) {
      this.combining?.abort();
      if (this.state.kind !== 'loaded' || this.state.index !== single.index) this.setState({ kind: 'loaded', view: single.view, index: single.index, cost: single.cost });
      return;
    }
    if (this.combinedResults) return this.setState({ kind: 'loaded', view: this.combinedResults.view, index: this.combinedResults.index });
    if (this.combining) return;
    const controller = new AbortController();
    this.combining = controller;
    try {
      const combined = await this.deps.combine(single.members[0], { signal: controller.signal, report: (message) => this.post({ type: 'progress', message }), connection: this.connection });
      if (this.disposed || this.single !== single || controller.signal.aborted || !combined) {
        combined?.release();
        if (!this.disposed && this.single === single) this.postState(); // the batch alone, as before
        return;
      }
      this.combinedResults = combined;
      this.setState({ kind: 'loaded', view: combined.view, index: combined.index });
    } finally {
      if (this.combining === controller) this.combining = undefined;
    }
  }

  private dropCombined(): void {
    this.combining?.abort();
    this.combining = undefined;
    this.combinedResults?.release();
    this.combinedResults = undefined;
  }

  /** The batch retries another or has retries among the loaded batches (or Combined is already shown). */
  private combinable(): boolean {
    const batch = this.single?.members[0].batch;
    return this.combinedResults !== undefined || (batch !== undefined && new Lineage([...this.deps.store.batches, batch]).inChain(batch));
  }

  /** The responses' tokens priced per model; without prices (the catalogue failed to load), no cost line. */
  private async costOf(engine: ResultsEngine, index: ResultsIndex): Promise<ResultsCost | undefined> {
    if (!index.summary.tokens) return undefined;
    try {
      const { price, resultsCost } = await this.deps.costs.prices(this.connection);
      return resultsCost(engine.module.tokensByModel(index), price);
    } catch (e) {
      this.deps.log.warn(`Results ${this.batchId}: no cost estimate, the prices could not be loaded: ${describeError(e)}`);
      return undefined;
    }
  }

  private setState(state: LoadState): void {
    this.state = state;
    this.postState();
  }

  private postState(): void {
    const s = this.state;
    if (s.kind === 'loading') this.post({ type: 'progress', message: s.message, fraction: s.fraction });
    else if (s.kind === 'failed') this.post({ type: 'failed', message: s.message });
    else {
      this.lastSummary = s.cost ? { ...s.view.summary, cost: s.cost } : s.view.summary;
      this.post({ type: 'summary', summary: this.lastSummary, combinable: this.combinable() });
    }
  }

  private post(message: PanelMessage): void {
    if (this.disposed) return;
    if (message.type === 'rows') this.maxRowsPosted = Math.max(this.maxRowsPosted, message.rows.length);
    void this.panel.webview.postMessage(message);
  }

  private async onMessage(m: PageMessage): Promise<void> {
    const view = this.view;
    switch (m?.type) {
      case 'ready':
        this.postState();
        return;
      case 'query': {
        if (!view || !Number.isInteger(m.seq)) return;
        this.querySeq = m.seq;
        this.query = m.query ?? {};
        this.matching = view.query(this.query);
        this.post({ type: 'queryResult', seq: m.seq, total: this.matching });
        return;
      }
      case 'rows': {
        if (!view || m.seq !== this.querySeq) return; // a window of a query the page no longer shows
        const start = Math.max(0, Math.trunc(m.start));
        const count = Math.max(0, Math.min(MAX_ROWS_PER_MESSAGE, Math.trunc(m.count), this.matching - start));
        if (!Number.isFinite(start) || !Number.isFinite(count)) return;
        this.post({ type: 'rows', seq: m.seq, start, rows: count > 0 ? view.rows(start, count) : [] });
        return;
      }
      case 'details':
        if (view && Number.isInteger(m.id)) {
          const details = await view.details(m.id);
          if (details.customId !== undefined) this.labels.set(details.id, details.customId);
          if (this.view === view) this.post({ type: 'details', details });
        }
        return;
      case 'openInEditor':
        if (view && Number.isInteger(m.id) && (m.part === 'request' || m.part === 'result')) await this.deps.openRowDocument(this, m.id, m.part);
        return;
      case 'copy':
        if (typeof m.text !== 'string') return;
        await vscode.env.clipboard.writeText(m.text);
        vscode.window.setStatusBarMessage('$(copy) Copied the custom_id', 3000);
        return;
      case 'export':
        if (view) await this.deps.exportPanel(this);
        return;
      case 'retry':
        if (view) await this.deps.retryPanel(this);
        return;
      case 'combined':
        await this.setCombined(m.on === true);
        return;
      case 'reload':
        await this.load();
        return;
      case 'openPrices':
        await openSettings('prices');
        return;
    }
  }

  private releaseLeases(): void {
    for (const lease of this.leases) lease.release();
    this.leases = [];
  }

  private dispose(): void {
    this.disposed = true;
    this.loading?.abort();
    this.dropCombined();
    this.releaseLeases();
    this.state = { kind: 'failed', message: 'closed' };
  }
}

/** `Results: nightly eval` (the batch's description when it has one), else `Results: batch_…`. */
function panelTitle(batch: Batch): string {
  const description = batch.metadata?.description?.trim();
  const name = description ? (description.length > 40 ? `${description.slice(0, 40)}…` : description) : batch.id;
  return `Results: ${name}`;
}

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    // Only the page's own bundle, styles and font; the page keeps its state, so it is rebuilt when shown.
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
    retainContextWhenHidden: false,
  };
}

function pageHtml(webview: vscode.Webview, extensionUri: vscode.Uri, batchId: string, connection: string): string {
  const nonce = randomBytes(16).toString('base64');
  const asset = (name: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', name)).toString();
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('codicon.css')}" id="vscode-codicon-stylesheet">
<link rel="stylesheet" href="${asset('results.css')}">
<title>Results</title>
</head>
<body data-batch-id="${escapeAttribute(batchId)}" data-connection="${escapeAttribute(connection)}">
<script nonce="${nonce}" src="${asset('results.js')}"></script>
</body>
</html>`;
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
