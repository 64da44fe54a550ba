import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fromFloat16Bits, toFloat16Bits } from "./float16.ts";

describe("float16 conversion", () => {
  it.each([
    [0, 0x0000],
    [-0, 0x8000],
    [1, 0x3c00],
    [-2, 0xc000],
    [0.5, 0x3800],
    [65504, 0x7bff], // largest half
    [65520, 0x7c00], // rounds up to infinity
    [1e6, 0x7c00],
    [2 ** -24, 0x0001], // smallest subnormal
    [2 ** -14, 0x0400], // smallest normal
    [1 + 2 ** -11, 0x3c00], // tie -> even (down)
    [1 + 3 * 2 ** -11, 0x3c02], // tie -> even (up)
    [0.1, 0x2e66],
    [Number.POSITIVE_INFINITY, 0x7c00],
  ])("%d -> 0x%s", (value, bits) => {
    expect(toFloat16Bits(new Float32Array([value]))[0]).toBe(bits);
  });

  it("keeps NaN a NaN", () => {
    expect(Number.isNaN(fromFloat16Bits(toFloat16Bits(new Float32Array([Number.NaN])))[0])).toBe(true);
  });

  it("round-trips every half value exactly", () => {
    const all = Uint16Array.from({ length: 0x7c00 }, (_, i) => i);
    expect(toFloat16Bits(fromFloat16Bits(all))).toEqual(all);
  });

  it("is within half an ulp for random floats in the half range", () => {
    fc.assert(
      fc.property(fc.float({ min: -60000, max: 60000, noNaN: true }), (v) => {
        const back = fromFloat16Bits(toFloat16Bits(new Float32Array([v])))[0];
        const ulp = 2 ** (Math.floor(Math.log2(Math.max(Math.abs(v), 2 ** -14))) - 10);
        expect(Math.abs(back - Math.fround(v))).toBeLessThanOrEqual(ulp / 2 + 1e-12);
      }),
    );
  });
});
