import * as vscode from 'vscode';
import { Command } from '../constants';
import { isBatchInputDocument, type LiveInputChecks } from './liveInputChecks';

/** **Create Batch from This File** on the first line of a batch input file. */
export class InputCodeLens implements vscode.CodeLensProvider {
  readonly onDidChangeCodeLenses: vscode.Event<void>;

  constructor(checks: LiveInputChecks) {
    this.onDidChangeCodeLenses = (listener, thisArg, disposables) => checks.onDidChange(() => listener.call(thisArg), undefined, disposables);
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!isBatchInputDocument(doc)) return [];
    // The same argument as the editor's title menu passes: the file.
    return [new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), { title: 'Create Batch from This File', command: Command.createBatch, arguments: [doc.uri] })];
  }
}
