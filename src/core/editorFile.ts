import { Writable } from 'node:stream';
import { isApiError } from './apiError';
import type { FileInfoCache } from './fileInfo';
import type { FileObject } from './fileObject';
import { formatBytes } from './format';
import type { OpenAIClient } from './openaiClient';

/** How many lines Open First Lines shows of a file too large for a tab. */
export const FIRST_LINES = 1000;
/** Open First Lines reads at most this much (or the tab limit, when larger), however long the lines are. */
const FIRST_LINES_MIN_CAP_BYTES = 1024 * 1024;

export type EditorFile =
  | { readonly kind: 'text'; readonly text: string }
  /** Above the limit (or of unknown size, which cannot be assumed small): not pushed into a tab. */
  | { readonly kind: 'tooLarge'; readonly file: FileObject; readonly bytes?: number; readonly limit: number }
  /** The first lines only; `bytes` is the whole file's size. */
  | { readonly kind: 'firstLines'; readonly text: string; readonly lines: number; readonly bytes?: number };

export interface EditorFileOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (receivedBytes: number, totalBytes: number | undefined) => void;
  /** The account's file metadata, shared with the tree: one request per file. */
  readonly files?: FileInfoCache;
  /** Only the first this-many lines, whatever the size: the transfer is stopped once they have arrived. */
  readonly firstLines?: number;
}

/**
 * The one way a batch file reaches an editor tab, for the open commands, Open First Lines and tabs VS Code
 * restores: its metadata first, then the size check, then its text (or its first lines).
 */
export async function readFileForEditor(client: OpenAIClient, fileId: string, limitBytes: number, options: EditorFileOptions = {}): Promise<EditorFile> {
  const file = options.files ? await options.files.load(client, fileId, { retry: true, signal: options.signal }) : await client.retrieveFile(fileId, options.signal);
  const { bytes } = file;
  const onProgress = (received: number) => options.onProgress?.(received, bytes);
  if (options.firstLines !== undefined) {
    const capBytes = Math.max(limitBytes, FIRST_LINES_MIN_CAP_BYTES);
    const { text, lines } = await readFirstLines(client, fileId, options.firstLines, capBytes, options.signal, onProgress);
    return { kind: 'firstLines', text, lines, bytes };
  }
  if (isTooLargeForEditor(file, limitBytes)) return { kind: 'tooLarge', file, bytes, limit: limitBytes };
  const text = await client.fileText(fileId, { signal: options.signal, expectedBytes: bytes, onProgress });
  return { kind: 'text', text };
}

/**
 * Streams the content until `maxLines` complete lines (or `capBytes`) have arrived, then aborts the
 * request: a preview of a 300 MB file costs its first lines, not the file.
 */
async function readFirstLines(
  client: OpenAIClient,
  fileId: string,
  maxLines: number,
  capBytes: number,
  signal: AbortSignal | undefined,
  onProgress: (received: number) => void,
): Promise<{ text: string; lines: number }> {
  const enough = new AbortController();
  const decoder = new TextDecoder('utf-8');
  const parts: string[] = [];
  let lines = 0;
  let bytes = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (enough.signal.aborted) return done();
      bytes += chunk.length;
      const text = decoder.decode(chunk, { stream: true });
      let end = 0;
      while (lines < maxLines) {
        const newline = text.indexOf('\n', end);
        if (newline < 0) break;
        lines++;
        end = newline + 1;
      }
      if (lines >= maxLines) {
        parts.push(text.slice(0, end));
        enough.abort();
      } else {
        parts.push(text);
        if (bytes >= capBytes) enough.abort();
      }
      done();
    },
  });
  try {
    await client.streamFileContent(fileId, sink, { signal: signal ? AbortSignal.any([signal, enough.signal]) : enough.signal, onProgress });
  } catch (e) {
    if (signal?.aborted || !enough.signal.aborted || !(isApiError(e) && e.isAborted)) throw e;
  }
  if (!enough.signal.aborted) parts.push(decoder.decode());
  let text = parts.join('');
  if (lines < maxLines && enough.signal.aborted) {
    // Stopped by the byte cap: keep whole lines, unless not even one fit (then the start of the first).
    const lastNewline = text.lastIndexOf('\n');
    if (lastNewline >= 0) text = text.slice(0, lastNewline + 1);
    else lines = 1;
  } else if (!enough.signal.aborted && text !== '' && !text.endsWith('\n')) {
    lines++; // the whole file arrived; its last line has no newline
  }
  return { text, lines };
}

/** Above the limit, or of unknown size (which cannot be assumed small). */
export function isTooLargeForEditor(file: { readonly bytes?: number }, limitBytes: number): boolean {
  return file.bytes === undefined || file.bytes > limitBytes;
}

/** "is 312 MB, above the 50 MB limit for editor tabs" */
export function tooLargeReason(file: { readonly bytes?: number; readonly limit: number }): string {
  return `is ${file.bytes === undefined ? 'of unknown size' : formatBytes(file.bytes)}, above the ${formatBytes(file.limit)} limit for editor tabs`;
}
