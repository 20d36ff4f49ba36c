import { randomBytes } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import type { MultipartUpload } from './openaiClient';

/**
 * A multipart/form-data body that streams `filePath` from disk (never loading it whole), with the
 * exact length up front so the upload is not chunked. `onProgress` counts the file's bytes sent.
 */
export async function multipartFromFile(
  filePath: string,
  fields: Readonly<Record<string, string>>,
  onProgress?: (sentBytes: number, totalBytes: number) => void,
): Promise<MultipartUpload> {
  const boundary = `----openai-batches-${randomBytes(12).toString('hex')}`;
  const size = (await fs.stat(filePath)).size;
  const filename = path.basename(filePath).replace(/["\r\n]/g, '_');
  const head = Buffer.from(
    Object.entries(fields)
      .map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
      .join('') + `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/jsonl\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  async function* parts(): AsyncGenerator<Buffer> {
    yield head;
    let sent = 0;
    for await (const chunk of createReadStream(filePath)) {
      sent += (chunk as Buffer).length;
      onProgress?.(sent, size);
      yield chunk as Buffer;
    }
    if (sent !== size) throw new Error(`${filename} changed while it was being uploaded (${sent} of ${size} bytes read).`);
    yield tail;
  }
  return { body: Readable.from(parts()), contentType: `multipart/form-data; boundary=${boundary}`, length: head.length + size + tail.length };
}
