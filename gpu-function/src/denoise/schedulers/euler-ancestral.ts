// diffusers' EulerAncestralDiscreteScheduler (k-diffusion's sample_euler_ancestral), InstructPix2Pix's default.
//
// Timesteps (float32, descending): "linspace" (the diffusers default, and InstructPix2Pix's since its
// config has no timestep_spacing): linspace(0, N - 1, n) reversed, fractional in general;
// "leading": (arange(n) * (N // n)) reversed + steps_offset; "trailing": round(arange(N, 0, -N / n)) - 1.
// sigmas = interp(timesteps, training sigmas) followed by a final 0.
// initNoiseSigma = max sigma ("linspace"/"trailing"), sqrt(max sigma^2 + 1) ("leading").
// scaleModelInput divides by sqrt(sigma^2 + 1). step at sigma -> sigma_next:
//   x0 = x - sigma eps (epsilon) or x / (sigma^2 + 1) - sigma v / sqrt(sigma^2 + 1) (v_prediction);
//   sigma_up = sqrt(sigma_next^2 (sigma^2 - sigma_next^2) / sigma^2), sigma_down = sqrt(sigma_next^2 - sigma_up^2);
//   x' = x + (x - x0) / sigma * (sigma_down - sigma) + noise * sigma_up.
// Like diffusers, noise is drawn on every step (also the last, where sigma_up = 0), so a seeded source stays
// in step with torch's generator.
import { noiseSchedule } from "./betas.ts";
import { parseSchedulerConfig, type SchedulerConfig } from "./config.ts";
import { interpIntegerGrid, npArange, npLinspace, roundHalfEven } from "./numeric.ts";
import type { NoiseSource, Scheduler } from "./scheduler.ts";
import { checkInferenceSteps, checkSameLength, indexForTimestep, resolveStepIndex } from "./step-index.ts";

const NAME = "EulerAncestralDiscreteScheduler";

export function eulerTimesteps(config: SchedulerConfig, steps: number): number[] {
  const n = config.num_train_timesteps;
  if (config.timestep_spacing === "linspace") {
    return npLinspace(0, n - 1, steps)
      .reverse()
      .map(Math.fround);
  }
  if (config.timestep_spacing === "leading") {
    const ratio = Math.floor(n / steps);
    return Array.from({ length: steps }, (_, i) => (steps - 1 - i) * ratio + config.steps_offset);
  }
  return npArange(n, 0, -n / steps).map((t) => roundHalfEven(t) - 1);
}

export class EulerAncestralDiscreteScheduler implements Scheduler {
  readonly config: Readonly<SchedulerConfig>;
  private readonly trainSigmas: Float32Array;
  private schedule: readonly number[] = [];
  private sigmaList: Float32Array;
  private stepIndex: number | null = null;

  /** `config`: diffusers keys (e.g. from parseSchedulerConfig); absent keys take diffusers' defaults. */
  constructor(config: Partial<SchedulerConfig> = {}) {
    this.config = Object.freeze(parseSchedulerConfig(config));
    this.trainSigmas = noiseSchedule(this.config).sigmas;
    this.sigmaList = Float32Array.from([...this.trainSigmas].reverse().concat(0));
  }

  get timesteps(): readonly number[] {
    return this.schedule;
  }

  /** Sigma per timestep plus the final 0 (the training sigmas, descending, before setTimesteps). */
  get sigmas(): Float32Array {
    return this.sigmaList.slice();
  }

  get initNoiseSigma(): number {
    const max = this.sigmaList.reduce((m, s) => Math.max(m, s), 0);
    const spacing = this.config.timestep_spacing;
    if (spacing === "linspace" || spacing === "trailing") return max;
    return Math.fround(Math.sqrt(Math.fround(Math.fround(max * max) + 1)));
  }

  setTimesteps(numInferenceSteps: number): void {
    checkInferenceSteps(NAME, numInferenceSteps, this.config.num_train_timesteps);
    const timesteps = eulerTimesteps(this.config, numInferenceSteps);
    this.sigmaList = Float32Array.from(
      timesteps.map((t) => interpIntegerGrid(t, this.trainSigmas)).concat(0),
    );
    this.schedule = Object.freeze(timesteps);
    this.stepIndex = null;
  }

  scaleModelInput(sample: Float32Array, timestep: number): Float32Array {
    this.stepIndex = resolveStepIndex(this.schedule, this.stepIndex, timestep, NAME);
    const sigma = this.sigmaList[this.stepIndex];
    const scale = Math.fround(Math.sqrt(Math.fround(Math.fround(sigma * sigma) + 1)));
    const out = new Float32Array(sample.length);
    for (let i = 0; i < out.length; i++) out[i] = sample[i] / scale;
    return out;
  }

  step(modelOutput: Float32Array, timestep: number, sample: Float32Array, noise?: NoiseSource): Float32Array {
    const index = resolveStepIndex(this.schedule, this.stepIndex, timestep, NAME);
    checkSameLength(NAME, sample, modelOutput, "model output");
    if (noise === undefined) throw new Error(`${NAME}: ancestral sampling needs a noise source`);
    const sigma = this.sigmaList[index];
    const sigmaTo = this.sigmaList[index + 1];
    const sigmaUp = Math.sqrt((sigmaTo * sigmaTo * (sigma * sigma - sigmaTo * sigmaTo)) / (sigma * sigma));
    const sigmaDown = Math.sqrt(sigmaTo * sigmaTo - sigmaUp * sigmaUp);
    const dt = sigmaDown - sigma;
    const z = noise(sample.length);
    checkSameLength(NAME, sample, z, "noise");
    const v = this.config.prediction_type === "v_prediction";
    const cOut = -sigma / Math.sqrt(sigma * sigma + 1);
    const cSkip = 1 / (sigma * sigma + 1);
    const out = new Float32Array(sample.length);
    for (let i = 0; i < out.length; i++) {
      const x = sample[i];
      const x0 = v ? modelOutput[i] * cOut + x * cSkip : x - sigma * modelOutput[i];
      out[i] = x + ((x - x0) / sigma) * dt + z[i] * sigmaUp;
    }
    this.stepIndex = index + 1;
    return out;
  }

  /** diffusers' add_noise for one timestep of the schedule: original + noise * sigma(t). */
  addNoise(original: Float32Array, noise: Float32Array, timestep: number): Float32Array {
    if (this.schedule.length === 0) throw new Error(`${NAME}: call setTimesteps before addNoise`);
    checkSameLength(NAME, original, noise, "noise");
    const sigma = this.sigmaList[indexForTimestep(this.schedule, timestep)];
    return original.map((x, i) => x + noise[i] * sigma);
  }
}
