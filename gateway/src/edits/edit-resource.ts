// The public JSON view of an edit: the meta's public fields (editResourceSchema is picked from
// gpuEditMetaSchema, and parsing strips the rest), the edit's own id, time and cache state, and
// its links. `timingsMs` is the GPU function's timing of the computation that made the result,
// also on a cache hit.
import { type CacheState, type EditResource, editResourceSchema, type GpuEditMeta } from "@zone/shared";

export interface EditIdentity {
  id: string;
  /** Unix milliseconds. */
  createdAt: number;
  cache: CacheState;
}

/** An edit's links: itself and each artifact (the one owner, for the resource and a stack's turns). */
export function editLinks(self: string): EditResource["links"] {
  return {
    self,
    result: `${self}/result`,
    layer: `${self}/layer`,
    mask: `${self}/mask`,
    attention: `${self}/attention`,
    canvas: `${self}/canvas`,
  };
}

export function editResource(meta: GpuEditMeta, edit: EditIdentity, baseUrl: string): EditResource {
  const self = `${baseUrl}/v1/edits/${edit.id}`;
  return editResourceSchema.parse({
    ...meta,
    id: edit.id,
    status: "succeeded",
    createdAt: new Date(edit.createdAt).toISOString(),
    cache: edit.cache,
    cached: edit.cache !== "MISS",
    links: editLinks(self),
  });
}
