import { randomBytes } from 'node:crypto';
import { createWriteStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
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

/** `batch_abc_output.jsonl`: the name the save dialog proposes. */
export function defaultDownloadName(batchId: string, kind: string): string {
  return `${batchId.replace(/[\\/:*?"<>|\s]+/g, '_')}_${kind}.jsonl`;
}
