import { describe, expect, it } from "vitest";
import { passesThreshold, stabilityFromCounts, stabilityScore } from "./stability-score.ts";

// Reference values worked out from calculate_stability_score: counts of logits strictly above
// threshold + offset and threshold - offset, divided in float32.
describe("stabilityScore", () => {
  it.each([
    { logits: [-2, -0.5, 0.5, 1.5, 3], threshold: 0, offset: 1, expected: 2 / 4 },
    { logits: [-1, 1, 2], threshold: 0, offset: 1, expected: 1 / 2 }, // the cut-offs are strict
    { logits: [5, 6, 7], threshold: 0, offset: 1, expected: 1 },
    { logits: [0.2, 0.9, -0.3], threshold: 0, offset: 1, expected: 0 },
    { logits: [-0.5, 1.5, 2.5], threshold: 0, offset: 1, expected: Math.fround(2 / 3) },
    { logits: [0.5, 1.5, 2.5, 3.5], threshold: 1, offset: 1, expected: 2 / 4 },
    { logits: [-0.4, 0.2, 0.6], threshold: 0, offset: 0.5, expected: Math.fround(1 / 3) },
    { logits: [-3, -2, -1], threshold: 0, offset: 1, expected: Number.NaN }, // nothing above low
  ])("$logits at $threshold +- $offset -> $expected", ({ logits, threshold, offset, expected }) => {
    expect(stabilityScore(Float32Array.from(logits), threshold, offset)).toBe(expected);
  });

  it("is the float32 quotient of the two counts", () => {
    expect(stabilityFromCounts(19, 20)).toBe(Math.fround(0.95));
    expect(stabilityFromCounts(552, 600)).toBe(Math.fround(0.92));
    expect(stabilityFromCounts(0, 0)).toBeNaN();
  });
});

describe("passesThreshold", () => {
  it.each([
    // 0.95 as float32 is 0.949999988: a float32 score equal to it passes >=, as in torch.
    { score: Math.fround(0.95), thresh: 0.95, inclusive: true, expected: true },
    { score: Math.fround(19 / 20), thresh: 0.95, inclusive: true, expected: true },
    { score: Math.fround(0.9499999), thresh: 0.95, inclusive: true, expected: false },
    { score: Math.fround(0.88), thresh: 0.88, inclusive: false, expected: false }, // strict for IoU
    { score: Math.fround(0.8800001), thresh: 0.88, inclusive: false, expected: true },
    { score: Number.NaN, thresh: 0.95, inclusive: true, expected: false },
    { score: Number.NaN, thresh: 0, inclusive: true, expected: false },
  ])(
    "$score against $thresh (inclusive $inclusive) -> $expected",
    ({ score, thresh, inclusive, expected }) => {
      expect(passesThreshold(score, thresh, inclusive)).toBe(expected);
    },
  );
});
