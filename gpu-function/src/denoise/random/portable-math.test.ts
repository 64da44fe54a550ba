import { describe, expect, it } from "vitest";
import {
  HALF_PI_1,
  HALF_PI_2,
  HALF_PI_3,
  LN2_HI,
  LN2_LO,
  portableLog,
  portableSinCos,
  SIN_COS_MAX_ARGUMENT,
} from "./portable-math.ts";

const bits = new DataView(new ArrayBuffer(16));

/** Distance in units in the last place between two finite doubles of the same sign. */
function ulps(a: number, b: number): number {
  bits.setFloat64(0, a);
  bits.setFloat64(8, b);
  return Math.abs(Number(bits.getBigInt64(0) - bits.getBigInt64(8)));
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

// Exact binary value of a double, scaled by 2^SCALE, and of a decimal expansion, for BigInt checks.
const SCALE = 200n;
function scaledDouble(x: number): bigint {
  bits.setFloat64(0, x);
  const raw = bits.getBigUint64(0);
  const exponent = Number((raw >> 52n) & 0x7ffn) - 1075;
  const mantissa = (raw & ((1n << 52n) - 1n)) | (1n << 52n);
  return mantissa << (SCALE + BigInt(exponent));
}
function scaledDecimal(digits: string): bigint {
  const [whole, fraction] = digits.split(".");
  return (BigInt(whole + fraction) << SCALE) / 10n ** BigInt(fraction.length);
}
function significantBits(x: number): number {
  let v = scaledDouble(x);
  while ((v & 1n) === 0n) v >>= 1n;
  return v.toString(2).length;
}

const PI_DIGITS = "3.14159265358979323846264338327950288419716939937510582097494459230781640628620899863";
const LN2_DIGITS = "0.69314718055994530941723212145817656807550013436025525412068000949339362196969471560586";

describe("split constants", () => {
  it("HALF_PI_1 + HALF_PI_2 + HALF_PI_3 is pi/2 to ~1e-37", () => {
    const sum = scaledDouble(HALF_PI_1) + scaledDouble(HALF_PI_2) + scaledDouble(HALF_PI_3);
    const error = sum - scaledDecimal(PI_DIGITS) / 2n;
    expect(error < 0n ? -error : error).toBeLessThan(1n << (SCALE - 120n));
    expect(significantBits(HALF_PI_1)).toBeLessThanOrEqual(33);
    expect(significantBits(HALF_PI_2)).toBeLessThanOrEqual(33);
  });

  it("LN2_HI + LN2_LO is ln 2 to ~1e-27 and LN2_HI has 32 significant bits", () => {
    const error = scaledDouble(LN2_HI) + scaledDouble(LN2_LO) - scaledDecimal(LN2_DIGITS);
    expect(error < 0n ? -error : error).toBeLessThan(1n << (SCALE - 85n));
    expect(significantBits(LN2_HI)).toBeLessThanOrEqual(32);
  });
});

describe("portableLog", () => {
  it("is within 1 ulp of Math.log on (0, 2) and on the uniforms the noise generator feeds it", () => {
    const rand = lcg(1);
    let worst = 0;
    for (let i = 0; i < 200_000; i++) {
      const x = i % 2 === 0 ? rand() * 2 + 1e-12 : 1 - Math.floor(rand() * 2 ** 24) * 2 ** -24;
      if (x === 1) continue;
      worst = Math.max(worst, ulps(portableLog(x), Math.log(x)));
    }
    expect(worst).toBeLessThanOrEqual(1);
  });

  it("handles exact and special values", () => {
    expect(portableLog(1)).toBe(0);
    expect(portableLog(2)).toBe(Math.LN2);
    expect(portableLog(0.5)).toBe(-Math.LN2);
    expect(portableLog(Math.E)).toBe(1);
    expect(portableLog(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(portableLog(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
    expect(portableLog(-1)).toBeNaN();
    expect(portableLog(Number.NaN)).toBeNaN();
    expect(ulps(portableLog(Number.MIN_VALUE), Math.log(Number.MIN_VALUE))).toBeLessThanOrEqual(1);
    expect(ulps(portableLog(1e300), Math.log(1e300))).toBeLessThanOrEqual(1);
  });
});

describe("portableSinCos", () => {
  it("is within ~1 ulp of Math.sin / Math.cos on [0, 2 pi]", () => {
    const rand = lcg(2);
    let worst = 0;
    for (let i = 0; i < 200_000; i++) {
      const x = i % 2 === 0 ? rand() * 2 * Math.PI : Math.fround(2 * Math.PI * rand());
      const [s, c] = portableSinCos(x);
      const epsS = Math.max(Math.abs(Math.sin(x)), 2 ** -1000) * Number.EPSILON;
      const epsC = Math.max(Math.abs(Math.cos(x)), 2 ** -1000) * Number.EPSILON;
      worst = Math.max(worst, Math.abs(s - Math.sin(x)) / epsS, Math.abs(c - Math.cos(x)) / epsC);
    }
    expect(worst).toBeLessThanOrEqual(1.5);
  });

  it("keeps relative accuracy next to multiples of pi/2", () => {
    for (const k of [1, 2, 3, 4, 100, 600]) {
      const x = k * (Math.PI / 2);
      const [s, c] = portableSinCos(x);
      const [sin, cos] = [Math.sin(x), Math.cos(x)];
      expect(Math.abs(s - sin)).toBeLessThanOrEqual(Math.abs(sin) * 4 * Number.EPSILON + 1e-300);
      expect(Math.abs(c - cos)).toBeLessThanOrEqual(Math.abs(cos) * 4 * Number.EPSILON + 1e-300);
    }
  });

  it("gives exact values at 0 and rejects huge arguments", () => {
    expect(portableSinCos(0)).toEqual([0, 1]);
    expect(portableSinCos(Number.NaN).every(Number.isNaN)).toBe(true);
    expect(() => portableSinCos(SIN_COS_MAX_ARGUMENT * 2)).toThrow(RangeError);
    expect(() => portableSinCos(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});
