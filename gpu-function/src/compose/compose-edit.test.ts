import fc from "fast-check";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { ellipseMask, syntheticEdit } from "../demo/synthetic-edit.ts";
import type { RgbImage } from "../image/types.ts";
import { composeEdit, composeWorking } from "./compose-edit.ts";

const arbitraryPhoto = fc
  .record({
    width: fc.integer({ min: 20, max: 90 }),
    height: fc.integer({ min: 20, max: 90 }),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  })
  .map(({ width, height, seed }): RgbImage => {
    // Smooth random colour field plus per-pixel noise: photo-like enough for the difference stages.
    const data = new Uint8Array(width * height * 3);
    let s = seed >>> 0;
    const next = () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 2 ** 32;
    };
    const [a, b, c] = [next() * 6, next() * 6, next() * 6];
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 3;
        data[i] = 128 + 100 * Math.sin(a + x / 9) + next() * 20 - 10;
        data[i + 1] = 128 + 100 * Math.cos(b + y / 7) + next() * 20 - 10;
        data[i + 2] = 128 + 100 * Math.sin(c + (x + y) / 11) + next() * 20 - 10;
      }
    }
    return { width, height, data };
  });

describe("composeEdit (full resolution)", () => {
  it("every pixel outside the layer is byte-identical, and the layer over the original is the result", async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryPhoto, fc.integer({ min: 0, max: 1000 }), async (original, seed) => {
        const { width: w, height: h } = original;
        const edited = syntheticEdit(original, ellipseMask(w, h, w / 2, h / 2, w / 4, h / 4), { seed });
        // A small working size keeps the property fast and always exercises the scale back.
        const { result, layer } = await composeEdit(
          { original, edited, rough: null, candidates: [] },
          { working: { maxSide: 48 }, minRegion: 4 },
        );
        expect(result.width).toBe(w);
        expect(layer.width).toBe(w);
        const { data: over, info } = await sharp(original.data, { raw: { width: w, height: h, channels: 3 } })
          .composite([{ input: Buffer.from(layer.data), raw: { width: w, height: h, channels: 4 } }])
          .raw()
          .toBuffer({ resolveWithObject: true });
        for (let i = 0; i < w * h; i++) {
          const alpha = layer.data[i * 4 + 3];
          for (let c = 0; c < 3; c++) {
            const r = result.data[i * 3 + c];
            if (alpha === 0) expect(r).toBe(original.data[i * 3 + c]);
            if (alpha === 255) expect(r).toBe(layer.data[i * 4 + c]);
            // libvips' own "over" agrees to within rounding.
            expect(Math.abs(r - over[i * info.channels + c])).toBeLessThanOrEqual(1);
          }
        }
      }),
      { numRuns: 15 },
    );
  });

  it("reports the chosen segment, its IoU, the changed pixels and per-stage timings", async () => {
    const w = 96;
    const h = 64;
    const original: RgbImage = { width: w, height: h, data: new Uint8Array(w * h * 3).fill(60) };
    const target = ellipseMask(w, h, 48, 32, 16, 12);
    const edited = syntheticEdit(original, target, { noise: 0, drift: 2 });
    const elsewhere = ellipseMask(w, h, 10, 10, 6, 6);
    const { summary } = await composeEdit(
      { original, edited, rough: null, candidates: [elsewhere, target] },
      { working: { maxSide: 96 } },
    );
    expect(summary).toMatchObject({
      working: { width: 96, height: 64 },
      roughSource: "difference",
      candidateCount: 2,
      chosenSegment: 1,
      fallback: false,
      fallbackReason: null,
    });
    expect(summary.chosenIou).toBeGreaterThan(0.8);
    expect(summary.changedBox).not.toBeNull();
    expect(summary.changedBox!.x0).toBeGreaterThanOrEqual(30);
    expect(summary.changedBox!.x1).toBeLessThanOrEqual(66);
    expect(summary.changedPixels).toBeGreaterThan(500);
    for (const stage of [
      "prepare",
      "rough",
      "regionIou",
      "dilate",
      "edgeSmoother",
      "layer",
      "composite",
      "scaleBack",
    ]) {
      expect(summary.timingsMs[stage], stage).toBeGreaterThanOrEqual(0);
    }
  });

  it("falls back to the rough mask when no segment overlaps it, and says so", async () => {
    const w = 64;
    const h = 64;
    const original: RgbImage = { width: w, height: h, data: new Uint8Array(w * h * 3).fill(90) };
    const edited = syntheticEdit(original, ellipseMask(w, h, 40, 40, 12, 12), { noise: 0 });
    const { summary } = await composeEdit(
      { original, edited, rough: null, candidates: [ellipseMask(w, h, 8, 8, 5, 5)] },
      { working: { maxSide: 64 } },
    );
    expect(summary).toMatchObject({
      fallback: true,
      fallbackReason: "no-overlap",
      chosenSegment: null,
      chosenIou: null,
    });
    expect(summary.changedPixels).toBeGreaterThan(300);
  });

  it("changes nothing when the edit is only a global drift", async () => {
    const w = 64;
    const h = 48;
    const original: RgbImage = { width: w, height: h, data: new Uint8Array(w * h * 3).fill(100) };
    const edited = syntheticEdit(
      original,
      { width: w, height: h, data: new Uint8Array(w * h) },
      { drift: 6 },
    );
    const { summary, result } = await composeEdit(
      { original, edited, rough: null, candidates: [] },
      { working: { maxSide: 64 } },
    );
    expect(summary.changedPixels).toBe(0);
    expect(result.data).toEqual(original.data);
  });
});

describe("composeWorking", () => {
  it("uses a given rough mask and rejects inputs of the wrong size", () => {
    const w = 32;
    const h = 32;
    const original: RgbImage = { width: w, height: h, data: new Uint8Array(w * h * 3).fill(50) };
    const rough = ellipseMask(w, h, 16, 16, 8, 8);
    const edited = syntheticEdit(original, rough, { noise: 0 });
    const composed = composeWorking(original, edited, rough, []);
    expect(composed.masks.rough).toBe(rough);
    expect(composed.fine).toEqual({ source: "rough", reason: "no-candidates" });
    expect(composed.result.data[16 * 32 * 3 + 16 * 3]).toBe(edited.data[16 * 32 * 3 + 16 * 3]);
    expect(() => composeWorking(original, { ...edited, width: 16 }, null, [])).toThrow(/32x32/);
  });
});
