import { randomBytes } from 'node:crypto';
import { createWriteStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { formatBytes } from './format';
import type { ContentOptions, OpenAIClient } from './openaiClient';

const WRITE_BUFFER_BYTES = 8 * 1024 * 1024;

/** `expectedBytes`: the file's `bytes` from `GET /files/{id}`; a different count is a failed download. */
export type DownloadOptions = ContentOptions;

/**
 * Streams a file to `destination` through a temporary file beside it, renamed only once the byte count
 * is verified: a cancelled, cut-short or failed download never leaves a partial file behind.
 */
export async function downloadFile(client: OpenAIClient, fileId: string, destination: string, options: DownloadOptions = {}): Promise<number> {
  const temp = path.join(path.dirname(destination), `.${path.basename(destination)}.${randomBytes(4).toString('hex')}.part`);
  try {
    // A deep write queue lets the disk take large writes while the socket keeps reading: on par with curl.
    const received = await client.streamFileContent(fileId, createWriteStream(temp, { flags: 'wx', highWaterMark: WRITE_BUFFER_BYTES }), options);
    await fs.rename(temp, destination);
    return received;
  } catch (e) {
    await fs.rm(temp, { force: true });
    throw e;
  }
}

/** How often a download's progress message may change: a redraw per chunk would cost more than the chunk. */
const PROGRESS_INTERVAL_MS = 200;

/**
 * A download's `onProgress` that says how far it got — `12.5 MB of 200 MB (6%) · 41.2 MB/s`, with the
 * increment of the percentage since the last report — at most every 200 ms, and at the last byte.
 */
export function progressReporter(totalBytes: number | undefined, report: (message: string, increment: number) => void): (receivedBytes: number) => void {
  const started = Date.now();
  let reportedPct = 0;
  let lastReport = 0;
  return (received) => {
    const now = Date.now();
    if (now - lastReport < PROGRESS_INTERVAL_MS && received !== totalBytes) return;
    lastReport = now;
    const rate = received / Math.max(0.001, (now - started) / 1000);
    const pct = totalBytes ? (received / totalBytes) * 100 : 0;
    const of = totalBytes ? ` of ${formatBytes(totalBytes)} (${pct.toFixed(0)}%)` : '';
    report(`${formatBytes(received)}${of} · ${formatBytes(rate)}/s`, pct - reportedPct);
    reportedPct = pct;
  };
}

/** `batch_abc_output.jsonl`: the name the save dialog proposes. */
export function defaultDownloadName(batchId: string, kind: string): string {
  return `${batchId.replace(/[\\/:*?"<>|\s]+/g, '_')}_${kind}.jsonl`;
}
