import * as vscode from 'vscode';
import { linkedParent, type LinkStorage } from '../core/retry/retryLinks';
import { Command } from '../constants';
import { isBatchInputDocument, type LiveInputChecks } from './liveInputChecks';

/**
 * **Create Batch from This File** on the first line of a batch input file; on a file Review First wrote,
 * it says which batch the new one will retry.
 */
export class InputCodeLens implements vscode.CodeLensProvider {
  readonly onDidChangeCodeLenses: vscode.Event<void>;

  constructor(
    checks: LiveInputChecks,
    private readonly links: LinkStorage,
    linksChanged: vscode.Event<void>,
  ) {
    this.onDidChangeCodeLenses = (listener, thisArg, disposables) => {
      const fire = () => listener.call(thisArg);
      const subscriptions = [checks.onDidChange(fire), linksChanged(fire)];
      const disposable = { dispose: () => subscriptions.forEach((s) => s.dispose()) };
      disposables?.push(disposable);
      return disposable;
    };
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!isBatchInputDocument(doc)) return [];
    const parent = linkedParent(this.links, doc.uri.fsPath);
    const title = parent ? `Create Batch from This File (a retry of ${parent})` : 'Create Batch from This File';
    // The same argument as the editor's title menu passes: the file.
    return [new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), { title, command: Command.createBatch, arguments: [doc.uri] })];
  }
}
