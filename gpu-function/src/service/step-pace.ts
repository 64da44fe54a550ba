// ServiceOptions.stepPaceMs: a floor on each denoising step's duration, so that an edit on the
// fixture bundle (milliseconds a step) runs at a GPU's pace and its progress and cancellation can be
// watched mid-denoise. Off (0) by default and refused in production (options.ts).
import type { EditProgress } from "../pipeline/zone-edit.ts";

/** Holds the edit after each denoising step until `paceMs` have passed since the step before
 * (ServiceOptions.stepPaceMs); gives way at once when the edit is canceled. */
export function stepPacer(
  paceMs: number,
  signal: AbortSignal,
): ((event: EditProgress) => Promise<void>) | null {
  if (paceMs <= 0) return null;
  let last = performance.now();
  return async (event) => {
    if (event.stage !== "denoise") {
      last = performance.now();
      return;
    }
    const wait = last + paceMs - performance.now();
    if (wait > 0 && !signal.aborted)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, wait);
        function done() {
          clearTimeout(timer);
          signal.removeEventListener("abort", done);
          resolve();
        }
        signal.addEventListener("abort", done, { once: true });
      });
    last = performance.now();
  };
}
