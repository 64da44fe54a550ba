// diffusers 0.18.0's DPMSolverMultistepScheduler (dpmsolver++, midpoint, order 2, deterministic),
// written again for tests from that release's scheduling_dpmsolver_multistep.py, the way it
// computes: float32 tables alpha_t, sigma_t, lambda_t indexed by *timestep* (not sigmas), every
// step to the next timestep and the last one to timestep 0 (`prev_timestep = 0`), first order
// only on the first step and, under lower_order_final, on the last step below 15 steps. Float32
// arithmetic (Math.fround) as torch does it. Independent of src/denoise/schedulers.

const f = Math.fround;

export interface Diffusers018Options {
  numTrainTimesteps: number;
  betaStart: number;
  betaEnd: number;
  lowerOrderFinal: boolean;
}

export const IP2P_018: Diffusers018Options = {
  numTrainTimesteps: 1000,
  betaStart: 0.00085,
  betaEnd: 0.012,
  lowerOrderFinal: true,
};

/** The 20-step (or any) trajectory of 0.18: the sample after every step. */
export function diffusers018Trajectory(
  o: Diffusers018Options,
  steps: number,
  model: (x: Float32Array, t: number) => Float32Array,
  start: Float32Array,
): { timesteps: number[]; samples: Float32Array[] } {
  const N = o.numTrainTimesteps;
  // scaled_linear: torch.linspace(beta_start ** 0.5, beta_end ** 0.5, N, dtype=float32) ** 2
  const lo = Math.sqrt(o.betaStart);
  const hi = Math.sqrt(o.betaEnd);
  const alphaT = new Float32Array(N);
  const sigmaT = new Float32Array(N);
  const lambdaT = new Float32Array(N);
  let cumprod = f(1);
  for (let i = 0; i < N; i++) {
    const b = f(lo + ((hi - lo) * i) / (N - 1));
    cumprod = f(cumprod * f(1 - f(b * b)));
    alphaT[i] = f(Math.sqrt(cumprod));
    sigmaT[i] = f(Math.sqrt(f(1 - cumprod)));
    lambdaT[i] = f(f(Math.log(alphaT[i])) - f(Math.log(sigmaT[i])));
  }
  // linspace(0, N - 1, steps + 1).round()[::-1][:-1] (lambda_min_clipped -inf: no clipping).
  const timesteps = Array.from({ length: steps }, (_, k) => {
    const v = ((steps - k) * (N - 1)) / steps;
    const r = Math.round(v);
    return Math.abs(v - Math.trunc(v) - 0.5) < 1e-12 && r % 2 === 1 ? r - 1 : r; // numpy rounds half to even
  });
  let x = start;
  const outputs: Float32Array[] = [];
  const samples: Float32Array[] = [];
  for (let i = 0; i < steps; i++) {
    const t = timesteps[i];
    const prev = i === steps - 1 ? 0 : timesteps[i + 1];
    const lowerOrderFinal = i === steps - 1 && o.lowerOrderFinal && steps < 15;
    const eps = model(x, t);
    // convert_model_output (dpmsolver++, epsilon): x0 = (sample - sigma_t eps) / alpha_t
    const x0 = x.map((v, k) => f(f(v - f(sigmaT[t] * eps[k])) / alphaT[t]));
    outputs.push(x0);
    const h = f(lambdaT[prev] - lambdaT[t]);
    const ratio = f(sigmaT[prev] / sigmaT[t]);
    const phi = f(alphaT[prev] * f(f(Math.exp(-h)) - 1));
    let next: Float32Array;
    if (i === 0 || lowerOrderFinal) {
      next = x.map((v, k) => f(f(ratio * v) - f(phi * x0[k])));
    } else {
      const s1 = timesteps[i - 1];
      const h0 = f(lambdaT[t] - lambdaT[s1]);
      const r0 = f(h0 / h);
      const m0 = outputs[i];
      const m1 = outputs[i - 1];
      const d1 = m0.map((v, k) => f(f(1 / r0) * f(v - m1[k])));
      next = x.map((v, k) => f(f(f(ratio * v) - f(phi * m0[k])) - f(f(0.5 * phi) * d1[k])));
    }
    x = next;
    samples.push(x);
  }
  return { timesteps, samples };
}
