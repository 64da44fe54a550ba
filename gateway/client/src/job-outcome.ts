// Where a job stands, read from its generated type: still open, succeeded (the edit), or ended
// without a result, as a ZoneApiError carrying its problem. A failed job has its own problem
// (`error`); a canceled one has none, so it is made here by the gateway's own toProblem with the
// edit_canceled code (shared/src/errors.ts, the one owner of codes, titles and statuses).
import { toProblem, ZoneError } from "@zone/shared/errors";
import type { components } from "./api-types.ts";
import { type Job, ZoneApiError } from "./problem-error.ts";

/** What GET /v1/edits/{id} answers: an edit, a compose (an id POST /v1/compose answered) or an async job (an ej_ id). */
export type EditLookup = components["schemas"]["Edit"] | components["schemas"]["Compose"] | Job;
/** A finished edit: an edit or compose resource, or a succeeded job (the edit, with the job's fields). */
export type FinishedEdit = Extract<EditLookup, { status: "succeeded" }>;

export type JobOutcome = { done: true; edit: FinishedEdit } | { done: false };

/** The job's outcome, or throws its ZoneApiError when it failed or was canceled. */
export function jobOutcome(lookup: EditLookup): JobOutcome {
  switch (lookup.status) {
    case "succeeded":
      return { done: true, edit: lookup };
    case "queued":
    case "running":
      return { done: false };
    case "failed":
      throw new ZoneApiError(answerOf(lookup.error?.status ?? 500), lookup.error, lookup);
    case "canceled": {
      const why =
        lookup.canceledBy === "deadline" ? "its Cancel-After passed first" : "POST /v1/edits/{id}/cancel";
      const problem = toProblem(
        new ZoneError("edit_canceled", `the edit ${lookup.id} was canceled (${why}); nothing was billed`),
        new URL(lookup.links.self).pathname,
      );
      throw new ZoneApiError(answerOf(problem.status), problem, lookup);
    }
    default: {
      // A state the generated types do not know: regenerate (npm run client:generate) and handle it.
      const unknown: never = lookup;
      throw new Error(`unknown job state ${(unknown as { status: string }).status}`);
    }
  }
}

const answerOf = (status: number) => ({ status, headers: new Headers() });
