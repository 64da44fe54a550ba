// A job as the answer of POST /v1/edits: 201 once it has succeeded (within Prefer: wait), 202
// Accepted with Location and Retry-After while it is queued or running, and the job with 200 if
// its own Cancel-After ended it first. Preference-Applied names what was honoured (RFC 7240).
import type { GpuEditMeta, TimingSpan } from "@zone/shared";
import type { StoredResponse } from "../edits/idempotency.ts";
import type { Env } from "../env.ts";
import { readStoredResult } from "../storage/artifacts.ts";
import { JOB_POLL_SECONDS } from "./job-poll.ts";
import type { JobRecord } from "./job-store.ts";
import { jobView } from "./job-view.ts";

/** Seconds a client polling a 202's Location is told to wait (Retry-After). */

export async function resultMetaOf(env: Env, job: JobRecord): Promise<GpuEditMeta | null> {
  if (job.status !== "succeeded") return null;
  return (await readStoredResult(env.ARTIFACTS, job.cacheKey))?.meta ?? null;
}

export async function jobAnswer(
  env: Env,
  job: JobRecord,
  baseUrl: string,
  applied: string | null,
): Promise<StoredResponse & { timings: TimingSpan[] }> {
  const view = jobView(job, await resultMetaOf(env, job), baseUrl);
  const headers: Record<string, string> = { location: view.links.self };
  if (applied !== null) headers["preference-applied"] = applied;
  if (job.status === "succeeded" && job.cache !== null) headers["x-cache"] = job.cache;
  const open = job.finishedAt === null;
  if (open) headers["retry-after"] = String(JOB_POLL_SECONDS);
  return {
    status: open ? 202 : job.status === "succeeded" ? 201 : 200,
    headers,
    body: JSON.stringify(view),
    // Only a succeeded job has a result to serve for Accept: image/*.
    cacheKey: job.status === "succeeded" ? job.cacheKey : null,
    timings: [{ name: "job", desc: job.status }],
  };
}
