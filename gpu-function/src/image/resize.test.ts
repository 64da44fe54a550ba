import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { resizeMask, resizeRgb, resizeRgbaContent } from "./resize.ts";
import type { RgbaImage } from "./types.ts";

// Reference: the whole layer resized by libvips.
async function resizeRgba(image: RgbaImage, width: number, height: number): Promise<RgbaImage> {
  const data = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 4 } })
    .resize(width, height, { fit: "fill", kernel: "lanczos3" })
    .raw()
    .toBuffer();
  return { width, height, data: new Uint8Array(data) };
}

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
    const out = await resizeRgbaContent({ width: w, height: h, data }, 64, 32);
    expect(out.data.length).toBe(64 * 32 * 4);
    // Well inside the coloured half: the colour and alpha come back as they were.
    const i = (16 * 64 + 8) * 4;
    expect(Array.from(out.data.subarray(i, i + 4))).toEqual([200, 100, 50, 153]);
    // Far right: transparent black.
    const j = (16 * 64 + 60) * 4;
    expect(Array.from(out.data.subarray(j, j + 4))).toEqual([0, 0, 0, 0]);
  });

  it.each([
    [512, 384, 1024, 768],
    [512, 344, 451, 300],
    [512, 512, 4000, 3000],
    [512, 344, 64, 43],
  ])("resizeRgbaContent %ix%i -> %ix%i equals a full resize", async (w, h, W, H) => {
    const data = new Uint8Array(w * h * 4);
    for (let y = 100; y < 180; y++) {
      for (let x = 200; x < 300; x++) {
        const inside = (x - 250) ** 2 / 2500 + (y - 140) ** 2 / 1600 <= 1;
        if (inside)
          data.set([(x * 7) % 256, (y * 3) % 256, 90, (x + y) % 3 === 0 ? 153 : 255], (y * w + x) * 4);
      }
    }
    const layer = { width: w, height: h, data };
    const [sparse, full] = await Promise.all([resizeRgbaContent(layer, W, H), resizeRgba(layer, W, H)]);
    expect(sparse.data.length).toBe(W * H * 4);
    expect(Buffer.compare(Buffer.from(sparse.data), Buffer.from(full.data))).toBe(0);
  });

  it("resizeRgbaContent of a transparent layer is transparent", async () => {
    const out = await resizeRgbaContent({ width: 8, height: 8, data: new Uint8Array(256) }, 16, 16);
    expect(out.data.every((v) => v === 0)).toBe(true);
  });

  it("resizes RGB and passes same-size images through untouched", async () => {
    const img = { width: 8, height: 4, data: new Uint8Array(8 * 4 * 3).fill(90) };
    expect(await resizeRgb(img, 8, 4)).toBe(img);
    const out = await resizeRgb(img, 16, 8);
    expect(out.data.length).toBe(16 * 8 * 3);
    expect(new Set(out.data)).toEqual(new Set([90]));
  });
});
