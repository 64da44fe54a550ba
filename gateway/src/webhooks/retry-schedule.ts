// When a failed webhook delivery is tried again: exponential backoff from WEBHOOK_RETRY_BASE_SECONDS
// (default 5 s; the local stack's tests shorten it), doubling per attempt up to 6 hours apart,
// for WEBHOOK_RETRY_WINDOW_MS (30 hours, so the last attempt comes more than a day after the first) after the run of retries began. With the
// defaults that is 17 attempts: 5 s, 10 s, 20 s, ... 6 h apart, the last 29.4 h after the first.

export const DEFAULT_RETRY_BASE_SECONDS = 5;
export const MAX_RETRY_DELAY_SECONDS = 6 * 60 * 60;
export const WEBHOOK_RETRY_WINDOW_MS = 30 * 60 * 60 * 1000;

export function retryBaseSeconds(env: { WEBHOOK_RETRY_BASE_SECONDS?: string }): number {
  const raw = env.WEBHOOK_RETRY_BASE_SECONDS;
  if (raw === undefined) return DEFAULT_RETRY_BASE_SECONDS;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`WEBHOOK_RETRY_BASE_SECONDS must be a positive integer, not "${raw}"`);
  return n;
}

/** Seconds before attempt `attempt + 1`, after attempt `attempt` (1, 2, ...) failed. */
export function retryDelaySeconds(attempt: number, baseSeconds: number): number {
  return Math.min(MAX_RETRY_DELAY_SECONDS, baseSeconds * 2 ** (attempt - 1));
}

/** Whether another attempt is due after this one, or the day of retries is over. */
export function shouldRetry(retryFrom: number, now: number, delaySeconds: number): boolean {
  return now + delaySeconds * 1000 - retryFrom <= WEBHOOK_RETRY_WINDOW_MS;
}
