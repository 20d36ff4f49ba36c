import { normalizeStatus } from './status';

/**
 * A batch as the extension uses it: every field the server may omit, null or mistype is optional,
 * so one bad field only degrades its own display. Every key is always present (possibly undefined):
 * one object shape keeps thousands of rows fast to group and render.
 */
export interface Batch {
  readonly id: string;
  /** Normalised (lower snake_case); `unknown` when the server sent none. */
  readonly status: string;
  readonly endpoint?: string;
  readonly model?: string;
  readonly completionWindow?: string;
  readonly inputFileId?: string;
  readonly outputFileId?: string;
  readonly errorFileId?: string;
  readonly createdAt?: number;
  readonly inProgressAt?: number;
  readonly finalizingAt?: number;
  readonly completedAt?: number;
  readonly failedAt?: number;
  readonly expiredAt?: number;
  readonly cancellingAt?: number;
  readonly cancelledAt?: number;
  readonly expiresAt?: number;
  readonly requestCounts?: RequestCounts;
  readonly usage?: Usage;
  readonly metadata?: Readonly<Record<string, string>>;
  readonly errors: readonly BatchError[];
}

export interface RequestCounts {
  readonly total: number;
  readonly completed: number;
  readonly failed: number;
}

export interface Usage {
  readonly inputTokens?: number;
  readonly outputTokens?: number;
  readonly totalTokens?: number;
  readonly cachedTokens?: number;
  readonly reasoningTokens?: number;
}

export interface BatchError {
  readonly code?: string;
  readonly message?: string;
  readonly param?: string;
  readonly line?: number;
}

export type FileKind = 'input' | 'output' | 'error';
export const FILE_KINDS: readonly FileKind[] = ['input', 'output', 'error'];

/** A batch's three files: one name each, used everywhere (tree, pickers, commands, messages). */
export const FILE_KIND: Readonly<Record<FileKind, { readonly label: string; readonly icon: string; readonly field: 'inputFileId' | 'outputFileId' | 'errorFileId' }>> = {
  input: { label: 'Input File', icon: 'file', field: 'inputFileId' },
  output: { label: 'Output File', icon: 'output', field: 'outputFileId' },
  // Not `warning`: that marks a file too large to open.
  error: { label: 'Error File', icon: 'bracket-error', field: 'errorFileId' },
};

export function fileIdOf(batch: Batch, kind: FileKind): string | undefined {
  return batch[FILE_KIND[kind].field];
}

export interface ParsedBatch {
  readonly batch?: Batch;
  /** Fields that were present but unusable; logged, never thrown. */
  readonly problems: readonly string[];
}

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses one entry of `data` (or a retrieved batch). Without a usable id there is nothing to show. */
export function parseBatch(raw: unknown): ParsedBatch {
  if (!isObject(raw)) return { problems: [`not an object (${describeType(raw)})`] };
  const problems: string[] = [];
  const id = raw.id;
  if (typeof id !== 'string' || id.trim() === '') {
    return { problems: [`no usable id (${describeType(id)})`] };
  }
  const p = new FieldReader(raw, problems);
  const batch: Batch = {
    id,
    status: normalizeStatus(p.string('status')),
    endpoint: p.string('endpoint'),
    model: p.string('model'),
    completionWindow: p.string('completion_window'),
    inputFileId: p.fileId('input_file_id'),
    outputFileId: p.fileId('output_file_id'),
    errorFileId: p.fileId('error_file_id'),
    createdAt: p.time('created_at'),
    inProgressAt: p.time('in_progress_at'),
    finalizingAt: p.time('finalizing_at'),
    completedAt: p.time('completed_at'),
    failedAt: p.time('failed_at'),
    expiredAt: p.time('expired_at'),
    cancellingAt: p.time('cancelling_at'),
    cancelledAt: p.time('cancelled_at'),
    expiresAt: p.time('expires_at'),
    requestCounts: p.requestCounts(),
    usage: p.usage(),
    metadata: p.metadata(),
    errors: p.errors(),
  };
  if (typeof raw.status !== 'string') problems.push(`status: ${describeType(raw.status)}`);
  return { batch, problems: problems.length ? problems.map((m) => `${id}: ${m}`) : problems };
}

/** Reads typed fields off a raw object, noting every present-but-wrong value. */
class FieldReader {
  constructor(
    private readonly raw: Obj,
    private readonly problems: string[],
  ) {}

  private bad(field: string, value: unknown): undefined {
    this.problems.push(`${field}: unexpected ${describeType(value)}`);
    return undefined;
  }

  string(field: string): string | undefined {
    const v = this.raw[field];
    if (v == null) return undefined;
    if (typeof v === 'string') return v === '' ? undefined : v;
    return this.bad(field, v);
  }

  /** A file id; `""` (some servers' "no file") and blanks are no file, like null. */
  fileId(field: string): string | undefined {
    const v = this.string(field);
    return v === undefined || v.trim() === '' ? undefined : v;
  }

  /** Unix seconds; also accepts ISO-8601 strings and numeric strings, as some servers send. */
  time(field: string): number | undefined {
    const v = this.raw[field];
    if (v == null) return undefined;
    const t = toUnixSeconds(v);
    return t === undefined ? this.bad(field, v) : t;
  }

  requestCounts(): RequestCounts | undefined {
    const v = this.raw.request_counts;
    if (v == null) return undefined;
    if (!isObject(v)) return this.bad('request_counts', v);
    const total = toCount(v.total);
    const completed = toCount(v.completed);
    const failed = toCount(v.failed);
    if (total === undefined && completed === undefined && failed === undefined) return this.bad('request_counts', v);
    return { total: total ?? 0, completed: completed ?? 0, failed: failed ?? 0 };
  }

  usage(): Usage | undefined {
    const v = this.raw.usage;
    if (v == null) return undefined;
    if (!isObject(v)) return this.bad('usage', v);
    const inDetails = isObject(v.input_tokens_details) ? v.input_tokens_details : {};
    const outDetails = isObject(v.output_tokens_details) ? v.output_tokens_details : {};
    return {
      inputTokens: toCount(v.input_tokens),
      outputTokens: toCount(v.output_tokens),
      totalTokens: toCount(v.total_tokens),
      cachedTokens: toCount(inDetails.cached_tokens),
      reasoningTokens: toCount(outDetails.reasoning_tokens),
    };
  }

  metadata(): Record<string, string> | undefined {
    const v = this.raw.metadata;
    if (v == null) return undefined;
    if (!isObject(v)) return this.bad('metadata', v);
    const out: Record<string, string> = {};
    for (const [k, val] of Object.entries(v)) {
      if (val == null) continue;
      out[k] = typeof val === 'string' ? val : JSON.stringify(val);
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }

  errors(): BatchError[] {
    const v = this.raw.errors;
    if (v == null) return [];
    // The spec wraps the list ({object:"list", data:[...]}); tolerate a bare array too.
    const list = isObject(v) ? v.data : v;
    if (!Array.isArray(list)) {
      this.bad('errors', v);
      return [];
    }
    return list.filter(isObject).map((e) => ({
      code: typeof e.code === 'string' ? e.code : undefined,
      message: typeof e.message === 'string' ? e.message : undefined,
      param: typeof e.param === 'string' ? e.param : undefined,
      line: toCount(e.line),
    }));
  }
}

export function toUnixSeconds(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && v > 0 ? (v > 1e12 ? Math.floor(v / 1000) : v) : undefined;
  if (typeof v !== 'string' || v.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(v.trim())) return toUnixSeconds(Number(v));
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

function toCount(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return undefined;
}

function describeType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'string') return `string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  return typeof v;
}
