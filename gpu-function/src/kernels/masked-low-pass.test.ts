import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fft2d } from "../../test/fft2d.ts";
import { maskedLowPassMagnitude, releaseDisc } from "./masked-low-pass.ts";
import { lowPassReal } from "./real-low-pass.ts";

// numpy's recipe literally: fft2, fftshift (np.roll by floor(n / 2) on both axes), multiply by
// the mask, ifftshift, ifft2, abs.
function numpyRecipe(
  signal: Float64Array,
  w: number,
  h: number,
  keep: (row: number, col: number) => boolean,
): Float64Array {
  const re = signal.slice();
  const im = new Float64Array(signal.length);
  fft2d(re, im, w, h);
  const sre = new Float64Array(w * h);
  const sim = new Float64Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const r = (y + Math.floor(h / 2)) % h;
      const c = (x + Math.floor(w / 2)) % w;
      const k = keep(r, c) ? 1 : 0;
      sre[r * w + c] = re[y * w + x] * k;
      sim[r * w + c] = im[y * w + x] * k;
    }
  }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const r = (y + Math.floor(h / 2)) % h;
      const c = (x + Math.floor(w / 2)) % w;
      re[y * w + x] = sre[r * w + c];
      im[y * w + x] = sim[r * w + c];
    }
  }
  fft2d(re, im, w, h, "inverse");
  return re.map((v, i) => Math.hypot(v, im[i]));
}

const random = (n: number, seed: number) => {
  let s = seed >>> 0;
  return Float64Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 200 - 100;
  });
};

describe("maskedLowPassMagnitude", () => {
  it("is numpy's fftshift / mask / ifftshift recipe, for the release's off-centre disc too", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 20 }),
        fc.double({ min: 0, max: 12, noNaN: true }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (w, h, radius, seed) => {
          const signal = random(w * h, seed);
          const disc = releaseDisc(w, h, radius);
          const want = numpyRecipe(signal, w, h, disc);
          const got = maskedLowPassMagnitude(signal, w, h, disc);
          for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThan(1e-8);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("on a square image the release's disc is the centred one: |lowPassReal| exactly", () => {
    const signal = random(32 * 32, 7);
    const got = maskedLowPassMagnitude(signal, 32, 32, releaseDisc(32, 32, 9));
    const real = lowPassReal(signal, 32, 32, 9);
    for (let i = 0; i < got.length; i++) expect(Math.abs(got[i] - Math.abs(real[i]))).toBeLessThan(1e-9);
  });

  it("is off-centre on a non-square image: it differs from the centred disc", () => {
    const signal = random(48 * 32, 3);
    const got = maskedLowPassMagnitude(signal, 48, 32, releaseDisc(48, 32, 6));
    const real = lowPassReal(signal, 48, 32, 6);
    const apart = got.reduce((m, v, i) => Math.max(m, Math.abs(v - Math.abs(real[i]))), 0);
    expect(apart).toBeGreaterThan(1);
  });
});
