import type { Batch } from './batch';
import type { StoreChange } from './batchStore';
import { KNOWN_STATUSES, isKnownStatus, statusLabel } from './status';

export interface StatusGroup {
  readonly status: string;
  readonly label: string;
  readonly known: boolean;
  readonly batches: readonly Batch[];
}

/**
 * Groups loaded batches by status: known statuses in lifecycle order, then every other status as a
 * group of its own (in order of first appearance) so nothing is dropped or silently lumped in.
 * Batches keep their order (newest first) within a group.
 */
export function groupByStatus(batches: readonly Batch[]): StatusGroup[] {
  const byStatus = new Map<string, Batch[]>();
  for (let i = 0; i < batches.length; i++) {
    const b = batches[i];
    const list = byStatus.get(b.status);
    if (list) list.push(b);
    else byStatus.set(b.status, [b]);
  }
  const groups: StatusGroup[] = [];
  for (const status of KNOWN_STATUSES) {
    const list = byStatus.get(status);
    if (list) groups.push({ status, label: statusLabel(status), known: true, batches: list });
  }
  for (const [status, list] of byStatus) {
    if (!isKnownStatus(status)) groups.push({ status, label: statusLabel(status), known: false, batches: list });
  }
  return groups;
}

/**
 * The status groups of a store, kept current as it changes: a page appended is added to its groups
 * (cost of the page, not of everything loaded), a change of load state keeps them; anything else
 * regroups from scratch.
 */
export class GroupedBatches {
  private groups?: StatusGroup[];
  private readonly subscription: { dispose(): void };
  /** Only the batches it lets through are grouped (the view's filter). */
  private filter?: (batch: Batch) => boolean;

  constructor(private readonly store: { readonly batches: readonly Batch[]; onDidChange(l: (change?: StoreChange) => void): { dispose(): void } }) {
    this.subscription = store.onDidChange((change) => {
      if (change?.kind === 'loadState') return;
      if (!(change?.kind === 'appended' && this.groups && appendToGroups(this.groups, this.filter ? change.batches.filter(this.filter) : change.batches))) this.groups = undefined;
    });
  }

  get current(): readonly StatusGroup[] {
    this.groups ??= groupByStatus(this.filter ? this.store.batches.filter(this.filter) : this.store.batches);
    return this.groups;
  }

  /** Groups only the batches `filter` lets through (all of them when undefined), from the next read. */
  setFilter(filter: ((batch: Batch) => boolean) | undefined): void {
    this.filter = filter;
    this.groups = undefined;
  }

  /** Whether `batch` is in a group (lets through the filter). */
  shows(batch: Batch): boolean {
    return !this.filter || this.filter(batch);
  }

  dispose(): void {
    this.subscription.dispose();
  }
}

/** Adds batches to existing groups in place; false when one needs a group that does not exist yet. */
function appendToGroups(groups: StatusGroup[], batches: readonly Batch[]): boolean {
  const byStatus = new Map(groups.map((g) => [g.status, g.batches as Batch[]]));
  if (batches.some((b) => !byStatus.has(b.status))) return false;
  for (const b of batches) byStatus.get(b.status)!.push(b);
  return true;
}
