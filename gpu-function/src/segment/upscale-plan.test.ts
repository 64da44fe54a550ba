import { describe, expect, it } from "vitest";
import { mulberry32 } from "../demo/prng.ts";
import { bilinearTaps, composeAxis } from "./upscale-plan.ts";

/** torch.nn.functional.interpolate(..., mode="bilinear", align_corners=False) along one axis. */
function interpolate(values: ArrayLike<number>, outLength: number): Float64Array {
  const { i0, i1, l0, l1 } = bilinearTaps(values.length, outLength);
  return Float64Array.from({ length: outLength }, (_, o) =>
    Math.fround(l0[o] * values[i0[o]] + l1[o] * values[i1[o]]),
  );
}

/** SAM's postprocess_masks along one axis: to the model size, crop, to the output size. */
function twoStage(low: ArrayLike<number>, model: number, input: number, out: number): Float64Array {
  return interpolate(interpolate(low, model).subarray(0, input), out);
}

function applyAxis(low: ArrayLike<number>, plan: ReturnType<typeof composeAxis>): Float64Array {
  return Float64Array.from({ length: plan.outLength }, (_, o) => {
    let s = 0;
    for (let k = 0; k < plan.tapCount[o]; k++)
      s += plan.weights[o * plan.maxTaps + k] * low[plan.tapStart[o] + k];
    return s;
  });
}

describe("bilinearTaps (torch bilinear, align_corners=False)", () => {
  // Reference values: F.interpolate(torch.tensor([[v]]).float(), size=n, mode="linear") for these.
  it.each([
    { values: [0, 1], out: 4, expected: [0, 0.25, 0.75, 1] },
    { values: [0, 1, 2, 3], out: 2, expected: [0.5, 2.5] },
    { values: [0, 10, 20], out: 5, expected: [0, 4, 10, 16, 20] },
    { values: [3, 5, 7, 11, 13], out: 3, expected: [3.6666667, 7, 12.333333] },
    { values: [2], out: 3, expected: [2, 2, 2] },
  ])("$values -> $out samples", ({ values, out, expected }) => {
    const got = interpolate(values, out);
    expected.forEach((v, i) => {
      expect(got[i]).toBeCloseTo(v, 5);
    });
  });
});

describe("composeAxis", () => {
  it.each([
    // low, model, input (resized extent), output
    [256, 1024, 1024, 512], // zone edit's square canvas
    [256, 1024, 681, 300], // 451 x 300 photo, short side
    [256, 1024, 1024, 451],
    [256, 1024, 768, 1000], // upscaling past the model input
    [256, 1024, 1024, 1024],
    [16, 64, 41, 23], // sizes that are not powers of two
    [7, 16, 11, 5],
  ])("low %i -> model %i, crop %i -> out %i equals the two-stage resize", (low, model, input, out) => {
    const plan = composeAxis(low, model, input, out);
    const random = mulberry32(low * 7 + out);
    for (let trial = 0; trial < 3; trial++) {
      const values = Float32Array.from({ length: low }, () => (random() - 0.5) * 40);
      const want = twoStage(values, model, input, out);
      const got = applyAxis(values, plan);
      for (let o = 0; o < out; o++) expect(Math.abs(got[o] - want[o])).toBeLessThan(2e-5);
    }
    // Convex weights, monotone groups covering every output once, nothing past usedLow.
    for (let o = 0; o < out; o++) {
      let sum = 0;
      for (let k = 0; k < plan.tapCount[o]; k++) {
        const w = plan.weights[o * plan.maxTaps + k];
        expect(w).toBeGreaterThanOrEqual(0);
        sum += w;
      }
      expect(sum).toBeCloseTo(1, 6);
      expect(plan.tapStart[o] + plan.tapCount[o]).toBeLessThanOrEqual(plan.usedLow);
    }
    expect(plan.outFrom[0]).toBe(0);
    expect(plan.outTo[plan.groups - 1]).toBe(out);
    for (let g = 1; g < plan.groups; g++) {
      expect(plan.outFrom[g]).toBe(plan.outTo[g - 1]);
      expect(plan.tapFrom[g]).toBeGreaterThanOrEqual(plan.tapFrom[g - 1]);
      expect(plan.tapTo[g]).toBeGreaterThanOrEqual(plan.tapTo[g - 1]);
    }
    for (let x = 0; x <= plan.usedLow; x++) {
      const g = plan.groupAt[x];
      if (g < plan.groups) expect(plan.tapTo[g]).toBeGreaterThan(x);
      if (g > 0) expect(plan.tapTo[g - 1]).toBeLessThanOrEqual(x);
      const h = plan.groupFrom[x];
      if (h < plan.groups) expect(plan.tapFrom[h]).toBeGreaterThanOrEqual(x);
      if (h > 0) expect(plan.tapFrom[h - 1]).toBeLessThan(x);
    }
    expect(plan.groupAt[plan.usedLow]).toBe(plan.groups);
  });

  it("collapses 256 -> 1024 -> 512 into plain bilinear 256 -> 512 (two taps, 1/4 and 3/4)", () => {
    const plan = composeAxis(256, 1024, 1024, 512);
    const direct = bilinearTaps(256, 512);
    expect(plan.maxTaps).toBe(2);
    expect(plan.usedLow).toBe(256);
    for (let o = 1; o < 511; o++) {
      expect(plan.tapStart[o]).toBe(direct.i0[o]);
      expect(plan.weights[o * 2]).toBeCloseTo(direct.l0[o], 7);
      expect(plan.weights[o * 2 + 1]).toBeCloseTo(direct.l1[o], 7);
    }
    // The first and last outputs take one logit each: 257 groups ({0}, 255 pairs, {255}).
    expect([plan.tapCount[0], plan.tapCount[511]]).toEqual([1, 1]);
    expect(plan.groups).toBe(257);
  });

  it("never reads the padding: a 681-pixel extent uses 171 low-resolution rows of 256", () => {
    expect(composeAxis(256, 1024, 681, 300).usedLow).toBe(171);
  });

  it("rejects an extent larger than the model input", () => {
    expect(() => composeAxis(256, 1024, 1025, 10)).toThrow(/need 1 <= input 1025 <= model 1024/);
  });
});
