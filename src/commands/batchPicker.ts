import * as vscode from 'vscode';
import type { Batch } from '../core/batch';
import { batchAppearance, batchDescription, batchDetailText, batchLabel, type LabelMode } from '../core/batchSummary';
import { statusLabel } from '../core/status';
import { labelMode } from '../services/settings';
import type { CommandContext } from './context';
import { showError } from './showError';

interface BatchPick extends vscode.QuickPickItem {
  readonly batch?: Batch;
}

const LOAD_MORE: BatchPick = { label: '$(fold-down) Load More', description: 'fetch the next page of older batches', alwaysShow: true };

export interface PickOptions {
  readonly title: string;
  readonly placeholder?: string;
  /** Only batches this accepts are offered (e.g. those with an output file). */
  readonly filter?: (batch: Batch) => boolean;
}

/**
 * A picker over the loaded batches, searchable by id, status, endpoint, model and metadata. Its last
 * item loads the next page and keeps the picker open. Loads the first page when nothing is loaded.
 */
export function pickBatch(ctx: CommandContext, options: PickOptions): Promise<Batch | undefined> {
  const { store } = ctx;
  const qp = vscode.window.createQuickPick<BatchPick>();
  qp.title = options.title;
  qp.placeholder = options.placeholder ?? 'Search by id, status, endpoint, model or metadata';
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  qp.ignoreFocusOut = false;

  const mode = labelMode();
  const render = (focusId?: string) => {
    const batches = options.filter ? store.batches.filter(options.filter) : store.batches;
    const now = Date.now();
    const items: BatchPick[] = batches.map((batch) => toPick(batch, mode, now));
    if (store.hasMore) items.push(LOAD_MORE);
    qp.keepScrollPosition = true;
    qp.items = items;
    const focus = focusId ? items.find((i) => i.batch?.id === focusId) : undefined;
    if (focus) qp.activeItems = [focus];
    if (batches.length === 0) {
      qp.placeholder = store.hasMore ? 'No loaded batch fits yet — choose "Load More"' : 'No loaded batch fits';
    }
  };

  const load = async (): Promise<void> => {
    const before = new Set(store.batches.map((b) => b.id));
    qp.busy = true;
    qp.enabled = false;
    await store.loadMore();
    qp.busy = false;
    qp.enabled = true;
    const failure = store.lastError;
    if (failure) showError('Loading batches failed', failure.error, ctx.log);
    const firstNew = store.batches.find((b) => !before.has(b.id) && (!options.filter || options.filter(b)));
    render(firstNew?.id);
  };

  return new Promise<Batch | undefined>((resolve) => {
    let chosen: Batch | undefined;
    qp.onDidAccept(() => {
      const pick = qp.activeItems[0];
      if (!pick || qp.busy) return;
      if (pick === LOAD_MORE || !pick.batch) {
        void load();
        return;
      }
      chosen = pick.batch;
      qp.hide();
    });
    qp.onDidHide(() => {
      qp.dispose();
      resolve(chosen);
    });
    render();
    qp.show();
    if (!store.loaded) void load();
  });
}

/**
 * Each batch as the tree shows it: icon and label (its description or id), then status, the id when the
 * label is not it (searchable either way), model, endpoint, progress and age.
 */
function toPick(batch: Batch, mode: LabelMode, nowMs: number): BatchPick {
  const label = batchLabel(batch, mode);
  return {
    label: `$(${batchAppearance(batch).icon}) ${label}`,
    description: [statusLabel(batch.status), label === batch.id ? undefined : batch.id, batchDescription(batch, nowMs)].filter(Boolean).join(' · '),
    detail: batchDetailText(batch),
    batch,
  };
}
