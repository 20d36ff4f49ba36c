// Retry Failed Requests… and Export Combined Results…, bundled apart (dist/flows.js, with Create's) and loaded when one of
// them is first used: the flows, their prompts and the Create pipeline they reuse stay out of the bundle
// loaded at activation. commands/flowCommands.ts registers the commands and loads this (through flows/entry.ts).
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { describeError, isApiError } from '../core/apiError';
import { FILE_KIND, type Batch } from '../core/batch';
import { checkBatchInputFile } from '../core/batchInput';
import { shortEndpoint } from '../core/batchSummary';
import { countOf, formatBytes, formatCount, formatUsd } from '../core/format';
import type { InputEstimate } from '../core/inputEstimate';
import { combinedSummaryText, OUTCOME_LABEL, type CombinedSummary } from '../core/results/protocol';
import type { ResultsIndex } from '../core/results/resultsIndex';
import type { ChainMember } from '../core/retry/combinedResults';
import { Lineage } from '../core/retry/lineage';
import { mayHaveSomethingToRetry, RETRY_OUTCOMES, type RetryInclude, type RetryOutcome } from '../core/retry/retryable';
import { RetryLinks, type LinkStorage } from '../core/retry/retryLinks';
import { retryMetadata } from '../core/retry/retryMetadata';
import type { RetryCounts } from '../core/retry/retrySelection';
import { isActiveStatus, statusLabel } from '../core/status';
import { totalInputTokens } from '../core/tokenEstimate';
import { abortSignalFor } from '../documents/cancellation';
import { freshBatch, loadChain, loadResults, type LoadedResults, type ResultsLoadDeps } from '../services/batchResults';
import type { ResultsEngine } from '../services/resultsEngine';
import { Command, type ExportCombinedOptions, type RetryOptions, type RetryResult } from '../constants';
import { batchById, resolveBatch } from '../commands/batchTarget';
import type { CommandContext } from '../commands/context';
import { createBatches } from '../commands/createCommand';
import { BACK, pickManyStep, pickStep, type ManyItem, type PickItem } from '../commands/quickSteps';
import type { RetryDeps } from '../commands/flowCommands';
import { showError } from '../commands/showError';
import type { CombinedView, ResultsPanel } from '../views/resultsPanel';

let links: RetryLinks | undefined;

/** The one keeper of the retry links (files being hashed are waited for by every lookup). */
export function retryLinks(storage: LinkStorage, changed: () => void): RetryLinks {
  if (!links) {
    links = new RetryLinks(storage);
    links.onDidChange(changed);
  }
  return links;
}

const loadDeps = (ctx: CommandContext, deps: RetryDeps): ResultsLoadDeps => ({ session: ctx.session, store: ctx.store, engine: deps.engine, log: ctx.log });

// ---------------------------------------------------------------------------------------------------------
// Retry Failed Requests…

export async function retryFromMenu(ctx: CommandContext, deps: RetryDeps, arg: unknown): Promise<RetryResult | undefined> {
  let loaded: LoadedResults | undefined;
  try {
    const picked = await resolveBatch(ctx, arg, { title: 'Retry Failed Requests…', filter: mayHaveSomethingToRetry, placeholder: 'Finished batches with requests that did not succeed' });
    if (!picked) return undefined;
    loaded = await readForRetry(ctx, deps, picked);
    return await retry(ctx, deps, { parent: loaded.batch, index: loaded.index }, 'ask');
  } catch (e) {
    showError('Could not retry the batch', e, ctx.log);
    return undefined;
  } finally {
    loaded?.release();
  }
}

export async function retryWithOptions(ctx: CommandContext, deps: RetryDeps, raw: unknown): Promise<RetryResult | undefined> {
  let loaded: LoadedResults | undefined;
  try {
    const options = parseRetryOptions(raw);
    loaded = await readForRetry(ctx, deps, await batchById(ctx, options.batchId));
    const engine = await deps.engine();
    const unknown = options.include ? engine.module.unknownRetryNames(loaded.index, options.include) : [];
    if (unknown.length > 0) throw new Error(`"include" names what ${loaded.batch.id} has no requests for: ${unknown.join(', ')}.`);
    return await retry(ctx, deps, { parent: loaded.batch, index: loaded.index }, { include: options.include ?? 'all', reviewAt: options.reviewAt });
  } catch (e) {
    showError('Could not retry the batch', e, ctx.log);
    return undefined;
  } finally {
    loaded?.release();
  }
}

function parseRetryOptions(raw: unknown): RetryOptions {
  const o = (typeof raw === 'object' && raw !== null ? raw : {}) as Partial<Record<keyof RetryOptions, unknown>>;
  if (typeof o.batchId !== 'string' || o.batchId.trim() === '') throw new Error('Give "batchId": the batch whose requests to retry.');
  if (o.include !== undefined && !(Array.isArray(o.include) && o.include.length > 0 && o.include.every((i) => typeof i === 'string'))) throw new Error('"include" is a list of outcomes and error groups.');
  if (o.reviewAt !== undefined && !(o.reviewAt instanceof vscode.Uri)) throw new Error('"reviewAt" is the URI to write the file to.');
  return o as RetryOptions;
}

/**
 * The batch as it is now, and its results read (the files through the cache, with cancellable progress).
 * Refuses what cannot be retried safely: a batch still running, an input file that is gone (nothing to
 * resubmit), or an output or error file that cannot be read (what succeeded would not be known, and
 * succeeded requests would be paid for again).
 */
async function readForRetry(ctx: CommandContext, deps: RetryDeps, picked: Batch): Promise<LoadedResults> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Reading the results of ${picked.id}`, cancellable: true }, async (progress, token) => {
    const signal = abortSignalFor(token);
    await ctx.session.readyClient();
    const batch = await freshBatch(loadDeps(ctx, deps), picked, signal);
    if (isActiveStatus(batch.status)) throw new Error(`${batch.id} is ${statusLabel(batch.status).toLowerCase()}: retry what did not succeed once it has finished.`);
    if (!batch.inputFileId) throw new Error(`${batch.id} has no input file: there are no requests to resubmit.`);
    const loaded = await loadResults(loadDeps(ctx, deps), batch, { signal, report: (message) => progress.report({ message }) });
    const problem = unreadableFile(loaded.index);
    if (problem) {
      loaded.release();
      throw new Error(`${problem} Nothing was created.`);
    }
    return loaded;
  });
}

/** Why the index cannot tell what to retry, or undefined when it can. */
function unreadableFile(index: ResultsIndex): string | undefined {
  const { files, batchId } = index.summary;
  const input = files.find((f) => f.kind === 'input');
  if (input?.state === 'failed') return `The input file of ${batchId}${input.fileId ? ` (${input.fileId})` : ''} is no longer available (${input.message ?? 'it could not be read'}): there are no lines to resubmit.`;
  const result = files.find((f) => f.kind !== 'input' && f.state === 'failed');
  if (result) {
    const label = FILE_KIND[result.kind].label.toLowerCase();
    return `The ${label} of ${batchId}${result.fileId ? ` (${result.fileId})` : ''} could not be read (${result.message ?? 'unknown error'}), so which requests succeeded is not known.`;
  }
  return undefined;
}

/**
 * The Results view's Combined: the batch (`own`, already read) and the rest of its line read and joined,
 * with cancellable progress; undefined, having said why, when it stands alone or could not be read.
 */
export async function combineForPanel(
  ctx: CommandContext,
  deps: RetryDeps,
  own: ChainMember,
  options: { signal: AbortSignal; report: (message: string) => void; connection: string },
): Promise<CombinedView | undefined> {
  const { batch } = own;
  let line: { members: ChainMember[]; release(): void } | undefined;
  try {
    requireSetUp(ctx, options.connection, 'its retries cannot be read');
    const title = `Loading the results of ${batch.id} with its retries`;
    line = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
      const signal = AbortSignal.any([options.signal, abortSignalFor(token)]);
      const report = (message: string) => {
        progress.report({ message });
        options.report(message);
      };
      return loadChain(loadDeps(ctx, deps), batch, { signal, report, known: own });
    });
    if (!line) {
      void vscode.window.showInformationMessage(`No retry of ${batch.id} is loaded, and it retries none: there is nothing to combine. Refresh the view to load retries made elsewhere.`);
      return undefined;
    }
    const { module: engine } = await deps.engine();
    const index = engine.combineResults(line.members);
    return { view: new engine.ResultsView(index), index, members: line.members, release: line.release };
  } catch (e) {
    line?.release();
    if (!options.signal.aborted && !(isApiError(e) && e.isAborted)) showError(`The combined results of ${batch.id} could not be loaded`, e, ctx.log);
    return undefined;
  }
}

/**
 * A panel acts through its own connection's context (each shown connection has one); only a connection
 * that is no longer set up has none, and then its retries can be neither read nor created.
 */
function requireSetUp(ctx: CommandContext, connection: string, what: string): void {
  if (connection !== ctx.session.connection.name) throw new Error(`This batch is of the connection "${connection}", which is no longer set up: ${what}.`);
}

/**
 * The Results view's Retry button: what it shows (the batch, or the batch with its retries: then the
 * newest of them is the one retried), and only the current filter's requests when one is set.
 */
export async function retryFromPanel(ctx: CommandContext, deps: RetryDeps, panel: ResultsPanel): Promise<RetryResult | undefined> {
  try {
    requireSetUp(ctx, panel.connection, 'no retry can be created');
    const { index, view, members } = panel;
    if (!index || !view || members.length === 0) {
      void vscode.window.showInformationMessage(`The results of ${panel.batchId} are not loaded yet.`);
      return undefined;
    }
    const running = members.find((m) => isActiveStatus(m.batch.status));
    if (running) throw new Error(`${running.batch.id} is ${statusLabel(running.batch.status).toLowerCase()}: retry what did not succeed once it has finished.`);
    const problem = members.map((m) => unreadableFile(m.index)).find((p) => p !== undefined);
    if (problem) throw new Error(`${problem} Nothing was created.`);
    const q = panel.query;
    const filtered = (q.outcomes?.length ?? 0) > 0 || !!q.errorKey || !!q.search;
    const parent = members[members.length - 1].batch;
    return await retry(ctx, deps, { parent, index, ...(filtered ? { within: view.matchingIds(), scope: 'the current filter' } : {}) }, 'ask');
  } catch (e) {
    showError('Could not retry the batch', e, ctx.log);
    return undefined;
  }
}

export interface RetrySource {
  /** The batch the new one retries (for combined results, the newest batch of the line). */
  readonly parent: Batch;
  readonly index: ResultsIndex;
  /** Only these rows (a filter of the Results view). */
  readonly within?: Uint32Array;
  /** What `within` is, for the prompts ("the current filter"). */
  readonly scope?: string;
}

type Plan = { readonly include: RetryInclude; readonly reviewAt?: vscode.Uri };

/**
 * Retry: what to include (asked, unless a plan or a filter says), then Create Batch (upload and create,
 * linked to the parent) or Review First (the file saved and opened, remembered as the parent's retry).
 */
export async function retry(ctx: CommandContext, deps: RetryDeps, source: RetrySource, how: 'ask' | Plan): Promise<RetryResult | undefined> {
  const { module: engine } = await deps.engine();
  const { parent, index, within } = source;
  const counts = engine.retryCounts(index, within);
  if (counts.total === 0) {
    void vscode.window.showInformationMessage(nothingToRetry(parent, counts, source.scope));
    return undefined;
  }
  const temp = await fs.mkdtemp(path.join(os.tmpdir(), 'openai-batches-retry-'));
  const file = vscode.Uri.file(path.join(temp, `${safeName(parent.id)}_retry.jsonl`));
  // The lines chosen, written where Create Batch uploads them from (and the estimate reads them).
  const prepare = async (include: RetryInclude) => {
    const rows = engine.selectRetryRows(index, include, within);
    await engine.writeRetryFile(index, rows, file.fsPath);
    return rows;
  };
  try {
    let rows: Uint32Array | undefined;
    let action: 'create' | 'review' | undefined;
    if (how === 'ask') {
      // From a filter, the filter is the choice: straight to Create or Review.
      const askInclude = !within;
      let include: RetryInclude | undefined;
      for (let step = askInclude ? 1 : 2; action === undefined; ) {
        if (step === 1) {
          const chosen = await askWhatToRetry(deps, parent, counts, include);
          if (chosen === undefined || chosen === BACK) return undefined;
          include = chosen;
          step = 2;
          continue;
        }
        rows = await prepare(include ?? 'all');
        const answer = await askCreateOrReview(deps, parent, file, rows.length, askInclude, source.scope);
        if (answer === undefined) return undefined;
        if (answer === BACK) step = 1;
        else action = answer;
      }
    } else {
      rows = await prepare(how.include);
      action = how.reviewAt ? 'review' : 'create';
    }
    if (!rows || rows.length === 0) {
      void vscode.window.showInformationMessage(`Nothing to retry: none of the requests of ${parent.id} that did not succeed is of the kind chosen.`);
      return undefined;
    }
    if (action === 'review') {
      const to = how === 'ask' ? await askReviewDestination(parent) : how.reviewAt;
      return to ? await review(ctx, deps, engine, source, rows, to) : undefined;
    }
    const created = await createBatches(ctx, deps, [file], {}, parent);
    return created.length > 0 ? { requests: rows.length, batch: created[0] } : undefined;
  } finally {
    deps.diagnostics.clear(file);
    await fs.rm(temp, { recursive: true, force: true }).catch((e: unknown) => ctx.log.warn(`Could not remove ${temp}: ${describeError(e)}`));
  }
}

function nothingToRetry(parent: Batch, counts: RetryCounts, scope: string | undefined): string {
  const notRequests = counts.unreadable > 0 ? ` (${countOf(counts.unreadable, 'line')} of its input ${counts.unreadable === 1 ? 'is' : 'are'} not a request)` : '';
  if (scope) return `Nothing to retry in ${scope}: every request there succeeded${notRequests}.`;
  return `Nothing to retry: every request of ${parent.id} succeeded${notRequests}.`;
}

const OUTCOME_ICON: Readonly<Record<RetryOutcome, string>> = { failed: 'error', expired: 'watch', cancelled: 'circle-slash', missing: 'question' };
const OUTCOME_DETAIL: Readonly<Record<RetryOutcome, string>> = {
  failed: 'an error response (4xx, 5xx) or a request error',
  expired: 'not run before the 24-hour window closed (batch_expired)',
  cancelled: 'not run because the batch was cancelled (batch_cancelled)',
  missing: 'in neither the output nor the error file',
};

/** The outcomes (and the failures' error codes or statuses) with their counts; everything checked at first. */
async function askWhatToRetry(deps: RetryDeps, parent: Batch, counts: RetryCounts, previous: RetryInclude | undefined) {
  const checked = (value: string) => previous === undefined || previous === 'all' || previous.includes(value);
  const items: ManyItem<string>[] = [];
  for (const outcome of RETRY_OUTCOMES) {
    const n = counts.outcomes[outcome];
    if (n === 0) continue;
    items.push({ label: `$(${OUTCOME_ICON[outcome]}) ${OUTCOME_LABEL[outcome]}`, description: countOf(n, 'request'), detail: OUTCOME_DETAIL[outcome], value: outcome, picked: checked(outcome) });
    if (outcome !== 'failed' || counts.failedGroups.length < 2) continue;
    for (const group of counts.failedGroups) {
      const name = group.code ?? (group.status !== undefined ? `HTTP ${group.status}` : 'no code or status');
      const status = group.code !== undefined && group.status !== undefined ? ` · HTTP ${group.status}` : '';
      items.push({ label: `$(blank) ${name}`, description: `${formatCount(group.count)}${status}`, value: group.key, parent: 'failed', picked: checked('failed') || checked(group.key) });
    }
  }
  const succeeded = counts.succeeded > 0 ? `${formatCount(counts.succeeded)} succeeded; ` : '';
  const chosen = await pickManyStep(deps.prompts, {
    id: 'retryOutcomes',
    title: `Retry Failed Requests of ${parent.id}`,
    step: 1,
    totalSteps: 2,
    placeholder: `${succeeded}choose what to resubmit (everything that did not succeed is checked)`,
    emptyPlaceholder: 'Check at least one kind of request to resubmit',
    items,
  });
  if (chosen === undefined || chosen === BACK) return chosen;
  // A whole outcome covers its groups; a group counts only when its outcome is not wholly chosen.
  return chosen.filter((value) => (RETRY_OUTCOMES as readonly string[]).includes(value) || !chosen.includes('failed'));
}

/** Create Batch now, or Review First; the Create item carries the estimate once it is known. */
async function askCreateOrReview(deps: RetryDeps, parent: Batch, file: vscode.Uri, requests: number, canGoBack: boolean, scope: string | undefined) {
  const abort = new AbortController();
  let fraction = 0;
  const description = retryMetadata(parent, requests).description;
  const items = (async (): Promise<PickItem<'create' | 'review' | 'cancel'>[]> => {
    const check = await checkBatchInputFile(file.fsPath, { signal: abort.signal });
    const estimate: InputEstimate | Error | undefined = check.model
      ? await deps.estimator.estimate(check.model, { path: file.fsPath }, { signal: abort.signal, onProgress: (f) => (fraction = f) }).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))))
      : undefined;
    const cost = estimate && !(estimate instanceof Error) && estimate.cost ? `est. ${formatUsd(estimate.cost.usd)} for the input` : 'tokens only: no price known';
    const tokens = estimate && !(estimate instanceof Error) ? ` · ~${formatCount(totalInputTokens(estimate.tokens))} input tokens` : '';
    const what = `${countOf(requests, 'request')} to ${shortEndpoint(parent.endpoint ?? check.endpoint) ?? 'the same endpoint'}${check.model ? ` (${check.model})` : ''}${tokens}`;
    return [
      {
        label: '$(check) Create Batch',
        description: cost,
        detail: `${what}, described "${description}". Runs within ${parent.completionWindow ?? '24h'} at batch prices; requests not done by then expire, unbilled.`,
        value: 'create',
      },
      {
        label: '$(eye) Review First…',
        description: 'save the file and open it',
        detail: `Save the ${countOf(requests, 'line')} where you choose (by default in the workspace folder); Create Batch from that file later keeps the link to ${parent.id}.`,
        value: 'review',
      },
      ...(check.problemCount > 0 ? [{ label: `$(warning) ${countOf(check.problemCount, 'problem')} in these lines`, description: `line ${check.problems[0].line}: ${check.problems[0].message}` }] : []),
      { label: '$(close) Cancel', value: 'cancel' },
    ];
  })();
  try {
    const answer = await pickStep(deps.prompts, {
      id: 'retryAction',
      title: `Retry ${countOf(requests, 'request')} of ${parent.id}${scope ? ` (${scope})` : ''}`,
      step: canGoBack ? 2 : undefined,
      totalSteps: canGoBack ? 2 : undefined,
      placeholder: 'Create the retry now, or look at the lines first',
      busyPlaceholder: () => `Estimating the input tokens… ${Math.round(fraction * 100)}%`,
      items,
    });
    return answer === 'cancel' ? undefined : answer;
  } finally {
    abort.abort();
  }
}

function askReviewDestination(parent: Batch): Thenable<vscode.Uri | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
  return vscode.window.showSaveDialog({
    title: `Save the requests to retry of ${parent.id}`,
    defaultUri: vscode.Uri.joinPath(folder, `${safeName(parent.id)}_retry.jsonl`),
    filters: { 'JSON Lines': ['jsonl'] },
    saveLabel: 'Save',
  });
}

/** Review First: the lines written where chosen, remembered as a retry of the parent, and opened. */
async function review(ctx: CommandContext, deps: RetryDeps, engine: ResultsEngine['module'], source: RetrySource, rows: Uint32Array, to: vscode.Uri): Promise<RetryResult> {
  if (to.scheme !== 'file') throw new Error(`The file is written to a local folder; ${to.toString()} is not one.`);
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === to.toString());
  if (open?.isDirty) throw new Error(`${path.basename(to.fsPath)} has unsaved changes: save or revert them, or choose another name.`);
  const written = await engine.writeRetryFile(source.index, rows, to.fsPath);
  await deps.links.load().remember(to.fsPath, source.parent.id);
  ctx.log.info(`Wrote ${countOf(written.lines, 'request')} of ${source.parent.id} to retry to ${to.fsPath} (${formatBytes(written.bytes)}).`);
  await vscode.window.showTextDocument(to, { preview: false });
  const name = path.basename(to.fsPath);
  void vscode.window
    .showInformationMessage(`Saved ${name}: ${countOf(written.lines, 'request')} of ${source.parent.id} to retry. Creating a batch from it (Create Batch from This File, above its first line) links the batch to ${source.parent.id}.`, 'Create Batch')
    .then((choice) => {
      if (choice) void vscode.commands.executeCommand(Command.createBatch, to);
    });
  return { requests: written.lines, file: to };
}

function safeName(id: string): string {
  return id.replace(/[\\/:*?"<>|\s]+/g, '_');
}

// ---------------------------------------------------------------------------------------------------------
// Export Combined Results…

export async function exportCombinedFromMenu(ctx: CommandContext, deps: RetryDeps, arg: unknown): Promise<vscode.Uri | undefined> {
  try {
    const lineage = new Lineage(ctx.store.batches);
    const batch = await resolveBatch(ctx, arg, { title: 'Export Combined Results…', filter: (b) => lineage.inChain(b), placeholder: 'Batches with retries, and retries' });
    if (!batch) return undefined;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
    return await exportCombined(ctx, deps, batch, (root) =>
      vscode.window.showSaveDialog({
        title: `Export the combined results of ${root.id} and its retries`,
        defaultUri: vscode.Uri.joinPath(folder, `${safeName(root.id)}_combined.jsonl`),
        filters: { 'JSON Lines': ['jsonl'] },
        saveLabel: 'Export',
      }),
    );
  } catch (e) {
    showError('Could not export the combined results', e, ctx.log);
    return undefined;
  }
}

export async function exportCombinedWithOptions(ctx: CommandContext, deps: RetryDeps, raw: unknown): Promise<{ rows: number; combined: CombinedSummary } | undefined> {
  try {
    const o = (typeof raw === 'object' && raw !== null ? raw : {}) as Partial<Record<keyof ExportCombinedOptions, unknown>>;
    if (typeof o.batchId !== 'string' || !(o.destination instanceof vscode.Uri)) throw new Error('Give "batchId" and "destination".');
    const destination = o.destination;
    let result: { rows: number; combined: CombinedSummary } | undefined;
    await exportCombined(ctx, deps, await batchById(ctx, o.batchId), async () => destination, (r) => (result = r));
    return result;
  } catch (e) {
    showError('Could not export the combined results', e, ctx.log);
    return undefined;
  }
}

/**
 * Export Combined Results…: the batch's line (its first batch and every retry) read and joined, then one
 * JSON Lines file in the original input order with each request's final response or last error.
 */
async function exportCombined(
  ctx: CommandContext,
  deps: RetryDeps,
  picked: Batch,
  destination: (root: Batch) => Thenable<vscode.Uri | undefined>,
  done?: (result: { rows: number; combined: CombinedSummary }) => void,
): Promise<vscode.Uri | undefined> {
  let line: { members: ChainMember[]; release(): void } | undefined;
  try {
    const title = `Reading the results of ${picked.id} and its retries`;
    line = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
      const signal = abortSignalFor(token);
      await ctx.session.readyClient();
      const fresh = await freshBatch(loadDeps(ctx, deps), picked, signal);
      return loadChain(loadDeps(ctx, deps), fresh, { signal, report: (message) => progress.report({ message }) });
    });
    if (!line) {
      void vscode.window.showInformationMessage(`${picked.id} has no retries among the loaded batches, and retries none: there is nothing to combine. Export Results… exports it alone.`);
      return undefined;
    }
    const { members } = line;
    const { module: engine } = await deps.engine();
    const combined = engine.combineResults(members);
    const root = members[0].batch;
    const to = await destination(root);
    if (!to) return undefined;
    if (to.scheme !== 'file') throw new Error(`Exports go to a local folder; ${to.toString()} is not one.`);
    const ids = Uint32Array.from({ length: combined.inputRows }, (_, i) => i);
    const name = path.basename(to.fsPath);
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Exporting ${name}`, cancellable: true }, (progress, token) =>
      engine.exportResults(combined, ids, 'jsonl', to.fsPath, { signal: abortSignalFor(token), onProgress: (n, all) => progress.report({ message: `${formatCount(n)} of ${countOf(all, 'request')}` }) }),
    );
    const summary = combined.summary.combined!;
    const unread = members.flatMap((m) => m.index.summary.files.filter((f) => f.state === 'failed').map((f) => `the ${FILE_KIND[f.kind].label.toLowerCase()} of ${m.batch.id}`));
    const caveat = unread.length > 0 ? ` ${unread.join(' and ')} could not be read: what ${unread.length === 1 ? 'it' : 'they'} held is missing.` : '';
    ctx.log.info(`Exported the combined results of ${summary.batchIds.join(', ')} (${countOf(result.rows, 'request')}, ${countOf(result.bytes, 'byte')}) to ${to.fsPath}.${caveat}`);
    done?.({ rows: result.rows, combined: summary });
    void vscode.window.showInformationMessage(`Exported ${countOf(result.rows, 'request')} of ${root.id} and ${countOf(summary.batchIds.length - 1, 'retry', 'retries')} to ${name}: ${combinedSummaryText(summary)}.${caveat}`, 'Open').then((choice) => {
      if (choice) void vscode.commands.executeCommand('vscode.open', to);
    });
    return to;
  } catch (e) {
    if (isApiError(e) && e.isAborted) return undefined;
    throw e;
  } finally {
    line?.release();
  }
}
