// Step-counter bookkeeping shared by the schedulers (diffusers' `_init_step_index` / `index_for_timestep`).
//
// The first call after setTimesteps locates the timestep in the schedule; when it occurs more than once the
// second occurrence is taken (diffusers' rule, so a run started mid-schedule does not skip a sigma). Later
// calls advance by one; unlike diffusers, a timestep that is not the one at the counter is an error.

export function indexForTimestep(timesteps: readonly number[], timestep: number): number {
  const first = timesteps.indexOf(timestep);
  if (first < 0) {
    throw new RangeError(`timestep ${timestep} is not in the schedule [${timesteps.join(", ")}]`);
  }
  const second = timesteps.indexOf(timestep, first + 1);
  return second < 0 ? first : second;
}

/**
 * The schedule position for a call at `timestep`: `current` when set (checked against the timestep),
 * else located with indexForTimestep. Throws when setTimesteps has not run or all steps are taken.
 */
export function resolveStepIndex(
  timesteps: readonly number[],
  current: number | null,
  timestep: number,
  scheduler: string,
): number {
  if (timesteps.length === 0) throw new Error(`${scheduler}: call setTimesteps before stepping`);
  if (current === null) return indexForTimestep(timesteps, timestep);
  if (current >= timesteps.length) {
    throw new RangeError(`${scheduler}: all ${timesteps.length} steps are done; call setTimesteps again`);
  }
  if (timesteps[current] !== timestep) {
    throw new RangeError(
      `${scheduler}: expected timestep ${timesteps[current]} at step ${current}, got ${timestep}`,
    );
  }
  return current;
}

/** Rejects step inputs of different lengths. */
export function checkSameLength(scheduler: string, a: Float32Array, b: Float32Array, what: string): void {
  if (a.length !== b.length) {
    throw new RangeError(`${scheduler}: ${what} has ${b.length} values, the sample has ${a.length}`);
  }
}

export function checkInferenceSteps(scheduler: string, steps: number, trainSteps: number): void {
  if (!Number.isInteger(steps) || steps < 1 || steps > trainSteps) {
    throw new RangeError(
      `${scheduler}: inference steps must be an integer in 1..${trainSteps}, got ${steps}`,
    );
  }
}
