import type { Batch } from './batch';
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
export function groupByStatus(batches: Iterable<Batch>): StatusGroup[] {
  const byStatus = new Map<string, Batch[]>();
  for (const b of batches) {
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
