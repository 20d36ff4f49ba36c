import * as vscode from 'vscode';
import { parseBatch } from '../core/batch';
import type { BatchStore } from '../core/batchStore';
import { batchJsonPath, parseBatchJsonPath, connectionAuthority, parseConnectionAuthority } from '../core/documentPaths';
import type { ApiSession } from '../services/apiSession';
import { Scheme } from '../constants';
import { abortSignalFor } from './cancellation';
import { PrefetchedContent } from './prefetchedContent';

/**
 * `openai-batch://<connection>/<id>.json` (see documentPaths) — a batch as the server returns it, fetched fresh on every open and
 * refresh, pretty-printed with the user's JSON indentation. Read-only by construction.
 */
export class BatchJsonProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly fetched = new PrefetchedContent();

  constructor(
    private readonly session: ApiSession,
    private readonly store: BatchStore,
  ) {}

  static uri(batchId: string, connection: string): vscode.Uri {
    return vscode.Uri.from({ scheme: Scheme.batch, authority: connectionAuthority(connection), path: batchJsonPath(batchId, connection) });
  }

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    return this.fetched.take(uri) ?? this.load(uri, abortSignalFor(token));
  }

  /**
   * Fetches the batch now, so the caller can show a failure with its status and request id (VS Code
   * would reduce it to a generic "cannot open"), and holds it for the document's next read.
   */
  async fetch(uri: vscode.Uri, signal?: AbortSignal): Promise<void> {
    this.fetched.put(uri, await this.load(uri, signal));
  }

  /** Fetches again and updates the open document; on failure it keeps its last content. */
  async refresh(uri: vscode.Uri, signal?: AbortSignal): Promise<void> {
    await this.fetch(uri, signal);
    this.changed.fire(uri);
  }

  private async load(uri: vscode.Uri, signal?: AbortSignal): Promise<string> {
    const id = parseBatchJsonPath(uri.path);
    const connection = parseConnectionAuthority(uri.authority);
    if (id === undefined || connection === undefined) throw new Error(`Not a batch document: ${uri.toString()}`);
    const json = await (await this.session.clientFor(connection)).retrieveBatchJson(id, signal);
    // What was just fetched is the freshest view of this batch: let the tree show it too (the tree shows the connection in use).
    const { batch } = parseBatch(json);
    if (batch && batch.id === id && connection === this.session.connection.name && this.store.get(id)) this.store.upsert(batch);
    return JSON.stringify(json, null, indentation()) + '\n';
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function indentation(): string | number {
  const editor = vscode.workspace.getConfiguration('editor', { languageId: 'json' });
  const insertSpaces = editor.get<boolean>('insertSpaces', true);
  const tabSize = editor.get<number | string>('tabSize', 4);
  if (!insertSpaces) return '\t';
  return typeof tabSize === 'number' && tabSize > 0 ? Math.min(tabSize, 10) : 2;
}
