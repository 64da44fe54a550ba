import { describe, expect, it } from "vitest";
import {
  dummyModel,
  dummyNoiseDeter,
  dummySampleDeter,
  INSTRUCT_PIX2PIX_SCHEDULER_JSON,
  meanAbs,
  sumAbs,
  zeroNoise,
} from "../../../test/scheduler-fixtures.ts";
import { noiseSource as torchCpuRandn } from "../random/gaussian-noise.ts";
import { parseSchedulerConfig, type SchedulerConfig } from "./config.ts";
import { EulerAncestralDiscreteScheduler } from "./euler-ancestral.ts";
import type { NoiseSource } from "./scheduler.ts";

// diffusers' EulerAncestralDiscreteSchedulerTest.get_scheduler_config and num_inference_steps.
const TEST_CONFIG: Partial<SchedulerConfig> = {
  num_train_timesteps: 1100,
  beta_start: 0.0001,
  beta_end: 0.02,
  beta_schedule: "linear",
};
const STEPS = 10;

// The loop of diffusers' test_full_loop_*: note it hands the *scaled* sample to step(), as the test does.
function fullLoop(config: Partial<SchedulerConfig>, tStart = 0): Float32Array {
  const scheduler = new EulerAncestralDiscreteScheduler(config);
  scheduler.setTimesteps(STEPS);
  const generator = torchCpuRandn(0); // torch.manual_seed(0)
  let sample: Float32Array = dummySampleDeter().map((x) => x * scheduler.initNoiseSigma);
  const timesteps = scheduler.timesteps.slice(tStart);
  if (tStart > 0) sample = scheduler.addNoise(sample, dummyNoiseDeter(), timesteps[0]);
  for (const t of timesteps) {
    sample = scheduler.scaleModelInput(sample, t);
    sample = scheduler.step(dummyModel(sample, t), t, sample, generator);
  }
  return sample;
}

describe("EulerAncestralDiscreteScheduler: diffusers' expected values", () => {
  // The noise comes from a torch-compatible CPU generator (random/torch-randn.ts), so the seeded values port.
  it("test_full_loop_no_noise (and test_full_loop_device): sum 152.3192, mean 0.1983", () => {
    const sample = fullLoop(TEST_CONFIG);
    expect(Math.abs(sumAbs(sample) - 152.3192)).toBeLessThan(1e-2);
    expect(Math.abs(meanAbs(sample) - 0.1983)).toBeLessThan(1e-3);
  });

  it("test_full_loop_with_v_prediction: sum 108.4439, mean 0.1412", () => {
    const sample = fullLoop({ ...TEST_CONFIG, prediction_type: "v_prediction" });
    expect(Math.abs(sumAbs(sample) - 108.4439)).toBeLessThan(1e-2);
    expect(Math.abs(meanAbs(sample) - 0.1412)).toBeLessThan(1e-3);
  });

  it("test_full_loop_with_noise (add_noise at t_start = 8): sum 56163.0508, mean 73.1290", () => {
    const sample = fullLoop(TEST_CONFIG, STEPS - 2);
    expect(Math.abs(sumAbs(sample) - 56163.0508)).toBeLessThan(1e-2);
    expect(Math.abs(meanAbs(sample) - 73.129)).toBeLessThan(1e-3);
  });

  // check_over_configs: a scheduler rebuilt from its saved (JSON) config steps identically. Not ported:
  // rescale_betas_zero_snr (rejected by the config parser) and save_pretrained/from_pretrained themselves.
  it.each<Partial<SchedulerConfig>>([
    ...[10, 50, 100, 1000].map((n) => ({ num_train_timesteps: n })),
    ...[
      [0.00001, 0.0002],
      [0.0001, 0.002],
      [0.001, 0.02],
    ].map(([beta_start, beta_end]) => ({ beta_start, beta_end })),
    { beta_schedule: "linear" },
    { beta_schedule: "scaled_linear" },
    { prediction_type: "epsilon" },
    { prediction_type: "v_prediction" },
  ])("check_over_configs %j: same output after a JSON round trip", (overrides) => {
    const config = { ...TEST_CONFIG, ...overrides };
    const a = new EulerAncestralDiscreteScheduler(config);
    const b = new EulerAncestralDiscreteScheduler(parseSchedulerConfig(JSON.parse(JSON.stringify(a.config))));
    const sample = dummySampleDeter();
    const residual = sample.map((x) => 0.1 * x);
    const outputs = [a, b].map((s) => {
      s.setTimesteps(STEPS);
      const t = s.timesteps[0];
      return s.step(residual, t, s.scaleModelInput(sample, t), torchCpuRandn(0));
    });
    expect(outputs[1]).toEqual(outputs[0]);
    expect(outputs[0]).toHaveLength(sample.length); // test_step_shape
  });
});

describe("EulerAncestralDiscreteScheduler with InstructPix2Pix's config", () => {
  const ip2p = () =>
    new EulerAncestralDiscreteScheduler(parseSchedulerConfig(INSTRUCT_PIX2PIX_SCHEDULER_JSON));

  it("uses linspace spacing: 20 steps are linspace(0, 999, 20) reversed, in float32", () => {
    const s = ip2p();
    s.setTimesteps(20);
    // np.linspace: i * (999 / 19), the last entry exactly 999; then float32.
    const expected = Array.from({ length: 20 }, (_, i) =>
      i === 0 ? 999 : Math.fround((19 - i) * (999 / 19)),
    );
    expect(s.timesteps).toEqual(expected);
    expect(s.timesteps.slice(0, 2)).toEqual([999, 946.4210815429688]);
    expect(s.timesteps.slice(-2)).toEqual([52.578948974609375, 0]);
  });

  it("interpolates sigmas, ends at 0 and starts the noise at sigma_max = 14.6146", () => {
    const s = ip2p();
    s.setTimesteps(20);
    const sigmas = s.sigmas;
    expect(sigmas).toHaveLength(21);
    expect(sigmas[0]).toBeCloseTo(14.6146, 4);
    expect(sigmas[1]).toBeCloseTo(10.7468, 3); // np.interp at 946.42
    expect(sigmas[19]).toBeCloseTo(0.02917, 5);
    expect(sigmas[20]).toBe(0);
    expect(s.initNoiseSigma).toBe(sigmas[0]);
  });

  it("scales the model input by 1 / sqrt(sigma^2 + 1)", () => {
    const s = ip2p();
    s.setTimesteps(20);
    const scaled = s.scaleModelInput(new Float32Array([1, -2, 0]), 999);
    const k = 1 / Math.sqrt(14.614641 ** 2 + 1);
    expect(scaled[0]).toBeCloseTo(k, 6);
    expect(scaled[1]).toBeCloseTo(-2 * k, 6);
    expect(scaled[2]).toBe(0);
  });

  it("uses sqrt(sigma_max^2 + 1) as init noise sigma with leading spacing, with steps_offset", () => {
    const s = new EulerAncestralDiscreteScheduler({
      ...parseSchedulerConfig(INSTRUCT_PIX2PIX_SCHEDULER_JSON),
      timestep_spacing: "leading",
    });
    s.setTimesteps(20);
    // (arange(20) * (1000 // 20)) reversed + steps_offset 1.
    expect(s.timesteps).toEqual(Array.from({ length: 20 }, (_, i) => (19 - i) * 50 + 1));
    const max = s.sigmas[0];
    expect(s.initNoiseSigma).toBeCloseTo(Math.sqrt(max * max + 1), 5);
  });

  it("uses round(arange(N, 0, -N / n)) - 1 with trailing spacing", () => {
    const s = new EulerAncestralDiscreteScheduler({ timestep_spacing: "trailing" });
    s.setTimesteps(20);
    expect(s.timesteps).toEqual(Array.from({ length: 20 }, (_, i) => 999 - 50 * i));
    s.setTimesteps(7); // 1000 / 7 = 142.857...
    expect(s.timesteps).toEqual([999, 856, 713, 570, 428, 285, 142]);
  });
});

describe("EulerAncestralDiscreteScheduler step", () => {
  it("takes the Euler step to sigma_down and adds sigma_up noise (hand-computed)", () => {
    const s = new EulerAncestralDiscreteScheduler(TEST_CONFIG);
    s.setTimesteps(STEPS);
    const [sigma, sigmaTo] = s.sigmas;
    const sigmaUp = Math.sqrt((sigmaTo ** 2 * (sigma ** 2 - sigmaTo ** 2)) / sigma ** 2);
    const sigmaDown = Math.sqrt(sigmaTo ** 2 - sigmaUp ** 2);
    const x = 0.7;
    const eps = -0.3;
    const out = s.step(new Float32Array([eps]), s.timesteps[0], new Float32Array([x]), () =>
      new Float32Array(1).fill(2),
    );
    // x0 = x - sigma eps; derivative = eps; x' = x + eps (sigma_down - sigma) + 2 sigma_up.
    expect(out[0]).toBeCloseTo(x + eps * (sigmaDown - sigma) + 2 * sigmaUp, 4);
  });

  it("lands on the predicted x0 at the last step and draws noise on every step", () => {
    const s = new EulerAncestralDiscreteScheduler(TEST_CONFIG);
    s.setTimesteps(3);
    let draws = 0;
    const counting: NoiseSource = (n) => {
      draws++;
      return zeroNoise(n);
    };
    let sample: Float32Array = new Float32Array([1, 2]);
    for (const t of s.timesteps.slice(0, 2))
      sample = s.step(new Float32Array([0.5, 0.5]), t, sample, counting);
    const last = s.sigmas[2];
    const out = s.step(new Float32Array([0.5, -1]), s.timesteps[2], sample, counting);
    expect(out[0]).toBeCloseTo(sample[0] - last * 0.5, 3);
    expect(out[1]).toBeCloseTo(sample[1] + last, 3);
    expect(draws).toBe(3);
  });

  it("throws before setTimesteps, without noise, out of order, after the last step and on bad lengths", () => {
    const s = new EulerAncestralDiscreteScheduler();
    const x = new Float32Array(4);
    expect(() => s.step(x, 999, x, zeroNoise)).toThrow(/call setTimesteps before stepping/);
    expect(() => s.scaleModelInput(x, 999)).toThrow(/call setTimesteps/);
    expect(() => s.addNoise(x, x, 999)).toThrow(/call setTimesteps/);
    s.setTimesteps(2);
    expect(s.timesteps).toEqual([999, 0]);
    expect(() => s.step(x, 999, x)).toThrow(/needs a noise source/);
    expect(() => s.step(x, 500, x, zeroNoise)).toThrow(/timestep 500 is not in the schedule/);
    expect(() => s.step(new Float32Array(3), 999, x, zeroNoise)).toThrow(/model output has 3 values/);
    expect(() => s.step(x, 999, x, () => new Float32Array(2))).toThrow(/noise has 2 values/);
    s.setTimesteps(2);
    s.step(x, 999, x, zeroNoise);
    expect(() => s.step(x, 999, x, zeroNoise)).toThrow(/expected timestep 0 at step 1, got 999/);
    s.step(x, 0, x, zeroNoise);
    expect(() => s.step(x, 0, x, zeroNoise)).toThrow(/all 2 steps are done/);
    expect(() => s.setTimesteps(0)).toThrow(/inference steps must be an integer in 1..1000/);
    s.setTimesteps(2); // resets the counter
    expect(() => s.step(x, 999, x, zeroNoise)).not.toThrow();
  });
});
