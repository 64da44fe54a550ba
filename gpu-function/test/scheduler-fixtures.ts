// Test fixtures ported from diffusers' SchedulerCommonTest (tests/schedulers/test_schedulers.py).
//
// Tensors are (batch 4, channels 3, height 8, width 8) flattened in C order, which is the order torch's
// randn fills and so the order noise lines up with. dummy_sample_deter is arange(768) reshaped to
// (3, 8, 8, 4), divided by 768 and permuted to (4, 3, 8, 8): element (b, c, h, w) = (((c*8 + h)*8 + w)*4 + b) / 768.
// dummy_noise_deter is the same with arange flipped (767 - index).
import type { NoiseSource } from "../src/denoise/schedulers/scheduler.ts";

export const DUMMY_SHAPE = [4, 3, 8, 8] as const;
const [B, C, H, W] = DUMMY_SHAPE;
const NUM_ELEMS = B * C * H * W;

function permuted(value: (sourceIndex: number) => number): Float32Array {
  const out = new Float32Array(NUM_ELEMS);
  let k = 0;
  for (let b = 0; b < B; b++) {
    for (let c = 0; c < C; c++) {
      for (let h = 0; h < H; h++) {
        for (let w = 0; w < W; w++) out[k++] = value(((c * H + h) * W + w) * B + b) / NUM_ELEMS;
      }
    }
  }
  return out;
}

export function dummySampleDeter(): Float32Array {
  return permuted((i) => i);
}

export function dummyNoiseDeter(): Float32Array {
  return permuted((i) => NUM_ELEMS - 1 - i);
}

/** diffusers' dummy model: sample * t / (t + 1) in float32. */
export function dummyModel(sample: Float32Array, t: number): Float32Array {
  const tf = Math.fround(t);
  const denom = Math.fround(tf + 1);
  return sample.map((x) => Math.fround(x * tf) / denom);
}

export const zeroNoise: NoiseSource = (length) => new Float32Array(length);

export function sumAbs(x: Float32Array): number {
  let s = 0;
  for (const v of x) s += Math.abs(v);
  return s;
}

export function meanAbs(x: Float32Array): number {
  return sumAbs(x) / x.length;
}

/** InstructPix2Pix's scheduler/scheduler_config.json (timbrooks/instruct-pix2pix), as the fixture bundle ships it. */
export { IP2P_SCHEDULER_CONFIG as INSTRUCT_PIX2PIX_SCHEDULER_JSON } from "../src/fixtures/fixture-bundle.ts";
