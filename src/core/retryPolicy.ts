import type { ApiError } from './apiError';

const MAX_RETRIES = 2;

/** Statuses worth another try on an idempotent request (openai-node's list, minus 409 which here means a real conflict). */
function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** `x-should-retry` lets the server overrule the status. */
export function shouldRetryResponse(status: number, shouldRetryHeader: string | null): boolean {
  if (shouldRetryHeader === 'true') return true;
  if (shouldRetryHeader === 'false') return false;
  return isRetryableStatus(status);
}

export function shouldRetryError(error: ApiError, attempt: number): boolean {
  return attempt < MAX_RETRIES && error.retryable && !error.isQuotaError;
}

export interface RetryHeaders {
  retryAfterMs?: string | null;
  retryAfter?: string | null;
}

/**
 * Milliseconds to wait before retry number `attempt` (0-based): the server's hint when it is within
 * 0–60 s, else exponential backoff with jitter — openai-node's formula.
 */
export function retryDelayMs(attempt: number, headers: RetryHeaders, now = Date.now(), random = Math.random): number {
  const hinted = hintedDelayMs(headers, now);
  if (hinted !== undefined && hinted >= 0 && hinted <= 60_000) return hinted;
  const base = Math.min(0.5 * 2 ** attempt, 8);
  return Math.round(base * (1 - random() * 0.25) * 1000);
}

function hintedDelayMs(headers: RetryHeaders, now: number): number | undefined {
  const ms = parseFloat(headers.retryAfterMs ?? '');
  if (Number.isFinite(ms)) return ms;
  const raw = headers.retryAfter?.trim();
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : date - now;
}
