// POST /v1/edits after validation: the cache key (scoped to the caller's account unless the
// deployment shares its cache), then one cached, billed, single-flight run for it (billed-flight.ts:
// a hit from the memo or R2, else a credit hold and the key's coordinator, which gets the image
// bytes in its RPC call; a MISS written to D1 with its ledger entry before the answer). With
// `parent` (a chain's next turn, edit-chain.ts) the input is the parent's stored result and the
// cache key hashes the parent's key too; such an edit's row (naming its parent) is written before
// the answer even when free, so a chain can always be walked in D1.
import {
  type CacheState,
  type EditResource,
  type GpuEditMeta,
  PIPELINE_VERSION,
  type TimingSpan,
} from "@zone/shared";
import { cacheKey, cacheScope } from "../cache/cache-key.ts";
import { memoizedResult } from "../cache/result-memo.ts";
import type { Caller, Env } from "../env.ts";
import { readStoredResult } from "../storage/artifacts.ts";
import { billedFlight, type FlightDeps } from "./billed-flight.ts";
import { type ParentInput, resolveParent } from "./edit-chain.ts";
import type { EditRequest } from "./edit-request.ts";
import { editResource } from "./edit-resource.ts";

export interface CreateEditDeps extends FlightDeps {
  /** Origin of the links in the resource. */
  baseUrl: string;
}

export interface CreatedEdit {
  resource: EditResource;
  cache: CacheState;
  /** Where the result's artifacts and meta live in R2. */
  cacheKey: string;
  meta: GpuEditMeta;
  /** This request's spans for Server-Timing (the GPU's stages only on a MISS). */
  timings: TimingSpan[];
}

export async function lookUp(env: Env, key: string): Promise<GpuEditMeta | null> {
  return memoizedResult(key, Date.now()) ?? (await readStoredResult(env.ARTIFACTS, key))?.meta ?? null;
}

/** What an edit runs on: the upload, or a chain parent's lossless result. */
export interface EditSource {
  bytes: ArrayBuffer;
  contentType: string;
  sha256: string;
}

/** The request's input, its parent (null for an upload) and its cache key for this caller (the
 * coordinator's name too; a chain turn's key covers its parent's). One owner for the synchronous
 * and the async path. */
export async function resolveEditInput(
  env: Env,
  caller: Caller,
  request: EditRequest,
): Promise<{ input: EditSource; parent: ParentInput | null; key: string }> {
  const parent =
    request.parentId === null ? null : await resolveParent(env, caller.accountId, request.parentId);
  const input = parent ?? request.image;
  if (input === null) throw new Error("an edit request has an image or a parent");
  const key = await cacheKey({
    imageSha256: input.sha256,
    params: request.params,
    scope: cacheScope(env, caller),
    bundleVersion: env.BUNDLE_VERSION,
    pipelineVersion: PIPELINE_VERSION,
    ...(parent === null ? {} : { parentKey: parent.cacheKey }),
    hintMaskSha256: request.hintMask?.sha256,
  });
  return { input, parent, key };
}

export async function createEdit(deps: CreateEditDeps, request: EditRequest): Promise<CreatedEdit> {
  const { env, caller } = deps;
  const { input, parent, key } = await resolveEditInput(env, caller, request);
  const { id, createdAt, cache, meta, timings } = await billedFlight(deps, {
    key,
    priced: request.params,
    lookUp: () => lookUp(env, key),
    run: (coordinator) =>
      coordinator.run({
        cacheKey: key,
        image: input.bytes,
        contentType: input.contentType,
        storeOriginal: parent === null,
        params: request.params,
        requestId: deps.requestId,
        ...(request.hintMask
          ? { hintMask: { bytes: request.hintMask.bytes, contentType: request.hintMask.contentType } }
          : {}),
      }),
    parentId: parent?.id ?? null,
  });
  return {
    resource: editResource(meta, { id, createdAt, cache }, deps.baseUrl),
    cache,
    cacheKey: key,
    meta,
    timings,
  };
}
