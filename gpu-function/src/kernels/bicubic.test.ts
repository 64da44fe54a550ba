import { describe, expect, it } from "vitest";
import { resizeBicubic } from "./bicubic.ts";

// Expected values from Pillow 9.4 `Image.fromarray(src).resize((w, h), Image.BICUBIC)`.
describe("resizeBicubic (Pillow semantics)", () => {
  it("upscales 4x3 -> 9x7 exactly as Pillow", () => {
    const src = new Uint8Array([0, 50, 200, 255, 10, 128, 90, 30, 255, 0, 255, 0]);
    const expected = [
      [0, 2, 14, 49, 125, 204, 248, 255, 255],
      [0, 4, 26, 64, 124, 183, 215, 230, 233],
      [0, 2, 57, 106, 122, 127, 131, 131, 127],
      [0, 24, 85, 130, 120, 93, 64, 36, 24],
      [112, 113, 88, 79, 123, 157, 101, 20, 0],
      [231, 204, 83, 15, 127, 237, 161, 31, 0],
      [255, 242, 82, 0, 129, 255, 183, 32, 0],
    ];
    expect(Array.from(resizeBicubic(src, 4, 3, 9, 7))).toEqual(expected.flat());
  });

  it("downscales 5x5 -> 3x2 exactly as Pillow", () => {
    const src = Uint8Array.from({ length: 25 }, (_, i) => i * 10);
    expect(Array.from(resizeBicubic(src, 5, 5, 3, 2))).toEqual([47, 63, 79, 161, 177, 193]);
  });

  it("is the identity at the same size and keeps constants constant", () => {
    const src = Uint8Array.from({ length: 12 }, (_, i) => i * 20);
    expect(Array.from(resizeBicubic(src, 4, 3, 4, 3))).toEqual(Array.from(src));
    const flat = new Uint8Array(16 * 16).fill(77);
    expect(new Set(resizeBicubic(flat, 16, 16, 512, 384))).toEqual(new Set([77]));
  });

  it("rejects a buffer of the wrong size", () => {
    expect(() => resizeBicubic(new Uint8Array(5), 2, 2, 4, 4)).toThrow(RangeError);
  });
});
