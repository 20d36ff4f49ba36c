import * as vscode from 'vscode';
import { FILE_KIND } from '../core/batch';
import type { ActiveBatchPoller } from '../core/activeBatchPoller';
import { RecentActivity } from '../core/activity';
import type { BatchStore } from '../core/batchStore';
import { nothingSucceeded, resultCountsText } from '../core/batchSummary';
import { isActiveStatus, statusLabel } from '../core/status';
import { BATCHES_VIEW_ID, Command } from '../constants';
import type { BatchNode } from './treeNodes';

/**
 * What tells the user about batches while they look elsewhere: a status-bar count of the active ones
 * (its icon moving only while a request is in flight or just after one of them changed), and a
 * notification when one of them finishes, with the next step one click away.
 */
export class ActivityIndicators implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('openaiBatches.active', vscode.StatusBarAlignment.Left, 10);
  private readonly subscriptions: { dispose(): void }[];
  private readonly recent = new RecentActivity();
  private stillTimer?: NodeJS.Timeout;

  constructor(
    private readonly store: BatchStore,
    private readonly poller: ActiveBatchPoller,
  ) {
    this.item.name = 'OpenAI Batches: active batches';
    this.item.command = `${BATCHES_VIEW_ID}.focus`;
    this.subscriptions = [
      store.onDidChange((change) => {
        if (change?.kind === 'updated') {
          this.recent.noteUpdate(change.previous, change.current);
          if (isActiveStatus(change.previous.status) && !isActiveStatus(change.current.status)) this.announce(change.current.id);
        } else if (!store.loaded) {
          this.recent.reset(); // reset to another account, or not yet loaded
        }
        this.update();
      }),
      poller.onDidChangePolling(() => this.update()),
    ];
  }

  /** The icon moves (for tests: what the status bar shows). */
  get spinning(): boolean {
    return this.item.text.includes('~spin');
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    clearTimeout(this.stillTimer);
    this.item.dispose();
  }

  private update(): void {
    clearTimeout(this.stillTimer);
    const active = this.store.activeCount;
    if (active === 0) {
      this.item.hide();
      return;
    }
    const spinning = this.recent.spinning(this.store.loading !== undefined || this.poller.polling);
    this.item.text = `$(${spinning ? 'sync~spin' : 'sync'}) ${active} active batch${active === 1 ? '' : 'es'}`;
    this.item.tooltip = `${active} of the loaded OpenAI batches are still running. Click to show them.`;
    this.item.show();
    // Stop moving once the last change is no longer recent.
    const still = this.recent.msUntilStill();
    if (spinning && still > 0) this.stillTimer = setTimeout(() => this.update(), still);
  }

  private announce(id: string): void {
    const batch = this.store.get(id);
    if (!batch) return;
    const outcome = resultCountsText(batch);
    const nothing = nothingSucceeded(batch);
    const openOutput = `Open ${FILE_KIND.output.label}`;
    const openError = `Open ${FILE_KIND.error.label}`;
    const results = batch.outputFileId || batch.errorFileId ? 'Open Results' : undefined;
    // When nothing succeeded, the error file is what there is to read.
    const actions = (nothing ? [batch.errorFileId ? openError : undefined, results] : [results, batch.outputFileId ? openOutput : undefined, batch.errorFileId ? openError : undefined])
      .concat('Show Batch')
      .filter((a): a is string => !!a);
    const text = `Batch ${batch.id} is ${statusLabel(batch.status).toLowerCase()}${outcome ? `: ${outcome}` : ''}.`;
    const show = batch.status === 'completed' && !nothing ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
    void show(text, ...actions).then((choice) => {
      const command =
        choice === 'Open Results' ? Command.openResults : choice === openOutput ? Command.openOutputFile : choice === openError ? Command.openErrorFile : choice === 'Show Batch' ? Command.showBatch : undefined;
      if (command) void vscode.commands.executeCommand(command, command === Command.showBatch ? batch.id : ({ type: 'batch', batch } satisfies BatchNode));
    });
  }
}
