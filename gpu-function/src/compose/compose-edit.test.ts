import fc from "fast-check";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { ellipseMask, syntheticEdit } from "../demo/synthetic-edit.ts";
import { countOn, type Mask, maskBoundingBox, type RgbImage } from "../image/types.ts";
import { COMPOSE_DEFAULTS, composeEdit, composeWorking } from "./compose-edit.ts";

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
        // A small working size keeps the property fast and exercises the scale back (enlarging
        // or shrinking) and the padding (multiples of 16).
        const { result, layer } = await composeEdit(
          { original, edited, rough: null, candidates: [] },
          { working: { maxSide: 48, multiple: 16, enlarge: seed % 2 === 0 }, minRegion: 4 },
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
      "scaleBack",
      "compositeFull",
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

describe("composeEdit with a padded working frame", () => {
  it("pads instead of stretching and crops the padding before the layer goes back", async () => {
    // 90 x 60 at maxSide 64: content 64 x 43 (aspect kept), frame 64 x 64, 10 rows above, 11 below.
    const w = 90;
    const h = 60;
    const original: RgbImage = { width: w, height: h, data: new Uint8Array(w * h * 3).fill(60) };
    // The edit touches the bottom edge, so M_f* reaches into the bottom padding of the frame.
    const target = ellipseMask(w, h, 45, 58, 20, 10);
    const edited = syntheticEdit(original, target, { noise: 0, drift: 0 });
    const { summary, result, masks, layer } = await composeEdit(
      { original, edited, rough: null, candidates: [] },
      { working: { maxSide: 64, multiple: 32 } },
    );
    expect(summary.working).toEqual({ width: 64, height: 64 });
    expect([masks.final.width, masks.final.height]).toEqual([64, 64]);
    expect([layer.width, layer.height, result.width, result.height]).toEqual([w, h, w, h]);
    // Content rows 10..52 hold the image: the padding never appears in the result, whose changed
    // pixels stay around the ellipse (a stretched frame would move them; padding rows would add
    // black).
    expect(summary.changedBox).not.toBeNull();
    expect(summary.changedBox!.y1).toBe(h);
    expect(summary.changedBox!.y0).toBeGreaterThan(40);
    for (let i = 0; i < w * h; i++) {
      // (Lanczos ringing leaves a few near-transparent pixels of any colour.)
      if (layer.data[i * 4 + 3] < 128) continue;
      // Layer colour is the edit's colour, never the padding's black.
      expect(layer.data[i * 4] + layer.data[i * 4 + 1] + layer.data[i * 4 + 2]).toBeGreaterThan(0);
    }
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
    const centre = 16 * 32 + 16;
    expect(Array.from(composed.layer.data.subarray(centre * 4, centre * 4 + 4))).toEqual([
      ...edited.data.subarray(centre * 3, centre * 3 + 3),
      255,
    ]);
    expect(() => composeWorking(original, { ...edited, width: 16 }, null, [])).toThrow(/32x32/);
  });
});

// The method's defaults as composeWorking applies them when given no options, each at its boundary.
describe("composeWorking with the method's defaults", () => {
  const W = 96;
  const H = 64;
  const flat = (v: number): RgbImage => ({ width: W, height: H, data: new Uint8Array(W * H * 3).fill(v) });
  const rects = (...boxes: Array<[number, number, number, number]>): Mask => {
    const data = new Uint8Array(W * H);
    for (const [x0, y0, x1, y1] of boxes)
      for (let y = y0; y < y1; y++) data.fill(255, y * W + x0, y * W + x1);
    return { width: W, height: H, data };
  };

  it("are dilation 4, minimum region 64, and the edge smoother's rgb / 200 / 30 / 21", () => {
    expect(COMPOSE_DEFAULTS).toMatchObject({
      dilateIterations: 4,
      minRegion: 64,
      edge: { channels: "rgb", radiusAt512: 200, threshold: 30, closeSize: 21 },
    });
  });

  it("dilates M_f with a 3x3 square four times: a 10x10 square grows to 18x18", () => {
    const fine = rects([40, 20, 50, 30]);
    const { masks } = composeWorking(flat(100), flat(200), fine, []);
    expect(masks.fine.data).toEqual(fine.data);
    expect(maskBoundingBox(masks.dilated)).toEqual({ x0: 36, y0: 16, x1: 54, y1: 34 });
    expect(countOn(masks.dilated)).toBe(18 * 18);
  });

  it("removes components of 63 px from M_f and keeps those of 64 px (fallback and chosen segment)", () => {
    const square64 = [10, 10, 18, 18] as [number, number, number, number]; // 8 x 8
    const strip63 = [40, 10, 49, 17] as [number, number, number, number]; // 9 x 7
    const both = rects(square64, strip63);
    // No candidates: M_f is M_b without its small components.
    const fallback = composeWorking(flat(100), flat(200), both, []);
    expect(fallback.masks.fine.data).toEqual(rects(square64).data);
    // A chosen segment is filtered alike.
    const chosen = composeWorking(flat(100), flat(200), rects([10, 10, 30, 30]), [both]);
    expect(chosen.fine).toMatchObject({ source: "segment", index: 0 });
    expect(chosen.masks.fine.data).toEqual(rects(square64).data);
  });

  it("M_f* is off where the difference is exactly 30 and on at 31 (uniform edits, full-frame M_f)", () => {
    const all = rects([0, 0, W, H]);
    const at30 = composeWorking(flat(100), flat(130), all, []);
    const at31 = composeWorking(flat(100), flat(131), all, []);
    expect(countOn(at30.masks.final)).toBe(0);
    expect(countOn(at31.masks.final)).toBe(W * H);
    // Without a rough mask, M_b is the same thresholded difference.
    expect(countOn(composeWorking(flat(100), flat(130), null, []).masks.rough)).toBe(0);
    expect(countOn(composeWorking(flat(100), flat(131), null, []).masks.rough)).toBe(W * H);
  });
});
