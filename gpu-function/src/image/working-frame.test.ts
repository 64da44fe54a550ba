import { describe, expect, it } from "vitest";
import type { Mask, RgbaImage, RgbImage } from "./types.ts";
import { cropContent, toWorkingMask, toWorkingRgb } from "./working-frame.ts";
import { workingResolution } from "./working-resolution.ts";

function gradient(width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) data.set([10 + (i % 200), 50, 200], i * 3);
  return { width, height, data };
}

describe("the working frame", () => {
  it("pads black around the unscaled image (no resampling, no stretching) and crops it back exactly", async () => {
    const image = gradient(451, 300);
    const work = workingResolution(451, 300);
    const framed = await toWorkingRgb(image, work);
    expect([framed.width, framed.height]).toEqual([480, 320]);
    // Padding is black; the content is the image byte for byte.
    const px = (x: number, y: number) =>
      Array.from(framed.data.subarray((y * 480 + x) * 3, (y * 480 + x) * 3 + 3));
    expect(px(0, 0)).toEqual([0, 0, 0]);
    expect(px(13, 100)).toEqual([0, 0, 0]);
    expect(px(14 + 450, 10 + 299)).toEqual(Array.from(image.data.subarray(-3)));
    expect(px(14 + 451, 100)).toEqual([0, 0, 0]);
    expect(px(100, 9)).toEqual([0, 0, 0]);
    expect(px(100, 310)).toEqual([0, 0, 0]);
    expect(cropContent(framed, work.content, 3)).toEqual(image);
  });

  it("scales a large image to the content box, then pads", async () => {
    const work = workingResolution(600, 400);
    const framed = await toWorkingRgb(gradient(600, 400), work);
    expect([framed.width, framed.height]).toEqual([512, 352]);
    const row = (y: number) => framed.data.subarray(y * 512 * 3, (y + 1) * 512 * 3);
    expect(row(4).every((v) => v === 0)).toBe(true);
    expect(row(5).some((v) => v !== 0)).toBe(true);
    expect(row(5 + 340).some((v) => v !== 0)).toBe(true);
    expect(row(5 + 341).every((v) => v === 0)).toBe(true);
  });

  it("pads masks with off pixels", async () => {
    const mask: Mask = { width: 451, height: 300, data: new Uint8Array(451 * 300).fill(255) };
    const framed = await toWorkingMask(mask, workingResolution(451, 300));
    let on = 0;
    for (const v of framed.data) on += v === 255 ? 1 : 0;
    expect(on).toBe(451 * 300);
    expect(framed.data[0]).toBe(0);
  });

  it("crops RGBA layers and rejects a box outside the image", () => {
    const layer: RgbaImage = { width: 4, height: 3, data: Uint8Array.from({ length: 48 }, (_, i) => i) };
    const cropped = cropContent(layer, { x: 1, y: 1, width: 2, height: 2 }, 4);
    expect(Array.from(cropped.data)).toEqual([
      20, 21, 22, 23, 24, 25, 26, 27, 36, 37, 38, 39, 40, 41, 42, 43,
    ]);
    expect(() => cropContent(layer, { x: 3, y: 0, width: 2, height: 2 }, 4)).toThrow(RangeError);
  });
});
