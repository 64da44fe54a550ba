// The diffusion scheduler contract shared by every sampler in this folder (diffusers' SchedulerMixin subset).
//
// A denoising loop (InstructPix2Pix, diffusers' pipeline order) runs:
//   scheduler.setTimesteps(steps);
//   latents = noise scaled by scheduler.initNoiseSigma;
//   for (const t of scheduler.timesteps) {
//     input = scheduler.scaleModelInput(latentsForUnet, t);   // any length, e.g. the 3x CFG batch
//     eps = unet(input, t) combined by guidance;
//     latents = scheduler.step(eps, t, latents, noise);
//   }
// Samples are flat Float32Array tensors (any layout; every operation is elementwise). The schedulers keep a
// step counter like diffusers: the first call after setTimesteps locates `timestep` in the schedule, and
// each later call must pass the next timestep in order.
export type {
  BetaSchedule,
  PredictionType,
  SchedulerConfig,
  TimestepSpacing,
} from "./config.ts";
export { parseSchedulerConfig, SCHEDULER_CONFIG_DEFAULTS } from "./config.ts";

/** Returns `length` independent standard-normal samples; callers inject deterministic sources in tests. */
export type NoiseSource = (length: number) => Float32Array;

export interface Scheduler {
  /**
   * The inference timesteps, descending, set by `setTimesteps` (empty before). Pass these exact values to the
   * UNet and back to `scaleModelInput`/`step`; they may be fractional (Euler ancestral with linspace spacing).
   */
  readonly timesteps: readonly number[];
  /** Standard deviation of the initial latent noise: multiply N(0, 1) latents by this. */
  readonly initNoiseSigma: number;
  /** Sets the inference schedule and resets all per-run state (step counter, solver history). */
  setTimesteps(numInferenceSteps: number): void;
  /** Scales the UNet input for timestep `timestep`; returns a new array (or `sample` itself when identity). */
  scaleModelInput(sample: Float32Array, timestep: number): Float32Array;
  /**
   * One denoising step from `timestep` to the next one; returns the new sample (a fresh array).
   * `noise` supplies standard-normal samples where the algorithm is stochastic (ancestral sampling).
   * Throws before `setTimesteps`, on a timestep out of order and after the last step.
   */
  step(modelOutput: Float32Array, timestep: number, sample: Float32Array, noise?: NoiseSource): Float32Array;
}
