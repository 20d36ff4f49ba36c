import * as vscode from 'vscode';
import { checkBatchInputText, looksLikeBatchInput, type InputCheck } from '../core/batchInput';
import type { InputEstimate } from '../core/inputEstimate';
import type { Logger } from '../core/logger';
import type { InputEstimator } from '../services/inputEstimator';
import type { InputDiagnostics } from './inputDiagnostics';

/** Typing pauses this long before a document is checked again. */
const DEBOUNCE_MS = 300;
/** Enough lines to find the first request. */
const HEAD_LINES = 20;

export interface LiveInput {
  readonly uri: vscode.Uri;
  readonly version: number;
  readonly check: InputCheck;
  /** For the active editor's document without problems: pending, done, or failed (then absent). */
  readonly estimate?: InputEstimate | 'pending';
}

interface State {
  version: number;
  timer?: NodeJS.Timeout;
  abort?: AbortController;
  result?: LiveInput;
}

/** A `.jsonl` file on disk whose first request looks like a batch request (not, say, a batch's output). */
export function isBatchInputDocument(doc: vscode.TextDocument): boolean {
  if (doc.uri.scheme !== 'file' || !(doc.languageId === 'jsonl' || /\.jsonl$/i.test(doc.uri.fsPath))) return false;
  return looksLikeBatchInput(doc.getText(new vscode.Range(0, 0, Math.min(doc.lineCount, HEAD_LINES), 0)));
}

/**
 * Checks batch input documents as they are edited: debounced, in slices that leave the extension host
 * free, the newest version winning (an older check in flight is abandoned). Problems go to the
 * diagnostics, which are cleared when the document closes or stops looking like batch input. The
 * active editor's document, once it has no problems, also gets a token and cost estimate (counted in
 * the token worker, abandoned when it changes).
 */
export class LiveInputChecks implements vscode.Disposable {
  private readonly states = new Map<string, State>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  private readonly disposables: vscode.Disposable[];
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly diagnostics: InputDiagnostics,
    private readonly estimator: InputEstimator,
    private readonly log: Logger,
  ) {
    this.disposables = [
      this.changed,
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d)),
      vscode.workspace.onDidChangeTextDocument((e) => e.contentChanges.length > 0 && this.schedule(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri, true)),
      vscode.window.onDidChangeActiveTextEditor(() => this.estimateActive()),
    ];
    // Documents open before activation: after it, never during it.
    const timer = setTimeout(() => vscode.workspace.textDocuments.forEach((d) => this.schedule(d)), 0);
    this.disposables.push({ dispose: () => clearTimeout(timer) });
  }

  get(uri: vscode.Uri): LiveInput | undefined {
    return this.states.get(uri.toString())?.result;
  }

  /** Estimates again (the prices setting changed). */
  refreshEstimates(): void {
    for (const state of this.states.values()) {
      if (state.result?.estimate) state.result = { ...state.result, estimate: undefined };
    }
    this.estimateActive();
  }

  dispose(): void {
    for (const key of [...this.states.keys()]) this.forget(vscode.Uri.parse(key), false);
    for (const d of this.disposables) d.dispose();
  }

  private schedule(doc: vscode.TextDocument): void {
    if (doc.uri.scheme !== 'file' || !/\.jsonl$/i.test(doc.uri.fsPath)) return;
    const key = doc.uri.toString();
    const state = this.states.get(key) ?? { version: doc.version };
    this.states.set(key, state);
    clearTimeout(state.timer);
    state.abort?.abort();
    state.version = doc.version;
    state.timer = setTimeout(() => void this.check(doc, state), DEBOUNCE_MS);
  }

  private async check(doc: vscode.TextDocument, state: State): Promise<void> {
    if (doc.isClosed) return;
    if (!isBatchInputDocument(doc)) {
      this.forget(doc.uri, true);
      return;
    }
    const abort = new AbortController();
    state.abort = abort;
    const version = doc.version;
    try {
      const check = await checkBatchInputText(doc.getText(), { signal: abort.signal });
      if (abort.signal.aborted || doc.isClosed || doc.version !== version) return;
      state.result = { uri: doc.uri, version, check };
      this.diagnostics.set(doc.uri, check);
      this.changed.fire(doc.uri);
      this.estimateActive();
    } catch (e) {
      if (!abort.signal.aborted) this.log.warn(`Could not check ${doc.uri.fsPath}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** The status bar shows the active document's estimate: count it if it is due. */
  private estimateActive(): void {
    const doc = vscode.window.activeTextEditor?.document;
    const state = doc && this.states.get(doc.uri.toString());
    const result = state?.result;
    if (!doc || !state || !result || result.estimate || result.check.problemCount > 0 || !result.check.model || doc.version !== result.version) return;
    const abort = new AbortController();
    state.abort = abort;
    const pending: LiveInput = { ...result, estimate: 'pending' };
    state.result = pending;
    this.changed.fire(doc.uri);
    this.estimator.estimate(result.check.model, { text: doc.getText() }, { signal: abort.signal }).then(
      (estimate) => {
        if (state.result !== pending) return;
        state.result = { ...result, estimate };
        this.changed.fire(doc.uri);
      },
      (e: unknown) => {
        if (abort.signal.aborted || state.result !== pending) return;
        this.log.warn(`Could not estimate the tokens of ${doc.uri.fsPath}: ${e instanceof Error ? e.message : String(e)}`);
        state.result = result;
        this.changed.fire(doc.uri);
      },
    );
  }

  private forget(uri: vscode.Uri, clearDiagnostics: boolean): void {
    const key = uri.toString();
    const state = this.states.get(key);
    if (state) {
      clearTimeout(state.timer);
      state.abort?.abort();
      this.states.delete(key);
    }
    if (clearDiagnostics) this.diagnostics.clear(uri);
    if (state?.result) this.changed.fire(uri);
  }
}
