import { Worker } from 'node:worker_threads';
import type { Logger } from '../core/logger';
import type { InputTokens } from '../core/tokenEstimate';
import type { TokenReply, TokenRequest } from '../tokens/protocol';

/** An idle worker holds the tokenizer's tables (tens of MB): let it go after this long. */
const IDLE_MS = 120_000;

interface Job {
  resolve(tokens: InputTokens): void;
  reject(error: Error): void;
  onProgress?: (fraction: number) => void;
}

/**
 * Counts input tokens in a worker thread running dist/tokens.js, started on the first count (never at
 * activation) and stopped when idle, so the tokenizer neither loads nor runs on the extension host's
 * thread. Counts are cancelled through `signal`.
 */
export class TokenCounter {
  private worker?: Worker;
  private readonly jobs = new Map<number, Job>();
  private nextId = 1;
  private idleTimer?: NodeJS.Timeout;

  constructor(
    private readonly workerPath: string,
    private readonly log: Logger,
  ) {}

  /** Estimates the input tokens of a batch input file on disk, or of a text (an editor's content). */
  count(model: string, source: { path: string } | { text: string }, options: { signal?: AbortSignal; onProgress?: (fraction: number) => void } = {}): Promise<InputTokens> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(abortError());
    const id = this.nextId++;
    const worker = this.start();
    clearTimeout(this.idleTimer);
    return new Promise<InputTokens>((resolve, reject) => {
      const onAbort = () => {
        worker.postMessage({ type: 'cancel', id } satisfies TokenRequest);
        this.finish(id);
        reject(abortError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.jobs.set(id, {
        resolve: (tokens) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(tokens);
        },
        reject: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
        onProgress: options.onProgress,
      });
      worker.postMessage({ type: 'count', id, model, ...source } satisfies TokenRequest);
    });
  }

  dispose(): void {
    clearTimeout(this.idleTimer);
    void this.worker?.terminate();
    this.worker = undefined;
    for (const job of this.jobs.values()) job.reject(abortError());
    this.jobs.clear();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.workerPath);
    worker.on('message', (reply: TokenReply) => {
      const job = this.jobs.get(reply.id);
      if (!job) return;
      if (reply.type === 'progress') {
        job.onProgress?.(Math.min(1, reply.fraction));
        return;
      }
      this.finish(reply.id);
      if (reply.type === 'done') job.resolve(reply.tokens);
      else job.reject(new Error(`Could not count the tokens: ${reply.message}`));
    });
    // A worker that dies takes its jobs with it, never the extension; the next count starts a new one.
    worker.on('error', (e) => this.lost(worker, e));
    worker.on('exit', (code) => this.lost(worker, new Error(`the token worker stopped (exit code ${code})`)));
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private finish(id: number): void {
    this.jobs.delete(id);
    if (this.jobs.size > 0 || !this.worker) return;
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      void this.worker?.terminate();
      this.worker = undefined;
    }, IDLE_MS);
    this.idleTimer.unref();
  }

  private lost(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    if (this.jobs.size > 0) this.log.warn(`Token estimates: ${error.message}`);
    for (const job of this.jobs.values()) job.reject(error);
    this.jobs.clear();
  }
}

function abortError(): Error {
  const e = new Error('The token count was cancelled.');
  e.name = 'AbortError';
  return e;
}
