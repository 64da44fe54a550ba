// A re-implementation of PyTorch's CPU generator and its float32 `randn` / `normal_`, so that
// `new TorchCpuGenerator(seed).randn(n)` reproduces
// `torch.randn(n, generator=torch.Generator().manual_seed(seed), dtype=torch.float32)`.
//
// Algorithm followed: PyTorch 2.x, as read in aten/src/ATen/native/cpu/DistributionTemplates.h
// (`normal_kernel`, `normal_fill`, `normal_fill_16`), ATen/core/DistributionsHelper.h,
// ATen/core/TransformationHelper.h, ATen/core/MT19937RNGEngine.h and CPUGeneratorImpl.cpp, in both
// older (c10::optional-based) and recent (std::optional-based) 2.x sources; the steps below are the
// same in all of them (recent versions only add a POWER/VSX variant of the 16-block transform):
//
// - Engine: MT19937 seeded with the low 32 bits of the seed (see mt19937.ts). random() is one
//   32-bit output; random64() is two outputs, the FIRST one as the high word.
// - uniform_real_distribution<float>(0, 1): (random() & (2^24 - 1)) * 2^-24, exact in float32.
//   uniform_real_distribution<double>(0, 1): (random64() & (2^53 - 1)) * 2^-53.
// - float32 tensors with numel >= 16 (contiguous) take `normal_fill`: draw ALL n float uniforms
//   first, then Box-Muller each complete block of 16 in place, pairing slot j with slot j + 8:
//     u1 = 1 - d[j], u2 = d[j + 8], radius = sqrt(-2 log u1), theta = float(2 pi (double) * u2),
//     d[j] = radius cos(theta), d[j + 8] = radius sin(theta)   (all float32 arithmetic).
//   If n % 16 != 0, the LAST 16 slots (overlapping the previous block) are refilled with 16 fresh
//   uniforms and transformed again. So randn(n) consumes n + (n % 16 ? 16 : 0) 32-bit draws.
// - numel < 16 takes the scalar path: per element at::normal_distribution<double>, which draws
//   u1 then u2 (double uniforms, two 32-bit draws each), r = sqrt(-2 log(1 - u2)),
//   theta = 2 pi u1, returns r cos(theta) and CACHES r sin(theta) in the generator for the next
//   scalar-path element (also across randn calls; manual_seed clears it), then casts to float32.
//   (Newer sources write log1p(-u2); 1 - u2 is exact in double, so both are the same value.)
//
// Exactness: the random stream, the uniforms, the path choice, the block layout and the float32 /
// double operation order are reproduced exactly. log / sin / cos come from portable-math.ts
// (bit-identical on every JS platform, correctly rounded to float32 in practice), whereas torch
// calls the C library's logf / cosf / sinf, or, in x86 builds with AVX2 (the usual Linux/Windows
// wheel), the avx_mathfun polynomial approximations. Those differ from the correctly rounded value
// by a few float32 ulps at most, so results agree with torch to about 1e-6 relative, not always
// bit-for-bit. The scalar path (double precision, then one float32 rounding) matches bit-for-bit
// except with negligible probability.

import { Mt19937 } from "./mt19937.ts";
import { portableLog, portableSinCos } from "./portable-math.ts";

const FLOAT_MASK = 0xffffff; // 2^24 - 1: float32 has 24 significant bits
const FLOAT_SCALE = 2 ** -24;
const DOUBLE_HIGH_MASK = 0x1fffff; // the 21 high-word bits that complete the 53-bit double mantissa
const TWO_PI = 2 * Math.PI; // 2.0 * c10::pi<double>, exact doubling of the double pi
const fround = Math.fround;

/** Box-Muller over one 16-slot block of float32 uniforms, in place (torch's normal_fill_16). */
function normalFill16(data: Float32Array, offset: number): void {
  for (let j = offset; j < offset + 8; j++) {
    const u1 = fround(1 - data[j]); // [0, 1) -> (0, 1]
    const u2 = data[j + 8];
    const radius = fround(Math.sqrt(fround(-2 * fround(portableLog(u1)))));
    const theta = fround(TWO_PI * u2);
    const [sin, cos] = portableSinCos(theta);
    // radius * cos * std + mean with std = 1, mean = 0: "+ 0" turns a -0 into +0 as torch's does.
    data[j] = fround(radius * fround(cos)) + 0;
    data[j + 8] = fround(radius * fround(sin)) + 0;
  }
}

export class TorchCpuGenerator {
  #engine: Mt19937;
  /** The cached second Box-Muller value of the scalar (double) path, if any. */
  #nextDoubleNormal: number | undefined;

  /** `seed` as passed to torch.Generator().manual_seed: an integer in [-2^63, 2^64). */
  constructor(seed: number | bigint) {
    this.#engine = Mt19937.fromTorchSeed(seed);
    this.#nextDoubleNormal = undefined;
  }

  /** Re-seeds in place, clearing the cached normal sample, like Generator.manual_seed. */
  manualSeed(seed: number | bigint): this {
    this.#engine = Mt19937.fromTorchSeed(seed);
    this.#nextDoubleNormal = undefined;
    return this;
  }

  /** torch.randn(count, generator=this, dtype=torch.float32) for a contiguous tensor. */
  randn(count: number): Float32Array {
    if (!Number.isSafeInteger(count) || count < 0) {
      throw new RangeError(`randn count must be a non-negative integer, got ${count}`);
    }
    const out = new Float32Array(count);
    if (count < 16) {
      for (let i = 0; i < count; i++) out[i] = this.#normalDouble();
      return out;
    }
    for (let i = 0; i < count; i++) out[i] = this.#uniformFloat();
    for (let i = 0; i + 16 <= count; i += 16) normalFill16(out, i);
    if (count % 16 !== 0) {
      const tail = count - 16;
      for (let i = tail; i < count; i++) out[i] = this.#uniformFloat();
      normalFill16(out, tail);
    }
    return out;
  }

  // at::uniform_real_distribution<float>(0, 1): a multiple of 2^-24 in [0, 1).
  #uniformFloat(): number {
    return (this.#engine.nextUint32() & FLOAT_MASK) * FLOAT_SCALE;
  }

  // at::uniform_real_distribution<double>(0, 1) on random64() (first draw = high word).
  #uniformDouble(): number {
    const high = this.#engine.nextUint32() & DOUBLE_HIGH_MASK;
    const low = this.#engine.nextUint32();
    return (high * 2 ** 32 + low) * 2 ** -53;
  }

  // at::normal_distribution<double>(0, 1) with the generator's cached second value.
  #normalDouble(): number {
    const cached = this.#nextDoubleNormal;
    if (cached !== undefined) {
      this.#nextDoubleNormal = undefined;
      return cached + 0;
    }
    const u1 = this.#uniformDouble();
    const u2 = this.#uniformDouble();
    const r = Math.sqrt(-2 * portableLog(1 - u2));
    const [sin, cos] = portableSinCos(TWO_PI * u1);
    this.#nextDoubleNormal = r * sin;
    return r * cos + 0;
  }
}
