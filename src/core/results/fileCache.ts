// Batch files kept on disk for the Results view: each downloaded once (streamed and verified by
// core/download.ts, which renames a file into place only when complete), reused across sessions, and
// evicted least recently used first once the cache is over its size cap. A file's modification time is
// its last use, so the directory itself is the index: nothing else to write, nothing to go stale, and
// two windows sharing the directory see the same state.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ApiError } from '../apiError';
import { downloadFile } from '../download';
import { countOf, formatBytes } from '../format';
import type { Logger } from '../logger';
import type { OpenAIClient } from '../openaiClient';

export interface CachedFile {
  readonly path: string;
  readonly bytes: number;
  /** Lets the file be evicted again; calling it twice is harmless. */
  release(): void;
}

export interface ResultsFileCacheOptions {
  readonly dir: string;
  /** Read at each eviction, so a changed setting applies at once. */
  readonly capBytes: () => number;
  readonly log: Logger;
}

export interface EnsureOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (received: number, total?: number) => void;
}

/** A download's temporary file this old (untouched by a live download) is left over from a crash. */
export const STALE_PART_MS = 15 * 60 * 1000;

interface SharedDownload {
  readonly promise: Promise<number>;
  readonly controller: AbortController;
  readonly listeners: Set<(received: number, total?: number) => void>;
  waiters: number;
}

interface Entry {
  readonly name: string;
  readonly path: string;
  readonly bytes: number;
  readonly usedMs: number;
}

export class ResultsFileCache {
  private readonly leases = new Map<string, number>();
  private readonly downloads = new Map<string, SharedDownload>();
  private prepared?: Promise<void>;
  /** Checks and removals one at a time, so a file is never evicted between being found and being leased. */
  private lock: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: ResultsFileCacheOptions) {}

  /**
   * Local path of the verified copy of `fileId` (namespace: one per account/base URL), downloading it
   * when absent. Concurrent calls for the same file share one download. The returned lease keeps the
   * file from eviction until released.
   */
  async ensure(namespace: string, fileId: string, client: OpenAIClient, options: EnsureOptions = {}): Promise<CachedFile> {
    if (options.signal?.aborted) throw cancelledError();
    await this.prepare();
    const name = cacheFileName(namespace, fileId);
    const target = path.join(this.options.dir, name);
    const cached = await this.exclusive(async () => {
      const stat = await fs.stat(target).catch(() => undefined);
      if (!stat?.isFile()) return undefined;
      this.lease(name);
      const now = new Date();
      await fs.utimes(target, now, now).catch(() => undefined); // last use, for eviction order
      return stat.size;
    });
    if (cached !== undefined) return this.handle(name, target, cached);
    this.lease(name);
    try {
      const bytes = await this.join(this.download(name, target, fileId, client), options);
      return this.handle(name, target, bytes);
    } catch (e) {
      this.unlease(name);
      throw e;
    }
  }

  /** Deletes every cached file not currently leased; returns what was removed. */
  async clear(): Promise<{ files: number; bytes: number }> {
    await this.prepare();
    return this.exclusive(async () => {
      let files = 0;
      let bytes = 0;
      for (const entry of await this.entries()) {
        if (this.leases.has(entry.name)) continue;
        if (await remove(entry.path)) {
          files++;
          bytes += entry.bytes;
        }
      }
      this.options.log.info(`Results cache: cleared ${countOf(files, 'file')} (${formatBytes(bytes)}).`);
      return { files, bytes };
    });
  }

  private handle(name: string, filePath: string, bytes: number): CachedFile {
    let released = false;
    return {
      path: filePath,
      bytes,
      release: () => {
        if (released) return;
        released = true;
        this.unlease(name);
      },
    };
  }

  private lease(name: string): void {
    this.leases.set(name, (this.leases.get(name) ?? 0) + 1);
  }

  private unlease(name: string): void {
    const n = (this.leases.get(name) ?? 0) - 1;
    if (n > 0) this.leases.set(name, n);
    else this.leases.delete(name);
  }

  /** One download per file, whoever asks; it is abandoned only when every caller has cancelled. */
  private download(name: string, target: string, fileId: string, client: OpenAIClient): SharedDownload {
    const running = this.downloads.get(name);
    if (running) return running;
    const controller = new AbortController();
    const listeners = new Set<(received: number, total?: number) => void>();
    const promise = (async () => {
      const started = Date.now();
      await fs.mkdir(this.options.dir, { recursive: true }); // it may have been deleted since
      const file = await client.retrieveFile(fileId, controller.signal);
      const bytes = await downloadFile(client, fileId, target, {
        signal: controller.signal,
        expectedBytes: file.bytes,
        onProgress: (received) => listeners.forEach((l) => l(received, file.bytes)),
      });
      this.options.log.info(`Results cache: downloaded ${fileId} (${formatBytes(bytes)}) in ${Date.now() - started} ms.`);
      await this.evict().catch((e: Error) => this.options.log.warn(`Results cache: eviction failed: ${e.message}`));
      return bytes;
    })();
    const shared: SharedDownload = { promise, controller, listeners, waiters: 0 };
    this.downloads.set(name, shared);
    const forget = () => {
      if (this.downloads.get(name) === shared) this.downloads.delete(name);
    };
    promise.then(forget, forget);
    return shared;
  }

  /** Waits for a shared download on behalf of one caller, who may cancel without stopping the others. */
  private join(shared: SharedDownload, options: EnsureOptions): Promise<number> {
    const { signal, onProgress } = options;
    shared.waiters++;
    if (onProgress) shared.listeners.add(onProgress);
    return new Promise<number>((resolve, reject) => {
      let settled = false;
      const leave = (): boolean => {
        if (settled) return false;
        settled = true;
        shared.waiters--;
        if (onProgress) shared.listeners.delete(onProgress);
        signal?.removeEventListener('abort', onAbort);
        return true;
      };
      const onAbort = () => {
        if (!leave()) return;
        if (shared.waiters === 0) {
          // Nobody waits any more: stop it, and let the next caller start afresh.
          for (const [name, running] of this.downloads) if (running === shared) this.downloads.delete(name);
          shared.controller.abort();
        }
        reject(cancelledError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      if (signal?.aborted) onAbort();
      shared.promise.then(
        (bytes) => leave() && resolve(bytes),
        (e: unknown) => leave() && reject(e),
      );
    });
  }

  /** Least recently used first, until the cache fits its cap; leased files and downloads stay. */
  private evict(): Promise<void> {
    return this.exclusive(async () => {
      const cap = this.options.capBytes();
      const entries = await this.entries();
      let total = entries.reduce((sum, e) => sum + e.bytes, 0);
      if (total <= cap) return;
      entries.sort((a, b) => a.usedMs - b.usedMs || (a.name < b.name ? -1 : 1));
      for (const entry of entries) {
        if (total <= cap) break;
        if (this.leases.has(entry.name)) continue;
        if (await remove(entry.path)) {
          total -= entry.bytes;
          this.options.log.info(`Results cache: evicted ${entry.name} (${formatBytes(entry.bytes)}) to stay under ${formatBytes(cap)}.`);
        }
      }
    });
  }

  /** The cached files: finished downloads only (temporary files start with a dot). */
  private async entries(): Promise<Entry[]> {
    const entries: Entry[] = [];
    const names = await fs.readdir(this.options.dir).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return [];
      throw e;
    });
    for (const name of names) {
      if (!isCacheFileName(name)) continue;
      const filePath = path.join(this.options.dir, name);
      const stat = await fs.stat(filePath).catch(() => undefined);
      if (stat?.isFile()) entries.push({ name, path: filePath, bytes: stat.size, usedMs: stat.mtimeMs });
    }
    return entries;
  }

  /** Once per cache: the directory exists, and temporary files a crash left behind are gone. */
  private prepare(): Promise<void> {
    this.prepared ??= (async () => {
      await fs.mkdir(this.options.dir, { recursive: true });
      const now = Date.now();
      for (const name of await fs.readdir(this.options.dir)) {
        if (!name.endsWith('.part')) continue;
        const filePath = path.join(this.options.dir, name);
        const stat = await fs.stat(filePath).catch(() => undefined);
        // A recent one may belong to a download running in another window.
        if (stat && now - stat.mtimeMs > STALE_PART_MS && (await remove(filePath))) this.options.log.info(`Results cache: removed the unfinished download ${name}.`);
      }
    })().catch((e: unknown) => {
      this.prepared = undefined;
      throw e;
    });
    return this.prepared;
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.lock.then(task, task);
    this.lock = run.catch(() => undefined);
    return run;
  }
}

/** `file-abc-<hash>.jsonl`: readable, and distinct per namespace even for equal ids. */
export function cacheFileName(namespace: string, fileId: string): string {
  const hash = createHash('sha256').update(namespace).update('\n').update(fileId).digest('hex').slice(0, 16);
  const readable = fileId.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 64);
  return `${readable}-${hash}.jsonl`;
}

function isCacheFileName(name: string): boolean {
  return /^[A-Za-z0-9_-]*-[0-9a-f]{16}\.jsonl$/.test(name);
}

async function remove(filePath: string): Promise<boolean> {
  try {
    await fs.rm(filePath);
    return true;
  } catch {
    return false;
  }
}

function cancelledError(): ApiError {
  return new ApiError({ kind: 'aborted', message: 'The download was cancelled.' });
}
