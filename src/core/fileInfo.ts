import { ApiError } from './apiError';
import type { Disposable } from './batchStore';
import type { FileObject } from './fileObject';
import type { OpenAIClient } from './openaiClient';

export type FileInfo =
  | { readonly state: 'loading' }
  | { readonly state: 'ready'; readonly file: FileObject }
  | { readonly state: 'failed'; readonly error: unknown };

type Entry = { info: FileInfo; promise?: Promise<FileObject> };

/**
 * File metadata (`GET /files/{id}`) of one account, fetched once per file: concurrent callers share one
 * request, and a file object never changes, so it is kept. A failure is kept too, to be shown where the
 * file is; it is fetched again only when a caller asks (`retry`), never behind the user's back.
 */
export class FileInfoCache {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<(fileId: string) => void>();
  /** Bumped by reset: answers for the previous account are dropped. */
  private generation = 0;

  get(fileId: string): FileInfo | undefined {
    return this.entries.get(fileId)?.info;
  }

  /**
   * The file's metadata, from the cache or one request. `signal` ends only this caller's wait: the
   * request itself is shared and finishes for the others.
   */
  load(client: Pick<OpenAIClient, 'retrieveFile'>, fileId: string, options: { retry?: boolean; signal?: AbortSignal } = {}): Promise<FileObject> {
    const entry = this.entries.get(fileId);
    if (entry?.info.state === 'ready') return Promise.resolve(entry.info.file);
    if (entry?.promise) return untilAborted(entry.promise, options.signal);
    if (entry?.info.state === 'failed' && !options.retry) return Promise.reject(entry.info.error);
    const generation = this.generation;
    const settle = (info: FileInfo) => {
      if (generation !== this.generation) return;
      this.entries.set(fileId, { info });
      this.fire(fileId);
    };
    const promise = client.retrieveFile(fileId).then(
      (file) => {
        settle({ state: 'ready', file });
        return file;
      },
      (error: unknown) => {
        settle({ state: 'failed', error });
        throw error;
      },
    );
    promise.catch(() => undefined); // the failure is kept and shown; callers that wait get it too
    this.entries.set(fileId, { info: { state: 'loading' }, promise });
    if (entry) this.fire(fileId); // a failure shown until now is being retried
    return untilAborted(promise, options.signal);
  }

  /** Starts fetching what is neither known nor on its way (failures stay failed). */
  prefetch(client: Pick<OpenAIClient, 'retrieveFile'>, fileIds: readonly string[]): void {
    for (const id of fileIds) if (!this.entries.has(id)) this.load(client, id).catch(() => undefined);
  }

  /** Failures fetched again on the next load (the user asked to retry). */
  forgetFailures(): void {
    for (const [id, entry] of this.entries) if (entry.info.state === 'failed') this.entries.delete(id);
  }

  /** Another account: everything known is someone else's. */
  reset(): void {
    this.generation++;
    this.entries.clear();
  }

  onDidChange(listener: (fileId: string) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private fire(fileId: string): void {
    for (const listener of [...this.listeners]) listener(fileId);
  }
}

function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new ApiError({ kind: 'aborted', message: 'The request was cancelled.' }));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
