/** Batch statuses in lifecycle order: the order of the tree's groups. */
export const KNOWN_STATUSES = [
  'validating',
  'in_progress',
  'finalizing',
  'cancelling',
  'completed',
  'failed',
  'expired',
  'cancelled',
] as const;

export type KnownStatus = (typeof KNOWN_STATUSES)[number];

const ACTIVE: ReadonlySet<string> = new Set(['validating', 'in_progress', 'finalizing', 'cancelling']);
const CANCELLABLE: ReadonlySet<string> = new Set(['validating', 'in_progress', 'finalizing']);

/**
 * How each status looks: a codicon, a theme colour, and whether it spins. Only what is moving spins, and
 * the statuses that sit side by side in the tree differ in shape, not just in colour.
 */
export const STATUS_APPEARANCE: Readonly<Record<KnownStatus, { readonly icon: string; readonly color: string; readonly spins: boolean }>> = {
  validating: { icon: 'loading', color: 'charts.yellow', spins: true },
  in_progress: { icon: 'sync', color: 'charts.blue', spins: true },
  finalizing: { icon: 'gear', color: 'charts.purple', spins: true },
  cancelling: { icon: 'stop-circle', color: 'charts.orange', spins: false },
  completed: { icon: 'pass', color: 'testing.iconPassed', spins: false },
  failed: { icon: 'error', color: 'testing.iconFailed', spins: false },
  expired: { icon: 'watch', color: 'charts.orange', spins: false },
  cancelled: { icon: 'circle-slash', color: 'disabledForeground', spins: false },
};

const UNKNOWN_APPEARANCE = { icon: 'question', color: 'charts.yellow', spins: false } as const;

export function statusAppearance(status: string): { readonly icon: string; readonly color: string; readonly spins: boolean } {
  return isKnownStatus(status) ? STATUS_APPEARANCE[status] : UNKNOWN_APPEARANCE;
}

export function isKnownStatus(status: string): status is KnownStatus {
  return (KNOWN_STATUSES as readonly string[]).includes(status);
}

/** Still moving: worth a spinner (and, later, polling). */
export function isActiveStatus(status: string): boolean {
  return ACTIVE.has(status);
}

export function isCancellableStatus(status: string): boolean {
  return CANCELLABLE.has(status);
}

/**
 * Servers disagree on spelling (`Validating` on Azure previews, `IN_PROGRESS` on some proxies):
 * fold to the canonical snake_case so they group together.
 */
export function normalizeStatus(raw: unknown): string {
  if (typeof raw !== 'string') return 'unknown';
  // Separators alone ("-", " _ ") name nothing: they would make a group with an empty label.
  const s = raw.trim().toLowerCase().replace(/[\s_-]+/g, '_').replace(/^_|_$/g, '');
  if (s === '') return 'unknown';
  return s === 'canceled' ? 'cancelled' : s === 'canceling' ? 'cancelling' : s;
}

/** `in_progress` → `In Progress`; works for statuses the extension does not know too. */
export function statusLabel(status: string): string {
  return status
    .split('_')
    .filter((w) => w.length > 0)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join(' ');
}
