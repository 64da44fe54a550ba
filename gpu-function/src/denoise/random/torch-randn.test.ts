import { describe, expect, it } from "vitest";
import { TORCH_RANDN_REFERENCES } from "../../../test/torch-randn.fixtures.ts";
import { TorchCpuGenerator } from "./torch-randn.ts";

// torch prints float32 values rounded to 4 decimals; a float32 can never sit exactly on a
// 4-decimal tie, so comparing toFixed(4) strings checks each value to within the print's rounding.
function printed(values: ArrayLike<number>, indices: readonly number[]): string[] {
  return indices.map((i) => values[i].toFixed(4));
}

describe("TorchCpuGenerator.randn against published torch outputs", () => {
  for (const reference of TORCH_RANDN_REFERENCES) {
    it(reference.name, () => {
      const generator = new TorchCpuGenerator(reference.seed);
      for (const call of reference.calls) {
        const out = generator.randn(call.count);
        expect(out).toHaveLength(call.count);
        const indices = call.indices ?? call.values.map((_, i) => i);
        expect(printed(out, indices)).toEqual(call.values.map((v) => v.toFixed(4)));
      }
    });
  }

  it("covers both paths, tails of several sizes and chained calls", () => {
    const counts = TORCH_RANDN_REFERENCES.flatMap((r) => r.calls.map((c) => c.count));
    expect(counts.some((n) => n < 16)).toBe(true);
    expect(counts.some((n) => n >= 16 && n % 16 === 0)).toBe(true);
    expect(new Set(counts.filter((n) => n > 16).map((n) => n % 16)).size).toBeGreaterThanOrEqual(4);
    expect(TORCH_RANDN_REFERENCES.filter((r) => r.calls.length > 1).length).toBeGreaterThanOrEqual(2);
  });
});

describe("TorchCpuGenerator structure", () => {
  it("randn(0) is empty and draws nothing", () => {
    const a = new TorchCpuGenerator(7);
    expect(a.randn(0)).toHaveLength(0);
    expect(Array.from(a.randn(20))).toEqual(Array.from(new TorchCpuGenerator(7).randn(20)));
  });

  it("multiples of 16 are independent blocks: randn(32) starts with randn(16)", () => {
    const long = new TorchCpuGenerator(3).randn(32);
    const short = new TorchCpuGenerator(3).randn(16);
    expect(Array.from(long.subarray(0, 16))).toEqual(Array.from(short));
  });

  it("a ragged size keeps its complete blocks before the recomputed tail", () => {
    // 50 = 3 blocks + 2: slots 0..33 come from the first 48 uniforms like randn(48), slots 34..49
    // are the recomputed last 16.
    const ragged = new TorchCpuGenerator(11).randn(50);
    const whole = new TorchCpuGenerator(11).randn(48);
    expect(Array.from(ragged.subarray(0, 34))).toEqual(Array.from(whole.subarray(0, 34)));
    expect(Array.from(ragged.subarray(34))).not.toEqual(Array.from(whole.subarray(32, 48)));
  });

  it("the scalar path caches the second Box-Muller value across calls", () => {
    const reference = new TorchCpuGenerator(0).randn(4);
    const g = new TorchCpuGenerator(0);
    const parts = [g.randn(1), g.randn(2), g.randn(1)];
    expect(parts.flatMap((p) => Array.from(p))).toEqual(Array.from(reference));
  });

  it("the cache survives a vectorised call in between, which does not touch it", () => {
    const reference = new TorchCpuGenerator(5).randn(4);
    const g = new TorchCpuGenerator(5);
    g.randn(3); // 2 pairs drawn, the 4th value cached
    g.randn(16);
    expect(g.randn(1)[0]).toBe(reference[3]);
  });

  it("manualSeed restarts the stream and drops the cached value", () => {
    const g = new TorchCpuGenerator(9);
    g.randn(1);
    g.manualSeed(9);
    expect(Array.from(g.randn(3))).toEqual(Array.from(new TorchCpuGenerator(9).randn(3)));
  });

  it("reduces seeds like torch: modulo 2^32, negatives in two's complement", () => {
    const base = Array.from(new TorchCpuGenerator(0).randn(20));
    expect(Array.from(new TorchCpuGenerator(2 ** 32).randn(20))).toEqual(base);
    expect(Array.from(new TorchCpuGenerator(-(2n ** 63n)).randn(20))).toEqual(base);
    const minusOne = Array.from(new TorchCpuGenerator(-1).randn(5));
    expect(Array.from(new TorchCpuGenerator(2n ** 64n - 1n).randn(5))).toEqual(minusOne);
    expect(Array.from(new TorchCpuGenerator(0xffffffff).randn(5))).toEqual(minusOne);
  });

  it("rejects seeds torch rejects and bad counts", () => {
    expect(() => new TorchCpuGenerator(2n ** 64n)).toThrow(RangeError);
    expect(() => new TorchCpuGenerator(-(2n ** 63n) - 1n)).toThrow(RangeError);
    expect(() => new TorchCpuGenerator(1.5)).toThrow(RangeError);
    expect(() => new TorchCpuGenerator(Number.NaN)).toThrow(RangeError);
    const g = new TorchCpuGenerator(0);
    expect(() => g.randn(-1)).toThrow(RangeError);
    expect(() => g.randn(2.5)).toThrow(RangeError);
  });

  it("returns float32 values with a standard normal distribution", () => {
    const n = 1 << 18;
    for (const count of [n, n + 5]) {
      const x = new TorchCpuGenerator(1234).randn(count);
      let sum = 0;
      let sumSq = 0;
      let nonFinite = 0;
      for (const v of x) {
        if (!Number.isFinite(v)) nonFinite++;
        sum += v;
        sumSq += v * v;
      }
      expect(nonFinite).toBe(0);
      const mean = sum / count;
      expect(Math.abs(mean)).toBeLessThan(0.01);
      expect(Math.abs(sumSq / count - mean * mean - 1)).toBeLessThan(0.01);
    }
    const small = new TorchCpuGenerator(1234).randn(15);
    for (const v of small) expect(Math.fround(v)).toBe(v);
  });
});
