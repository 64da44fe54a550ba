// The asynchronous branch of POST /v1/edits: which requests take it (Prefer: respond-async or
// wait=N, or a Cancel-After), and their answer (job-answer.ts). Without a Prefer, a Cancel-After
// alone waits as long as the Prefer cap allows, like wait=PREFER_WAIT_MAX_SECONDS.
import { PREFER_WAIT_MAX_SECONDS, type TimingSpan } from "@zone/shared";
import type { CreatedEdit, CreateEditDeps } from "../edits/create-edit.ts";
import type { EditRequest } from "../edits/edit-request.ts";
import type { StoredResponse } from "../edits/idempotency.ts";
import { jobAnswer } from "./job-answer.ts";
import { parseCancelAfter, parsePrefer } from "./prefer.ts";
import { jobLifetimeMs, submitJob } from "./submit-job.ts";

export interface AsyncRequest {
  waitMs: number;
  applied: string | null;
  cancelAfter: string | undefined;
}

/** The async preference of a request's headers, or null for a synchronous edit. */
export function asyncPreference(
  prefer: string | undefined,
  cancelAfter: string | undefined,
): AsyncRequest | null {
  const preference = parsePrefer(prefer);
  if (preference !== null) return { ...preference, cancelAfter };
  if (cancelAfter === undefined) return null;
  return { waitMs: PREFER_WAIT_MAX_SECONDS * 1000, applied: null, cancelAfter };
}

/**
 * The job's answer (job-answer.ts), or for a cache hit the synchronous answer `done` makes of it;
 * either with Preference-Applied.
 */
export async function answerAsync(
  deps: CreateEditDeps,
  request: EditRequest,
  preference: AsyncRequest,
  done: (created: CreatedEdit) => StoredResponse & { timings: TimingSpan[] },
): Promise<StoredResponse & { timings: TimingSpan[] }> {
  const cancelAfterMs = parseCancelAfter(preference.cancelAfter, jobLifetimeMs(deps.env));
  const submitted = await submitJob(deps, request, { waitMs: preference.waitMs, cancelAfterMs });
  if (submitted.kind === "job") return jobAnswer(deps.env, submitted.job, deps.baseUrl, preference.applied);
  const answer = done(submitted.created);
  if (preference.applied !== null) answer.headers["preference-applied"] = preference.applied;
  return answer;
}
