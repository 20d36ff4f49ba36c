import { FILE_KIND, FILE_KINDS, fileIdOf, type Batch } from './batch';
import { isTooLargeForEditor } from './editorFile';
import type { FileObject } from './fileObject';
import { escapeMarkdown, formatBytes, formatCount, localTime, relativeAge, relativeAgeChangesAt } from './format';
import { retryOf } from './retry/lineage';
import { isActiveStatus, statusAppearance, statusLabel } from './status';

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

/**
 * A completed batch none of whose requests succeeded (every one in the error file, `output_file_id` null):
 * not a success, whatever its status says. Decided by `request_counts` when it has them, else by its files.
 */
export function nothingSucceeded(batch: Batch): boolean {
  if (batch.status !== 'completed') return false;
  const c = batch.requestCounts;
  if (c && c.total > 0) return c.completed === 0;
  return batch.outputFileId === undefined && batch.errorFileId !== undefined;
}

/** Finalizing with every request done: it is writing its results (which can take long), not stuck. */
export function writingResults(batch: Batch): boolean {
  const c = batch.requestCounts;
  return batch.status === 'finalizing' && c !== undefined && c.total > 0 && c.completed + c.failed >= c.total;
}

/** Still running (validating, in progress, finalizing) though its completion window has ended. */
export function pastExpiry(batch: Batch, nowMs = Date.now()): boolean {
  return isActiveStatus(batch.status) && batch.status !== 'cancelling' && batch.expiresAt !== undefined && batch.expiresAt * 1000 <= nowMs;
}

/** How a stopped batch's finished part is named: "before it expired". */
const STOPPED: Readonly<Record<string, string>> = { expired: 'before it expired', cancelled: 'before it was cancelled' };

/**
 * A finished batch's outcome from its `request_counts`, the one place rows, tooltips and notifications
 * read it from: `2,943 succeeded · 52 failed`; `0 of 120 succeeded` when nothing did; `820 of 1,000 done
 * before it expired` (or was cancelled): partial results are results.
 */
export function resultCountsText(batch: Batch): string | undefined {
  const c = batch.requestCounts;
  if (!c || c.total === 0 || isActiveStatus(batch.status)) return undefined;
  const stopped = STOPPED[batch.status];
  if (stopped) return `${formatCount(c.completed)} of ${formatCount(c.total)} done ${stopped}`;
  if (nothingSucceeded(batch)) return `0 of ${formatCount(c.total)} succeeded`;
  const failed = c.failed > 0 ? ` · ${formatCount(c.failed)} failed` : '';
  return `${formatCount(c.completed)} succeeded${failed}`;
}

/** What the row adds to its progress so that a batch does not look stuck or fine when it is not. */
function stateNote(batch: Batch, nowMs: number): string | undefined {
  if (pastExpiry(batch, nowMs)) return `past its ${batch.completionWindow ? `${batch.completionWindow} ` : ''}window`;
  if (writingResults(batch)) return 'writing results';
  return undefined;
}

/**
 * What the tooltip says about a batch's state beyond its status, one sentence each: why a completed batch
 * is no success, what an expired or cancelled batch left, that a finalizing batch is writing its results,
 * that a batch is running past its window.
 */
export function stateNotes(batch: Batch, nowMs = Date.now()): string[] {
  const notes: string[] = [];
  const c = batch.requestCounts;
  if (nothingSucceeded(batch)) {
    notes.push(batch.errorFileId ? 'No request succeeded: every request is in the error file (Open Error File says why).' : 'No request succeeded, and the batch has no output file.');
  }
  const stopped = STOPPED[batch.status];
  if (stopped) {
    if (batch.outputFileId) notes.push(`Its output file has the ${c ? `${formatCount(c.completed)} ` : ''}requests done ${stopped}: Open Results or Open Output File.`);
    else notes.push(`Nothing was done ${stopped}: it has no output file.`);
  }
  if (writingResults(batch) && c) notes.push(`${c.total === 1 ? 'Its 1 request is' : `All ${formatCount(c.total)} requests are`} done: it is writing the results, which can take a while.`);
  if (pastExpiry(batch, nowMs) && batch.expiresAt !== undefined) {
    notes.push(`Its ${batch.completionWindow ? `${batch.completionWindow} ` : ''}window ended ${relativeAge(batch.expiresAt, nowMs)}, and it is still running: requests not done when it stops expire.`);
  }
  return notes;
}

/** How the row's label is chosen (the `openaiBatches.label` setting). */
export type LabelMode = 'description' | 'id';
export const LABEL_MODES: readonly LabelMode[] = ['description', 'id'];

const MAX_NAME = 100;

/** The batch's `metadata.description` on one line (cut at 100 characters); undefined when blank. */
export function batchName(batch: Batch): string | undefined {
  const name = batch.metadata?.description?.replace(/\s+/g, ' ').trim();
  if (!name) return undefined;
  return name.length > MAX_NAME ? `${name.slice(0, MAX_NAME - 1)}…` : name;
}

/** The row's label: the batch's description when it has one and the mode says so, else its id. */
export function batchLabel(batch: Batch, mode: LabelMode): string {
  return (mode === 'description' ? batchName(batch) : undefined) ?? batch.id;
}

/**
 * The row's description: model · endpoint · progress (or, once finished, what came of it) · a state note ·
 * age, and the id last when the label is not the id.
 */
export function batchDescription(batch: Batch, nowMs = Date.now(), mode: LabelMode = 'id'): string {
  return [
    batch.model,
    shortEndpoint(batch.endpoint),
    resultCountsText(batch) ?? progressText(batch),
    stateNote(batch, nowMs),
    batch.createdAt !== undefined ? relativeAge(batch.createdAt, nowMs) : undefined,
    batchLabel(batch, mode) === batch.id ? undefined : batch.id,
  ]
    .filter((s) => s !== undefined && s !== '')
    .join(' · ');
}

/**
 * When `batchDescription` next reads differently on its own (ms since the epoch): its age's next step, or
 * the moment a running batch passes its `expires_at`. A row can be reused until then.
 */
export function descriptionChangesAt(batch: Batch, nowMs = Date.now()): number {
  const age = batch.createdAt === undefined ? Infinity : relativeAgeChangesAt(batch.createdAt, nowMs);
  const expires = batch.expiresAt !== undefined && !pastExpiry(batch, nowMs) && pastExpiry(batch, Infinity) ? batch.expiresAt * 1000 : Infinity;
  return Math.min(age, expires);
}

/** What a screen reader says for the row: label, status (or that nothing succeeded), then the description. */
export function batchAccessibilityLabel(batch: Batch, nowMs = Date.now(), mode: LabelMode = 'id'): string {
  const status = nothingSucceeded(batch) ? `${statusLabel(batch.status)}, no request succeeded` : statusLabel(batch.status);
  return [batchLabel(batch, mode), status, batchDescription(batch, nowMs, mode).replace(/ · /g, ', ')].filter(Boolean).join(', ');
}

/** The row's icon: its status's, but a warning for a completed batch in which nothing succeeded. */
export function batchAppearance(batch: Batch): { readonly icon: string; readonly color: string; readonly spins: boolean } {
  return nothingSucceeded(batch) ? NOTHING_SUCCEEDED_APPEARANCE : statusAppearance(batch.status);
}

const NOTHING_SUCCEEDED_APPEARANCE = { icon: 'warning', color: 'list.warningForeground', spins: false } as const;

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

/** The tooltip, as Markdown: everything a user checks before opening the JSON. `extra` rows go after the tokens (the cost). */
export function batchTooltipMarkdown(batch: Batch, options: { readonly nowMs?: number; readonly extra?: readonly string[]; readonly modelLabel?: (name: string) => string } = {}): string {
  const e = escapeMarkdown;
  const nowMs = options.nowMs ?? Date.now();
  const lines: string[] = [`**${e(batch.id)}** — ${e(statusLabel(batch.status))}`, ''];
  const notes = stateNotes(batch, nowMs);
  if (notes.length > 0) lines.push(...notes.map((n) => `${nothingSucceeded(batch) ? '$(warning) ' : ''}${e(n)}`), '');
  const row = (name: string, value: string) => lines.push(`${name}: ${value}  `);
  const parent = retryOf(batch);
  if (parent) row('Retry of', e(parent));
  if (batch.endpoint) row('Endpoint', `\`${batch.endpoint.replace(/`/g, '')}\``);
  if (batch.model) row('Model', e(options.modelLabel?.(batch.model) ?? batch.model));
  if (batch.completionWindow) row('Window', e(batch.completionWindow));
  for (const [field, label] of TIMESTAMPS) {
    const t = batch[field];
    if (typeof t === 'number') row(label, e(localTime(t)));
  }
  const c = batch.requestCounts;
  const outcome = resultCountsText(batch);
  if (c && outcome && STOPPED[batch.status]) row('Requests', `${outcome}; ${formatCount(c.failed)} failed or not run`);
  else if (c && outcome) row('Requests', `${outcome} (of ${formatCount(c.total)})`);
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
  for (const extra of options.extra ?? []) lines.push(`${extra}  `);
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

/** The picker's second line: the metadata, so typing it finds the batch (the model is in the description). */
export function batchDetailText(batch: Batch): string {
  return batch.metadata ? Object.entries(batch.metadata).map(([k, v]) => `${k}=${v}`).join(' · ') : '';
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
