import { formatBytes } from './format';
import type { OpenAIClient } from './openaiClient';

export type EditorFile =
  | { readonly kind: 'text'; readonly text: string }
  /** Above the limit (or of unknown size, which cannot be assumed small): not pushed into a tab. */
  | { readonly kind: 'tooLarge'; readonly bytes?: number; readonly limit: number };

export interface EditorFileOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (receivedBytes: number, totalBytes: number | undefined) => void;
}

/**
 * The one way a batch file reaches an editor tab, for the open commands and for tabs VS Code restores:
 * its metadata first, then the size check, then its text.
 */
export async function readFileForEditor(client: OpenAIClient, fileId: string, limitBytes: number, options: EditorFileOptions = {}): Promise<EditorFile> {
  const { bytes } = await client.retrieveFile(fileId, options.signal);
  if (bytes === undefined || bytes > limitBytes) return { kind: 'tooLarge', bytes, limit: limitBytes };
  const text = await client.fileText(fileId, { signal: options.signal, expectedBytes: bytes, onProgress: (received) => options.onProgress?.(received, bytes) });
  return { kind: 'text', text };
}

/** "is 312 MB, above the 50 MB limit for editor tabs" */
export function tooLargeReason(file: { readonly bytes?: number; readonly limit: number }): string {
  return `is ${file.bytes === undefined ? 'of unknown size' : formatBytes(file.bytes)}, above the ${formatBytes(file.limit)} limit for editor tabs`;
}
