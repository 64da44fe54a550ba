// Seeded Gaussian noise for the diffusion pipeline, compatible with the Python reference, which
// draws its initial latents with
//   torch.randn(shape, generator=torch.Generator().manual_seed(seed), dtype=torch.float32)
// on the CPU (diffusers' randn_tensor with a CPU generator), and, for ancestral / stochastic
// schedulers, keeps drawing each step's noise from that same generator.
//
// Determinism: the same seed and count give the same bytes on every platform. The generator uses
// only integer arithmetic, IEEE-754 basic operations and the portable log/sin/cos of
// portable-math.ts, never the engine's Math.log/sin/cos. Against torch itself the values agree to
// within a few float32 ulps (bit-for-bit in the vast majority of elements); see torch-randn.ts.
//
// The flat Float32Array is the tensor in row-major (C-contiguous) order, e.g. [batch, channels,
// height, width] for latents; only the total count matters to torch's algorithm.

import { TorchCpuGenerator } from "./torch-randn.ts";

/**
 * `count` standard-normal float32 values, identical to torch.randn(count) on a CPU generator
 * seeded with `seed` (any integer torch's manual_seed accepts within the safe-integer range).
 */
export function seededNormal(seed: number, count: number): Float32Array {
  return new TorchCpuGenerator(seed).randn(count);
}

/**
 * A noise stream on one torch-compatible generator: each call is one torch.randn(length,
 * generator=g). Call it first for the initial latents (equal to seededNormal(seed, length)), then
 * once per scheduler step for an ancestral sampler's fresh noise, in the same order as the
 * reference pipeline.
 */
export function noiseSource(seed: number): (length: number) => Float32Array {
  const generator = new TorchCpuGenerator(seed);
  return (length) => generator.randn(length);
}
