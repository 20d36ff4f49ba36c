import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ResultsEngine } from '../services/resultsEngine';
import { Command, InternalCommand } from '../constants';
import type { CommandContext } from './context';
import type { CreateDeps } from './createCommand';

export type RetryFlows = typeof import('../retry/flows');

export interface RetryDeps extends CreateDeps {
  readonly engine: () => Promise<ResultsEngine>;
}

/** The flows, bundled apart (dist/retry.js), loaded on first use. */
export function lazyRetryFlows(distDir: string): () => RetryFlows {
  let loaded: RetryFlows | undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return () => (loaded ??= require(path.join(distDir, 'retry.js')) as RetryFlows);
}

/** Retry Failed Requests… and Export Combined Results…, and their internal commands. */
export function registerRetryCommands(ctx: CommandContext, deps: RetryDeps, flows: () => RetryFlows): vscode.Disposable[] {
  return [
    // A batch row (its node) or nothing (the palette asks which batch).
    vscode.commands.registerCommand(Command.retryFailed, (arg?: unknown) => flows().retryFromMenu(ctx, deps, arg)),
    vscode.commands.registerCommand(InternalCommand.retryFailed, (options: unknown) => flows().retryWithOptions(ctx, deps, options)),
    vscode.commands.registerCommand(Command.exportCombined, (arg?: unknown) => flows().exportCombinedFromMenu(ctx, deps, arg)),
    vscode.commands.registerCommand(InternalCommand.exportCombined, (options: unknown) => flows().exportCombinedWithOptions(ctx, deps, options)),
  ];
}
