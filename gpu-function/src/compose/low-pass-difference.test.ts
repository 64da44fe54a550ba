import { describe, expect, it } from "vitest";
import type { Mask, RgbImage } from "../image/types.ts";
import { lowPassDifference, lowPassRadius } from "./low-pass-difference.ts";

function solid(w: number, h: number, rgb: (x: number, y: number) => [number, number, number]): RgbImage {
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.set(rgb(x, y), (y * w + x) * 3);
  return { width: w, height: h, data };
}

describe("lowPassRadius", () => {
  it.each([
    [512, 512, 200],
    [512, 384, 200],
    [384, 512, 200],
    [256, 192, 100],
    [1024, 768, 400],
  ])("%ix%i -> %d", (w, h, r) => expect(lowPassRadius(w, h)).toBe(r));
});

describe("lowPassDifference", () => {
  const original = solid(24, 16, () => [100, 100, 100]);

  it("passes a constant difference unchanged (DC only)", () => {
    const edited = solid(24, 16, () => [140, 140, 140]);
    const out = lowPassDifference(edited, original, null, { channels: "luma", radius: 5 });
    expect(new Set(out)).toEqual(new Set([40]));
  });

  it("removes a Nyquist checkerboard when the radius excludes it", () => {
    const edited = solid(24, 16, (x, y) => ((x + y) % 2 ? [200, 200, 200] : [0, 0, 0]));
    // Difference is +-100 around a 0 mean: all energy at (fx, fy) = (12, 8), distance 14.4.
    expect(Math.max(...lowPassDifference(edited, original, null, { channels: "luma", radius: 14 }))).toBe(0);
    const kept = lowPassDifference(edited, original, null, { channels: "luma", radius: 15 });
    expect(new Set(kept)).toEqual(new Set([100]));
  });

  it("is |difference| (clipped, truncated) when the radius covers every frequency", () => {
    const edited = solid(24, 16, (x, y) => [(x * 37 + y * 11) % 256, 0, 0]);
    const out = lowPassDifference(
      edited,
      solid(24, 16, () => [0, 0, 0]),
      null,
      { channels: "rgb", radius: 100 },
    );
    for (let i = 0; i < out.length; i++) expect(out[i]).toBe(edited.data[i * 3]);
  });

  it("only sees the region: outside it both images count as black", () => {
    const edited = solid(24, 16, () => [255, 255, 255]);
    const region: Mask = { width: 24, height: 16, data: new Uint8Array(24 * 16) };
    expect(Math.max(...lowPassDifference(edited, original, region, { channels: "luma", radius: 100 }))).toBe(
      0,
    );
  });

  it("rgb catches a hue change that luma misses", () => {
    // Pure red (76) and a grey of 76 have the same luma.
    const red = solid(24, 16, () => [255, 0, 0]);
    const grey = solid(24, 16, () => [76, 76, 76]);
    expect(Math.max(...lowPassDifference(red, grey, null, { channels: "luma", radius: 4 }))).toBe(0);
    expect(Math.min(...lowPassDifference(red, grey, null, { channels: "rgb", radius: 4 }))).toBe(179);
  });

  it("release uses the release's swapped grey: pure red weighs like blue (29)", () => {
    const red = solid(24, 16, () => [255, 0, 0]);
    const grey29 = solid(24, 16, () => [29, 29, 29]);
    const grey76 = solid(24, 16, () => [76, 76, 76]);
    expect(Math.max(...lowPassDifference(red, grey29, null, { channels: "release", radius: 4 }))).toBe(0);
    expect(Math.min(...lowPassDifference(red, grey76, null, { channels: "release", radius: 4 }))).toBe(47);
    expect(Math.min(...lowPassDifference(red, grey29, null, { channels: "luma", radius: 4 }))).toBe(47);
  });

  it("wrap reproduces the release's astype(uint8) above 255; clip saturates", () => {
    // A 255 step low-passed with a small radius overshoots (Gibbs) above 255 next to the edge.
    const edited = solid(32, 32, (x) => (x < 16 ? [255, 255, 255] : [0, 0, 0]));
    const original = solid(32, 32, () => [0, 0, 0]);
    const clip = lowPassDifference(edited, original, null, { channels: "luma", radius: 3 });
    const wrap = lowPassDifference(edited, original, null, {
      channels: "luma",
      radius: 3,
      magnitude: "wrap",
    });
    let wrapped = 0;
    for (let i = 0; i < clip.length; i++) {
      if (clip[i] < 255) expect(wrap[i]).toBe(clip[i]);
      else if (wrap[i] < 200) wrapped++;
    }
    expect(wrapped).toBeGreaterThan(0);
  });

  it("the release's disc is the centred disc on square images and off-centre on others", () => {
    const edited = solid(32, 32, (x, y) => [(x * 37 + y * 11) % 256, 0, 0]);
    const original = solid(32, 32, () => [0, 0, 0]);
    const o = { channels: "rgb" as const, radius: 6 };
    expect(lowPassDifference(edited, original, null, { ...o, disc: "release" })).toEqual(
      lowPassDifference(edited, original, null, o),
    );
    const wide = solid(48, 32, (x, y) => [(x * 37 + y * 11) % 256, 0, 0]);
    const black = solid(48, 32, () => [0, 0, 0]);
    expect(lowPassDifference(wide, black, null, { ...o, disc: "release" })).not.toEqual(
      lowPassDifference(wide, black, null, o),
    );
  });
});
