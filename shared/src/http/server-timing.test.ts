import { describe, expect, it } from "vitest";
import { serverTimingHeader, stageSpans } from "./server-timing.ts";

describe("serverTimingHeader", () => {
  it("writes name, quoted desc and dur (0.01 ms), and keeps names tokens", () => {
    expect(
      serverTimingHeader([
        { name: "cache", desc: "HIT", durMs: 1.256 },
        { name: "total", durMs: 3 },
        { name: "idempotency", desc: 'replay "x"' },
        { name: "bad name", durMs: 0 },
      ]),
    ).toBe('cache;desc="HIT";dur=1.26, total;dur=3, idempotency;desc="replay \\"x\\"", bad_name;dur=0');
  });

  it("turns stage timings into spans, prefixed, without the non-finite ones", () => {
    expect(serverTimingHeader(stageSpans({ denoise: 100, nan: Number.NaN, total: 150 }, "gpu-"))).toBe(
      "gpu-denoise;dur=100, gpu-total;dur=150",
    );
    expect(serverTimingHeader(stageSpans({ queue: 0.123, denoise: 512.456 }))).toBe(
      "queue;dur=0.12, denoise;dur=512.46",
    );
  });
});
