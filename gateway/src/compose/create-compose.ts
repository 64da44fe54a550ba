// POST /v1/compose after validation, as an edit is made (edits/create-edit.ts): the cache key
// (both images' hashes, the rough mask's, the params, the scope), a hit straight from R2 (or the
// isolate's memo), otherwise a credit hold priced as `compose` (402 when the balance does not
// cover it: nothing called, stored or billed), then the key's single-flight coordinator, which
// gets the files in its RPC call. A billed compose (MISS) is written to D1 with its ledger entry
// before the answer and its hold settled; any other outcome releases the hold; a free one (HIT,
// COALESCED) is recorded after the answer (hit-recorder.ts). The id names an edit of the account:
// /v1/edits/{id} reads, serves and deletes it.
import {
  type CacheState,
  type ComposeResource,
  type GpuComposeMeta,
  PIPELINE_VERSION,
  stageSpans,
  type TimingSpan,
  ZoneError,
} from "@zone/shared";
import { type CreditHold, holdCredits } from "../billing/credit-hold.ts";
import { cacheScope } from "../cache/cache-key.ts";
import { memoizedMeta, memoizeResult } from "../cache/result-memo.ts";
import type { CoordinatorOutcome } from "../coordinator/edit-coordinator.ts";
import { recordEdits } from "../db/queries.ts";
import type { CreateEditDeps } from "../edits/create-edit.ts";
import { mintEditId } from "../edits/edit-id.ts";
import { recordHit } from "../edits/hit-recorder.ts";
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

  const timings: TimingSpan[] = [];
  let started = Date.now();
  let cache: CacheState;
  let hold: CreditHold | null = null;
  let meta =
    memoizedMeta<GpuComposeMeta>(key, started) ??
    (await readStoredMeta<GpuComposeMeta>(env.ARTIFACTS, key))?.meta ??
    null;
  if (meta) {
    cache = "HIT";
    timings.push({ name: "cache", desc: cache, durMs: Date.now() - started });
  } else {
    timings.push({ name: "cache-lookup", durMs: Date.now() - started });
    started = Date.now();
    hold = await holdCredits(env, caller, { operation: "compose" });
    timings.push({ name: "credits", durMs: Date.now() - started });
    started = Date.now();
    let outcome: CoordinatorOutcome<GpuComposeMeta>;
    try {
      const coordinator = env.EDIT_COORDINATOR.get(env.EDIT_COORDINATOR.idFromName(key));
      outcome = (await coordinator.compose({
        cacheKey: key,
        image: file(request.image),
        edited: file(request.edited),
        rough: request.rough && file(request.rough),
        params: request.params,
        requestId: deps.requestId,
      })) as CoordinatorOutcome<GpuComposeMeta>;
    } catch (error) {
      await hold.release();
      throw error;
    }
    if (!outcome.ok) {
      await hold.release();
      throw new ZoneError(outcome.code, outcome.message, { retryAfterSeconds: outcome.retryAfterSeconds });
    }
    cache = outcome.cache;
    meta = outcome.meta;
    timings.push({ name: "cache", desc: cache, durMs: Date.now() - started });
    if (cache === "MISS") timings.push(...stageSpans(meta.timingsMs, "gpu-"));
    else {
      await hold.release();
      hold = null;
    }
  }

  const now = Date.now();
  const id = await mintEditId(env.KEY_PEPPER, caller.accountId, { cacheKey: key, createdAt: now, cache });
  memoizeResult(key, meta, now);
  const record = { id, accountId: caller.accountId, keyId: caller.keyId, cacheKey: key, cache, now };
  if (hold !== null) {
    const charge = { operation: hold.operation, units: hold.units, holdId: hold.id };
    try {
      await recordEdits(env.DB, [{ ...record, charge }]);
    } catch (error) {
      await hold.release();
      throw error;
    }
    await hold.settle().catch((error: Error) => console.error(`could not settle ${hold?.id}`, error.message));
    timings.push({ name: "db", durMs: Date.now() - now });
  } else {
    deps.waitUntil(recordHit(env.DB, record));
  }
  return {
    resource: composeResource(meta, { id, createdAt: now, cache }, deps.baseUrl),
    cache,
    cacheKey: key,
    meta,
    timings,
  };
}
