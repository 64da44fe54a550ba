// Portable natural log, sine and cosine for the seeded-noise code.
//
// ECMAScript leaves Math.log / Math.sin / Math.cos "implementation-approximated", so two JS engines
// (or one engine on two CPUs) may disagree in the last bit, and a Gaussian sample built on them may
// then round to a different float32. These versions use only IEEE-754 basic operations (+, -, *, /,
// which every engine rounds correctly) plus exact helpers (Math.round, DataView bit access), so they
// return the same bits everywhere. Accuracy is about 1 ulp of a double, far finer than the float32
// results the noise generator keeps.
//
// The range reductions use split constants (pi/2 and ln 2 cut into pieces whose products with small
// integers are exact); portable-math.test.ts re-derives them from long decimal expansions.

/** pi/2 in three pieces: 33 significant bits, the next 33 bits, then the rest rounded to a double. */
export const HALF_PI_1 = 1.5707963267341256;
export const HALF_PI_2 = 6.077100506303966e-11;
export const HALF_PI_3 = 2.0222662487959506e-21;
/** ln 2 in two pieces: 32 significant bits, then the rest rounded to a double. */
export const LN2_HI = 0.6931471803691238;
export const LN2_LO = 1.9082149292705877e-10;

const TWO_OVER_PI = 0.6366197723675814;
const SQRT_2 = Math.SQRT2;
/** Largest |x| accepted by sinCos: keeps n * HALF_PI_1 and n * HALF_PI_2 exact. */
export const SIN_COS_MAX_ARGUMENT = 1024;

const bits = new DataView(new ArrayBuffer(8));

// atanh series: log(1 + f) = f - hfsq + s * (hfsq + R(s^2)), s = f / (2 + f), with
// R(z) = z * (2/3 + z * (2/5 + z * (2/7 + ...))). |s| <= 0.1716, so 11 terms reach 1e-19.
const LOG_COEFFS: readonly number[] = Array.from({ length: 11 }, (_, k) => 2 / (2 * k + 3));

// Taylor coefficients 1/n! for the sine (odd n from 3) and cosine (even n from 4) kernels;
// |r| <= pi/4 (plus a rounding margin), so terms to r^23 reach 1e-22.
function inverseFactorials(first: number, count: number): number[] {
  const out: number[] = [];
  let factorial = 1;
  for (let n = 2; out.length < count; n++) {
    factorial *= n;
    if (n >= first && (n - first) % 2 === 0) out.push(1 / factorial);
  }
  return out;
}
const SIN_COEFFS = inverseFactorials(3, 11);
const COS_COEFFS = inverseFactorials(4, 10);

function alternatingSeries(coeffs: readonly number[], z: number): number {
  let acc = 0;
  for (let i = coeffs.length - 1; i >= 0; i--) acc = (i % 2 === 0 ? coeffs[i] : -coeffs[i]) + z * acc;
  return acc;
}

/** Natural logarithm, bit-identical on every platform. */
export function portableLog(x: number): number {
  if (Number.isNaN(x) || x < 0) return Number.NaN;
  if (x === 0) return Number.NEGATIVE_INFINITY;
  if (x === Number.POSITIVE_INFINITY) return x;
  let exponent = 0;
  let v = x;
  if (v < 2 ** -1022) {
    v *= 2 ** 54; // subnormal: scale into the normal range first (exact)
    exponent = -54;
  }
  bits.setFloat64(0, v);
  const hi = bits.getUint32(0);
  exponent += ((hi >>> 20) & 0x7ff) - 1023;
  bits.setUint32(0, (hi & 0x000fffff) | 0x3ff00000);
  let m = bits.getFloat64(0); // v = m * 2^exponent, m in [1, 2)
  if (m > SQRT_2) {
    m /= 2;
    exponent += 1;
  }
  const f = m - 1; // exact (Sterbenz), |f| <= sqrt(2) - 1
  const s = f / (2 + f);
  const z = s * s;
  let series = 0;
  for (let i = LOG_COEFFS.length - 1; i >= 0; i--) series = LOG_COEFFS[i] + z * series;
  const hfsq = 0.5 * f * f;
  return exponent * LN2_HI + (f - (hfsq - (s * (hfsq + z * series) + exponent * LN2_LO)));
}

/** [sin x, cos x] for |x| <= SIN_COS_MAX_ARGUMENT, bit-identical on every platform. */
export function portableSinCos(x: number): [number, number] {
  if (!(Math.abs(x) <= SIN_COS_MAX_ARGUMENT)) {
    if (Number.isNaN(x)) return [Number.NaN, Number.NaN];
    throw new RangeError(`portableSinCos: |x| must be <= ${SIN_COS_MAX_ARGUMENT}, got ${x}`);
  }
  // x = n * pi/2 + (r + tail); n * HALF_PI_1 is exact and so is x - n * HALF_PI_1 (same binade).
  const n = Math.round(x * TWO_OVER_PI);
  const t = x - n * HALF_PI_1;
  const w = n * HALF_PI_2;
  const r = t - w;
  const back = r - t; // two-sum: tail is exactly the rounding error of t - w
  const tail = t - (r - back) - (w + back) - n * HALF_PI_3;
  const z = r * r;
  const sinR = r - r * z * alternatingSeries(SIN_COEFFS, z);
  const cosR = 1 - 0.5 * z + z * z * alternatingSeries(COS_COEFFS, z);
  // First-order correction for the tail (|tail| is below one ulp of r).
  const sinX = sinR + tail * (1 - 0.5 * z);
  const cosX = cosR - tail * r;
  switch (((n % 4) + 4) % 4) {
    case 0:
      return [sinX, cosX];
    case 1:
      return [cosX, -sinX];
    case 2:
      return [-sinX, -cosX];
    default:
      return [-cosX, sinX];
  }
}
