import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ResultsEngine } from '../services/resultsEngine';
import { Command, InternalCommand } from '../constants';
import type { CommandContext } from './context';
import type { CreateDeps } from './createCommand';
import type { PromptTracker } from './quickSteps';
import type { UsageCosts } from '../services/usageCosts';

export type Flows = typeof import('../flows/entry');

export interface RetryDeps extends CreateDeps {
  readonly engine: () => Promise<ResultsEngine>;
}

/** Create's and Retry's flows, bundled apart (dist/flows.js), loaded on first use. */
export function lazyFlows(distDir: string): () => Flows {
  let loaded: Flows | undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return () => (loaded ??= require(path.join(distDir, 'flows.js')) as Flows);
}

/** Switch, Add, Edit, Remove and Rename Connection, and the internal Remove. */
export function registerConnectionCommands(ctx: CommandContext, prompts: PromptTracker, flows: () => Flows): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Command.switchConnection, (arg?: unknown) => flows().switchConnection(ctx, prompts, arg)),
    vscode.commands.registerCommand(Command.addConnection, () => flows().addConnection(ctx, prompts)),
    vscode.commands.registerCommand(Command.editConnection, (arg?: unknown) => flows().editConnection(ctx, prompts, arg)),
    vscode.commands.registerCommand(Command.removeConnection, (arg?: unknown) => flows().removeConnection(ctx, prompts, arg)),
    vscode.commands.registerCommand(Command.renameConnection, (arg?: unknown) => flows().renameConnection(ctx, prompts, arg)),
    vscode.commands.registerCommand(InternalCommand.removeConnection, (options: unknown) => flows().removeConnectionWithOptions(ctx, options)),
  ];
}

/** Open in OpenAI Dashboard and Open in Azure Portal: one flow, titled by the page it opens. */
export function registerDashboardCommands(ctx: CommandContext, flows: () => Flows): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Command.openInDashboard, (arg: unknown) => flows().openInDashboard(ctx.scope(arg), arg, 'Open in OpenAI Dashboard')),
    vscode.commands.registerCommand(Command.openInAzurePortal, (arg: unknown) => flows().openInDashboard(ctx.scope(arg), arg, 'Open in Azure Portal')),
  ];
}

/** Create Batch from JSONL… and its internal command. */
export function registerCreateCommands(ctx: CommandContext, deps: CreateDeps, flows: () => Flows): vscode.Disposable[] {
  return [
    // Exactly what its menus pass: (uri, uris[]) from the Explorer, (uri, …) from an editor's title menu,
    // nothing from the view's title or the palette. Anything else in the second place is ignored.
    vscode.commands.registerCommand(Command.createBatch, (uri?: unknown, uris?: unknown) => flows().createFromMenu(ctx, deps, uri, uris)),
    vscode.commands.registerCommand(InternalCommand.createBatch, (options: unknown) => flows().createWithOptions(ctx.scope(options), deps, options)),
  ];
}

/** Retry Failed Requests… and Export Combined Results…, and their internal commands. */
export function registerRetryCommands(ctx: CommandContext, deps: RetryDeps, flows: () => Flows): vscode.Disposable[] {
  return [
    // A batch row (its node) or nothing (the palette asks which batch).
    vscode.commands.registerCommand(Command.retryFailed, (arg?: unknown) => flows().retryFromMenu(ctx.scope(arg), deps, arg)),
    vscode.commands.registerCommand(InternalCommand.retryFailed, (options: unknown) => flows().retryWithOptions(ctx.scope(options), deps, options)),
    vscode.commands.registerCommand(Command.exportCombined, (arg?: unknown) => flows().exportCombinedFromMenu(ctx.scope(arg), deps, arg)),
    vscode.commands.registerCommand(InternalCommand.exportCombined, (options: unknown) => flows().exportCombinedWithOptions(ctx.scope(options), deps, options)),
  ];
}

/** Show Usage (its sums and report are loaded with the flows). */
export function registerUsageCommand(ctx: CommandContext, costs: UsageCosts, flows: () => Flows): vscode.Disposable[] {
  // From the view: (row, selected rows) — VS Code passes the selection second when several rows are selected.
  return [vscode.commands.registerCommand(Command.showUsage, (row?: unknown, selected?: unknown) => flows().showUsage(ctx.scope(row), costs, row, selected))];
}
