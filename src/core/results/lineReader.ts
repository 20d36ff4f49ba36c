import { promises as fs } from 'node:fs';
import { ApiError } from '../apiError';

/** Lines longer than this are reported by offset and length only: nothing is held for them. */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

/** Large reads: few hops through the event loop per MB. */
export const READ_CHUNK_BYTES = 1024 * 1024;

export interface LineSink {
  /**
   * One line: its bytes are buf[start, end), without the line break (and without a CR before it).
   * `offset` is the file offset of `start`; `line` is 1-based. `buf` is valid only during the call.
   */
  line(buf: Buffer, start: number, end: number, offset: number, line: number): void;
  /** A line over MAX_LINE_BYTES: where it is, nothing more. */
  tooLong(offset: number, length: number, line: number): void;
}

export interface LineReadOptions {
  readonly signal?: AbortSignal;
  /** After each chunk: bytes read so far. */
  readonly onBytes?: (bytes: number) => void;
  readonly maxLineBytes?: number;
}

/**
 * Streams a file and hands each line to `sink`, splitting on "\n" at the Buffer level so offsets are
 * exact byte positions whatever the encoding. A final line without a newline counts; a UTF-8 byte order
 * mark at the start is left out of the first line. Resolves with the number of lines and bytes.
 */
export async function readLines(path: string, sink: LineSink, options: LineReadOptions = {}): Promise<{ lines: number; bytes: number }> {
  const maxLine = options.maxLineBytes ?? MAX_LINE_BYTES;
  let lineNumber = 0;
  // A line that began in an earlier chunk: copies of its pieces (dropped once it is too long), size and start.
  let pieces: Buffer[] = [];
  let pendingBytes = 0;
  let pendingStart = 0;
  let tooLong = false;
  let lastByte = 0;

  const emit = (buf: Buffer, start: number, end: number, offset: number): void => {
    lineNumber++;
    if (end - start > maxLine) {
      sink.tooLong(offset, end - start - (buf[end - 1] === 0x0d ? 1 : 0), lineNumber);
      return;
    }
    if (lineNumber === 1 && end - start >= 3 && buf[start] === 0xef && buf[start + 1] === 0xbb && buf[start + 2] === 0xbf) {
      start += 3;
      offset += 3;
    }
    if (end > start && buf[end - 1] === 0x0d) end--;
    sink.line(buf, start, end, offset, lineNumber);
  };
  const append = (piece: Buffer): void => {
    pendingBytes += piece.length;
    if (piece.length > 0) lastByte = piece[piece.length - 1];
    if (tooLong) return;
    if (pendingBytes > maxLine) {
      tooLong = true;
      pieces = [];
    } else pieces.push(Buffer.from(piece)); // a copy: the read buffer is refilled
  };
  const finishPending = (): void => {
    if (tooLong) {
      lineNumber++;
      sink.tooLong(pendingStart, pendingBytes - (lastByte === 0x0d ? 1 : 0), lineNumber);
    } else {
      emit(pieces.length === 1 ? pieces[0] : Buffer.concat(pieces, pendingBytes), 0, pendingBytes, pendingStart);
    }
    pieces = [];
    pendingBytes = 0;
    tooLong = false;
  };

  const file = await fs.open(path, 'r');
  // Two buffers, reused: the next read fills one while the lines of the other are handed out, and no
  // chunk is ever allocated (fresh chunks would make the garbage collector run for nothing).
  const buffers = [Buffer.allocUnsafe(READ_CHUNK_BYTES), Buffer.allocUnsafe(READ_CHUNK_BYTES)];
  let fileOffset = 0; // of the chunk being split
  try {
    let reading = file.read(buffers[0], 0, READ_CHUNK_BYTES, 0);
    for (let turn = 0; ; turn++) {
      const { bytesRead } = await reading;
      if (bytesRead === 0) break;
      if (options.signal?.aborted) throw cancelled();
      const chunk = buffers[turn & 1].subarray(0, bytesRead);
      reading = file.read(buffers[(turn + 1) & 1], 0, READ_CHUNK_BYTES, fileOffset + bytesRead);
      let pos = 0;
      if (pendingBytes > 0) {
        const nl = chunk.indexOf(10);
        if (nl < 0) {
          append(chunk);
          fileOffset += bytesRead;
          options.onBytes?.(fileOffset);
          continue;
        }
        append(chunk.subarray(0, nl));
        finishPending();
        pos = nl + 1;
      }
      for (let nl = chunk.indexOf(10, pos); nl >= 0; nl = chunk.indexOf(10, pos)) {
        emit(chunk, pos, nl, fileOffset + pos);
        pos = nl + 1;
      }
      if (pos < chunk.length) {
        pendingStart = fileOffset + pos;
        append(chunk.subarray(pos));
      }
      fileOffset += bytesRead;
      options.onBytes?.(fileOffset);
    }
    if (pendingBytes > 0) finishPending();
  } finally {
    await file.close();
  }
  return { lines: lineNumber, bytes: fileOffset };
}

export function cancelled(): ApiError {
  return new ApiError({ kind: 'aborted', message: 'Cancelled.' });
}
