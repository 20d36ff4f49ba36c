/** Small, locale-aware formatting shared by the tree, tooltips and pickers. */

const UNITS: [number, string][] = [
  [60, 's'],
  [60, 'm'],
  [24, 'h'],
  [30, 'd'],
  [12, 'mo'],
];

/** `42s ago`, `3h ago`, `5d ago`, `2y ago`; `in 3h` for future times. */
export function relativeAge(unixSeconds: number, nowMs = Date.now()): string {
  const diff = Math.round(nowMs / 1000 - unixSeconds);
  let value = Math.abs(diff);
  let unit = 'y';
  for (const [size, name] of UNITS) {
    if (value < size) {
      unit = name;
      break;
    }
    value = Math.floor(value / size);
  }
  if (unit === 's' && value < 10) return diff >= 0 ? 'just now' : 'in a moment';
  return diff >= 0 ? `${value}${unit} ago` : `in ${value}${unit}`;
}

/** Seconds per step of each unit `relativeAge` shows (a month is 30 days, a year 12 of them). */
const AGE_STEPS: [below: number, step: number][] = [
  [60, 1],
  [3600, 60],
  [86400, 3600],
  [30 * 86400, 86400],
  [360 * 86400, 30 * 86400],
];

/**
 * When `relativeAge(unixSeconds)` next reads differently (ms since the epoch): a row showing the age can be
 * reused until then. Ages in the future are rare (clock skew): they are good for a second.
 */
export function relativeAgeChangesAt(unixSeconds: number, nowMs = Date.now()): number {
  const diff = Math.round(nowMs / 1000 - unixSeconds);
  if (diff < 0) return nowMs + 1000;
  let next = 10; // "just now" until then
  if (diff >= 10) {
    const step = AGE_STEPS.find(([below]) => diff < below)?.[1] ?? 360 * 86400;
    next = (Math.floor(diff / step) + 1) * step;
  }
  // The age is rounded to whole seconds: it reads `next` from half a second before.
  return (unixSeconds + next - 0.5) * 1000;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  // "50 MB", not "50.0 MB": a whole number reads as one.
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1).replace(/\.0$/, '')} ${units[i]}`;
}

/** `19066` → `19,066`. By hand: Intl formatting costs more than the rest of a row's description. */
export function formatCount(n: number): string {
  const s = String(Math.trunc(n));
  return Number.isInteger(n) ? s.replace(/\B(?=(\d{3})+(?!\d))/g, ',') : n.toLocaleString('en-US');
}

export function localTime(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toLocaleString();
}

/** Server text goes into Markdown tooltips: it must render as text, never as links or markup. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&').replace(/\r?\n/g, ' ');
}

/** `1 request`, `1,204 requests`: a count with its noun, singular for exactly one. */
export function countOf(n: number, noun: string, pluralNoun = `${noun}s`): string {
  return `${formatCount(n)} ${n === 1 ? noun : pluralNoun}`;
}

/** `950`, `12.3K`, `2.1M`: a token count short enough for a status bar. */
export function compactCount(n: number): string {
  if (n < 1000) return String(Math.round(n));
  const [scale, unit] = n < 999_950 ? [1e3, 'K'] : n < 999_950_000 ? [1e6, 'M'] : [1e9, 'B'];
  const v = n / scale;
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)}${unit}`;
}

/** `$0.53`, `$1,240.00`, `< $0.01`: a US dollar amount for cost estimates. */
export function formatUsd(usd: number): string {
  if (usd > 0 && usd < 0.005) return '< $0.01';
  const [whole, cents] = usd.toFixed(2).split('.');
  return `$${formatCount(Number(whole))}.${cents}`;
}
