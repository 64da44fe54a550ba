import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fft2d } from "../../test/fft2d.ts";
import { lowPassReal } from "./real-low-pass.ts";

// Reference: full complex 2-D FFT, disc filter on signed frequencies, full inverse.
function reference(signal: Float64Array, w: number, h: number, radius: number): Float64Array {
  const re = signal.slice();
  const im = new Float64Array(signal.length);
  fft2d(re, im, w, h);
  const signed = (k: number, n: number) => (k < Math.ceil(n / 2) ? k : k - n);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (signed(y, h) ** 2 + signed(x, w) ** 2 > radius * radius) {
        re[y * w + x] = 0;
        im[y * w + x] = 0;
      }
    }
  }
  fft2d(re, im, w, h, "inverse");
  for (let i = 0; i < im.length; i++) expect(Math.abs(im[i])).toBeLessThan(1e-8); // real output
  return re;
}

describe("lowPassReal", () => {
  it("equals the full complex 2-D path on random signals, odd and even sizes and radii", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 24 }),
        fc.integer({ min: 1, max: 24 }),
        fc.double({ min: 0, max: 20, noNaN: true }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (w, h, radius, seed, zeroRows) => {
          let s = seed;
          const signal = new Float64Array(w * h);
          for (let y = 0; y < h; y++) {
            s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
            if (s / 2 ** 32 < zeroRows) continue; // leave some rows zero
            for (let x = 0; x < w; x++) {
              s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
              signal[y * w + x] = (s / 2 ** 32) * 510 - 255;
            }
          }
          const got = lowPassReal(signal, w, h, radius);
          const want = reference(signal, w, h, radius);
          for (let i = 0; i < got.length; i++) expect(got[i]).toBeCloseTo(want[i], 7);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("works at a working size (384 x 320, radius 150)", () => {
    const w = 384;
    const h = 320;
    const signal = new Float64Array(w * h);
    for (let y = 100; y < 200; y++)
      for (let x = 150; x < 260; x++) signal[y * w + x] = ((x * 7 + y * 3) % 50) - 10;
    const got = lowPassReal(signal, w, h, 150);
    const want = reference(signal, w, h, 150);
    let max = 0;
    for (let i = 0; i < got.length; i++) max = Math.max(max, Math.abs(got[i] - want[i]));
    expect(max).toBeLessThan(1e-8);
  });
});
