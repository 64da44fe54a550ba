import { describe, expect, it } from "vitest";
import { countOn } from "../image/types.ts";
import { type AttentionMaps, roughMaskFromAttention } from "./rough-mask.ts";

// (h, w, tokens) maps where token 0 is `start` everywhere and token `end` is `endValue(x, y)`.
function maps(
  w: number,
  h: number,
  tokens: number,
  start: number,
  end: number,
  endValue: (x: number, y: number) => number,
): AttentionMaps {
  const data = new Float32Array(w * h * tokens);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const p = (y * w + x) * tokens;
      data[p] = start;
      data[p + end] = endValue(x, y);
    }
  }
  return { width: w, height: h, tokens, data };
}

describe("roughMaskFromAttention", () => {
  it("marks where the end-token map is close to the start-token map (2D <= 108)", () => {
    // End map is high in the left half: D = 255 - 255 = 0 there (on), 255 - 0 = 255 on the right (off).
    const a = maps(16, 16, 77, 1, 4, (x) => (x < 8 ? 1 : 0));
    const mask = roughMaskFromAttention(a, 5, 64, 64);
    expect(mask.width).toBe(64);
    expect(mask.data[10 * 64 + 5]).toBe(255);
    expect(mask.data[10 * 64 + 60]).toBe(0);
    // Bicubic transition sits at the midline: on strictly left of x ~ 32, off right of it.
    const row = Array.from(mask.data.subarray(20 * 64, 21 * 64)).map((v) => (v ? 1 : 0));
    expect(row.slice(0, 30).every((v) => v === 1)).toBe(true);
    expect(row.slice(34).every((v) => v === 0)).toBe(true);
  });

  it("applies the threshold on the doubled, saturated difference", () => {
    // Start map 1 everywhere -> 255. End map constant c -> uint8(255 * c / c) = 255: D = 0 -> all on.
    expect(
      countOn(
        roughMaskFromAttention(
          maps(4, 4, 77, 1, 2, () => 0.3),
          3,
          8,
          8,
        ),
      ),
    ).toBe(64);
    // End map all zero -> stays 0: D = 255 -> 2D saturates at 255 > 108 -> all off.
    expect(
      countOn(
        roughMaskFromAttention(
          maps(4, 4, 77, 1, 2, () => 0),
          3,
          8,
          8,
          { minRegion: 1 },
        ),
      ),
    ).toBe(0);
    // End map 0.8 against a 1.0 maximum elsewhere: uint8(204) -> D = 51 -> 2D = 102 <= 108 -> on;
    // 0.78 -> uint8(198.9) = 198 -> D = 57 -> 114 > 108 -> off.
    const edge = (v: number) => maps(1, 2, 77, 1, 2, (_x, y) => (y === 0 ? 1 : v));
    const on = roughMaskFromAttention(edge(0.8), 3, 1, 2, { minRegion: 1 });
    const off = roughMaskFromAttention(edge(0.78), 3, 1, 2, { minRegion: 1 });
    expect(Array.from(on.data)).toEqual([255, 255]);
    expect(Array.from(off.data)).toEqual([255, 0]);
  });

  it("cuts exactly at 2D = 108 with the defaults: D = 54 is on, D = 55 (2D = 110) is off", () => {
    // Maps the size of the working image (the bicubic resize is then the identity); token 0 is
    // 255 everywhere, so D = 255 - uint8(255 * end / 255) = 255 - end: 201 -> 54, 200 -> 55.
    const rows = (end: number[]) => maps(1, end.length, 77, 255, 2, (_x, y) => end[y]);
    const cut = roughMaskFromAttention(rows([255, 201, 200, 0]), 3, 1, 4, { minRegion: 1 });
    expect(Array.from(cut.data)).toEqual([255, 255, 0, 0]);
  });

  it("removes components of 63 px and keeps those of 64 px with the defaults", () => {
    // On (D = 0) inside an 8 x 8 square and a 9 x 7 strip, off (D = 255) elsewhere.
    const inside = (x: number, y: number) => (x < 8 && y < 8) || (x >= 12 && x < 21 && y < 7);
    const mask = roughMaskFromAttention(
      maps(24, 10, 77, 1, 2, (x, y) => (inside(x, y) ? 1 : 0)),
      3,
      24,
      10,
    );
    expect(countOn(mask)).toBe(64);
    expect(mask.data[0]).toBe(255);
    expect(mask.data[12]).toBe(0);
  });

  it("removes components under minRegion", () => {
    // A single on attention cell upscaled to 4x4 = 16 px < 64: removed.
    const a = maps(8, 8, 77, 1, 2, (x, y) => (x === 3 && y === 3 ? 1 : 0));
    expect(countOn(roughMaskFromAttention(a, 3, 32, 32))).toBe(0);
    expect(countOn(roughMaskFromAttention(a, 3, 32, 32, { minRegion: 1 }))).toBeGreaterThan(0);
  });

  it("validates shapes and the token count", () => {
    const a = maps(4, 4, 77, 1, 2, () => 0);
    expect(() => roughMaskFromAttention(a, 1, 8, 8)).toThrow(/token count/);
    expect(() => roughMaskFromAttention(a, 78, 8, 8)).toThrow(/token count/);
    expect(() => roughMaskFromAttention({ ...a, tokens: 10 }, 3, 8, 8)).toThrow(/attention maps/);
  });
});
