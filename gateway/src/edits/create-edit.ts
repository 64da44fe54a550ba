// POST /v1/edits after validation: the cache key (scoped to the caller's account unless the
// deployment shares its cache), a cache hit straight from R2 (or the isolate's memo), otherwise a
// credit hold on the account (402 when the balance does not cover the price: nothing called,
// stored or billed), then the single-flight coordinator for the key, which gets the image bytes
// in its RPC call. A billed edit (MISS) is written to D1 with its ledger entry (cost, hold)
// before the answer, and then its hold is settled; any other outcome releases the hold. A free
// one (HIT, COALESCED) is recorded right after the answer, in batches (hit-recorder.ts), so a hit
// costs no D1 write on its way out. Every link of the answer works at once either way: the edit id is a verifiable
// reference to the result and the account (edit-id.ts), read by GET until the row lands.
// With `parent` (a chain's next turn, edit-chain.ts) the input is the parent's stored result and
// the cache key hashes the parent's key too; such an edit's row (naming its parent) is written
// before the answer even when free, so a chain can always be walked in D1.
import {
  type CacheState,
  type EditResource,
  type GpuEditMeta,
  PIPELINE_VERSION,
  stageSpans,
  type TimingSpan,
  ZoneError,
} from "@zone/shared";
import { type CreditHold, holdCredits } from "../billing/credit-hold.ts";
import { cacheKey, cacheScope } from "../cache/cache-key.ts";
import { memoizedResult, memoizeResult } from "../cache/result-memo.ts";
import type { CoordinatorOutcome } from "../coordinator/edit-coordinator.ts";
import { recordEdits } from "../db/queries.ts";
import type { Caller, Env } from "../env.ts";
import { readStoredResult } from "../storage/artifacts.ts";
import { type ParentInput, resolveParent } from "./edit-chain.ts";
import { mintEditId } from "./edit-id.ts";
import type { EditRequest } from "./edit-request.ts";
import { editResource } from "./edit-resource.ts";
import { recordHit } from "./hit-recorder.ts";

export interface CreateEditDeps {
  env: Env;
  caller: Caller;
  /** Origin of the links in the resource. */
  baseUrl: string;
  /** Forwarded to the GPU function as x-request-id. */
  requestId?: string;
  /** The request's waitUntil: a free hit is recorded after the answer. */
  waitUntil: (work: Promise<unknown>) => void;
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

  const timings: TimingSpan[] = [];
  let started = Date.now();
  let cache: CacheState;
  let hold: CreditHold | null = null;
  let meta = await lookUp(env, key);
  if (meta) {
    cache = "HIT";
    timings.push({ name: "cache", desc: cache, durMs: Date.now() - started });
  } else {
    timings.push({ name: "cache-lookup", durMs: Date.now() - started });
    started = Date.now();
    hold = await holdCredits(env, caller, request.params);
    timings.push({ name: "credits", durMs: Date.now() - started });
    started = Date.now();
    let outcome: CoordinatorOutcome;
    try {
      const coordinator = env.EDIT_COORDINATOR.get(env.EDIT_COORDINATOR.idFromName(key));
      outcome = await coordinator.run({
        cacheKey: key,
        image: input.bytes,
        contentType: input.contentType,
        storeOriginal: parent === null,
        params: request.params,
        requestId: deps.requestId,
        ...(request.hintMask
          ? { hintMask: { bytes: request.hintMask.bytes, contentType: request.hintMask.contentType } }
          : {}),
      });
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
      // Answered by another request's GPU call (or its stored result): free.
      await hold.release();
      hold = null;
    }
  }

  const now = Date.now();
  const id = await mintEditId(env.KEY_PEPPER, caller.accountId, { cacheKey: key, createdAt: now, cache });
  memoizeResult(key, meta, now);
  const record = {
    id,
    accountId: caller.accountId,
    keyId: caller.keyId,
    cacheKey: key,
    cache,
    now,
    parentId: parent?.id ?? null,
  };
  if (hold !== null) {
    const charge = { operation: hold.operation, units: hold.units, holdId: hold.id };
    try {
      await recordEdits(env.DB, [{ ...record, charge }]);
    } catch (error) {
      await hold.release();
      throw error;
    }
    // Should this fail, the hold's alarm settles it: the ledger row naming it is in D1.
    await hold.settle().catch((error: Error) => console.error(`could not settle ${hold?.id}`, error.message));
    timings.push({ name: "db", durMs: Date.now() - now });
  } else if (parent !== null) {
    // A chain's turn is walked by its row's parent id: written now, not batched after the answer.
    await recordEdits(env.DB, [record]);
    timings.push({ name: "db", durMs: Date.now() - now });
  } else {
    deps.waitUntil(recordHit(env.DB, record));
  }
  return {
    resource: editResource(meta, { id, createdAt: now, cache }, deps.baseUrl),
    cache,
    cacheKey: key,
    meta,
    timings,
  };
}
