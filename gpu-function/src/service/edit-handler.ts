// The work behind POST /v1/edit: refuse early when not ready or shutting down, read and validate
// the request, wait for a GPU slot (bounded queue, deadline, dropped on disconnect), run the edit,
// and answer multipart/form-data with Server-Timing; the edit's duration and stages go to the
// metrics whatever the outcome.
import { ZoneError } from "@zone/shared";
import type { EditProgress } from "../pipeline/zone-edit.ts";
import type { ServiceDeps } from "./app.ts";
import type { LoadedModels } from "./cold-load.ts";
import { readEditRequest } from "./edit-request.ts";
import { editResponse } from "./edit-response.ts";
import { stepPacer } from "./step-pace.ts";

const round2 = (v: number) => Math.round(v * 100) / 100;

/** Seconds a client should wait before retrying while the models load. */
export const LOADING_RETRY_AFTER_SECONDS = 5;

export function acceptingEdits({ state }: Pick<ServiceDeps, "state">): LoadedModels {
  if (state.phase === "stopping")
    throw new ZoneError("shutting_down", "this instance is shutting down; try another", {
      retryAfterSeconds: 1,
    });
  if (state.phase === "failed" && state.failure) throw state.failure;
  if (state.phase !== "ready" || state.loaded === null)
    throw new ZoneError("not_ready", "the models are still loading", {
      retryAfterSeconds: LOADING_RETRY_AFTER_SECONDS,
    });
  return state.loaded;
}

/** What a streamed answer (streamed-edit.ts) hears of the edit, and its own cancellation. */
export interface EditHooks {
  /** Aborted when the stream's reader goes away (besides the request's own signal). */
  signal?: AbortSignal;
  /** The edit has its GPU slot and starts. */
  onStart?: () => void;
  onProgress?: (event: EditProgress) => void;
}

/** `request.signal` must abort when the client disconnects (@hono/node-server's does). */
export async function handleEdit(
  deps: ServiceDeps,
  request: Request,
  hooks: EditHooks = {},
): Promise<Response> {
  const { options, queue, metrics, runEdit } = deps;
  const received = performance.now();
  let outcome = "ok";
  try {
    const loaded = acceptingEdits(deps);
    const input = await readEditRequest(request, { maxPixels: options.maxPixels });
    const remainingMs = Math.max(1, options.deadlineMs - (performance.now() - received));
    const { value, waitedMs } = await queue.run(
      (signal) => {
        hooks.onStart?.();
        const pace = stepPacer(options.stepPaceMs, signal);
        const onProgress =
          pace === null
            ? hooks.onProgress
            : async (event: EditProgress) => {
                hooks.onProgress?.(event);
                await pace(event);
              };
        return runEdit(loaded.models, input, signal, onProgress);
      },
      {
        signal: hooks.signal === undefined ? request.signal : AbortSignal.any([request.signal, hooks.signal]),
        deadlineMs: remainingMs,
      },
    );
    const timingsMs: Record<string, number> = { queue: round2(waitedMs), ...value.meta.timingsMs };
    for (const [stage, ms] of Object.entries(timingsMs)) metrics.stageDuration.observe({ stage }, ms / 1000);
    timingsMs.total = round2(performance.now() - received);
    return editResponse({ ...value, meta: { ...value.meta, timingsMs } });
  } catch (error) {
    outcome = error instanceof ZoneError ? error.code : "internal";
    throw error;
  } finally {
    metrics.editDuration.observe({ outcome }, (performance.now() - received) / 1000);
  }
}
