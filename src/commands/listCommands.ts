import * as vscode from 'vscode';
import { BATCHES_VIEW_ID, Command } from '../constants';
import type { BatchNode } from '../views/treeNodes';
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
  ];
}

/** Reloads what was loaded, from the first page; the previous tree stays if it fails. */
async function refresh(ctx: CommandContext): Promise<void> {
  if (!ctx.store.hasSource) {
    await ctx.session.reload();
    return;
  }
  await withViewProgress(() => ctx.store.refresh());
  reportFailure(ctx, 'refresh', 'Refreshing batches failed');
}

/** One request per page: a click while a page is loading does nothing. */
async function loadMore(ctx: CommandContext): Promise<void> {
  if (ctx.store.loading) return;
  await withViewProgress(() => ctx.store.loadMore());
  reportFailure(ctx, 'more', 'Loading more batches failed');
}

async function listBatches(ctx: CommandContext): Promise<void> {
  try {
    await ctx.session.readyClient();
  } catch (e) {
    showError('Cannot list batches', e, ctx.log);
    return;
  }
  const batch = await pickBatch(ctx, { title: 'OpenAI Batches' });
  if (batch) await vscode.commands.executeCommand(Command.openBatchJson, { type: 'batch', batch } satisfies BatchNode);
}

function reportFailure(ctx: CommandContext, kind: 'refresh' | 'more', what: string): void {
  const failure = ctx.store.lastError;
  if (failure && (failure.kind === kind || failure.kind === 'first')) showError(what, failure.error, ctx.log);
}

function withViewProgress<T>(task: () => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: { viewId: BATCHES_VIEW_ID } }, task);
}
