import * as path from 'node:path';
import * as vscode from 'vscode';
import { checkBatchInputFile, type InputCheck } from '../core/batchInput';

const SOURCE = 'OpenAI Batches';
/** A file changing on disk is checked again once it has been quiet this long. */
const RECHECK_DELAY_MS = 500;

/**
 * The problems of batch input files in the Problems panel, kept true: a file shown with problems that
 * is not open in an editor is watched, and checked again when it changes on disk (cleared when it is
 * deleted); an open one is kept current by the live checks, and cleared when it closes.
 */
export class InputDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('openaiBatches');
  private readonly watchers = new Map<string, vscode.Disposable>();

  set(uri: vscode.Uri, check: InputCheck): void {
    const diagnostics = toDiagnostics(check);
    this.collection.set(uri, diagnostics);
    const key = uri.toString();
    if (diagnostics.length === 0 || isOpen(uri)) this.unwatch(key);
    else if (!this.watchers.has(key)) this.watch(uri);
  }

  clear(uri: vscode.Uri): void {
    this.collection.delete(uri);
    this.unwatch(uri.toString());
  }

  dispose(): void {
    for (const w of this.watchers.values()) w.dispose();
    this.watchers.clear();
    this.collection.dispose();
  }

  private watch(uri: vscode.Uri): void {
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(path.dirname(uri.fsPath)), path.basename(uri.fsPath)));
    let timer: NodeJS.Timeout | undefined;
    const recheck = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        // An open file is the live checks' to keep current.
        if (isOpen(uri)) return;
        checkBatchInputFile(uri.fsPath).then(
          (check) => this.set(uri, check),
          () => this.clear(uri),
        );
      }, RECHECK_DELAY_MS);
    };
    const key = uri.toString();
    this.watchers.set(
      key,
      vscode.Disposable.from(watcher, watcher.onDidChange(recheck), watcher.onDidCreate(recheck), watcher.onDidDelete(() => this.clear(uri)), { dispose: () => clearTimeout(timer) }),
    );
  }

  private unwatch(key: string): void {
    this.watchers.get(key)?.dispose();
    this.watchers.delete(key);
  }
}

function isOpen(uri: vscode.Uri): boolean {
  const key = uri.toString();
  return vscode.workspace.textDocuments.some((d) => d.uri.toString() === key && !d.isClosed);
}

function toDiagnostics(check: InputCheck): vscode.Diagnostic[] {
  return check.problems.map((p) => {
    const line = Math.max(0, p.line - 1);
    const d = new vscode.Diagnostic(new vscode.Range(line, 0, line, Number.MAX_SAFE_INTEGER), p.message, vscode.DiagnosticSeverity.Error);
    d.source = SOURCE;
    return d;
  });
}
