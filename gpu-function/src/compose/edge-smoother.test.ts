import { describe, expect, it } from "vitest";
import type { Mask, RgbImage } from "../image/types.ts";
import { countOn, maskBoundingBox } from "../image/types.ts";
import { closeSquare, dilate3x3 } from "../kernels/morphology.ts";
import { edgeSmoother, thresholdDifference } from "./edge-smoother.ts";
import { lowPassDifference } from "./low-pass-difference.ts";

function scene(w: number, h: number, paint: (x: number, y: number) => number): RgbImage {
  const data = new Uint8Array(w * h * 3);
  for (let i = 0; i < w * h; i++) data.fill(paint(i % w, Math.floor(i / w)), i * 3, i * 3 + 3);
  return { width: w, height: h, data };
}

function disc(w: number, h: number, cx: number, cy: number, r: number): Mask {
  const data = new Uint8Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) data[y * w + x] = (x - cx) ** 2 + (y - cy) ** 2 <= r * r ? 255 : 0;
  return { width: w, height: h, data };
}

describe("edgeSmoother", () => {
  // 384 x 320: neither side is a power of two.
  const W = 384;
  const H = 320;
  const original = scene(W, H, (x, y) => 60 + ((x * 3 + y * 5) % 40));

  it("finds an edited disc, closed and filled, and nothing far from it", () => {
    const target = disc(W, H, 190, 150, 40);
    const edited = scene(W, H, (x, y) => (target.data[y * W + x] ? 220 : 60 + ((x * 3 + y * 5) % 40)));
    const final = edgeSmoother(edited, original, dilate3x3(target, 4));
    const box = maskBoundingBox(final);
    expect(box).not.toBeNull();
    // The final mask hugs the disc (radius 40 around (190, 150)) within a few pixels.
    expect(box!.x0).toBeGreaterThanOrEqual(150 - 6);
    expect(box!.x1).toBeLessThanOrEqual(231 + 6);
    expect(box!.y0).toBeGreaterThanOrEqual(110 - 6);
    expect(box!.y1).toBeLessThanOrEqual(191 + 6);
    // Filled: the centre is on, and it covers nearly all of the disc.
    expect(final.data[150 * W + 190]).toBe(255);
    let covered = 0;
    for (let i = 0; i < target.data.length; i++) if (target.data[i] && final.data[i]) covered++;
    expect(covered / countOn(target)).toBeGreaterThan(0.97);
  });

  it("is empty when the edit changes nothing beyond the threshold", () => {
    const edited = scene(W, H, (x, y) => 60 + ((x * 3 + y * 5) % 40) + 20);
    expect(countOn(edgeSmoother(edited, original, disc(W, H, 100, 100, 50)))).toBe(0);
  });

  it("rgb (the default) sees a hue-only change that luma misses", () => {
    const target = disc(W, H, 190, 150, 40);
    const grey = scene(W, H, () => 76);
    const red: RgbImage = { ...grey, data: grey.data.slice() };
    for (let i = 0; i < W * H; i++) if (target.data[i]) red.data.set([255, 0, 0], i * 3);
    const dilated = dilate3x3(target, 4);
    expect(countOn(edgeSmoother(red, grey, dilated, { channels: "luma" }))).toBe(0);
    expect(countOn(edgeSmoother(red, grey, dilated))).toBeGreaterThan(countOn(target) * 0.97);
  });
});

describe("edgeSmoother's defaults at their boundaries", () => {
  const everywhere = (w: number, h: number): Mask => ({
    width: w,
    height: h,
    data: new Uint8Array(w * h).fill(255),
  });

  it("keeps frequencies up to D0 = 200 at a 512 px long side: a 200-cycle edit is seen, a 201-cycle one is not", () => {
    const [w, h] = [512, 32];
    const flat = scene(w, h, () => 128);
    const stripes = (k: number) =>
      scene(w, h, (x) => 128 + Math.round(60 * Math.cos((2 * Math.PI * k * x) / w)));
    expect(countOn(edgeSmoother(stripes(200), flat, everywhere(w, h)))).toBeGreaterThan(0);
    expect(countOn(edgeSmoother(stripes(201), flat, everywhere(w, h)))).toBe(0);
  });

  it("fills holes the 21x21 closing leaves: the middle of an edited ring is in M_f*", () => {
    const [w, h] = [128, 128];
    const flat = scene(w, h, () => 90);
    const inRing = (x: number, y: number) => {
      const d2 = (x - 64) ** 2 + (y - 64) ** 2;
      return d2 >= 22 ** 2 && d2 <= 50 ** 2;
    };
    const ring = scene(w, h, (x, y) => (inRing(x, y) ? 230 : 90));
    // Before filling, the thresholded and closed difference has a hole in the middle.
    const difference = lowPassDifference(ring, flat, null, { channels: "rgb", radius: 50 });
    const closed = closeSquare(thresholdDifference(difference, w, h, 30), 21);
    expect(closed.data[64 * w + 64]).toBe(0);
    expect(closed.data[64 * w + 64 - 40]).toBe(255);
    const final = edgeSmoother(ring, flat, everywhere(w, h));
    expect(final.data[64 * w + 64]).toBe(255);
    expect(countOn(final)).toBeGreaterThan(Math.PI * 48 ** 2);
  });
});
