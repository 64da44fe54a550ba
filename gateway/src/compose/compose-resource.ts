// The public JSON view of a compose: the meta's public fields (composeResourceSchema is picked
// from gpuComposeMetaSchema; parsing strips the rest), the id, time, cache state and links, in the
// shape of an edit resource. Composes are edits of the account: GET, the artifacts and DELETE
// are /v1/edits/{id}'s, so `storedResource` gives whichever a stored meta is.
import {
  type ComposeResource,
  composeResourceSchema,
  type EditResource,
  type GpuComposeMeta,
  type GpuResultMeta,
  isComposeMeta,
} from "@zone/shared";
import { type EditIdentity, editResource } from "../edits/edit-resource.ts";

export function composeResource(meta: GpuComposeMeta, edit: EditIdentity, baseUrl: string): ComposeResource {
  const self = `${baseUrl}/v1/edits/${edit.id}`;
  return composeResourceSchema.parse({
    ...meta,
    id: edit.id,
    status: "succeeded",
    createdAt: new Date(edit.createdAt).toISOString(),
    cache: edit.cache,
    cached: edit.cache !== "MISS",
    links: { self, result: `${self}/result`, layer: `${self}/layer`, mask: `${self}/mask` },
  });
}

/** The resource of a stored result: an edit's, or a compose's. */
export function storedResource(
  meta: GpuResultMeta,
  edit: EditIdentity,
  baseUrl: string,
): EditResource | ComposeResource {
  return isComposeMeta(meta) ? composeResource(meta, edit, baseUrl) : editResource(meta, edit, baseUrl);
}
