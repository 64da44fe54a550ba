// POST /v1/compose after validation: the cache key (both images' hashes, the rough mask's, the
// params, the scope), then the same cached, billed, single-flight run an edit gets
// (edits/billed-flight.ts), priced as `compose`; the coordinator gets the files in its RPC call.
// The id names an edit of the account: /v1/edits/{id} reads, serves and deletes it.
import {
  type CacheState,
  type ComposeResource,
  type GpuComposeMeta,
  PIPELINE_VERSION,
  type TimingSpan,
} from "@zone/shared";
import { cacheScope } from "../cache/cache-key.ts";
import { memoizedMeta } from "../cache/result-memo.ts";
import type { CoordinatorOutcome } from "../coordinator/edit-coordinator.ts";
import { billedFlight } from "../edits/billed-flight.ts";
import type { CreateEditDeps } from "../edits/create-edit.ts";
import { readStoredMeta } from "../storage/artifacts.ts";
import { composeCacheKey } from "./compose-key.ts";
import type { ComposeFile, ComposeRequest } from "./compose-request.ts";
import { composeResource } from "./compose-resource.ts";

export interface CreatedCompose {
  resource: ComposeResource;
  cache: CacheState;
  cacheKey: string;
  meta: GpuComposeMeta;
  timings: TimingSpan[];
}

const file = (f: ComposeFile) => ({ bytes: f.bytes, contentType: f.contentType });

export async function createCompose(deps: CreateEditDeps, request: ComposeRequest): Promise<CreatedCompose> {
  const { env, caller } = deps;
  const key = await composeCacheKey({
    imageSha256: request.image.sha256,
    editedSha256: request.edited.sha256,
    roughSha256: request.rough?.sha256 ?? null,
    params: request.params,
    scope: cacheScope(env, caller),
    bundleVersion: env.BUNDLE_VERSION,
    pipelineVersion: PIPELINE_VERSION,
  });

  const { id, createdAt, cache, meta, timings } = await billedFlight<GpuComposeMeta>(deps, {
    key,
    priced: { operation: "compose" },
    lookUp: async () =>
      memoizedMeta<GpuComposeMeta>(key, Date.now()) ??
      (await readStoredMeta<GpuComposeMeta>(env.ARTIFACTS, key))?.meta ??
      null,
    run: async (coordinator) =>
      (await coordinator.compose({
        cacheKey: key,
        image: file(request.image),
        edited: file(request.edited),
        rough: request.rough && file(request.rough),
        params: request.params,
        requestId: deps.requestId,
      })) as CoordinatorOutcome<GpuComposeMeta>,
  });
  return {
    resource: composeResource(meta, { id, createdAt, cache }, deps.baseUrl),
    cache,
    cacheKey: key,
    meta,
    timings,
  };
}
