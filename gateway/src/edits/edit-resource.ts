// The public JSON view of an edit (shared/public-api.ts editResourceSchema).
import type { CacheState, EditResource, GpuEditMeta } from "@zone/shared";

export function editResource(
  id: string,
  createdAt: number,
  cache: CacheState,
  meta: GpuEditMeta,
  baseUrl: string,
): EditResource {
  const self = `${baseUrl}/v1/edits/${id}`;
  return {
    id,
    status: "succeeded",
    createdAt: new Date(createdAt).toISOString(),
    instruction: meta.instruction,
    pipelineVersion: meta.pipelineVersion,
    action: meta.action,
    actionSource: meta.actionSource,
    cache,
    cached: cache !== "MISS",
    seed: meta.seed,
    steps: meta.steps,
    mode: meta.mode,
    bundleId: meta.bundleId,
    changedPixels: meta.changedPixels,
    changedBox: meta.changedBox,
    timingsMs: meta.timingsMs,
    links: { self, result: `${self}/result`, layer: `${self}/layer`, mask: `${self}/mask` },
  };
}
