import { describe, expect, it } from "vitest";
import { diffusers018Trajectory, IP2P_018 } from "../../../test/dpm-solver-018.ts";
import {
  dummyModel,
  dummyNoiseDeter,
  dummySampleDeter,
  INSTRUCT_PIX2PIX_SCHEDULER_JSON,
  meanAbs,
  sumAbs,
} from "../../../test/scheduler-fixtures.ts";
import { BUNDLE_SCHEDULER_CONFIG } from "../../fixtures/fixture-bundle.ts";
import { parseSchedulerConfig, type SchedulerConfig } from "./config.ts";
import { DPMSolverMultistepScheduler } from "./dpm-solver-multistep.ts";

// diffusers' DPMSolverMultistepSchedulerTest.get_scheduler_config (algorithm dpmsolver++, order 2, midpoint).
const TEST_CONFIG: Partial<SchedulerConfig> = {
  num_train_timesteps: 1000,
  beta_start: 0.0001,
  beta_end: 0.02,
  beta_schedule: "linear",
  solver_order: 2,
  prediction_type: "epsilon",
  solver_type: "midpoint",
  lower_order_final: false,
  euler_at_final: false,
  final_sigmas_type: "sigma_min",
};

// diffusers' full_loop: 10 steps from dummy_sample_deter with the dummy model.
function fullLoop(scheduler: DPMSolverMultistepScheduler, steps = 10): Float32Array {
  scheduler.setTimesteps(steps);
  let sample = dummySampleDeter();
  for (const t of scheduler.timesteps) sample = scheduler.step(dummyModel(sample, t), t, sample);
  return sample;
}

const build = (overrides: Partial<SchedulerConfig> = {}) =>
  new DPMSolverMultistepScheduler({ ...TEST_CONFIG, ...overrides });

// VP coefficients of a VE sigma.
const vp = (sigma: number) => ({
  alpha: 1 / Math.sqrt(sigma * sigma + 1),
  sigmaT: sigma / Math.sqrt(sigma * sigma + 1),
});

describe("DPMSolverMultistepScheduler: diffusers' expected values", () => {
  it("test_full_loop_no_noise: mean 0.3301", () => {
    expect(Math.abs(meanAbs(fullLoop(build())) - 0.3301)).toBeLessThan(1e-3);
  });

  it("test_full_loop_with_v_prediction: mean 0.2251", () => {
    expect(Math.abs(meanAbs(fullLoop(build({ prediction_type: "v_prediction" }))) - 0.2251)).toBeLessThan(
      1e-3,
    );
  });

  it("test_full_loop_with_noise (add_noise at t_start = 5): sum 318.4111, mean 0.4146", () => {
    const scheduler = build();
    scheduler.setTimesteps(10);
    const timesteps = scheduler.timesteps.slice(5);
    let sample = scheduler.addNoise(dummySampleDeter(), dummyNoiseDeter(), timesteps[0]);
    for (const t of timesteps) sample = scheduler.step(dummyModel(sample, t), t, sample);
    expect(Math.abs(sumAbs(sample) - 318.4111)).toBeLessThan(1e-2);
    expect(Math.abs(meanAbs(sample) - 0.4146)).toBeLessThan(1e-3);
  });

  it("test_switch (the DPM part): rebuilt from its own JSON config, still mean 0.3301", () => {
    const again = new DPMSolverMultistepScheduler(
      parseSchedulerConfig(JSON.parse(JSON.stringify(build().config))),
    );
    expect(Math.abs(meanAbs(fullLoop(again)) - 0.3301)).toBeLessThan(1e-3);
  });

  it("test_duplicated_timesteps: 1000 inference steps give 1000 timesteps (with a repeated 500)", () => {
    const scheduler = build();
    scheduler.setTimesteps(1000);
    expect(scheduler.timesteps).toHaveLength(1000);
    expect(scheduler.timesteps.filter((t) => t === 500)).toHaveLength(2);
  });

  it("test_solver_order_and_type (dpmsolver++ rows): no NaN for orders 1, 2 x midpoint, heun x epsilon, v", () => {
    for (const solver_order of [1, 2] as const) {
      for (const solver_type of ["midpoint", "heun"] as const) {
        for (const prediction_type of ["epsilon", "v_prediction"] as const) {
          const sample = fullLoop(build({ solver_order, solver_type, prediction_type }));
          expect(sample.every(Number.isFinite)).toBe(true);
        }
      }
    }
  });

  // check_over_configs / check_over_forward: a scheduler rebuilt from its saved config steps identically.
  it.each<Partial<SchedulerConfig>>([
    ...[25, 50, 100, 999, 1000].map((n) => ({ num_train_timesteps: n })),
    { prediction_type: "v_prediction" },
    { lower_order_final: true },
    { euler_at_final: true },
    { solver_order: 1 },
    { solver_type: "heun" },
  ])("check_over_configs %j: same outputs after a JSON round trip", (overrides) => {
    const a = build(overrides);
    const b = new DPMSolverMultistepScheduler(parseSchedulerConfig(JSON.parse(JSON.stringify(a.config))));
    const sample = dummySampleDeter();
    const residual = sample.map((x) => 0.1 * x);
    const run = (s: DPMSolverMultistepScheduler) => {
      s.setTimesteps(25);
      let out = sample;
      for (const t of s.timesteps.slice(0, s.config.solver_order + 1)) out = s.step(residual, t, out);
      return out;
    };
    const out = run(a);
    expect(run(b)).toEqual(out);
    expect(out).toHaveLength(sample.length); // test_step_shape
  });

  it.each([1, 2, 3, 5, 10, 50, 100, 999, 1000])("test_inference_steps %i: first step is finite", (steps) => {
    const s = build();
    s.setTimesteps(steps);
    const sample = dummySampleDeter();
    const out = s.step(
      sample.map((x) => 0.1 * x),
      s.timesteps[0],
      sample,
    );
    expect(out.every(Number.isFinite)).toBe(true);
  });
});

describe("DPMSolverMultistepScheduler with InstructPix2Pix's config", () => {
  const ip2p = () => new DPMSolverMultistepScheduler(parseSchedulerConfig(INSTRUCT_PIX2PIX_SCHEDULER_JSON));

  it("uses linspace spacing: 20 steps are round(linspace(0, 999, 21)) reversed without the 0", () => {
    const s = ip2p();
    s.setTimesteps(20);
    // linspace(0, 999, 21)[k] = k * 49.95; numpy rounds halves to even (499.5 -> 500); steps_offset unused.
    expect(s.timesteps).toEqual([
      999, 949, 899, 849, 799, 749, 699, 649, 599, 549, 500, 450, 400, 350, 300, 250, 200, 150, 100, 50,
    ]);
    expect(s.timesteps).toEqual(Array.from({ length: 20 }, (_, i) => Math.round((20 - i) * (999 / 20))));
  });

  it("has init noise sigma 1, an identity input scaling and a final sigma of 0", () => {
    const s = ip2p();
    s.setTimesteps(20);
    expect(s.initNoiseSigma).toBe(1);
    const x = new Float32Array([1, 2]);
    expect(s.scaleModelInput(x, 999)).toBe(x);
    expect(s.sigmas).toHaveLength(21);
    expect(s.sigmas[0]).toBeCloseTo(14.6146, 4);
    expect(s.sigmas[20]).toBe(0);
  });

  it("uses leading spacing with steps_offset when asked", () => {
    const s = new DPMSolverMultistepScheduler({
      ...parseSchedulerConfig(INSTRUCT_PIX2PIX_SCHEDULER_JSON),
      timestep_spacing: "leading",
    });
    s.setTimesteps(20);
    // arange(21) * (1000 // 21) reversed, last dropped, + 1.
    expect(s.timesteps).toEqual(Array.from({ length: 20 }, (_, i) => (20 - i) * 47 + 1));
  });

  it("takes a DDIM step first, order 2 in the middle and returns the data prediction at the end", () => {
    const s = ip2p();
    s.setTimesteps(20);
    const sig = s.sigmas;
    const eps = 0.25;
    let x = 1.5;
    // Step 0 (first order) equals DDIM: x' = alpha' x0 + sigma_t' eps.
    const a0 = vp(sig[0]);
    const a1 = vp(sig[1]);
    const x0First = (x - a0.sigmaT * eps) / a0.alpha;
    const out0 = s.step(new Float32Array([eps]), 999, new Float32Array([x]))[0];
    expect(out0).toBeCloseTo(a1.alpha * x0First + a1.sigmaT * eps, 5);
    // Steps 1..18 are second order, so step 1 differs from DDIM unless x0 is unchanged.
    x = out0;
    const x0Second = (x - a1.sigmaT * eps) / a1.alpha;
    const a2 = vp(sig[2]);
    const out1 = s.step(new Float32Array([eps]), 949, new Float32Array([x]))[0];
    const lambda = (a: { alpha: number; sigmaT: number }) => Math.log(a.alpha / a.sigmaT);
    const h = lambda(a2) - lambda(a1);
    const r = (lambda(a1) - lambda(a0)) / h;
    const c = a2.alpha * (Math.exp(-h) - 1);
    const midpoint = (a2.sigmaT / a1.sigmaT) * x - c * x0Second - (0.5 * c * (x0Second - x0First)) / r;
    expect(out1).toBeCloseTo(midpoint, 5);
    // The last step goes to sigma 0: the output is the data prediction itself.
    x = out1;
    for (const t of s.timesteps.slice(2, 19))
      x = s.step(new Float32Array([eps]), t, new Float32Array([x]))[0];
    const last = vp(sig[19]);
    const final = s.step(new Float32Array([eps]), 50, new Float32Array([x]))[0];
    expect(final).toBeCloseTo((x - last.sigmaT * eps) / last.alpha, 5);
  });

  it("uses a first-order last step under lower_order_final with < 15 steps, even with sigma_min", () => {
    const lastStep = (lower_order_final: boolean) => {
      const s = build({ lower_order_final });
      s.setTimesteps(10);
      let x = dummySampleDeter();
      for (const t of s.timesteps.slice(0, 9)) x = s.step(dummyModel(x, t), t, x);
      const eps = dummyModel(x, s.timesteps[9]);
      const out = s.step(eps, s.timesteps[9], x);
      const [from, to] = [vp(s.sigmas[9]), vp(s.sigmas[10])];
      const ddim = x.map((v, i) => to.alpha * ((v - from.sigmaT * eps[i]) / from.alpha) + to.sigmaT * eps[i]);
      return Math.max(...out.map((v, i) => Math.abs(v - ddim[i])));
    };
    expect(lastStep(true)).toBeLessThan(1e-5);
    expect(lastStep(false)).toBeGreaterThan(1e-4);
  });

  it("throws before setTimesteps, out of order, after the last step and on bad lengths; resets on setTimesteps", () => {
    const s = ip2p();
    const x = new Float32Array(4);
    expect(() => s.step(x, 999, x)).toThrow(/call setTimesteps before stepping/);
    expect(() => s.scaleModelInput(x, 999)).toThrow(/call setTimesteps/);
    s.setTimesteps(2);
    expect(s.timesteps).toEqual([999, 500]);
    expect(() => s.step(x, 998, x)).toThrow(/timestep 998 is not in the schedule/);
    expect(() => s.step(new Float32Array(2), 999, x)).toThrow(/model output has 2 values/);
    s.step(x, 999, x);
    expect(() => s.step(x, 999, x)).toThrow(/expected timestep 500 at step 1/);
    s.step(x, 500, x);
    expect(() => s.step(x, 500, x)).toThrow(/all 2 steps are done/);
    expect(() => s.setTimesteps(1001)).toThrow(/1\.\.1000/);
    const first = fullLoop(s, 20);
    expect(fullLoop(s, 20)).toEqual(first);
  });
});

// diffusers' DPMSolverMultistepScheduler (dpmsolver++, deterministic) written again in float64,
// straight from its formulas (multistep_dpm_solver_first_order_update and
// _second_order_update), independently of the implementation under test.
interface ReferenceOptions {
  steps: number;
  solverType: "midpoint" | "heun";
  finalSigmas: "zero" | "sigma_min";
  prediction: "epsilon" | "v_prediction";
  /** Every step first order (DDIM): to show what the second-order term contributes. */
  firstOrderOnly?: boolean;
}

function referenceTrajectory(
  o: ReferenceOptions,
  model: (x: Float64Array, t: number) => Float64Array,
  start: Float64Array,
): { timesteps: number[]; samples: Float64Array[] } {
  // Scaled-linear betas of InstructPix2Pix: linspace(sqrt(0.00085), sqrt(0.012), 1000) ** 2.
  const N = 1000;
  const [b0, b1] = [Math.sqrt(0.00085), Math.sqrt(0.012)];
  const trainSigmas: number[] = [];
  let cumprod = 1;
  for (let i = 0; i < N; i++) {
    cumprod *= 1 - (b0 + ((b1 - b0) * i) / (N - 1)) ** 2;
    trainSigmas.push(Math.sqrt((1 - cumprod) / cumprod));
  }
  // "linspace" spacing: round(linspace(0, N - 1, steps + 1)) reversed, the last (0) dropped.
  const timesteps = Array.from({ length: o.steps }, (_, k) =>
    Math.round(((o.steps - k) * (N - 1)) / o.steps),
  );
  const sigmas = [...timesteps.map((t) => trainSigmas[t]), o.finalSigmas === "zero" ? 0 : trainSigmas[0]];
  const vpOf = (sigma: number) => {
    const alpha = 1 / Math.sqrt(sigma * sigma + 1);
    const sigmaT = sigma * alpha;
    return { alpha, sigmaT, lambda: Math.log(alpha) - Math.log(sigmaT) };
  };
  let x = start;
  let previousX0: Float64Array | null = null;
  const samples: Float64Array[] = [];
  for (let i = 0; i < o.steps; i++) {
    const s0 = vpOf(sigmas[i]);
    const t = vpOf(sigmas[i + 1]);
    const out = model(x, timesteps[i]);
    const x0 = x.map((v, k) =>
      o.prediction === "epsilon" ? (v - s0.sigmaT * out[k]) / s0.alpha : s0.alpha * v - s0.sigmaT * out[k],
    );
    const h = t.lambda - s0.lambda;
    const ratio = t.sigmaT / s0.sigmaT;
    const phi = t.alpha * (Math.exp(-h) - 1);
    // lower_order_final (true in the config): the last step is first order with a zero final
    // sigma, or below 15 steps.
    const last = i === o.steps - 1 && (o.finalSigmas === "zero" || o.steps < 15);
    let next: Float64Array;
    if (previousX0 === null || last || o.firstOrderOnly) {
      next = x.map((v, k) => ratio * v - phi * x0[k]);
    } else {
      const s1 = vpOf(sigmas[i - 1]);
      const r0 = (s0.lambda - s1.lambda) / h;
      const m1 = previousX0;
      const d1 = x0.map((v, k) => (v - m1[k]) / r0);
      next =
        o.solverType === "midpoint"
          ? x.map((v, k) => ratio * v - phi * x0[k] - 0.5 * phi * d1[k])
          : x.map((v, k) => ratio * v - phi * x0[k] + t.alpha * ((Math.exp(-h) - 1) / h + 1) * d1[k]);
    }
    previousX0 = x0;
    x = next;
    samples.push(x);
  }
  return { timesteps, samples };
}

describe("DPMSolverMultistepScheduler against a float64 reference of diffusers' formulas", () => {
  // A model whose prediction moves the data prediction x0 from step to step (a constant epsilon
  // with a fixed sample would leave the second-order difference D1 small).
  const model = (x: ArrayLike<number>, t: number) =>
    Float64Array.from(x, (v, k) => 0.4 * v + 0.6 * Math.sin(t / 53 + k * 0.37));
  const start = Float64Array.from(dummySampleDeter(), (v, k) => v * 4 - 1.5 + Math.cos(k));

  it.each<ReferenceOptions>([
    { steps: 20, solverType: "midpoint", finalSigmas: "zero", prediction: "epsilon" },
    { steps: 20, solverType: "midpoint", finalSigmas: "sigma_min", prediction: "epsilon" },
    { steps: 20, solverType: "heun", finalSigmas: "zero", prediction: "epsilon" },
    { steps: 10, solverType: "midpoint", finalSigmas: "sigma_min", prediction: "v_prediction" },
  ])("every step of %j matches", (o) => {
    const reference = referenceTrajectory(o, model, start);
    const ddim = referenceTrajectory({ ...o, firstOrderOnly: true }, model, start);
    const s = new DPMSolverMultistepScheduler({
      ...parseSchedulerConfig(INSTRUCT_PIX2PIX_SCHEDULER_JSON),
      solver_type: o.solverType,
      final_sigmas_type: o.finalSigmas,
      prediction_type: o.prediction,
    });
    s.setTimesteps(o.steps);
    expect(s.timesteps).toEqual(reference.timesteps);
    let x: Float32Array = Float32Array.from(start);
    let secondOrderEffect = 0;
    reference.samples.forEach((want, i) => {
      const t = s.timesteps[i];
      x = s.step(Float32Array.from(model(x, t)), t, x);
      const scale = 1 + Math.max(...want.map(Math.abs));
      const error = Math.max(...want.map((v, k) => Math.abs(v - x[k])));
      expect(error / scale, `step ${i}`).toBeLessThan(2e-5);
      secondOrderEffect = Math.max(
        secondOrderEffect,
        ...want.map((v, k) => Math.abs(v - ddim.samples[i][k]) / scale),
      );
    });
    // The test reaches the second-order terms: they move the samples far more than the tolerance.
    expect(secondOrderEffect).toBeGreaterThan(1e-2);
  });
});

// The release ran diffusers 0.18.0. Its last step goes second order to timestep 0; with the
// bundle's final_sigmas_type "sigma_min" the scheduler takes the same step.
describe("DPMSolverMultistepScheduler against diffusers 0.18.0 (the release's scheduler)", () => {
  const model = (x: ArrayLike<number>, t: number) =>
    Float32Array.from(x, (v, k) => 0.4 * v + 0.6 * Math.sin(t / 53 + k * 0.37));
  const start = Float32Array.from(dummySampleDeter(), (v, k) => v * 4 - 1.5 + Math.cos(k));
  const run = (final: "sigma_min" | "zero", steps: number) => {
    const s = new DPMSolverMultistepScheduler({
      ...parseSchedulerConfig(BUNDLE_SCHEDULER_CONFIG),
      final_sigmas_type: final,
    });
    s.setTimesteps(steps);
    let x: Float32Array = start;
    const samples: Float32Array[] = [];
    for (const t of s.timesteps) {
      x = s.step(model(x, t), t, x);
      samples.push(x);
    }
    return { timesteps: s.timesteps, samples };
  };
  const maxAbs = (a: Float32Array, b: Float32Array) => Math.max(...a.map((v, k) => Math.abs(v - b[k])));
  // Relative to the sample's scale (|x| up to about 4 here): both sides round in float32.
  const relative = (want: Float32Array, got: Float32Array) =>
    maxAbs(want, got) / (1 + Math.max(...want.map(Math.abs)));
  const rms = (a: Float32Array, b: Float32Array) =>
    Math.sqrt(a.reduce((s, v, k) => s + (v - b[k]) ** 2, 0) / a.length);

  it("the bundle's config asks for sigma_min, and 20 steps match 0.18 at every step to 1e-5", () => {
    expect(parseSchedulerConfig(BUNDLE_SCHEDULER_CONFIG).final_sigmas_type).toBe("sigma_min");
    const reference = diffusers018Trajectory(IP2P_018, 20, model, start);
    const ours = run("sigma_min", 20);
    expect(ours.timesteps).toEqual(reference.timesteps);
    reference.samples.forEach((want, i) => {
      expect(relative(want, ours.samples[i]), `step ${i}`).toBeLessThan(1e-5);
    });
  });

  it("current diffusers' default (zero: first order to sigma 0) is far from 0.18 at the end", () => {
    const reference = diffusers018Trajectory(IP2P_018, 20, model, start);
    const zero = run("zero", 20);
    // Identical until the last step, then apart by far more than the tolerance.
    expect(relative(reference.samples[18], zero.samples[18])).toBeLessThan(1e-5);
    expect(rms(reference.samples[19], zero.samples[19])).toBeGreaterThan(1e-3);
  });

  it("below 15 steps 0.18's lower_order_final makes the last step first order, as sigma_min does here", () => {
    const reference = diffusers018Trajectory(IP2P_018, 10, model, start);
    const ours = run("sigma_min", 10);
    reference.samples.forEach((want, i) => {
      expect(relative(want, ours.samples[i]), `step ${i}`).toBeLessThan(1e-5);
    });
  });
});
