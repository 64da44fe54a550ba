import { describe, expect, it } from "vitest";
import { computeBetas, noiseSchedule } from "./betas.ts";
import { SCHEDULER_CONFIG_DEFAULTS } from "./config.ts";

const SD = {
  ...SCHEDULER_CONFIG_DEFAULTS,
  beta_start: 0.00085,
  beta_end: 0.012,
  beta_schedule: "scaled_linear" as const,
};

describe("noiseSchedule", () => {
  it("builds the latent-diffusion scaled_linear schedule (float64 reference values from numpy)", () => {
    const { betas, alphasCumprod, sigmas } = noiseSchedule(SD);
    expect(betas).toHaveLength(1000);
    expect(betas[0]).toBeCloseTo(0.00085, 9);
    expect(betas[999]).toBeCloseTo(0.012, 8);
    expect(alphasCumprod[0]).toBeCloseTo(0.99915, 7);
    expect(alphasCumprod[999] / 0.004660098513077238).toBeCloseTo(1, 5);
    // Stable Diffusion's well-known sigma range: 0.0292 .. 14.6146 (float32 1 - 0.99915 loses ~1e-5 relative).
    expect(sigmas[0] / 0.029167158151720367).toBeCloseTo(1, 4);
    expect(sigmas[999] / 14.614641229333639).toBeCloseTo(1, 5);
    for (let t = 1; t < 1000; t++) expect(sigmas[t]).toBeGreaterThan(sigmas[t - 1]);
  });

  it("uses linear betas by default and trained_betas verbatim when given", () => {
    const linear = computeBetas(SCHEDULER_CONFIG_DEFAULTS);
    expect(linear[0]).toBe(Math.fround(0.0001));
    expect(linear[999]).toBe(Math.fround(0.02));
    const trained = computeBetas({
      ...SCHEDULER_CONFIG_DEFAULTS,
      num_train_timesteps: 2,
      trained_betas: [0.1, 0.3],
    });
    expect(Array.from(trained)).toEqual([Math.fround(0.1), Math.fround(0.3)]);
    const { alphasCumprod } = noiseSchedule({ ...SCHEDULER_CONFIG_DEFAULTS, trained_betas: [0.1, 0.3] });
    expect(alphasCumprod[1]).toBeCloseTo(0.9 * 0.7, 7);
  });
});
