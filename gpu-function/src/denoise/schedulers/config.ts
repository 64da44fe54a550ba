// Scheduler configuration as written by diffusers (`scheduler/scheduler_config.json`), snake_case keys.
//
// parseSchedulerConfig accepts the parsed JSON of any diffusers scheduler: keys starting with "_"
// (`_class_name`, `_diffusers_version`) and keys these schedulers do not read (`clip_sample`,
// `set_alpha_to_one`, `skip_prk_steps`, `sample_max_value`, ...) are ignored, absent keys take diffusers'
// constructor defaults, and keys whose non-default values would change the math in ways not implemented
// here (`rescale_betas_zero_snr`, `thresholding`, `use_karras_sigmas`, an `algorithm_type` other than
// "dpmsolver++", ...) are rejected, whichever scheduler the config is then built into.
// The DPM-Solver keys are read by DPMSolverMultistepScheduler only; Euler ancestral ignores them, as in
// diffusers' `from_config`.

export type BetaSchedule = "linear" | "scaled_linear";
export type PredictionType = "epsilon" | "v_prediction";
export type TimestepSpacing = "linspace" | "leading" | "trailing";

export interface SchedulerConfig {
  num_train_timesteps: number;
  beta_start: number;
  beta_end: number;
  beta_schedule: BetaSchedule;
  /** Explicit betas (length num_train_timesteps); overrides beta_start/beta_end/beta_schedule. */
  trained_betas: readonly number[] | null;
  prediction_type: PredictionType;
  timestep_spacing: TimestepSpacing;
  /** Added to "leading" timesteps only (diffusers semantics). */
  steps_offset: number;
  // DPMSolverMultistepScheduler only; algorithm_type is fixed to "dpmsolver++".
  solver_order: 1 | 2;
  solver_type: "midpoint" | "heun";
  lower_order_final: boolean;
  euler_at_final: boolean;
  final_sigmas_type: "zero" | "sigma_min";
}

/** diffusers' constructor defaults (identical for both schedulers on the shared keys). */
export const SCHEDULER_CONFIG_DEFAULTS: Readonly<SchedulerConfig> = {
  num_train_timesteps: 1000,
  beta_start: 0.0001,
  beta_end: 0.02,
  beta_schedule: "linear",
  trained_betas: null,
  prediction_type: "epsilon",
  timestep_spacing: "linspace",
  steps_offset: 0,
  solver_order: 2,
  solver_type: "midpoint",
  lower_order_final: true,
  euler_at_final: false,
  final_sigmas_type: "zero",
};

// Keys that diffusers accepts but whose other values are not implemented here. DPM-Solver maps the
// "deis" algorithm to "dpmsolver++" (configs switched from DEISMultistepScheduler).
const SUPPORTED_ONLY: Readonly<Record<string, readonly unknown[]>> = {
  algorithm_type: ["dpmsolver++", "deis"],
  rescale_betas_zero_snr: [false],
  thresholding: [false],
  use_karras_sigmas: [false],
  use_exponential_sigmas: [false],
  use_beta_sigmas: [false],
  use_lu_lambdas: [false],
  use_flow_sigmas: [false],
  use_dynamic_shifting: [false],
  variance_type: [null],
};

// DPM-Solver maps the DEIS/UniPC solver types to "midpoint".
const MIDPOINT_ALIASES: readonly unknown[] = ["logrho", "bh1", "bh2"];

function fail(key: string, expected: string, value: unknown): never {
  throw new TypeError(`scheduler config: ${key} must be ${expected}, got ${JSON.stringify(value)}`);
}

function oneOf<T extends string | number>(key: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T))
    fail(key, `one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}`, value);
  return value as T;
}

function integer(key: string, value: unknown, min: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    fail(key, `an integer >= ${min}`, value);
  }
  return value;
}

function beta(key: string, value: unknown): number {
  if (typeof value !== "number" || !(value >= 0 && value < 1)) fail(key, "a number in [0, 1)", value);
  return value;
}

function bool(key: string, value: unknown): boolean {
  if (typeof value !== "boolean") fail(key, "a boolean", value);
  return value;
}

function betas(value: unknown): readonly number[] | null {
  if (value === null) return null;
  if (!Array.isArray(value) || value.some((b) => typeof b !== "number" || !(b >= 0 && b < 1))) {
    fail("trained_betas", "null or an array of numbers in [0, 1)", value);
  }
  return Object.freeze([...value]);
}

/** Validates diffusers' scheduler_config.json (already JSON-parsed) and fills in diffusers' defaults. */
export function parseSchedulerConfig(json: unknown): SchedulerConfig {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new TypeError("scheduler config must be a JSON object");
  }
  const raw = json as Record<string, unknown>;
  for (const [key, allowed] of Object.entries(SUPPORTED_ONLY)) {
    if (raw[key] !== undefined && !allowed.includes(raw[key])) {
      fail(key, `${allowed.map((a) => JSON.stringify(a)).join(" or ")} (others are not supported)`, raw[key]);
    }
  }
  const d = SCHEDULER_CONFIG_DEFAULTS;
  const get = (key: keyof SchedulerConfig): unknown => {
    if (key === "solver_type" && MIDPOINT_ALIASES.includes(raw[key])) return "midpoint";
    return raw[key] === undefined ? d[key] : raw[key];
  };
  const config: SchedulerConfig = {
    num_train_timesteps: integer("num_train_timesteps", get("num_train_timesteps"), 2),
    beta_start: beta("beta_start", get("beta_start")),
    beta_end: beta("beta_end", get("beta_end")),
    beta_schedule: oneOf("beta_schedule", get("beta_schedule"), ["linear", "scaled_linear"] as const),
    trained_betas: betas(get("trained_betas")),
    prediction_type: oneOf("prediction_type", get("prediction_type"), ["epsilon", "v_prediction"] as const),
    timestep_spacing: oneOf("timestep_spacing", get("timestep_spacing"), [
      "linspace",
      "leading",
      "trailing",
    ] as const),
    steps_offset: integer("steps_offset", get("steps_offset"), 0),
    solver_order: oneOf("solver_order", get("solver_order"), [1, 2] as const),
    solver_type: oneOf("solver_type", get("solver_type"), ["midpoint", "heun"] as const),
    lower_order_final: bool("lower_order_final", get("lower_order_final")),
    euler_at_final: bool("euler_at_final", get("euler_at_final")),
    final_sigmas_type: oneOf("final_sigmas_type", get("final_sigmas_type"), ["zero", "sigma_min"] as const),
  };
  const { trained_betas, num_train_timesteps } = config;
  if (trained_betas !== null && trained_betas.length !== num_train_timesteps) {
    throw new RangeError(
      `scheduler config: trained_betas has ${trained_betas.length} values, num_train_timesteps is ${num_train_timesteps}`,
    );
  }
  return config;
}
