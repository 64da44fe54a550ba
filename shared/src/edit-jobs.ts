// Asynchronous edits (jobs): the one owner of their states, the names of their events (the SSE
// stream's and the webhooks'), the `Prefer` header's wait cap, and the JSON of a job as
// GET /v1/edits/{id} answers it. The gateway, the OpenAPI document and the tests import these.
import { z } from "zod";
import { editResourceSchema } from "./public-api.ts";

/** A job's lifecycle: queued -> running -> succeeded | failed | canceled (queued may end at once). */
export const JOB_STATES = ["queued", "running", "succeeded", "failed", "canceled"] as const;
export type JobState = (typeof JOB_STATES)[number];
export const TERMINAL_JOB_STATES: ReadonlySet<JobState> = new Set(["succeeded", "failed", "canceled"]);
export const isTerminalJobState = (state: JobState): boolean => TERMINAL_JOB_STATES.has(state);

/** Why a job was canceled: by POST /v1/edits/{id}/cancel, or by its own deadline (Cancel-After). */
export const CANCEL_REASONS = ["requested", "deadline"] as const;
export type CancelReason = (typeof CANCEL_REASONS)[number];

/**
 * The events of a job, in this order: one per state it enters (`edit.<state>`) and, while running,
 * one `edit.progress` per stage and denoising step. The SSE stream sends all of them; webhooks
 * subscribe to any subset of the state events (WEBHOOK_EVENTS).
 */
export const JOB_EVENTS = [
  "edit.queued",
  "edit.running",
  "edit.progress",
  "edit.succeeded",
  "edit.failed",
  "edit.canceled",
] as const;
export type JobEvent = (typeof JOB_EVENTS)[number];
export const stateEvent = (state: JobState): JobEvent => `edit.${state}` as JobEvent;

/** The events a webhook may subscribe to: a job's state changes (progress only on the SSE stream). */
export const WEBHOOK_EVENTS = JOB_EVENTS.filter((event) => event !== "edit.progress");
export type WebhookEvent = Exclude<JobEvent, "edit.progress">;

/**
 * `Prefer: wait=N` (RFC 7240) waits at most this many seconds for the answer; a larger N is
 * capped here (and said so in Preference-Applied). Past it, the answer is 202 with the job.
 */
export const PREFER_WAIT_MAX_SECONDS = 60;

/** Where a running job is: a pipeline stage, and during denoising step k of n. */
export const jobProgressSchema = z.object({
  stage: z.string(),
  step: z.number().int().nullable(),
  steps: z.number().int().nullable(),
});
export type JobProgress = z.infer<typeof jobProgressSchema>;

/** An RFC 9457 problem, as a failed job carries it. */
export const jobProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string(),
  })
  .passthrough();

const jobLinksSchema = z.object({ self: z.string(), events: z.string(), cancel: z.string() });

const jobFields = {
  id: z.string(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  /** When the job is canceled if it has not finished (Cancel-After), or null. */
  deadline: z.string().nullable(),
  progress: jobProgressSchema.nullable(),
};

/** A job not (yet) succeeded: its state, progress, timestamps, and why it ended if it did. */
export const pendingJobSchema = z.object({
  ...jobFields,
  status: z.enum(["queued", "running", "failed", "canceled"]),
  /** The failure as a problem (status failed), null otherwise. */
  error: jobProblemSchema.nullable(),
  canceledBy: z.enum(CANCEL_REASONS).nullable(),
  links: jobLinksSchema,
});

/** A succeeded job: the edit resource itself, with the job's timestamps and links. */
export const succeededJobSchema = editResourceSchema.extend({
  ...jobFields,
  error: z.null(),
  canceledBy: z.null(),
  links: editResourceSchema.shape.links.extend(jobLinksSchema.shape),
});

export const editJobSchema = z.union([pendingJobSchema, succeededJobSchema]);
export type EditJob = z.infer<typeof editJobSchema>;

/**
 * The JSON body of a webhook delivery: the state event, when it was emitted (ISO 8601), and the
 * job then, as GET /v1/edits/{id} answers it (gateway/src/webhooks/emit.ts writes it).
 */
export const webhookPayloadSchema = z.object({
  type: z.enum(WEBHOOK_EVENTS as [WebhookEvent, ...WebhookEvent[]]),
  timestamp: z.string(),
  data: editJobSchema,
});

/** One event of a job's stream: its sequence number (the SSE id), name and the job then. */
export const jobEventSchema = z.object({
  seq: z.number().int().positive(),
  event: z.enum(JOB_EVENTS),
  data: z.unknown(),
});
export type JobEventRecord = z.infer<typeof jobEventSchema>;
