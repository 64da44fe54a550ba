// diffusers' DPMSolverMultistepScheduler, algorithm_type "dpmsolver++" (data prediction), deterministic.
//
// Built from InstructPix2Pix's scheduler_config.json (`from_config`), the keys that file lacks take the
// constructor defaults: solver_order 2, solver_type "midpoint", lower_order_final true, euler_at_final false,
// final_sigmas_type "zero", timestep_spacing "linspace", lambda_min_clipped -inf (so no clipping), no
// thresholding, no Karras/Lu/exponential/beta/flow sigmas. steps_offset (1 there) only affects "leading".
// Timesteps (integers, descending), with N = num_train_timesteps and n steps:
//   "linspace": round(linspace(0, N - 1, n + 1)) reversed, last dropped (20 steps: 999, 949, ..., 500, ..., 50);
//   "leading": arange(n + 1) * (N // (n + 1)) reversed, last dropped, + steps_offset;
//   "trailing": round(arange(N, 0, -N / n)) - 1.
// sigmas = training sigmas at those timesteps, then 0 ("zero") or the smallest training sigma ("sigma_min").
// With alpha = 1 / sqrt(sigma^2 + 1), sigma_t = sigma alpha, lambda = ln(alpha / sigma_t), h = lambda_next - lambda:
//   x0 = (x - sigma_t eps) / alpha (epsilon) or alpha x - sigma_t v (v_prediction);
//   order 1: x' = (sigma_t' / sigma_t) x - alpha' (e^-h - 1) x0;
//   order 2 (previous x0 m1, r = h_prev / h, D1 = (x0 - m1) / r):
//     midpoint: x' = order-1 update - 0.5 alpha' (e^-h - 1) D1;  heun: ... + alpha' ((e^-h - 1) / h + 1) D1.
// The first step is order 1 (no history yet); the last step is order 1 when final_sigmas_type is "zero",
// euler_at_final is set or lower_order_final holds with fewer than 15 steps.
// initNoiseSigma is 1 and scaleModelInput is the identity.
import { noiseSchedule } from "./betas.ts";
import { parseSchedulerConfig, type SchedulerConfig } from "./config.ts";
import { npArange, npLinspace, roundHalfEven } from "./numeric.ts";
import type { Scheduler } from "./scheduler.ts";
import { checkInferenceSteps, checkSameLength, indexForTimestep, resolveStepIndex } from "./step-index.ts";

const NAME = "DPMSolverMultistepScheduler";

export function dpmTimesteps(config: SchedulerConfig, steps: number): number[] {
  const n = config.num_train_timesteps;
  if (config.timestep_spacing === "linspace") {
    return npLinspace(0, n - 1, steps + 1)
      .map(roundHalfEven)
      .reverse()
      .slice(0, steps);
  }
  if (config.timestep_spacing === "leading") {
    const ratio = Math.floor(n / (steps + 1));
    return Array.from({ length: steps }, (_, i) => (steps - i) * ratio + config.steps_offset);
  }
  return npArange(n, 0, -n / steps).map((t) => roundHalfEven(t) - 1);
}

// VP coefficients for a VE sigma: alpha, sigma_t and lambda = log(alpha) - log(sigma_t).
function vp(sigma: number): { alpha: number; sigmaT: number; lambda: number } {
  const alpha = 1 / Math.sqrt(sigma * sigma + 1);
  const sigmaT = sigma * alpha;
  return { alpha, sigmaT, lambda: Math.log(alpha) - Math.log(sigmaT) };
}

export class DPMSolverMultistepScheduler implements Scheduler {
  readonly config: Readonly<SchedulerConfig>;
  readonly initNoiseSigma = 1;
  private readonly trainSigmas: Float32Array;
  private schedule: readonly number[] = [];
  private sigmaList = new Float32Array(0);
  private stepIndex: number | null = null;
  // Data predictions x0 of the previous and the current step (diffusers' model_outputs).
  private history: (Float32Array | null)[] = [];
  private lowerOrderNums = 0;

  /** `config`: diffusers keys (e.g. from parseSchedulerConfig); absent keys take diffusers' defaults. */
  constructor(config: Partial<SchedulerConfig> = {}) {
    this.config = Object.freeze(parseSchedulerConfig(config));
    this.trainSigmas = noiseSchedule(this.config).sigmas;
  }

  get timesteps(): readonly number[] {
    return this.schedule;
  }

  /** Sigma per timestep plus the final one (empty before setTimesteps). */
  get sigmas(): Float32Array {
    return this.sigmaList.slice();
  }

  setTimesteps(numInferenceSteps: number): void {
    checkInferenceSteps(NAME, numInferenceSteps, this.config.num_train_timesteps);
    const timesteps = dpmTimesteps(this.config, numInferenceSteps);
    const last = this.config.final_sigmas_type === "zero" ? 0 : this.trainSigmas[0];
    this.sigmaList = Float32Array.from(timesteps.map((t) => this.trainSigmas[t]).concat(last));
    this.schedule = Object.freeze(timesteps);
    this.stepIndex = null;
    this.history = new Array(this.config.solver_order).fill(null);
    this.lowerOrderNums = 0;
  }

  scaleModelInput(sample: Float32Array, timestep: number): Float32Array {
    resolveStepIndex(this.schedule, this.stepIndex, timestep, NAME);
    return sample;
  }

  step(modelOutput: Float32Array, timestep: number, sample: Float32Array): Float32Array {
    const index = resolveStepIndex(this.schedule, this.stepIndex, timestep, NAME);
    checkSameLength(NAME, sample, modelOutput, "model output");
    const { solver_order, lower_order_final, euler_at_final, final_sigmas_type } = this.config;
    const n = this.schedule.length;
    const lowerOrderFinal =
      index === n - 1 && (euler_at_final || (lower_order_final && n < 15) || final_sigmas_type === "zero");
    const x0 = this.dataPrediction(modelOutput, sample, this.sigmaList[index]);
    this.history.shift();
    this.history.push(x0);
    const firstOrder = solver_order === 1 || this.lowerOrderNums < 1 || lowerOrderFinal;
    const out = firstOrder ? this.firstOrder(index, sample, x0) : this.secondOrder(index, sample);
    if (this.lowerOrderNums < solver_order) this.lowerOrderNums++;
    this.stepIndex = index + 1;
    return out;
  }

  /** diffusers' add_noise for one timestep of the schedule: alpha(t) original + sigma_t(t) noise. */
  addNoise(original: Float32Array, noise: Float32Array, timestep: number): Float32Array {
    if (this.schedule.length === 0) throw new Error(`${NAME}: call setTimesteps before addNoise`);
    checkSameLength(NAME, original, noise, "noise");
    const { alpha, sigmaT } = vp(this.sigmaList[indexForTimestep(this.schedule, timestep)]);
    return original.map((x, i) => alpha * x + sigmaT * noise[i]);
  }

  private dataPrediction(modelOutput: Float32Array, sample: Float32Array, sigma: number): Float32Array {
    const { alpha, sigmaT } = vp(sigma);
    // Plain loops: TypedArray.map with a closure is several times slower on the 16k-latent hot path.
    const out = new Float32Array(sample.length);
    if (this.config.prediction_type === "v_prediction") {
      for (let i = 0; i < out.length; i++) out[i] = alpha * sample[i] - sigmaT * modelOutput[i];
    } else {
      for (let i = 0; i < out.length; i++) out[i] = (sample[i] - sigmaT * modelOutput[i]) / alpha;
    }
    return out;
  }

  private firstOrder(index: number, sample: Float32Array, x0: Float32Array): Float32Array {
    const s = vp(this.sigmaList[index]);
    const t = vp(this.sigmaList[index + 1]);
    const cx = t.sigmaT / s.sigmaT;
    const c0 = t.alpha * (Math.exp(-(t.lambda - s.lambda)) - 1);
    const out = new Float32Array(sample.length);
    for (let i = 0; i < out.length; i++) out[i] = cx * sample[i] - c0 * x0[i];
    return out;
  }

  private secondOrder(index: number, sample: Float32Array): Float32Array {
    const [m1, m0] = this.history as Float32Array[];
    const s1 = vp(this.sigmaList[index - 1]);
    const s0 = vp(this.sigmaList[index]);
    const t = vp(this.sigmaList[index + 1]);
    const h = t.lambda - s0.lambda;
    const r0 = (s0.lambda - s1.lambda) / h;
    const cx = t.sigmaT / s0.sigmaT;
    const c0 = t.alpha * (Math.exp(-h) - 1);
    const c1 = this.config.solver_type === "midpoint" ? -0.5 * c0 : t.alpha * ((Math.exp(-h) - 1) / h + 1);
    const out = new Float32Array(sample.length);
    const c1r = c1 / r0;
    for (let i = 0; i < out.length; i++) out[i] = cx * sample[i] - c0 * m0[i] + c1r * (m0[i] - m1[i]);
    return out;
  }
}
