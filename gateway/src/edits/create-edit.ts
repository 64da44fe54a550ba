// POST /v1/edits after validation: the cache key, a cache hit straight from R2, otherwise the
// upload stored and the single-flight coordinator for the key; then the edit row and its ledger
// entry (billed only for the one request that made the GPU call).
import { type CacheState, type EditResource, type GpuEditMeta, ZoneError } from "@zone/shared";
import { cacheKey, sha256Hex } from "../cache/cache-key.ts";
import { memoizedResult, memoizeResult } from "../cache/result-memo.ts";
import { recordEdits } from "../db/queries.ts";
import type { Caller, Env } from "../env.ts";
import { readStoredResult, storeUpload } from "../storage/artifacts.ts";
import type { EditRequest } from "./edit-request.ts";
import { editResource } from "./edit-resource.ts";
import { recordHit } from "./hit-recorder.ts";

export interface CreatedEdit {
  resource: EditResource;
  cacheKey: string;
  cache: CacheState;
}

function newEditId(): string {
  return `ed_${crypto.randomUUID().replaceAll("-", "")}`;
}

export async function createEdit(
  env: Env,
  caller: Caller,
  request: EditRequest,
  baseUrl: string,
  waitUntil: (work: Promise<unknown>) => void,
): Promise<CreatedEdit> {
  const imageSha256 = await sha256Hex(new Uint8Array(request.image.bytes));
  const params = {
    action: request.form.action,
    seed: request.form.seed ?? 42,
    steps: request.form.steps ?? 20,
    mode: request.form.mode ?? "default",
  };
  const key = await cacheKey({
    imageSha256,
    instruction: request.instruction,
    params,
    bundleVersion: env.BUNDLE_VERSION,
  });

  let cache: CacheState;
  let meta: GpuEditMeta;
  const stored =
    memoizedResult(key, Date.now()) ?? (await readStoredResult(env.ARTIFACTS, key))?.meta ?? null;
  if (stored) {
    cache = "HIT";
    meta = stored;
  } else {
    const uploadKey = `uploads/${imageSha256}`;
    await storeUpload(env.ARTIFACTS, imageSha256, request.image.bytes, request.image.contentType);
    const coordinator = env.EDIT_COORDINATOR.get(env.EDIT_COORDINATOR.idFromName(key));
    const outcome = await coordinator.run({
      cacheKey: key,
      uploadKey,
      params: { instruction: request.instruction, ...params },
    });
    if (!outcome.ok)
      throw new ZoneError(outcome.code, outcome.message, { retryAfterSeconds: outcome.retryAfterSeconds });
    cache = outcome.cache;
    meta = outcome.meta;
  }
  const id = newEditId();
  const now = Date.now();
  memoizeResult(key, meta, now);
  const record = {
    id,
    accountId: caller.accountId,
    keyId: caller.keyId,
    cacheKey: key,
    cache,
    meta: JSON.stringify(meta),
    now,
  };
  // A billed edit is recorded before the answer; free hits (HIT, COALESCED) right after it, in
  // batches (hit-recorder.ts).
  if (cache === "MISS") await recordEdits(env.DB, [record]);
  else waitUntil(recordHit(env.DB, record));
  return { resource: editResource(id, now, cache, meta, baseUrl), cacheKey: key, cache };
}
