// When and how long to wait before retrying a call to the GPU function: connection errors and
// 502/503/504 are retried with exponential backoff and full jitter, capped; a Retry-After header
// (seconds or an HTTP date) is honoured when it asks for longer. Pure, so it is tested alone.

export interface RetryOptions {
  /** Attempts in total, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const RETRY_DEFAULTS: Readonly<RetryOptions> = { attempts: 3, baseDelayMs: 250, maxDelayMs: 5_000 };

export const RETRYABLE_STATUS = new Set([502, 503, 504]);

/** Retry-After in milliseconds (delta-seconds or HTTP-date), or null when absent or invalid. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (value === null || value.trim() === "") return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** Delay before attempt `attempt + 1` (attempt counts from 1); random in [0, 1) for the jitter. */
export function backoffDelay(
  attempt: number,
  options: RetryOptions,
  random: number,
  retryAfterMs: number | null,
): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  const jittered = Math.floor(random * ceiling);
  return retryAfterMs === null
    ? jittered
    : Math.min(options.maxDelayMs * 4, Math.max(jittered, retryAfterMs));
}
