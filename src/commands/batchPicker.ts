import * as vscode from 'vscode';
import type { Batch } from '../core/batch';
import type { BatchStore } from '../core/batchStore';
import { batchAppearance, batchDescription, batchDetailText, batchLabel, type LabelMode } from '../core/batchSummary';
import { statusLabel } from '../core/status';
import { labelMode } from '../services/settings';
import type { CommandContext } from './context';
import { showError } from './showError';

interface BatchPick extends vscode.QuickPickItem {
  readonly batch?: Batch;
  readonly source?: PickSource;
}

const LOAD_MORE: BatchPick = { label: '$(fold-down) Load More', description: 'fetch the next page of older batches', alwaysShow: true };

export interface PickOptions {
  readonly title: string;
  readonly placeholder?: string;
  /** Only batches this accepts are offered (e.g. those with an output file). */
  readonly filter?: (batch: Batch) => boolean;
}

/** Where a picker's batches come from: a connection's loaded batches, named when several are offered. */
export interface PickSource {
  readonly store: BatchStore;
  readonly connection?: string;
}

/**
 * A picker over the loaded batches, searchable by id, status, endpoint, model and metadata. Its last
 * item loads the next page and keeps the picker open. Loads the first page when nothing is loaded.
 */
export async function pickBatch(ctx: CommandContext, options: PickOptions): Promise<Batch | undefined> {
  return (await pickBatchFrom([{ store: ctx.store }], ctx.log, options))?.batch;
}

/**
 * The same picker over several connections' loaded batches, each connection under its name; Load More
 * fetches the next page of each that has one. Resolves with the batch and where it came from.
 */
export function pickBatchFrom(sources: readonly PickSource[], log: vscode.LogOutputChannel, options: PickOptions): Promise<{ readonly batch: Batch; readonly source: PickSource } | undefined> {
  const qp = vscode.window.createQuickPick<BatchPick>();
  qp.title = options.title;
  qp.placeholder = options.placeholder ?? 'Search by id, status, endpoint, model or metadata';
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  qp.ignoreFocusOut = false;
  const named = sources.length > 1;
  const batchesOf = (source: PickSource) => (options.filter ? source.store.batches.filter(options.filter) : source.store.batches);
  const hasMore = () => sources.some((s) => s.store.hasMore);

  const mode = labelMode();
  const render = (focusId?: string) => {
    const now = Date.now();
    const items: BatchPick[] = sources.flatMap((source) => {
      // Its connection's name on each item too: separators are hidden while the list is filtered.
      const batches = batchesOf(source).map((batch) => toPick(batch, mode, now, source, named ? source.connection : undefined));
      return named && batches.length > 0 ? [{ label: source.connection ?? '', kind: vscode.QuickPickItemKind.Separator }, ...batches] : batches;
    });
    if (hasMore()) items.push(LOAD_MORE);
    qp.keepScrollPosition = true;
    qp.items = items;
    const focus = focusId ? items.find((i) => i.batch?.id === focusId) : undefined;
    if (focus) qp.activeItems = [focus];
    if (!items.some((i) => i.batch)) {
      qp.placeholder = hasMore() ? 'No loaded batch fits yet — choose "Load More"' : 'No loaded batch fits';
    }
  };

  const load = async (): Promise<void> => {
    const before = new Set(sources.flatMap((s) => s.store.batches.map((b) => b.id)));
    qp.busy = true;
    qp.enabled = false;
    const loading = sources.filter((s) => !s.store.loaded || s.store.hasMore);
    await Promise.all(loading.map((s) => s.store.loadMore()));
    qp.busy = false;
    qp.enabled = true;
    for (const s of loading) {
      const failure = s.store.lastError;
      if (failure) showError(s.connection && named ? `Loading batches of "${s.connection}" failed` : 'Loading batches failed', failure.error, log);
    }
    const firstNew = sources.flatMap(batchesOf).find((b) => !before.has(b.id));
    render(firstNew?.id);
  };

  return new Promise((resolve) => {
    let chosen: { readonly batch: Batch; readonly source: PickSource } | undefined;
    qp.onDidAccept(() => {
      const pick = qp.activeItems[0];
      if (!pick || qp.busy) return;
      if (pick === LOAD_MORE || !pick.batch || !pick.source) {
        void load();
        return;
      }
      chosen = { batch: pick.batch, source: pick.source };
      qp.hide();
    });
    qp.onDidHide(() => {
      qp.dispose();
      resolve(chosen);
    });
    render();
    qp.show();
    if (sources.some((s) => !s.store.loaded)) void load();
  });
}

/**
 * Each batch as the tree shows it: icon and label (its description or id), then status, the id when the
 * label is not it (searchable either way), model, endpoint, progress and age.
 */
function toPick(batch: Batch, mode: LabelMode, nowMs: number, source: PickSource, connection?: string): BatchPick {
  const label = batchLabel(batch, mode);
  return {
    label: `$(${batchAppearance(batch).icon}) ${label}`,
    description: [connection, statusLabel(batch.status), label === batch.id ? undefined : batch.id, batchDescription(batch, nowMs)].filter(Boolean).join(' · '),
    detail: batchDetailText(batch),
    batch,
    source,
  };
}
