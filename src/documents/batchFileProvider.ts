import * as vscode from 'vscode';
import { describeError } from '../core/apiError';
import { connectionAuthority, fileDocumentPath, parseConnectionAuthority, parseFileDocumentPath, type FileDocumentRef } from '../core/documentPaths';
import { FILE_KIND } from '../core/batch';
import { readFileForEditor, tooLargeReason, type EditorFile } from '../core/editorFile';
import type { FileInfoCache } from '../core/fileInfo';
import type { ApiSession } from '../services/apiSession';
import { Scheme } from '../constants';
import { largeFileThresholdBytes } from '../services/settings';
import { abortSignalFor } from './cancellation';
import { PrefetchedContent } from './prefetchedContent';

/**
 * `openai-batch-file://<connection>/<file id>/<batch id>_<kind>.jsonl` — a batch's input, output or error file, or
 * (`…_<kind> (first 1,000 lines of 312 MB).jsonl`) the first lines of one too large for a tab.
 * The open command fetches the content itself (to show progress, allow cancel and check the size
 * first) and hands it over here; a tab VS Code restores on its own is fetched here, size checked too.
 */
export class BatchFileProvider implements vscode.TextDocumentContentProvider {
  private readonly prefetched = new PrefetchedContent();

  constructor(
    private readonly session: ApiSession,
    private readonly files: FileInfoCache,
  ) {}

  static uri(ref: FileDocumentRef, connection: string): vscode.Uri {
    return vscode.Uri.from({ scheme: Scheme.file, authority: connectionAuthority(connection), path: fileDocumentPath(ref, connection) });
  }

  /** Content fetched by a command for the next open of `uri`; released once served. */
  prefetch(uri: vscode.Uri, content: string): void {
    this.prefetched.put(uri, content);
  }

  forget(uri: vscode.Uri): void {
    this.prefetched.take(uri);
  }

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const ready = this.prefetched.take(uri);
    if (ready !== undefined) return ready;
    const ref = parseFileDocumentPath(uri.path);
    const connection = parseConnectionAuthority(uri.authority);
    if (!ref || connection === undefined) throw new Error(`Not a batch file document: ${uri.toString()}`);
    let file: EditorFile;
    try {
      file = await readFileForEditor(await this.session.clientFor(connection), ref.fileId, largeFileThresholdBytes(), {
        signal: abortSignalFor(token),
        // What is known of files is of the connection in use.
        files: connection === this.session.connection.name ? this.files : undefined,
        firstLines: ref.firstLines?.lines,
      });
    } catch (e) {
      throw new Error(`Could not open the ${FILE_KIND[ref.kind].label.toLowerCase()}: ${describeError(e)}`, { cause: e });
    }
    if (file.kind === 'tooLarge') throw new Error(`The ${FILE_KIND[ref.kind].label.toLowerCase()} of ${ref.batchId} ${tooLargeReason(file)}; download it instead.`);
    return file.text;
  }
}
