import { describeError } from './apiError';
import type { Batch } from './batch';
import type { BatchStore, Disposable } from './batchStore';
import type { Logger } from './logger';
import { isActiveStatus } from './status';

/** How many batches are fetched at once: polite to the API, quick enough for a few dozen. */
const CONCURRENCY = 4;

export type RetrieveBatch = (id: string, signal: AbortSignal) => Promise<Batch>;

/**
 * Keeps the loaded active batches (validating, in progress, finalizing, cancelling) current with
 * `GET /batches/{id}`, a few at a time, every `intervalSeconds` — but only while enabled (the view is
 * visible) and while there is something active. Updates go through the store, which tells the tree.
 */
export class ActiveBatchPoller implements Disposable {
  private intervalMs = 0;
  private enabled = false;
  private timer?: NodeJS.Timeout;
  private controller?: AbortController;
  private readonly subscription: Disposable;
  private readonly pollingListeners = new Set<() => void>();

  constructor(
    private readonly store: BatchStore,
    private readonly retrieve: RetrieveBatch,
    private readonly log: Logger,
  ) {
    this.subscription = store.onDidChange(() => this.schedule());
  }

  /** 0 turns polling off. */
  setInterval(seconds: number): void {
    this.intervalMs = Number.isFinite(seconds) && seconds > 0 ? Math.max(5, seconds) * 1000 : 0;
    this.reschedule();
  }

  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    this.reschedule();
  }

  get scheduled(): boolean {
    return this.timer !== undefined;
  }

  /** A round of requests is in flight. */
  get polling(): boolean {
    return this.controller !== undefined;
  }

  /** Fires when a round starts or ends. */
  onDidChangePolling(listener: () => void): Disposable {
    this.pollingListeners.add(listener);
    return { dispose: () => this.pollingListeners.delete(listener) };
  }

  /** One round now (also what the timer runs). */
  async poll(): Promise<void> {
    this.timer = undefined;
    const active = this.store.batches.filter((b) => isActiveStatus(b.status));
    if (active.length === 0) return;
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    this.firePolling();
    const queue = [...active];
    const worker = async () => {
      for (let b = queue.shift(); b && !controller.signal.aborted; b = queue.shift()) {
        try {
          const fresh = await this.retrieve(b.id, controller.signal);
          if (!controller.signal.aborted && this.store.get(b.id)) this.store.upsert(fresh);
        } catch (e) {
          if (!controller.signal.aborted) this.log.warn(`Could not refresh ${b.id}: ${describeError(e)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, active.length) }, worker));
    if (this.controller === controller) {
      this.controller = undefined;
      this.firePolling();
    }
    this.schedule();
  }

  dispose(): void {
    this.subscription.dispose();
    this.stop();
  }

  private reschedule(): void {
    this.stop();
    this.schedule();
  }

  private stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.controller) return;
    this.controller.abort();
    this.controller = undefined;
    this.firePolling();
  }

  private firePolling(): void {
    for (const listener of [...this.pollingListeners]) listener();
  }

  /** Arms the timer when polling is wanted and something is active; never twice. */
  private schedule(): void {
    if (this.timer || this.controller || !this.enabled || this.intervalMs === 0) return;
    if (this.store.activeCount === 0) return;
    this.timer = setTimeout(() => void this.poll(), this.intervalMs);
  }
}
