// The public JSON of a job (shared/src/edit-jobs.ts): its state, progress, timestamps and links;
// once succeeded, the edit resource itself (edit-resource.ts) under the job's id, with the job's
// fields and links added.
import { type EditJob, editJobSchema, type GpuEditMeta } from "@zone/shared";
import { editResource } from "../edits/edit-resource.ts";
import type { JobRecord } from "./job-store.ts";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function jobLinks(baseUrl: string, id: string) {
  const self = `${baseUrl}/v1/edits/${id}`;
  return { self, events: `${self}/events`, cancel: `${self}/cancel` };
}

/** `meta` is the stored result's, for a succeeded job (and ignored otherwise). */
export function jobView(job: JobRecord, meta: GpuEditMeta | null, baseUrl: string): EditJob {
  const fields = {
    id: job.id,
    createdAt: iso(job.createdAt) as string,
    startedAt: iso(job.startedAt),
    finishedAt: iso(job.finishedAt),
    deadline: iso(job.deadlineAt),
    progress: job.progress,
  };
  const links = jobLinks(baseUrl, job.id);
  if (job.status === "succeeded") {
    if (meta === null) throw new Error(`the succeeded job ${job.id} needs its result's meta`);
    const resource = editResource(
      meta,
      { id: job.id, createdAt: job.createdAt, cache: job.cache ?? "MISS" },
      baseUrl,
    );
    return editJobSchema.parse({
      ...resource,
      ...fields,
      error: null,
      canceledBy: null,
      links: { ...resource.links, ...links },
    });
  }
  return editJobSchema.parse({
    ...fields,
    status: job.status,
    error: job.error,
    canceledBy: job.canceledBy,
    links,
  });
}
