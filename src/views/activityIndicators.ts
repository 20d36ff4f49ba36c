import * as vscode from 'vscode';
import { FILE_KIND } from '../core/batch';
import type { BatchStore } from '../core/batchStore';
import { countOf, formatCount } from '../core/format';
import { isActiveStatus, statusLabel } from '../core/status';
import { BATCHES_VIEW_ID, Command } from '../constants';
import type { BatchNode } from './treeNodes';

/**
 * What tells the user about batches while they look elsewhere: a status-bar count of the active ones,
 * and a notification when one of them finishes, with the next step one click away.
 */
export class ActivityIndicators implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('openaiBatches.active', vscode.StatusBarAlignment.Left, 10);
  private readonly subscription: { dispose(): void };

  constructor(private readonly store: BatchStore) {
    this.item.name = 'OpenAI Batches: active batches';
    this.item.command = `${BATCHES_VIEW_ID}.focus`;
    this.subscription = store.onDidChange((change) => {
      if (change?.kind === 'updated' && isActiveStatus(change.previous.status) && !isActiveStatus(change.current.status)) this.announce(change.current.id);
      this.update();
    });
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }

  private update(): void {
    const active = this.store.batches.filter((b) => isActiveStatus(b.status)).length;
    if (active === 0) {
      this.item.hide();
      return;
    }
    this.item.text = `$(sync~spin) ${active} active batch${active === 1 ? '' : 'es'}`;
    this.item.tooltip = `${active} of the loaded OpenAI batches are still running. Click to show them.`;
    this.item.show();
  }

  private announce(id: string): void {
    const batch = this.store.get(id);
    if (!batch) return;
    const counts = batch.requestCounts ? ` ${formatCount(batch.requestCounts.completed)} of ${countOf(batch.requestCounts.total, 'request')} succeeded, ${formatCount(batch.requestCounts.failed)} failed.` : '';
    const openOutput = `Open ${FILE_KIND.output.label}`;
    const openError = `Open ${FILE_KIND.error.label}`;
    const actions = [batch.outputFileId ? openOutput : undefined, batch.errorFileId ? openError : undefined, 'Show Batch'].filter((a): a is string => !!a);
    const text = `Batch ${batch.id} is ${statusLabel(batch.status).toLowerCase()}.${counts}`;
    const show = batch.status === 'completed' ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
    void show(text, ...actions).then((choice) => {
      const command =
        choice === openOutput ? Command.openOutputFile : choice === openError ? Command.openErrorFile : choice === 'Show Batch' ? Command.showBatch : undefined;
      if (command) void vscode.commands.executeCommand(command, command === Command.showBatch ? batch.id : ({ type: 'batch', batch } satisfies BatchNode));
    });
  }
}
