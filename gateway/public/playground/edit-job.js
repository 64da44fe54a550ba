// One edit as a job: POST /v1/edits with Prefer: respond-async, then, for a 202, the job's events
// (job-events.js) shown by the progress box (progress.js) with its Cancel button, and on
// edit.succeeded the edit loaded by its link. A cache hit comes back done at once (201): shown
// straight away. A job that failed or was canceled ends as a PlaygroundProblem saying so.
import { cancelJob, PlaygroundProblem, resource, submitEdit } from "./api.js";
import { followJob } from "./job-events.js";
import { startProgress } from "./progress.js";

/** A failed or canceled job as the problem the page shows. */
export function jobProblem(job) {
  if (job.status === "failed" && job.error) return new PlaygroundProblem(job.error.status, job.error);
  const at =
    job.progress?.step != null ? ` at step ${job.progress.step} of ${job.progress.steps}` : " before it ran";
  const by = job.canceledBy === "deadline" ? "its deadline (Cancel-After) passed" : "you pressed Cancel";
  return new PlaygroundProblem(0, {
    code: "canceled",
    title: "Canceled",
    detail: `the edit was canceled${at} (${by}); nothing was billed`,
  });
}

/**
 * Runs the edit the form describes; answers { edit, cache, serverTiming } like a synchronous
 * edit, `serverTiming` being the answer's when it came in one request ("" for a job).
 */
export async function runEditJob(form) {
  const progress = startProgress();
  try {
    const answer = await submitEdit(form);
    if (answer.status === 201)
      return { edit: answer.body, cache: answer.cache, serverTiming: answer.serverTiming };
    let job = answer.body;
    if (answer.status === 202) {
      // The stream then ends with edit.canceled (or the job's end, if it came first).
      progress.cancelable(() => cancelJob(job.links.cancel));
      progress.say(job.status === "queued" ? "Queued: waiting for a GPU slot" : "Running");
      const final = await followJob(job.links.events, (event) => progress.event(event), {
        connections: (lastEventId) => {
          if (lastEventId !== null) progress.resumed(lastEventId);
        },
      });
      progress.settled();
      job = final.data;
      if (final.event === "edit.succeeded") {
        const edit = await resource(job.links.self);
        return { edit, cache: edit.cache, serverTiming: "" };
      }
    }
    throw jobProblem(job);
  } finally {
    progress.done();
  }
}
