// The job routes of /v1/edits/{id} for job ids (jobs/job-id.ts), mounted before routes/edits.ts:
//   GET  /v1/edits/{id}         the job: state, progress, timestamps, problem or result
//                               (Retry-After while it is open)
//   POST /v1/edits/{id}/cancel  cancels it if still open (never billed); answers the job
//   GET  /v1/edits/{id}/events  Server-Sent Events: every event of the job in order, from the
//                               one after Last-Event-ID, ending with its final state
// Artifacts and DELETE of a succeeded job go to routes/edits.ts (its D1 row names the job id).
import { TERMINAL_JOB_STATES, ZoneError } from "@zone/shared";
import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import type { JobEvents } from "../coordinator/edit-coordinator.ts";
import { findLiveEdit } from "../edits/edit-lookup.ts";
import type { AppEnv, Env } from "../env.ts";
import { resultMetaOf } from "../jobs/job-answer.ts";
import { cacheKeyOfJobId, JOB_ID_ROUTE_PATTERN } from "../jobs/job-id.ts";
import { JOB_POLL_SECONDS } from "../jobs/job-poll.ts";
import type { JobRecord } from "../jobs/job-store.ts";
import { jobView } from "../jobs/job-view.ts";
import { coordinatorOf } from "../jobs/submit-job.ts";
import { publicOrigin } from "../public-origin.ts";

export const editJobs = new Hono<AppEnv>();

const ID = `:id{${JOB_ID_ROUTE_PATTERN}}`;

/** How long one events() call to the coordinator waits for something new (then a keep-alive). */
export const SSE_POLL_MS = 15_000;

function coordinatorFor(env: Env, id: string) {
  return coordinatorOf(env, cacheKeyOfJobId(id) as string);
}

/** The job's JSON; a deleted succeeded job is gone (DELETE /v1/edits/{id} marks its row). */
async function viewOf(env: Env, accountId: string, job: JobRecord, baseUrl: string) {
  if (job.status === "succeeded" && (await findLiveEdit(env, accountId, job.id)) === null) return null;
  const meta = await resultMetaOf(env, job);
  if (job.status === "succeeded" && meta === null) return null;
  return jobView(job, meta, baseUrl);
}

editJobs.get(`/${ID}`, async (c) => {
  const id = c.req.param("id");
  const accountId = c.get("caller").accountId;
  const job = await coordinatorFor(c.env, id).job(id, accountId);
  const view = job === null ? null : await viewOf(c.env, accountId, job, publicOrigin(c.env, c.req.url));
  if (view === null) throw new ZoneError("not_found", `no edit ${id}`);
  // An open job says when to poll again, as its 202 did (the typed client's waitForEdit honours it).
  if (view.finishedAt === null) c.header("retry-after", String(JOB_POLL_SECONDS));
  return c.json(view);
});

editJobs.post(`/${ID}/cancel`, async (c) => {
  const id = c.req.param("id");
  const accountId = c.get("caller").accountId;
  const job = await coordinatorFor(c.env, id).cancel(id, accountId);
  const view = job === null ? null : await viewOf(c.env, accountId, job, publicOrigin(c.env, c.req.url));
  if (view === null) throw new ZoneError("not_found", `no edit ${id}`);
  return c.json(view);
});

editJobs.get(`/${ID}/events`, async (c) => {
  const id = c.req.param("id");
  const accountId = c.get("caller").accountId;
  const coordinator = coordinatorFor(c.env, id);
  const baseUrl = publicOrigin(c.env, c.req.url);
  const lastEventId = c.req.header("last-event-id");
  let after = lastEventId !== undefined && /^\d+$/.test(lastEventId) ? Number(lastEventId) : 0;
  const first = await coordinator.events(id, accountId, after, 0);
  if (first === null) throw new ZoneError("not_found", `no edit ${id}`);
  return streamSSE(c, async (stream) => {
    let batch: JobEvents | null = first as JobEvents;
    while (batch !== null && !stream.aborted) {
      for (const event of batch.events) {
        // The final state carries the whole job (the result's links once succeeded).
        const terminal = TERMINAL_JOB_STATES.has(event.event.slice("edit.".length) as never);
        const data = terminal
          ? ((await viewOf(c.env, accountId, batch.job, baseUrl)) ?? event.data)
          : event.data;
        await stream.writeSSE({ id: String(event.seq), event: event.event, data: JSON.stringify(data) });
        after = event.seq;
        if (terminal) return;
      }
      if (batch.events.length === 0) {
        if (batch.job.finishedAt !== null) return; // resumed after its final event: nothing more
        await stream.write(": keep-alive\n\n");
      }
      batch = await coordinator.events(id, accountId, after, SSE_POLL_MS);
    }
  });
});
