// Which batch retries which, from the `retry_of` metadata the loaded batches carry. Metadata is whatever a
// client wrote, so links to oneself and circles are ignored rather than followed.
import type { Batch } from '../batch';
import { RETRY_OF_KEY } from './retryMetadata';

/** The batch `batch` retries, by its metadata. */
export function retryOf(batch: Batch): string | undefined {
  const parent = batch.metadata?.[RETRY_OF_KEY]?.trim();
  return parent && parent !== batch.id ? parent : undefined;
}

/** Oldest first; the id breaks ties, so the order is the same on every render. */
function byCreation(a: Batch, b: Batch): number {
  return (a.createdAt ?? 0) - (b.createdAt ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export class Lineage {
  private readonly retries = new Map<string, Batch[]>();
  private readonly byId = new Map<string, Batch>();

  constructor(batches: readonly Batch[]) {
    this.add(batches);
  }

  /**
   * Takes in batches newly loaded, or fresher copies of loaded ones (a page, a retrieve), at the cost of
   * those batches only; returns the ids whose list of retries changed.
   */
  add(batches: readonly Batch[]): Set<string> {
    const changed = new Set<string>();
    for (const batch of batches) {
      const known = this.byId.has(batch.id);
      this.byId.set(batch.id, batch);
      const parent = retryOf(batch);
      if (parent === undefined) continue;
      let list = this.retries.get(parent);
      if (!list) this.retries.set(parent, (list = []));
      const at = known ? list.findIndex((b) => b.id === batch.id) : -1;
      if (at >= 0) list[at] = batch;
      else list.push(batch);
      changed.add(parent);
    }
    for (const id of changed) this.retries.get(id)!.sort(byCreation);
    return changed;
  }

  /** The loaded batches that retry `id`, oldest first (none when the metadata runs in a circle: there is no first batch). */
  retriesOf(id: string): readonly Batch[] {
    const list = this.retries.get(id);
    return list && !this.inCircle(id) ? list : [];
  }

  /** Whether `batch` retries another or has retries: it belongs to a chain. */
  inChain(batch: Batch): boolean {
    return retryOf(batch) !== undefined || this.retriesOf(batch.id).length > 0;
  }

  private inCircle(id: string): boolean {
    const seen = new Set<string>();
    for (let at: string | undefined = id; at !== undefined; ) {
      if (seen.has(at)) return at === id;
      seen.add(at);
      const batch = this.byId.get(at);
      at = batch ? retryOf(batch) : undefined;
    }
    return false;
  }
}

/**
 * `root` and every loaded retry of it, of its retries and so on, in the order they were created — a retry
 * always after the batch it retries, even when both were created in the same second.
 */
export function chainFrom(lineage: Lineage, root: Batch): Batch[] {
  const found: Batch[] = [];
  const seen = new Set([root.id]);
  for (let i = -1; i < found.length; i++) {
    for (const retry of lineage.retriesOf(i < 0 ? root.id : found[i].id)) {
      if (seen.has(retry.id)) continue;
      seen.add(retry.id);
      found.push(retry);
    }
  }
  const pending = found.sort(byCreation);
  const out = [root];
  const placed = new Set([root.id]);
  while (pending.length > 0) {
    // The first (oldest) whose parent is placed: every retry here retries a batch of the chain.
    const next = pending.splice(Math.max(0, pending.findIndex((b) => placed.has(retryOf(b) ?? ''))), 1)[0];
    out.push(next);
    placed.add(next.id);
  }
  return out;
}
