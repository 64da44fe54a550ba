import { describe, expect, it } from "vitest";
import { MT19937_DEFAULT_SEED, Mt19937, torchSeedToMt19937Seed } from "./mt19937.ts";

function draws(engine: Mt19937, n: number): number[] {
  return Array.from({ length: n }, () => engine.nextUint32());
}

describe("Mt19937 against published MT19937 (init_genrand) outputs", () => {
  it("default seed 5489: first outputs and the 10000th (the C++ std::mt19937 conformance value)", () => {
    const engine = new Mt19937();
    const out = draws(engine, 10000);
    expect(out.slice(0, 5)).toEqual([3499211612, 581869302, 3890346734, 3586334585, 545404204]);
    expect(out[9999]).toBe(4123659995);
    expect(MT19937_DEFAULT_SEED).toBe(5489);
  });

  it("seed 0 (the cryptopals challenge 21 / std::mt19937(0) vector)", () => {
    expect(draws(new Mt19937(0), 10)).toEqual([
      2357136044, 2546248239, 3071714933, 3626093760, 2588848963, 3684848379, 2340255427, 3638918503,
      1819583497, 2678185683,
    ]);
  });

  it("seeds 1 and 42", () => {
    expect(draws(new Mt19937(1), 5)).toEqual([1791095845, 4282876139, 3093770124, 4005303368, 491263]);
    expect(draws(new Mt19937(42), 5)).toEqual([1608637542, 3421126067, 4083286876, 787846414, 3143890026]);
  });

  it("outputs are unsigned 32-bit integers across several twists", () => {
    for (const v of draws(new Mt19937(123), 3 * 624 + 5)) {
      expect(Number.isInteger(v) && v >= 0 && v <= 0xffffffff).toBe(true);
    }
  });

  it("rejects seeds outside [0, 2^32)", () => {
    expect(() => new Mt19937(-1)).toThrow(RangeError);
    expect(() => new Mt19937(2 ** 32)).toThrow(RangeError);
    expect(() => new Mt19937(0.5)).toThrow(RangeError);
  });
});

describe("torch seed reduction (manual_seed -> init_with_uint32)", () => {
  it("keeps the low 32 bits of the two's-complement uint64", () => {
    expect(torchSeedToMt19937Seed(0)).toBe(0);
    expect(torchSeedToMt19937Seed(42)).toBe(42);
    expect(torchSeedToMt19937Seed(2 ** 32 + 7)).toBe(7);
    expect(torchSeedToMt19937Seed(-1)).toBe(0xffffffff);
    expect(torchSeedToMt19937Seed(-(2n ** 63n))).toBe(0);
    expect(torchSeedToMt19937Seed(2n ** 64n - 2n)).toBe(0xfffffffe);
    expect(draws(Mt19937.fromTorchSeed(2 ** 32), 3)).toEqual(draws(new Mt19937(0), 3));
  });

  it("rejects what torch rejects, and unsafe or fractional numbers", () => {
    expect(() => torchSeedToMt19937Seed(2n ** 64n)).toThrow(RangeError);
    expect(() => torchSeedToMt19937Seed(-(2n ** 63n) - 1n)).toThrow(RangeError);
    expect(() => torchSeedToMt19937Seed(2 ** 60)).toThrow(RangeError);
    expect(() => torchSeedToMt19937Seed(1.5)).toThrow(RangeError);
  });
});
