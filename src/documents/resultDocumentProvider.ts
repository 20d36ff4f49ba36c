import * as vscode from 'vscode';
import { connectionAuthority, parseConnectionAuthority, parseResultDocumentPath, resultDocumentPath, type ResultDocumentRef } from '../core/documentPaths';
import { Scheme } from '../constants';
import type { LazyResultsPanels } from '../views/lazyResultsPanels';

/**
 * `openai-batch-result:/<batch id>/<row id>/<custom_id>.request.json` — one request, or its response or
 * error, pretty-printed from the batch's cached files by the open Results panel. Read-only by construction.
 */
export class ResultDocumentProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly panels: LazyResultsPanels) {}

  /** The panel's connection is the authority, as for the batch documents. */
  static uri(ref: ResultDocumentRef, connection: string): vscode.Uri {
    return vscode.Uri.from({ scheme: Scheme.result, authority: connectionAuthority(connection), path: resultDocumentPath(ref) });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const ref = parseResultDocumentPath(uri.path);
    const connection = parseConnectionAuthority(uri.authority);
    if (!ref || connection === undefined) throw new Error(`Not a batch result document: ${uri.toString()}`);
    const view = this.panels.get(ref.batchId, connection)?.view;
    if (!view) throw new Error(`The results of ${ref.batchId} are not open: run "Open Results" for it, then open this ${ref.part} again.`);
    return (await view.fullText(ref.rowId, ref.part)) + '\n';
  }
}
