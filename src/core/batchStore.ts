import { describeError } from './apiError';
import type { Batch } from './batch';
import type { BatchPage } from './batchPage';
import type { ListParams } from './openaiClient';
import type { Logger } from './logger';
import { isActiveStatus } from './status';

export interface BatchListSource {
  listBatches(params: ListParams, signal?: AbortSignal): Promise<BatchPage>;
}

export type LoadKind = 'first' | 'more' | 'refresh';

export interface LoadFailure {
  readonly kind: LoadKind;
  readonly error: unknown;
}

export interface Disposable {
  dispose(): void;
}

/**
 * What changed, when it is small enough to apply incrementally: one batch replaced by a fresher copy,
 * a page appended, or only the load state (a load started, or failed): the batches are as they were.
 * Bulk changes (refresh, reset, in-place updates from a page) carry none.
 */
export type StoreChange =
  | { readonly kind: 'updated'; readonly previous: Batch; readonly current: Batch }
  | { readonly kind: 'appended'; readonly batches: readonly Batch[] }
  | { readonly kind: 'loadState'; readonly load: LoadKind };

export type StoreListener = (change?: StoreChange) => void;

/** How far past the previously loaded pages a Refresh may go to find the last batch it had. */
const REFRESH_EXTRA_PAGES = 5;

/**
 * The loaded batches of one account, newest first, with the list cursor. One list load runs at a time:
 * a second Load more while one runs reuses it, a Refresh supersedes it. Failures keep what is loaded.
 */
export class BatchStore {
  private items: Batch[] = [];
  private index = new Map<string, number>();
  private more = false;
  private loadedPages = 0;
  private active = 0;
  private current?: { kind: LoadKind; controller: AbortController; promise: Promise<void> };
  private failure?: LoadFailure;
  private readonly listeners = new Set<StoreListener>();

  constructor(
    private source: BatchListSource | undefined,
    private readonly pageSize: () => number,
    private readonly log: Logger,
  ) {}

  get batches(): readonly Batch[] {
    return this.items;
  }

  /** How many loaded batches are still running (validating, in progress, finalizing, cancelling). */
  get activeCount(): number {
    return this.active;
  }

  /** The last page said more exist. */
  get hasMore(): boolean {
    return this.more;
  }

  /** At least one page has arrived since the last reset. */
  get loaded(): boolean {
    return this.loadedPages > 0;
  }

  get loading(): LoadKind | undefined {
    return this.current?.kind;
  }

  /** The last load's failure, cleared by the next successful load. */
  get lastError(): LoadFailure | undefined {
    return this.failure;
  }

  get hasSource(): boolean {
    return this.source !== undefined;
  }

  get(id: string): Batch | undefined {
    const i = this.index.get(id);
    return i === undefined ? undefined : this.items[i];
  }

  onDidChange(listener: StoreListener): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** A new account or endpoint: forget everything and stop what is in flight. */
  reset(source: BatchListSource | undefined): void {
    this.current?.controller.abort();
    this.current = undefined;
    this.source = source;
    this.items = [];
    this.index.clear();
    this.more = false;
    this.loadedPages = 0;
    this.active = 0;
    this.failure = undefined;
    this.fire();
  }

  /**
   * Loads the first page once. Does nothing after a failure, so a view re-rendering its error can never
   * turn into a request loop; retrying is an explicit action.
   */
  ensureLoaded(): Promise<void> {
    if (this.current) return this.current.promise;
    if (this.loaded || this.failure || !this.source) return Promise.resolve();
    return this.start('first', (signal, source) => this.reload(source, signal));
  }

  /** The next page after the last loaded batch; the in-flight load when one is running. */
  loadMore(): Promise<void> {
    if (this.current) return this.current.promise;
    if (!this.source) return Promise.resolve();
    if (!this.loaded) return this.start('first', (signal, source) => this.reload(source, signal));
    if (!this.more) return Promise.resolve();
    return this.start('more', (signal, source) => this.fetchNextPage(source, signal));
  }

  /** Reloads from the first page as far as the user had loaded; supersedes any load in flight. */
  refresh(): Promise<void> {
    if (!this.source) return Promise.resolve();
    this.current?.controller.abort();
    this.current = undefined;
    return this.start(this.loaded ? 'refresh' : 'first', (signal, source) => this.reload(source, signal));
  }

  /** A fresher copy of one batch (from a retrieve): updated in place, or added on top when new. */
  upsert(batch: Batch): void {
    const i = this.index.get(batch.id);
    if (i === undefined) {
      this.items.unshift(batch);
      this.reindex();
      this.fire();
      return;
    }
    const previous = this.items[i];
    this.replace(i, batch);
    this.fire({ kind: 'updated', previous, current: batch });
  }

  private start(kind: LoadKind, work: (signal: AbortSignal, source: BatchListSource) => Promise<StoreChange | void>): Promise<void> {
    const source = this.source;
    if (!source) return Promise.resolve();
    const controller = new AbortController();
    let change: StoreChange | void = undefined;
    const run = async () => {
      try {
        change = await work(controller.signal, source);
        if (!controller.signal.aborted) this.failure = undefined;
      } catch (error) {
        if (controller.signal.aborted) return; // superseded or reset: not a failure
        this.failure = { kind, error };
        change = { kind: 'loadState', load: kind }; // the batches are as they were
        this.log.error(`Loading batches (${kind}) failed: ${describeError(error)}`);
      } finally {
        if (this.current?.controller === controller) {
          this.current = undefined;
          this.fire(change ?? undefined);
        }
      }
    };
    // Register before the work starts so a synchronous second call sees it.
    const entry: { kind: LoadKind; controller: AbortController; promise: Promise<void> } = { kind, controller, promise: Promise.resolve() };
    this.current = entry;
    entry.promise = run();
    this.fire({ kind: 'loadState', load: kind });
    return entry.promise;
  }

  /** Appends the next page; the change says what was appended unless it also updated loaded batches. */
  private async fetchNextPage(source: BatchListSource, signal: AbortSignal): Promise<StoreChange | undefined> {
    const after = this.items[this.items.length - 1]?.id;
    const limit = this.pageSize();
    const page = await source.listBatches({ after, limit }, signal);
    if (signal.aborted) return undefined;
    const fresh: Batch[] = [];
    let updated = false;
    for (const b of page.batches) {
      const i = this.index.get(b.id);
      if (i === undefined) fresh.push(b);
      else {
        this.replace(i, b);
        updated = true;
      }
    }
    this.more = this.continues(page, limit, fresh.length, after);
    for (const b of fresh) {
      this.index.set(b.id, this.items.length);
      this.items.push(b);
      if (isActiveStatus(b.status)) this.active++;
    }
    this.loadedPages++;
    return updated ? undefined : { kind: 'appended', batches: fresh };
  }

  /**
   * Fetches pages from the top until it has covered what was loaded (the previous last batch seen, or
   * the same number of pages), then swaps the list in at once: a failure leaves the old list untouched.
   */
  private async reload(source: BatchListSource, signal: AbortSignal): Promise<void> {
    const previous = this.items;
    const previousLast = previous[previous.length - 1]?.id;
    const targetPages = Math.max(1, this.loadedPages);
    const collected: Batch[] = [];
    const seen = new Set<string>();
    let more: boolean;
    let pages = 0;
    for (;;) {
      const after = collected[collected.length - 1]?.id;
      const limit = this.pageSize();
      const page = await source.listBatches({ after, limit }, signal);
      if (signal.aborted) return;
      pages++;
      let added = 0;
      for (const b of page.batches) {
        if (seen.has(b.id)) continue;
        seen.add(b.id);
        collected.push(b);
        added++;
      }
      more = this.continues(page, limit, added, after);
      const coveredPrevious = previousLast === undefined || seen.has(previousLast);
      if (!more || (pages >= targetPages && coveredPrevious) || pages >= targetPages + REFRESH_EXTRA_PAGES) break;
    }
    // Whatever the user had loaded but the refreshed pages did not reach stays, in its old order.
    for (const b of previous) if (!seen.has(b.id)) collected.push(b);
    this.items = collected;
    this.reindex();
    this.more = more;
    this.loadedPages = pages;
  }

  /**
   * Whether to offer another page; ends paging on the server bugs that would otherwise loop forever. A
   * server that does not say (no `has_more`) has more only if the page came back full.
   */
  private continues(page: BatchPage, limit: number, added: number, after: string | undefined): boolean {
    const said = page.hasMore !== undefined;
    if (!(page.hasMore ?? page.batches.length >= limit)) return false;
    if (page.batches.length === 0) {
      this.log.warn(`The server sent an empty page with has_more=true (after=${after ?? '∅'}); paging stops here.`);
      return false;
    }
    if (added === 0) {
      const why = said ? 'returned only batches already loaded' : 'returned a full page of batches already loaded, and no has_more';
      this.log.warn(`The cursor did not advance (after=${after ?? '∅'} ${why}); paging stops here.`);
      return false;
    }
    return true;
  }

  private replace(i: number, batch: Batch): void {
    this.active += Number(isActiveStatus(batch.status)) - Number(isActiveStatus(this.items[i].status));
    this.items[i] = batch;
  }

  private reindex(): void {
    this.index.clear();
    this.active = 0;
    this.items.forEach((b, i) => {
      this.index.set(b.id, i);
      if (isActiveStatus(b.status)) this.active++;
    });
  }

  private fire(change?: StoreChange): void {
    for (const l of [...this.listeners]) {
      try {
        l(change);
      } catch (e) {
        this.log.error(`A batch store listener failed: ${describeError(e)}`);
      }
    }
  }
}
