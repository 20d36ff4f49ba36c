import * as vscode from 'vscode';
import { parseResultDocumentPath, resultDocumentPath, type ResultDocumentRef } from '../core/documentPaths';
import { Scheme } from '../constants';
import type { ResultsPanels } from '../views/resultsPanel';

/**
 * `openai-batch-result:/<batch id>/<row id>/<custom_id>.request.json` — one request, or its response or
 * error, pretty-printed from the batch's cached files by the open Results panel. Read-only by construction.
 */
export class ResultDocumentProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly panels: ResultsPanels) {}

  static uri(ref: ResultDocumentRef): vscode.Uri {
    return vscode.Uri.from({ scheme: Scheme.result, path: resultDocumentPath(ref) });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const ref = parseResultDocumentPath(uri.path);
    if (!ref) throw new Error(`Not a batch result document: ${uri.toString()}`);
    const view = this.panels.get(ref.batchId)?.view;
    if (!view) throw new Error(`The results of ${ref.batchId} are not open: run "Open Results" for it, then open this ${ref.part} again.`);
    return (await view.fullText(ref.rowId, ref.part)) + '\n';
  }
}
