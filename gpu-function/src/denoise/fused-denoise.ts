// The fused InstructPix2Pix + MagicBrush denoising loop of method section 2 (paper eq. 2 and 5),
// written out over injected UNet runners and schedulers:
//   - one Gaussian latent, copied to both trajectories;
//   - each UNet call is a batch of 3: [text + image, null text + image, null text + zero image],
//     combined by three-way classifier-free guidance
//     e = e_uncond + s_T (e_text - e_image) + s_I (e_image - e_uncond);
//   - MagicBrush steps on its own latents z'; InstructPix2Pix steps to z*; then
//     z_ip2p <- (z* + beta z') / (1 + beta); MagicBrush keeps its unfused trajectory;
//   - the InstructPix2Pix UNet's cross-attention maps are accumulated over all steps (method
//     section 3), from the null-text branches (release) or the text branch (option).
import type { NoiseSource, Scheduler } from "./schedulers/scheduler.ts";

/** One UNet call on a batch of 3: sample (3, 8, h, w), timestep, text (3, 77, D). */
export type UnetRunner = (
  sample: Float32Array,
  timestep: number,
) => Promise<{ noise: Float32Array; attention?: Float32Array }>;

export interface FusedDenoiseInputs {
  /** (1, 4, h, w) VAE-encoded image latents (distribution mode, unscaled). */
  imageLatents: Float32Array;
  /** (1, 4, h, w) standard-normal initial noise. */
  noise: Float32Array;
  ip2p: { unet: UnetRunner; scheduler: Scheduler; noise?: NoiseSource };
  /** Null skips MagicBrush entirely (the "fast" option). */
  magicBrush: { unet: UnetRunner; scheduler: Scheduler; noise?: NoiseSource } | null;
}

export interface FusedDenoiseOptions {
  steps: number;
  textGuidance: number;
  imageGuidance: number;
  /** MagicBrush weight: 0.2 for remove, 0.01 otherwise. */
  beta: number;
  /** Which guidance branches the attention maps come from. */
  attentionBranches: "null-text" | "text";
}

export interface StepEvent {
  step: number;
  total: number;
  timestep: number;
  elapsedMs: number;
  /** Milliseconds spent inside the UNet runners during this step. */
  modelMs: number;
}

export interface FusedDenoiseResult {
  /** (1, 4, h, w) final InstructPix2Pix latents (scaled latent space). */
  latents: Float32Array;
  /** (77, h', w') attention averaged over steps and branches; null when the UNet gave none. */
  attention: Float32Array | null;
  /** Per step: total and in-model milliseconds. */
  stepMs: number[];
  modelMs: number[];
}

/** Guidance over a (3, C, h, w) batch -> (1, C, h, w). */
export function threeWayGuidance(batch: Float32Array, textScale: number, imageScale: number): Float32Array {
  const n = batch.length / 3;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const text = batch[i];
    const image = batch[n + i];
    const uncond = batch[2 * n + i];
    out[i] = uncond + textScale * (text - image) + imageScale * (image - uncond);
  }
  return out;
}

/** (3, 8, h, w): the scaled latents three times, next to [image, image, zeros] latents. */
export function guidanceBatch(
  scaledLatents: Float32Array,
  imageLatents: Float32Array,
  into: Float32Array,
): Float32Array {
  const n = scaledLatents.length; // 4 * h * w
  for (let b = 0; b < 3; b++) {
    into.set(scaledLatents, b * 2 * n);
    if (b < 2) into.set(imageLatents, b * 2 * n + n);
    else into.fill(0, b * 2 * n + n, (b + 1) * 2 * n);
  }
  return into;
}

export async function fusedDenoise(
  inputs: FusedDenoiseInputs,
  options: FusedDenoiseOptions,
  /** Awaited after each step: an async hook (cancellation, pacing) holds the loop until it settles. */
  onStep: (event: StepEvent) => void | Promise<void> = () => {},
): Promise<FusedDenoiseResult> {
  const { imageLatents, noise, ip2p, magicBrush } = inputs;
  const { steps, textGuidance, imageGuidance, beta } = options;
  ip2p.scheduler.setTimesteps(steps);
  magicBrush?.scheduler.setTimesteps(steps);
  const timesteps = ip2p.scheduler.timesteps;
  // One Gaussian latent, copied to both trajectories.
  let zIp2p: Float32Array = new Float32Array(noise.length);
  for (let k = 0; k < noise.length; k++) zIp2p[k] = noise[k] * ip2p.scheduler.initNoiseSigma;
  let zMagic: Float32Array = zIp2p.slice();
  const batch = new Float32Array(3 * 2 * noise.length);
  let attentionSum: Float32Array | null = null;
  let attentionCount = 0;
  const stepMs: number[] = [];
  const modelMs: number[] = [];
  const loopStart = performance.now();
  for (let i = 0; i < timesteps.length; i++) {
    const t = timesteps[i];
    const stepStart = performance.now();
    let inModel = 0;
    const call = async (unet: UnetRunner, sample: Float32Array) => {
      const start = performance.now();
      const out = await unet(sample, t);
      inModel += performance.now() - start;
      return out;
    };

    // MagicBrush on its own latents z' (eq. 5).
    let zMagicNext: Float32Array | null = null;
    if (magicBrush) {
      const input = guidanceBatch(magicBrush.scheduler.scaleModelInput(zMagic, t), imageLatents, batch);
      const { noise: e } = await call(magicBrush.unet, input);
      zMagicNext = magicBrush.scheduler.step(
        threeWayGuidance(e, textGuidance, imageGuidance),
        t,
        zMagic,
        magicBrush.noise,
      );
    }

    // InstructPix2Pix to z* (eq. 2), with its attention maps.
    const input = guidanceBatch(ip2p.scheduler.scaleModelInput(zIp2p, t), imageLatents, batch);
    const { noise: e, attention } = await call(ip2p.unet, input);
    const zStar = ip2p.scheduler.step(threeWayGuidance(e, textGuidance, imageGuidance), t, zIp2p, ip2p.noise);
    if (attention) {
      // (3, 77, h', w'): items 1 and 2 are the null-text branches, item 0 the text branch.
      const per = attention.length / 3;
      attentionSum ??= new Float32Array(per);
      const items = options.attentionBranches === "null-text" ? [1, 2] : [0];
      for (const b of items) {
        for (let k = 0; k < per; k++) attentionSum[k] += attention[b * per + k];
        attentionCount++;
      }
    }

    // Fuse: z_ip2p <- (z* + beta z') / (1 + beta); MagicBrush keeps z'.
    if (zMagicNext) {
      const scale = 1 / (1 + beta);
      for (let k = 0; k < zStar.length; k++) zStar[k] = (zStar[k] + beta * zMagicNext[k]) * scale;
      zMagic = zMagicNext;
    }
    zIp2p = zStar;
    const elapsed = performance.now() - stepStart;
    stepMs.push(elapsed);
    modelMs.push(inModel);
    await onStep({
      step: i + 1,
      total: timesteps.length,
      timestep: t,
      elapsedMs: performance.now() - loopStart,
      modelMs: inModel,
    });
  }
  if (attentionSum) for (let k = 0; k < attentionSum.length; k++) attentionSum[k] /= attentionCount;
  return { latents: zIp2p, attention: attentionSum, stepMs, modelMs };
}
