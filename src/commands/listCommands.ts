import * as vscode from 'vscode';
import { settingToCheck, type SettingName } from '../core/settings';
import { BATCHES_VIEW_ID, Command } from '../constants';
import { openSettings } from '../services/settings';
import type { BatchNode, TreeNode } from '../views/treeNodes';
import { pickBatch } from './batchPicker';
import type { CommandContext } from './context';
import { showError } from './showError';

export function registerListCommands(ctx: CommandContext): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Command.refresh, () => refresh(ctx)),
    vscode.commands.registerCommand(Command.loadMore, () => loadMore(ctx)),
    vscode.commands.registerCommand(Command.retry, () => (ctx.store.lastError?.kind === 'more' ? loadMore(ctx) : refresh(ctx))),
    vscode.commands.registerCommand(Command.listBatches, () => listBatches(ctx)),
    vscode.commands.registerCommand(Command.showLog, () => ctx.log.show()),
    vscode.commands.registerCommand(Command.openSettings, (arg?: unknown) => openSettings(settingFor(arg))),
  ];
}

/** Reloads what was loaded, from the first page; the previous tree stays if it fails. */
async function refresh(ctx: CommandContext): Promise<void> {
  if (!ctx.store.hasSource) {
    await ctx.session.reload();
    return;
  }
  ctx.files.forgetFailures(); // file rows whose details failed try again as they are shown
  await withViewProgress(() => ctx.store.refresh());
  reportFailure(ctx, 'refresh', 'Refreshing batches failed', () => refresh(ctx));
}

/** One request per page: a click while a page is loading does nothing. */
async function loadMore(ctx: CommandContext): Promise<void> {
  if (ctx.store.loading) return;
  await withViewProgress(() => ctx.store.loadMore());
  reportFailure(ctx, 'more', 'Loading more batches failed', () => loadMore(ctx));
}

async function listBatches(ctx: CommandContext): Promise<void> {
  try {
    await ctx.session.readyClient();
  } catch (e) {
    showError('Cannot list batches', e, ctx.log);
    return;
  }
  const batch = await pickBatch(ctx, { title: 'OpenAI Batches' });
  if (!batch) return;
  await vscode.commands.executeCommand(Command.showBatch, batch.id);
  await vscode.commands.executeCommand(Command.openBatchJson, { type: 'batch', batch } satisfies BatchNode);
}

/**
 * A failed load is said in one place: the view's error (or Load More) row when the view is showing,
 * else a notification.
 */
function reportFailure(ctx: CommandContext, kind: 'refresh' | 'more', what: string, retry: () => unknown): void {
  const failure = ctx.store.lastError;
  if (!failure || (failure.kind !== kind && failure.kind !== 'first')) return;
  if (ctx.view.visible) return;
  showError(what, failure.error, ctx.log, retry);
}

/** Open Settings: from an error row, the setting that may fix it; from the palette or the view title, all of them. */
function settingFor(arg: unknown): SettingName | undefined {
  const node = arg as Partial<TreeNode> | undefined;
  return node && typeof node === 'object' && node.type === 'error' ? settingToCheck(node.error) : undefined;
}

function withViewProgress<T>(task: () => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: { viewId: BATCHES_VIEW_ID } }, task);
}
