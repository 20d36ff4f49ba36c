import { FILE_KIND, FILE_KINDS, fileIdOf, type Batch } from './batch';
import { isTooLargeForEditor } from './editorFile';
import type { FileObject } from './fileObject';
import { escapeMarkdown, formatBytes, formatCount, localTime, relativeAge } from './format';
import { retryOf } from './retry/lineage';
import { isActiveStatus, statusLabel } from './status';

/** `/v1/chat/completions` → `chat/completions`: the prefix is the same everywhere. */
export function shortEndpoint(endpoint: string | undefined): string | undefined {
  return endpoint?.replace(/^\/?(v1\/)?/, '');
}

export function progressText(batch: Batch): string | undefined {
  const c = batch.requestCounts;
  if (!c || c.total === 0) return undefined;
  const failed = c.failed > 0 ? ` (${formatCount(c.failed)} failed)` : '';
  return `${formatCount(c.completed)}/${formatCount(c.total)}${failed}`;
}

/** A finished batch's outcome from its `request_counts`: `2,943 succeeded · 52 failed`. */
export function resultCountsText(batch: Batch): string | undefined {
  const c = batch.requestCounts;
  if (!c || c.total === 0 || isActiveStatus(batch.status)) return undefined;
  const failed = c.failed > 0 ? ` · ${formatCount(c.failed)} failed` : '';
  return `${formatCount(c.completed)} succeeded${failed}`;
}

/** The tree row's description: endpoint · progress (or, once finished, what came of it) · age. */
export function batchDescription(batch: Batch, nowMs = Date.now()): string {
  return [shortEndpoint(batch.endpoint), resultCountsText(batch) ?? progressText(batch), batch.createdAt !== undefined ? relativeAge(batch.createdAt, nowMs) : undefined]
    .filter((s) => s !== undefined && s !== '')
    .join(' · ');
}

const TIMESTAMPS: [keyof Batch, string][] = [
  ['createdAt', 'Created'],
  ['inProgressAt', 'Started'],
  ['finalizingAt', 'Finalizing since'],
  ['completedAt', 'Completed'],
  ['failedAt', 'Failed'],
  ['expiredAt', 'Expired'],
  ['cancellingAt', 'Cancelling since'],
  ['cancelledAt', 'Cancelled'],
  ['expiresAt', 'Expires'],
];

/** The tooltip, as Markdown: everything a user checks before opening the JSON. */
export function batchTooltipMarkdown(batch: Batch): string {
  const e = escapeMarkdown;
  const lines: string[] = [`**${e(batch.id)}** — ${e(statusLabel(batch.status))}`, ''];
  const row = (name: string, value: string) => lines.push(`${name}: ${value}  `);
  const parent = retryOf(batch);
  if (parent) row('Retry of', e(parent));
  if (batch.endpoint) row('Endpoint', `\`${batch.endpoint.replace(/`/g, '')}\``);
  if (batch.model) row('Model', e(batch.model));
  if (batch.completionWindow) row('Window', e(batch.completionWindow));
  for (const [field, name] of TIMESTAMPS) {
    const t = batch[field];
    if (typeof t === 'number') row(name, e(localTime(t)));
  }
  const c = batch.requestCounts;
  const outcome = resultCountsText(batch);
  if (c && outcome) row('Requests', `${outcome} (of ${formatCount(c.total)})`);
  else if (c) row('Requests', `${formatCount(c.completed)} of ${formatCount(c.total)} completed, ${formatCount(c.failed)} failed`);
  const u = batch.usage;
  if (u) {
    const parts = [
      u.inputTokens !== undefined ? `${formatCount(u.inputTokens)} in` : undefined,
      u.cachedTokens ? `${formatCount(u.cachedTokens)} cached` : undefined,
      u.outputTokens !== undefined ? `${formatCount(u.outputTokens)} out` : undefined,
      u.reasoningTokens ? `${formatCount(u.reasoningTokens)} reasoning` : undefined,
      u.totalTokens !== undefined ? `${formatCount(u.totalTokens)} total` : undefined,
    ].filter(Boolean);
    if (parts.length) row('Tokens', parts.join(' · '));
  }
  const files = FILE_KINDS.flatMap((kind) => {
    const id = fileIdOf(batch, kind);
    return id ? [`${FILE_KIND[kind].label} ${e(id)}`] : [];
  });
  if (files.length) row('Files', files.join(' · '));
  if (batch.metadata) {
    lines.push('', '**Metadata**', '');
    for (const [k, v] of Object.entries(batch.metadata)) lines.push(`- ${e(k)}: ${e(v)}`);
  }
  if (batch.errors.length > 0) {
    lines.push('', '**Errors**', '');
    const shown = batch.errors.slice(0, 10);
    for (const err of shown) {
      const where = err.line !== undefined ? ` (line ${err.line})` : '';
      lines.push(`- ${err.code ? `\`${err.code.replace(/`/g, '')}\`` : 'error'}${where}: ${e(err.message ?? '')}`);
    }
    if (batch.errors.length > shown.length) lines.push(`- …and ${batch.errors.length - shown.length} more`);
  }
  return lines.join('\n');
}

/** The picker's second line: model and metadata, so typing either finds the batch. */
export function batchDetailText(batch: Batch): string {
  const meta = batch.metadata ? Object.entries(batch.metadata).map(([k, v]) => `${k}=${v}`) : [];
  return [batch.model, ...meta].filter(Boolean).join(' · ');
}

/**
 * A file row's description: size (and the limit it is over) · age · name. The name comes last: output
 * files are named after their batch, which would push the size out of a narrow side bar.
 */
export function fileDescription(file: FileObject, limitBytes: number, nowMs = Date.now()): string {
  const size = file.bytes === undefined ? 'size unknown' : formatBytes(file.bytes);
  const over = file.bytes !== undefined && isTooLargeForEditor(file, limitBytes) ? ` (over ${formatBytes(limitBytes)})` : '';
  return [`${size}${over}`, file.createdAt !== undefined ? relativeAge(file.createdAt, nowMs) : undefined, file.filename].filter(Boolean).join(' · ');
}
