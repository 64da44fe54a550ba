// POST /v1/edits with Prefer (respond-async or wait=N) or Cancel-After: the edit as a job. A cache
// hit is answered at once like a synchronous edit (201). A miss takes the credit hold now (402
// before anything is queued), submits the job to the key's coordinator (which joins it to a
// running identical edit, if any) and waits for it as long as the preference says.
import { ZoneError } from "@zone/shared";
import { holdCredits } from "../billing/credit-hold.ts";
import {
  type CreatedEdit,
  type CreateEditDeps,
  createEdit,
  lookUp,
  resolveEditInput,
} from "../edits/create-edit.ts";
import type { EditRequest } from "../edits/edit-request.ts";
import type { Env } from "../env.ts";
import { editDeadlineMs, gpuClientConfig } from "../gpu/gpu-client.ts";
import { mintJobId } from "./job-id.ts";
import type { JobRecord } from "./job-store.ts";

/** Past a job's watchdog, how long its hold may still wait to be settled before the balance's alarm resolves it. */
export const HOLD_SETTLE_MARGIN_MS = 60_000;

/** The longest a job may stay open (its watchdog), and so the largest Cancel-After. */
export const jobLifetimeMs = (env: Env) => editDeadlineMs(gpuClientConfig(env));

export type SubmittedJob = { kind: "done"; created: CreatedEdit } | { kind: "job"; job: JobRecord };

export function coordinatorOf(env: Env, cacheKey: string) {
  return env.EDIT_COORDINATOR.get(env.EDIT_COORDINATOR.idFromName(cacheKey));
}

export async function submitJob(
  deps: CreateEditDeps,
  request: EditRequest,
  options: { waitMs: number; cancelAfterMs: number | null },
): Promise<SubmittedJob> {
  const { env, caller } = deps;
  const { input, parent, key } = await resolveEditInput(env, caller, request);
  if ((await lookUp(env, key)) !== null) return { kind: "done", created: await createEdit(deps, request) };
  const now = Date.now();
  const watchdogAt = now + jobLifetimeMs(env);
  const hold = await holdCredits(env, caller, request.params, watchdogAt + HOLD_SETTLE_MARGIN_MS);
  const jobId = mintJobId(key);
  const coordinator = coordinatorOf(env, key);
  let job: JobRecord;
  try {
    job = await coordinator.submit(
      {
        cacheKey: key,
        image: input.bytes,
        contentType: input.contentType,
        storeOriginal: parent === null,
        params: request.params,
        ...(request.hintMask
          ? { hintMask: { bytes: request.hintMask.bytes, contentType: request.hintMask.contentType } }
          : {}),
        requestId: deps.requestId,
      },
      {
        jobId,
        accountId: caller.accountId,
        keyId: caller.keyId,
        parentId: parent?.id ?? null,
        hold: { id: hold.id, operation: hold.operation, units: hold.units },
        deadlineAt: options.cancelAfterMs === null ? null : now + options.cancelAfterMs,
        watchdogAt,
        createdAt: now,
        baseUrl: deps.baseUrl,
      },
    );
  } catch (error) {
    await hold.release();
    throw error;
  }
  if (options.waitMs > 0) job = (await coordinator.waitFor(jobId, caller.accountId, options.waitMs)) ?? job;
  if (job.status === "failed" && job.error !== null)
    throw new ZoneError(job.error.code, job.error.detail, {
      retryAfterSeconds: job.error.code.startsWith("upstream_") ? 5 : undefined,
    });
  return { kind: "job", job };
}
