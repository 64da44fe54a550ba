// Following an async edit to its end by polling GET /v1/edits/{id}, waiting what each answer's
// Retry-After says (the gateway sends it while the job is open), else `pollIntervalMs`.
//
// Why polling and not the SSE stream (/v1/edits/{id}/events): each answer is the whole job, so a
// lost or repeated poll loses nothing and needs no resume (Last-Event-ID) or event-stream parser;
// every poll goes through the client's retrying fetch (429/503 and Retry-After, dropped
// connections) like any other call; it works where a long streamed response does not (proxies
// that buffer, serverless callers with short request limits), and the server sets the pace. The
// price: progress is sampled (one report per poll, so steps between two polls are not reported)
// and the end is seen up to one interval late. Who wants every step reads the SSE stream.

import { type EditLookup, type FinishedEdit, jobOutcome } from "./job-outcome.ts";
import type { Job } from "./problem-error.ts";

/** One report of onProgress: the job's state and, while running, its stage and step k of n. */
export interface JobUpdate {
  status: EditLookup["status"];
  /** The pipeline stage (e.g. "denoise"), or null before it started. */
  stage: string | null;
  /** Denoising step k of `steps` (n), or null outside denoising. */
  step: number | null;
  steps: number | null;
  job: EditLookup;
}

export interface WaitForEditOptions {
  /** Stops waiting (the job goes on: cancel it with cancelEdit, or send Cancel-After). */
  signal?: AbortSignal;
  /** Gives up after this long, ms: rejects with a DOMException named TimeoutError (the job goes on). */
  timeoutMs?: number;
  /** Called with the first state seen and each change of state, stage or step. */
  onProgress?: (update: JobUpdate) => void;
  /** The wait between polls when an answer has no Retry-After, ms (default 1000). */
  pollIntervalMs?: number;
  /** Waits ms or rejects with the signal's reason (default: setTimeout). */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export const WAIT_DEFAULTS = { pollIntervalMs: 1000 } as const;

/** One poll: the job and its answer's Retry-After in ms (0 when absent). */
export type PollJob = (id: string, signal: AbortSignal) => Promise<{ job: EditLookup; retryAfterMs: number }>;

function sleepFor(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const done = () => {
      signal.removeEventListener("abort", abort);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const abort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", abort, { once: true });
  });
}

const progressKey = (job: EditLookup) => {
  const progress = "progress" in job ? job.progress : null;
  return `${job.status} ${progress?.stage} ${progress?.step} ${progress?.steps}`;
};

/**
 * Polls the job until it ends: resolves with the finished edit, throws a ZoneApiError with the
 * job's problem when it failed or was canceled, and rejects with the abort reason (or a
 * TimeoutError) when told to stop. A job object that has already ended costs no request.
 */
export async function followJob(
  poll: PollJob,
  start: Job | EditLookup | string,
  options: WaitForEditOptions = {},
): Promise<FinishedEdit> {
  const id = typeof start === "string" ? start : start.id;
  const interval = options.pollIntervalMs ?? WAIT_DEFAULTS.pollIntervalMs;
  const sleep = options.sleep ?? sleepFor;
  const stop = new AbortController();
  const forward = () => stop.abort(options.signal?.reason);
  if (options.signal?.aborted) forward();
  options.signal?.addEventListener("abort", forward, { once: true });
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(
          () =>
            stop.abort(
              new DOMException(
                `the edit ${id} did not finish within ${options.timeoutMs} ms`,
                "TimeoutError",
              ),
            ),
          options.timeoutMs,
        );
  let reported: string | null = null;
  const report = (job: EditLookup) => {
    const key = progressKey(job);
    if (key === reported) return;
    reported = key;
    const progress = "progress" in job ? job.progress : null;
    options.onProgress?.({
      status: job.status,
      stage: progress?.stage ?? null,
      step: progress?.step ?? null,
      steps: progress?.steps ?? null,
      job,
    });
  };
  try {
    let job: EditLookup | null = typeof start === "string" ? null : start;
    let waitMs = 0;
    for (;;) {
      stop.signal.throwIfAborted();
      if (job === null) {
        const polled = await poll(id, stop.signal);
        job = polled.job;
        waitMs = polled.retryAfterMs || interval;
      } else waitMs = interval;
      report(job);
      const outcome = jobOutcome(job);
      if (outcome.done) return outcome.edit;
      await sleep(waitMs, stop.signal);
      job = null;
    }
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", forward);
  }
}
