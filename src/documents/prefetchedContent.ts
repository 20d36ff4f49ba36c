import type * as vscode from 'vscode';

/**
 * Text a command fetched itself (to show progress, size checks and errors with their request id) for a
 * document's next read, handed over once so large content is not kept twice.
 */
export class PrefetchedContent {
  private readonly texts = new Map<string, string>();

  put(uri: vscode.Uri, text: string): void {
    this.texts.set(uri.toString(), text);
  }

  take(uri: vscode.Uri): string | undefined {
    const key = uri.toString();
    const text = this.texts.get(key);
    this.texts.delete(key);
    return text;
  }
}
