import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { workingResolution } from "./working-resolution.ts";

describe("workingResolution", () => {
  it.each([
    [512, 512, 512, 512],
    [1024, 768, 512, 384],
    [768, 1024, 384, 512],
    [451, 300, 512, 344], // chelsea.png, enlarged as the release does
    [640, 427, 512, 344], // rocket.jpg
    [600, 400, 512, 344], // coffee.png
    [4000, 10, 512, 8],
  ])("%ix%i -> %ix%i", (w, h, ew, eh) => {
    expect(workingResolution(w, h)).toEqual({ width: ew, height: eh, originalWidth: w, originalHeight: h });
  });

  it("keeps small images small when upscale is off", () => {
    expect(workingResolution(451, 300, { upscale: false })).toMatchObject({ width: 448, height: 304 });
  });

  it("always gives multiples of 8 within 512 and keeps the aspect within one step", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8000 }), fc.integer({ min: 1, max: 8000 }), (w, h) => {
        const r = workingResolution(w, h);
        expect(r.width % 8).toBe(0);
        expect(r.height % 8).toBe(0);
        expect(Math.max(r.width, r.height)).toBe(512);
        const scale = 512 / Math.max(w, h);
        expect(Math.abs(r.width - w * scale)).toBeLessThanOrEqual(Math.max(4, 8 - w * scale));
        expect(Math.abs(r.height - h * scale)).toBeLessThanOrEqual(Math.max(4, 8 - h * scale));
      }),
    );
  });

  it("rejects empty sizes", () => {
    expect(() => workingResolution(0, 10)).toThrow(RangeError);
  });
});
