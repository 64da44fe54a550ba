import { describe, expect, it } from "vitest";
import {
  DEFAULT_RETRY_BASE_SECONDS,
  MAX_RETRY_DELAY_SECONDS,
  retryDelaySeconds,
  shouldRetry,
  WEBHOOK_RETRY_WINDOW_MS,
} from "./retry-schedule.ts";

describe("the webhook retry schedule", () => {
  it("doubles from 5 s up to 6 h apart", () => {
    const delays = Array.from({ length: 16 }, (_, i) => retryDelaySeconds(i + 1, DEFAULT_RETRY_BASE_SECONDS));
    expect(delays.slice(0, 4)).toEqual([5, 10, 20, 40]);
    expect(Math.max(...delays)).toBe(MAX_RETRY_DELAY_SECONDS);
  });

  it("keeps retrying for at least a day, and stops after the window", () => {
    let elapsedMs = 0;
    let attempt = 1;
    while (shouldRetry(0, elapsedMs, retryDelaySeconds(attempt, DEFAULT_RETRY_BASE_SECONDS))) {
      elapsedMs += retryDelaySeconds(attempt, DEFAULT_RETRY_BASE_SECONDS) * 1000;
      attempt++;
    }
    expect(elapsedMs).toBeGreaterThanOrEqual(24 * 60 * 60 * 1000);
    expect(elapsedMs).toBeLessThanOrEqual(WEBHOOK_RETRY_WINDOW_MS);
    expect(attempt).toBe(17); // the first and 16 retries, the last 29.4 h after the first
  });
});
