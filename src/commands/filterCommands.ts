import * as vscode from 'vscode';
import type { Batch } from '../core/batch';
import type { BatchFilter } from '../core/batchFilter';
import { Command, ContextKey } from '../constants';
import type { ConnectionsTreeProvider } from '../views/connectionsTree';
import type { CommandContext } from './context';
import type { Flows } from './flowCommands';
import type { PromptTracker } from './quickSteps';

/** The view's filter: what it is, the rows it lets through, and what the view's description says of it. */
export interface ActiveFilter {
  readonly filter: BatchFilter;
  readonly matches: (batch: Batch) => boolean;
  readonly description: string;
}

/**
 * Holds the view's filter and shows it: the tree's rows, the view's description and message, the Clear
 * Filter action. The description is seen only where the view has a header of its own (not when it is alone
 * in its container), so a message above the rows says it too, except while the welcome content says that
 * nothing matches (a message would hide it).
 */
export class ViewFilter implements vscode.Disposable {
  private active?: ActiveFilter;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly tree: ConnectionsTreeProvider,
    private readonly view: vscode.TreeView<unknown>,
  ) {
    this.subscription = tree.onDidChangeState(() => this.showMessage());
  }

  get current(): ActiveFilter | undefined {
    return this.active;
  }

  apply(active: ActiveFilter | undefined): void {
    this.active = active;
    this.tree.setFilter(active?.matches);
    this.view.description = active?.description;
    this.showMessage();
    void vscode.commands.executeCommand('setContext', ContextKey.filtered, active !== undefined);
  }

  dispose(): void {
    this.subscription.dispose();
  }

  private showMessage(): void {
    this.view.message = this.active && this.tree.state !== 'noMatch' ? `Filtered: ${this.active.description}` : undefined;
  }
}

export interface FilterDeps {
  readonly filter: ViewFilter;
  readonly prompts: PromptTracker;
}

/**
 * Filter Batches…, Clear Filter and Find in All Batches: from the view's title or the palette, taking
 * nothing. The first and the last are flows loaded on first use (dist/flows.js).
 */
export function registerFilterCommands(ctx: CommandContext, deps: FilterDeps, flows: () => Flows): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Command.filterBatches, () => flows().filterBatches(ctx, deps)),
    vscode.commands.registerCommand(Command.clearFilter, () => deps.filter.apply(undefined)),
    vscode.commands.registerCommand(Command.findInAllBatches, () => flows().findInAllBatches(ctx, deps)),
  ];
}
