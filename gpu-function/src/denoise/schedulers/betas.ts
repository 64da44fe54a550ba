// Training noise schedule: betas, alphas_cumprod and sigmas, in float32 like diffusers' torch tensors.
//
// betas = torch.linspace(beta_start, beta_end, N) ("linear"), or
//         torch.linspace(sqrt(beta_start), sqrt(beta_end), N) ** 2 ("scaled_linear", latent diffusion), or
//         trained_betas;
// alphas_cumprod = cumprod(1 - betas) (torch accumulates in float64 on CPU, stores float32);
// sigmas = sqrt((1 - alphas_cumprod) / alphas_cumprod), the VE noise level of training step t.
// Values agree with torch to float32 rounding (torch's vectorised linspace may differ by an ulp).
import type { SchedulerConfig } from "./config.ts";
import { torchLinspaceF32 } from "./numeric.ts";

export interface NoiseSchedule {
  readonly betas: Float32Array;
  readonly alphasCumprod: Float32Array;
  /** Training sigmas indexed by timestep 0..N-1 (ascending). */
  readonly sigmas: Float32Array;
}

export function computeBetas(
  config: Pick<
    SchedulerConfig,
    "num_train_timesteps" | "beta_start" | "beta_end" | "beta_schedule" | "trained_betas"
  >,
): Float32Array {
  const { num_train_timesteps: n, beta_start, beta_end, beta_schedule, trained_betas } = config;
  if (trained_betas !== null) return Float32Array.from(trained_betas);
  if (beta_schedule === "linear") return torchLinspaceF32(beta_start, beta_end, n);
  const roots = torchLinspaceF32(Math.sqrt(beta_start), Math.sqrt(beta_end), n);
  return roots.map((r) => r * r);
}

export function noiseSchedule(
  config: Pick<
    SchedulerConfig,
    "num_train_timesteps" | "beta_start" | "beta_end" | "beta_schedule" | "trained_betas"
  >,
): NoiseSchedule {
  const betas = computeBetas(config);
  const alphasCumprod = new Float32Array(betas.length);
  let acc = 1;
  for (let t = 0; t < betas.length; t++) {
    acc *= Math.fround(1 - betas[t]);
    alphasCumprod[t] = acc;
  }
  const sigmas = alphasCumprod.map((a) => Math.sqrt(Math.fround(Math.fround(1 - a) / a)));
  return { betas, alphasCumprod, sigmas };
}
