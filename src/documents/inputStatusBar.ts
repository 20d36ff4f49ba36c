import * as vscode from 'vscode';
import { estimateDetails, inputSummary } from '../core/inputEstimate';
import { countOf } from '../core/format';
import { Command } from '../constants';
import type { LiveInputChecks } from './liveInputChecks';

/**
 * While a batch input file is the active editor: what it holds and what it would cost
 * ("1,204 requests · gpt-4o-mini · ~2.1M input tokens · est. $0.53"); click to create the batch, or,
 * with problems, to see them.
 */
export class InputStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('openaiBatches.input', vscode.StatusBarAlignment.Right, 99);
  private readonly disposables: vscode.Disposable[];
  private shown = false;

  constructor(private readonly checks: LiveInputChecks) {
    this.item.name = 'OpenAI Batches: Batch Input';
    this.disposables = [this.item, checks.onDidChange(() => this.update()), vscode.window.onDidChangeActiveTextEditor(() => this.update())];
    this.update();
  }

  /** What the item says, while it is shown. */
  get text(): string | undefined {
    return this.shown ? this.item.text : undefined;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  private update(): void {
    const doc = vscode.window.activeTextEditor?.document;
    const live = doc && this.checks.get(doc.uri);
    if (!doc || !live) {
      this.item.hide();
      this.shown = false;
      return;
    }
    const { check, estimate } = live;
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.isTrusted = false;
    if (check.problemCount > 0) {
      this.item.text = `$(error) ${countOf(check.problemCount, 'problem')} · ${inputSummary(check)}`;
      tooltip.appendText(`This batch input has ${countOf(check.problemCount, 'problem')}: the API would refuse it. Click to see them.`);
      this.item.command = { title: 'Show Problems', command: 'workbench.actions.view.problems' };
    } else {
      this.item.text = `$(checklist) ${inputSummary(check, estimate)}`;
      tooltip.appendText(`${inputSummary(check)} to ${check.endpoint}.`);
      if (estimate && estimate !== 'pending') for (const line of estimateDetails(check.model, estimate)) tooltip.appendMarkdown('\n\n').appendText(line);
      tooltip.appendMarkdown('\n\n').appendText('Click to create a batch from this file.');
      this.item.command = { title: 'Create Batch from This File', command: Command.createBatch, arguments: [doc.uri] };
    }
    this.item.tooltip = tooltip;
    this.item.show();
    this.shown = true;
  }
}
