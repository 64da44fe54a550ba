import { describe, expect, it } from "vitest";
import { backoffDelay, parseRetryAfter, RETRY_DEFAULTS } from "./retry-policy.ts";

describe("parseRetryAfter", () => {
  it.each([
    ["5", 5000],
    [" 0 ", 0],
    ["Wed, 21 Oct 2026 07:28:10 GMT", 10_000],
    ["Wed, 21 Oct 2026 07:27:00 GMT", 0],
    ["soon", null],
    ["", null],
    [null, null],
  ])("%j -> %j ms", (value, ms) => {
    expect(parseRetryAfter(value, Date.parse("Wed, 21 Oct 2026 07:28:00 GMT"))).toBe(ms);
  });
});

describe("backoffDelay", () => {
  it("grows exponentially with full jitter, capped", () => {
    expect(backoffDelay(1, RETRY_DEFAULTS, 0.999, null)).toBe(249);
    expect(backoffDelay(2, RETRY_DEFAULTS, 0.999, null)).toBe(499);
    expect(backoffDelay(3, RETRY_DEFAULTS, 0.5, null)).toBe(500);
    expect(backoffDelay(10, RETRY_DEFAULTS, 0.999, null)).toBe(4995);
    expect(backoffDelay(2, RETRY_DEFAULTS, 0, null)).toBe(0);
  });

  it("waits at least as long as Retry-After asks, within a bound", () => {
    expect(backoffDelay(1, RETRY_DEFAULTS, 0.1, 3000)).toBe(3000);
    expect(backoffDelay(1, RETRY_DEFAULTS, 0.1, 3_600_000)).toBe(20_000);
  });
});
