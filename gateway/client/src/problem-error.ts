// A refusal of the API as a typed error: the RFC 9457 body (its stable `code`), the status, and
// Retry-After when the answer carried one; or how an async edit ended when it did not succeed
// (job-outcome.ts), with that job.
import type { components } from "./api-types.ts";

export type Problem = components["schemas"]["Problem"];
export type ProblemCode = Problem["code"];
/** A job as GET /v1/edits/{id} answers it (queued, running, succeeded, failed or canceled). */
export type Job = components["schemas"]["EditJob"];

export class ZoneApiError extends Error {
  readonly status: number;
  readonly code: ProblemCode | "unexpected_response";
  readonly problem: Problem | null;
  /** Seconds, from the answer's Retry-After (429, 503), or null. */
  readonly retryAfterSeconds: number | null;
  readonly requestId: string | null;
  /** The job, when this is how an async edit ended (failed or canceled); null for a refused request. */
  readonly job: Job | null;

  /** `answer`: the refusing Response, or for a job's ending the problem's status and no headers. */
  constructor(answer: { status: number; headers: Headers }, body: unknown, job: Job | null = null) {
    const problem = isProblem(body) ? body : null;
    super(problem ? `${problem.title}: ${problem.detail}` : `HTTP ${answer.status} without problem details`);
    this.name = "ZoneApiError";
    this.status = answer.status;
    this.code = problem?.code ?? "unexpected_response";
    this.problem = problem;
    this.retryAfterSeconds = retryAfterMs(answer.headers.get("retry-after"), Date.now()) / 1000 || null;
    this.requestId = answer.headers.get("x-request-id");
    this.job = job;
  }
}

function isProblem(body: unknown): body is Problem {
  return (
    typeof body === "object" &&
    body !== null &&
    typeof (body as Problem).code === "string" &&
    typeof (body as Problem).status === "number"
  );
}

/** Retry-After (delay-seconds or an HTTP date) in milliseconds from `now`; 0 when absent or invalid. */
export function retryAfterMs(value: string | null, now: number): number {
  if (value === null || value.trim() === "") return 0;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? 0 : Math.max(0, at - now);
}
