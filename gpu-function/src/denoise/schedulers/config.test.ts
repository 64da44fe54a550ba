import { describe, expect, it } from "vitest";
import { INSTRUCT_PIX2PIX_SCHEDULER_JSON } from "../../../test/scheduler-fixtures.ts";
import { parseSchedulerConfig, SCHEDULER_CONFIG_DEFAULTS } from "./config.ts";

describe("parseSchedulerConfig", () => {
  it("reads InstructPix2Pix's scheduler_config.json, ignoring _ keys and keys it does not need", () => {
    const config = parseSchedulerConfig(JSON.parse(JSON.stringify(INSTRUCT_PIX2PIX_SCHEDULER_JSON)));
    expect(config).toEqual({
      ...SCHEDULER_CONFIG_DEFAULTS,
      num_train_timesteps: 1000,
      beta_start: 0.00085,
      beta_end: 0.012,
      beta_schedule: "scaled_linear",
      trained_betas: null,
      prediction_type: "epsilon",
      steps_offset: 1,
    });
    // Absent keys take diffusers' constructor defaults.
    expect(config.timestep_spacing).toBe("linspace");
    expect(config.final_sigmas_type).toBe("zero");
    expect(config).not.toHaveProperty("clip_sample");
    expect(config).not.toHaveProperty("_class_name");
  });

  it("fills every key from diffusers' defaults for an empty object and round-trips through JSON", () => {
    expect(parseSchedulerConfig({ _diffusers_version: "0.30.0" })).toEqual(SCHEDULER_CONFIG_DEFAULTS);
    const custom = parseSchedulerConfig({
      timestep_spacing: "trailing",
      prediction_type: "v_prediction",
      solver_order: 1,
      solver_type: "heun",
      lower_order_final: false,
      euler_at_final: true,
      final_sigmas_type: "sigma_min",
      num_train_timesteps: 2,
      trained_betas: [0.1, 0.3],
    });
    expect(parseSchedulerConfig(JSON.parse(JSON.stringify(custom)))).toEqual(custom);
  });

  it("maps diffusers' DEIS/UniPC aliases like DPMSolverMultistepScheduler.from_config", () => {
    const config = parseSchedulerConfig({ algorithm_type: "deis", solver_type: "logrho" });
    expect(config.solver_type).toBe("midpoint");
    expect(parseSchedulerConfig({ solver_type: "bh2" }).solver_type).toBe("midpoint");
  });

  it.each([
    [[], /must be a JSON object/],
    [null, /must be a JSON object/],
    [{ num_train_timesteps: 0 }, /num_train_timesteps must be an integer >= 2, got 0/],
    [{ num_train_timesteps: 10.5 }, /num_train_timesteps/],
    [{ beta_start: -0.1 }, /beta_start must be a number in \[0, 1\)/],
    [{ beta_end: "0.012" }, /beta_end/],
    [{ beta_schedule: "squaredcos_cap_v2" }, /beta_schedule must be one of "linear", "scaled_linear"/],
    [{ prediction_type: "sample" }, /prediction_type/],
    [{ timestep_spacing: "uniform" }, /timestep_spacing/],
    [{ steps_offset: -1 }, /steps_offset/],
    [{ solver_order: 3 }, /solver_order must be one of 1, 2/],
    [{ lower_order_final: "yes" }, /lower_order_final must be a boolean/],
    [{ final_sigmas_type: "sigma_max" }, /final_sigmas_type/],
    [{ trained_betas: [0.1, "x"] }, /trained_betas/],
    [{ trained_betas: [0.1, 0.3] }, /trained_betas has 2 values, num_train_timesteps is 1000/],
    [{ algorithm_type: "sde-dpmsolver++" }, /algorithm_type must be "dpmsolver\+\+" or "deis"/],
    [{ use_karras_sigmas: true }, /use_karras_sigmas must be false \(others are not supported\)/],
    [{ thresholding: true }, /thresholding/],
    [{ rescale_betas_zero_snr: true }, /rescale_betas_zero_snr/],
    [{ variance_type: "learned_range" }, /variance_type must be null/],
  ])("rejects %j", (json, message) => {
    expect(() => parseSchedulerConfig(json)).toThrow(message);
  });

  it("accepts unsupported flags at their default values", () => {
    expect(() =>
      parseSchedulerConfig({ use_karras_sigmas: false, thresholding: false, variance_type: null }),
    ).not.toThrow();
  });
});
