import { describe, expect, it } from "vitest";
import { resizeMask, resizeRgb, resizeRgba } from "./resize.ts";
import type { Mask } from "./types.ts";

describe("resize", () => {
  it("keeps masks one band and binary, in place", async () => {
    const data = new Uint8Array(64 * 48);
    for (let y = 10; y < 30; y++) data.fill(255, y * 64 + 20, y * 64 + 40);
    const mask: Mask = { width: 64, height: 48, data };
    const out = await resizeMask(mask, 32, 24);
    expect(out.data.length).toBe(32 * 24);
    expect(new Set(out.data)).toEqual(new Set([0, 255]));
    expect(out.data[10 * 32 + 15]).toBe(255); // inside (centre of the rectangle)
    expect(out.data[2 * 32 + 2]).toBe(0);
    expect(out.data[10 * 32 + 25]).toBe(0); // right of the rectangle
  });

  it("returns straight (not premultiplied) RGBA and keeps alpha-0 pixels transparent black", async () => {
    const w = 32;
    const h = 16;
    const data = new Uint8Array(w * h * 4);
    for (let i = 0; i < w * h; i++) if (i % w < 16) data.set([200, 100, 50, 153], i * 4);
    const out = await resizeRgba({ width: w, height: h, data }, 64, 32);
    expect(out.data.length).toBe(64 * 32 * 4);
    // Well inside the coloured half: the colour and alpha come back as they were.
    const i = (16 * 64 + 8) * 4;
    expect(Array.from(out.data.subarray(i, i + 4))).toEqual([200, 100, 50, 153]);
    // Far right: transparent black.
    const j = (16 * 64 + 60) * 4;
    expect(Array.from(out.data.subarray(j, j + 4))).toEqual([0, 0, 0, 0]);
  });

  it("resizes RGB and passes same-size images through untouched", async () => {
    const img = { width: 8, height: 4, data: new Uint8Array(8 * 4 * 3).fill(90) };
    expect(await resizeRgb(img, 8, 4)).toBe(img);
    const out = await resizeRgb(img, 16, 8);
    expect(out.data.length).toBe(16 * 8 * 3);
    expect(new Set(out.data)).toEqual(new Set([90]));
  });
});
