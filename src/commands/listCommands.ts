import * as vscode from 'vscode';
import { settingToCheck, type SettingName } from '../core/settings';
import { BATCHES_VIEW_ID, Command } from '../constants';
import { openSettings } from '../services/settings';
import type { BatchNode, TreeNode } from '../views/treeNodes';
import { pickBatchFrom } from './batchPicker';
import type { CommandContext } from './context';
import { showError } from './showError';

export function registerListCommands(ctx: CommandContext): vscode.Disposable[] {
  return [
    // From the view's title, every connection; from a connection's row, that one.
    vscode.commands.registerCommand(Command.refresh, async (arg?: unknown) => void (await Promise.all((arg ? [ctx.scope(arg)] : ctx.everyConnection()).map(refresh)))),
    vscode.commands.registerCommand(Command.loadMore, (arg?: unknown) => loadMore(ctx.scope(arg))),
    vscode.commands.registerCommand(Command.retry, (arg?: unknown) => {
      const at = ctx.scope(arg);
      return at.store.lastError?.kind === 'more' ? loadMore(at) : refresh(at);
    }),
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
  // Every connection's loaded batches, each under its connection's name when there are several.
  const sources = ctx.everyConnection().map((c) => ({ store: c.store, connection: c.session.connection.name }));
  const picked = await pickBatchFrom(sources, ctx.log, { title: 'OpenAI Batches' });
  if (!picked) return;
  const { batch, source } = picked;
  await vscode.commands.executeCommand(Command.showBatch, batch.id, source.connection);
  await vscode.commands.executeCommand(Command.openBatchJson, { type: 'batch', batch, connection: source.connection } satisfies BatchNode);
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
