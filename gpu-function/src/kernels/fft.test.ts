import { describe, expect, it } from "vitest";
import { fft2d } from "../../test/fft2d.ts";
import { factorize, fftPlan } from "./fft.ts";

// Reference: the O(n^2) DFT, straight from the definition.
function directDft(re: Float64Array, im: Float64Array, sign: -1 | 1): [Float64Array, Float64Array] {
  const n = re.length;
  const outRe = new Float64Array(n);
  const outIm = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let sr = 0;
    let si = 0;
    for (let j = 0; j < n; j++) {
      const angle = (sign * 2 * Math.PI * ((j * k) % n)) / n;
      sr += re[j] * Math.cos(angle) - im[j] * Math.sin(angle);
      si += re[j] * Math.sin(angle) + im[j] * Math.cos(angle);
    }
    outRe[k] = sr;
    outIm[k] = si;
  }
  return [outRe, outIm];
}

function seeded(n: number, seed: number): Float64Array {
  const out = new Float64Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 32) * 255 - 128;
  }
  return out;
}

function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe("factorize", () => {
  it.each([
    [1, []],
    [2, [2]],
    [8, [4, 2]],
    [384, [4, 4, 4, 2, 3]],
    [320, [4, 4, 4, 5]],
    [296, [4, 2, 37]],
    [509, [509]],
    [1000, [4, 2, 5, 5, 5]],
  ])("factorize(%i) = %j", (n, expected) => {
    expect(factorize(n)).toEqual(expected);
  });
});

describe("fftPlan against a direct DFT", () => {
  // Powers of two, the working sizes (32 * k: 288 = 32 * 9, 352 = 32 * 11, 384), odd sizes and
  // radices (3, 9, 11, 13, 21), primes below and above the Bluestein cut.
  it.each([
    1, 2, 3, 4, 5, 7, 8, 9, 11, 12, 13, 15, 16, 21, 27, 33, 45, 46, 49, 64, 67, 97, 99, 100, 127, 184, 288,
    296, 320, 344, 352, 384, 509,
  ])("length %i: forward and inverse", (n) => {
    const re = seeded(n, n);
    const im = seeded(n, n + 1000);
    const [refRe, refIm] = directDft(re, im, -1);
    const plan = fftPlan(n);
    const gotRe = re.slice();
    const gotIm = im.slice();
    plan.forward(gotRe, gotIm);
    const tolerance = 1e-9 * n * 128;
    expect(maxAbsDiff(gotRe, refRe)).toBeLessThan(tolerance);
    expect(maxAbsDiff(gotIm, refIm)).toBeLessThan(tolerance);
    plan.inverse(gotRe, gotIm);
    expect(maxAbsDiff(gotRe, re)).toBeLessThan(1e-9 * 128);
    expect(maxAbsDiff(gotIm, im)).toBeLessThan(1e-9 * 128);
  });

  it("matches hand-computed values for [1, 2, 3, 4]", () => {
    const re = new Float64Array([1, 2, 3, 4]);
    const im = new Float64Array(4);
    fftPlan(4).forward(re, im);
    expect(Array.from(re)).toEqual([10, -2, -2, -2]);
    expect(Array.from(im).map((v) => v + 0)).toEqual([0, 2, 0, -2]);
  });

  it("rejects bad lengths and mismatched arrays", () => {
    expect(() => fftPlan(0)).toThrow(RangeError);
    expect(() => fftPlan(2.5)).toThrow(RangeError);
    expect(() => fftPlan(8).forward(new Float64Array(4), new Float64Array(4))).toThrow(/length 8/);
  });
});

describe("fft2d", () => {
  it.each([
    [6, 5],
    [8, 4],
    [12, 9],
    [24, 16],
  ])("%ix%i equals a separable direct 2-D DFT", (w, h) => {
    const re = seeded(w * h, 7);
    const im = new Float64Array(w * h);
    // Direct 2-D DFT: X[v][u] = sum_y sum_x x[y][x] e^{-2 pi i (ux/w + vy/h)}
    const refRe = new Float64Array(w * h);
    const refIm = new Float64Array(w * h);
    for (let v = 0; v < h; v++) {
      for (let u = 0; u < w; u++) {
        let sr = 0;
        let si = 0;
        for (let y = 0; y < h; y++) {
          for (let x = 0; x < w; x++) {
            const angle = -2 * Math.PI * ((u * x) / w + (v * y) / h);
            sr += re[y * w + x] * Math.cos(angle);
            si += re[y * w + x] * Math.sin(angle);
          }
        }
        refRe[v * w + u] = sr;
        refIm[v * w + u] = si;
      }
    }
    const gotRe = re.slice();
    const gotIm = im.slice();
    fft2d(gotRe, gotIm, w, h);
    expect(maxAbsDiff(gotRe, refRe)).toBeLessThan(1e-7);
    expect(maxAbsDiff(gotIm, refIm)).toBeLessThan(1e-7);
    fft2d(gotRe, gotIm, w, h, "inverse");
    expect(maxAbsDiff(gotRe, re)).toBeLessThan(1e-9);
    expect(maxAbsDiff(gotIm, im)).toBeLessThan(1e-9);
  });
});
