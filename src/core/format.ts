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

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${units[i]}`;
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
