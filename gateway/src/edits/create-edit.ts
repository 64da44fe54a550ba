// POST /v1/edits after validation: the cache key, a cache hit straight from R2 (or the isolate's
// memo), otherwise the single-flight coordinator for the key, which gets the image bytes in its
// RPC call; then the edit row and its ledger entry in one D1 batch, before the answer, whatever
// the cache state (billed only for the one request that made the GPU call). So every link of the
// answer works the moment it arrives, and usage counts exactly the answers given.
import {
  type CacheState,
  type EditResource,
  type GpuEditMeta,
  PIPELINE_VERSION,
  ZoneError,
} from "@zone/shared";
import { cacheKey } from "../cache/cache-key.ts";
import { memoizedResult, memoizeResult } from "../cache/result-memo.ts";
import { recordEdits } from "../db/queries.ts";
import type { Caller, Env } from "../env.ts";
import { readStoredResult } from "../storage/artifacts.ts";
import type { EditRequest } from "./edit-request.ts";
import { editResource } from "./edit-resource.ts";
import { gpuStageSpans, type TimingSpan } from "./server-timing.ts";

export interface CreateEditDeps {
  env: Env;
  caller: Caller;
  /** Origin of the links in the resource. */
  baseUrl: string;
  /** Forwarded to the GPU function as x-request-id. */
  requestId?: string;
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

function newEditId(): string {
  return `ed_${crypto.randomUUID().replaceAll("-", "")}`;
}

async function lookUp(env: Env, key: string): Promise<GpuEditMeta | null> {
  return memoizedResult(key, Date.now()) ?? (await readStoredResult(env.ARTIFACTS, key))?.meta ?? null;
}

export async function createEdit(deps: CreateEditDeps, request: EditRequest): Promise<CreatedEdit> {
  const { env, caller } = deps;
  const key = await cacheKey({
    imageSha256: request.image.sha256,
    params: request.params,
    bundleVersion: env.BUNDLE_VERSION,
    pipelineVersion: PIPELINE_VERSION,
  });

  const timings: TimingSpan[] = [];
  let started = Date.now();
  let cache: CacheState;
  let meta = await lookUp(env, key);
  if (meta) {
    cache = "HIT";
    timings.push({ name: "cache", desc: cache, durMs: Date.now() - started });
  } else {
    timings.push({ name: "cache-lookup", durMs: Date.now() - started });
    started = Date.now();
    const coordinator = env.EDIT_COORDINATOR.get(env.EDIT_COORDINATOR.idFromName(key));
    const outcome = await coordinator.run({
      cacheKey: key,
      image: request.image.bytes,
      contentType: request.image.contentType,
      params: request.params,
      requestId: deps.requestId,
    });
    if (!outcome.ok)
      throw new ZoneError(outcome.code, outcome.message, { retryAfterSeconds: outcome.retryAfterSeconds });
    cache = outcome.cache;
    meta = outcome.meta;
    timings.push({ name: "cache", desc: cache, durMs: Date.now() - started });
    if (cache === "MISS") timings.push(...gpuStageSpans(meta.timingsMs));
  }

  const id = newEditId();
  const now = Date.now();
  memoizeResult(key, meta, now);
  await recordEdits(env.DB, [
    { id, accountId: caller.accountId, keyId: caller.keyId, cacheKey: key, cache, now },
  ]);
  timings.push({ name: "db", durMs: Date.now() - now });
  return {
    resource: editResource(meta, { id, createdAt: now, cache }, deps.baseUrl),
    cache,
    cacheKey: key,
    meta,
    timings,
  };
}
