import { describe, expect, it } from "vitest";
import { gpuStageSpans, serverTimingHeader } from "./server-timing.ts";

describe("serverTimingHeader", () => {
  it("writes name, quoted desc and dur (0.1 ms), and keeps names tokens", () => {
    expect(
      serverTimingHeader([
        { name: "cache", desc: "HIT", durMs: 1.26 },
        { name: "total", durMs: 3 },
        { name: "idempotency", desc: 'replay "x"' },
        { name: "bad name", durMs: 0 },
      ]),
    ).toBe('cache;desc="HIT";dur=1.3, total;dur=3, idempotency;desc="replay \\"x\\"", bad_name;dur=0');
  });

  it("prefixes the GPU's stages with gpu-", () => {
    expect(serverTimingHeader(gpuStageSpans({ denoise: 100, total: 150 }))).toBe(
      "gpu-denoise;dur=100, gpu-total;dur=150",
    );
  });
});
