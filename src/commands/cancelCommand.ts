import * as vscode from 'vscode';
import { isCancellableStatus, statusLabel } from '../core/status';
import type { Batch } from '../core/batch';
import { countOf, formatCount } from '../core/format';
import { Command, InternalCommand, type CancelOptions } from '../constants';
import { batchById, resolveBatch } from './batchTarget';
import type { CommandContext } from './context';
import { showError } from './showError';

const CONFIRM: vscode.MessageItem = { title: 'Cancel Batch' };
// Named, so the dialog does not offer a bare "Cancel" beside "Cancel Batch".
const KEEP: vscode.MessageItem = { title: 'Keep Running', isCloseAffordance: true };

export function registerCancelCommand(ctx: CommandContext): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Command.cancelBatch, (arg?: unknown) => {
      const at = ctx.scope(arg);
      return cancelBatch(at, () => resolveBatch(at, arg, { title: 'Cancel Batch', filter: (b) => isCancellableStatus(b.status) }), false);
    }),
    vscode.commands.registerCommand(InternalCommand.cancelBatch, (options: CancelOptions) => {
      const at = ctx.scope(options);
      return cancelBatch(at, () => batchById(at, options.batchId), true);
    }),
  ];
}

/**
 * Cancel Batch: only for batches that can still be cancelled, after a modal confirmation (which the
 * internal command skips). The batch moves to Cancelling as soon as the API says so, and is shown
 * selected there.
 */
async function cancelBatch(ctx: CommandContext, target: () => Promise<Batch | undefined>, confirmed: boolean): Promise<boolean> {
  try {
    const batch = await target();
    if (!batch) return false;
    if (!isCancellableStatus(batch.status)) {
      void vscode.window.showInformationMessage(`${batch.id} is ${statusLabel(batch.status).toLowerCase()}: only validating, in-progress or finalizing batches can be cancelled.`);
      return false;
    }
    if (!confirmed) {
      const done = batch.requestCounts ? ` ${formatCount(batch.requestCounts.completed)} of ${countOf(batch.requestCounts.total, 'request')} ${batch.requestCounts.completed === 1 ? 'is' : 'are'} done;` : '';
      const choice = await vscode.window.showWarningMessage(
        `Cancel ${batch.id}?`,
        { modal: true, detail: `The batch stops within about 10 minutes.${done} results finished by then stay available in its output file.` },
        CONFIRM,
        KEEP,
      );
      if (choice !== CONFIRM) return false;
    }
    const updated = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Cancelling ${batch.id}…` }, async () =>
      (await ctx.session.readyClient()).cancelBatch(batch.id),
    );
    ctx.store.upsert(updated);
    ctx.log.info(`Cancelled ${batch.id}: it is ${statusLabel(updated.status).toLowerCase()} now.`);
    // Where it went: selected in its new group, which opens if it was collapsed.
    await vscode.commands.executeCommand(Command.showBatch, updated.id, ctx.session.connection.name);
    return true;
  } catch (e) {
    showError('Could not cancel the batch', e, ctx.log);
    return false;
  }
}
