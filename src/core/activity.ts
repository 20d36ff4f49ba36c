import type { Batch } from './batch';

/** How long after an active batch last changed the status-bar icon keeps spinning. */
export const RECENT_CHANGE_MS = 60_000;

/**
 * Whether the status bar shows motion: while a request is in flight, or for a while after an active
 * batch changed (its status or its request counts). A batch validating for hours is still, not spinning.
 */
export class RecentActivity {
  private changedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly recentMs = RECENT_CHANGE_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Notes a fresher copy of a batch; only a visible change counts. */
  noteUpdate(previous: Batch, current: Batch): void {
    if (changed(previous, current)) this.changedAt = this.now();
  }

  /** Another account (or none): its changes are not this one's. */
  reset(): void {
    this.changedAt = Number.NEGATIVE_INFINITY;
  }

  spinning(inFlight: boolean): boolean {
    return inFlight || this.msUntilStill() > 0;
  }

  /** How long until a recent change stops counting (0 when none does). */
  msUntilStill(): number {
    return Math.max(0, this.changedAt + this.recentMs - this.now());
  }
}

function changed(a: Batch, b: Batch): boolean {
  const x = a.requestCounts;
  const y = b.requestCounts;
  return a.status !== b.status || x?.completed !== y?.completed || x?.failed !== y?.failed || x?.total !== y?.total;
}
