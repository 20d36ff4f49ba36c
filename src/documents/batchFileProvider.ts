import * as vscode from 'vscode';
import { describeError } from '../core/apiError';
import { fileDocumentPath, parseFileDocumentPath, type FileDocumentRef } from '../core/documentPaths';
import { formatBytes } from '../core/format';
import type { ApiSession } from '../services/apiSession';
import { CONFIG_SECTION, Scheme, Setting } from '../constants';
import { abortSignalFor } from './cancellation';
import { PrefetchedContent } from './prefetchedContent';

/**
 * `openai-batch-file:/<file id>/<batch id>_<kind>.jsonl` — a batch's input, output or error file.
 * The open command fetches the content itself (to show progress, allow cancel and check the size
 * first) and hands it over here; a tab VS Code restores on its own is fetched here, size checked too.
 */
export class BatchFileProvider implements vscode.TextDocumentContentProvider {
  private readonly prefetched = new PrefetchedContent();

  constructor(private readonly session: ApiSession) {}

  static uri(ref: FileDocumentRef): vscode.Uri {
    return vscode.Uri.from({ scheme: Scheme.file, path: fileDocumentPath(ref) });
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
    if (!ref) throw new Error(`Not a batch file document: ${uri.toString()}`);
    const client = this.session.requireClient();
    const signal = abortSignalFor(token);
    const meta = await client.retrieveFile(ref.fileId, signal);
    const limit = largeFileThresholdBytes();
    if (meta.bytes === undefined || meta.bytes > limit) {
      throw new Error(`${ref.fileId} is ${meta.bytes === undefined ? 'of unknown size' : formatBytes(meta.bytes)}, above the ${formatBytes(limit)} limit for editor tabs; download it instead.`);
    }
    try {
      return await client.fileText(ref.fileId, { signal });
    } catch (e) {
      throw new Error(describeError(e), { cause: e });
    }
  }
}

export function largeFileThresholdBytes(): number {
  const mb = vscode.workspace.getConfiguration(CONFIG_SECTION).get<number>(Setting.largeFileThresholdMB, 50);
  return Math.max(0, mb) * 1024 * 1024;
}
