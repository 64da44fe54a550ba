// Which edit an id names, for GET and DELETE /v1/edits/{id}. The D1 row decides when there is one
// (deleted rows included: a deleted edit is gone even though its id still verifies). Until a free
// hit's row lands (hit-recorder.ts), the id itself does: it verifies only for the account it was
// made for, and carries the cache key, time and cache state (edit-id.ts). Malformed, forged and
// other accounts' ids are all simply not found.
//
// Deletion: artifacts are shared by every edit with the same cache key and go with the last of
// them. A hit answered in some isolate may have no row yet, so the artifacts are removed only
// after ARTIFACT_GRACE_MS (past HIT_FLUSH_MS, for other isolates' queued hits) and after this
// isolate's queued hits are written, if no live edit uses the key then.

import { ZoneError } from "@zone/shared";
import { forgetResult } from "../cache/result-memo.ts";
import { liveChildrenOf } from "../db/chain-queries.ts";
import { findEdit, liveEditsOf, markEditDeleted, writeTombstone } from "../db/queries.ts";
import type { Caller, Env } from "../env.ts";
import { isJobIdShape } from "../jobs/job-id.ts";
import { deleteResult } from "../storage/artifacts.ts";
import { type EditReference, isEditIdShape, verifyEditId } from "./edit-id.ts";
import { HIT_FLUSH_MS, settleHits } from "./hit-recorder.ts";

export const ARTIFACT_GRACE_MS = 5 * HIT_FLUSH_MS;

/** The live edit this caller's id names, or null (unknown, deleted, forged, another account's). */
export async function findLiveEdit(env: Env, accountId: string, id: string): Promise<EditReference | null> {
  // A job's id is an edit's once it has succeeded: only its row (written before it succeeds) names it.
  if (!isEditIdShape(id) && !isJobIdShape(id)) return null;
  const row = await findEdit(env.DB, accountId, id);
  if (row !== null)
    return row.deleted_at === null
      ? { cacheKey: row.cache_key, createdAt: row.created_at, cache: row.cache }
      : null;
  return isJobIdShape(id) ? null : verifyEditId(env.KEY_PEPPER, accountId, id);
}

async function removeArtifactsIfUnused(env: Env, cacheKey: string): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ARTIFACT_GRACE_MS));
  await settleHits();
  if ((await liveEditsOf(env.DB, cacheKey)) > 0) return;
  forgetResult(cacheKey);
  await deleteResult(env.ARTIFACTS, cacheKey);
}

/**
 * Deletes the caller's edit; false when there is no such live edit. An edit whose row is not
 * written yet gets a tombstone row. The shared artifacts' removal, if due, is handed to waitUntil.
 */
export async function removeEdit(
  env: Env,
  caller: Caller,
  id: string,
  waitUntil: (work: Promise<unknown>) => void,
): Promise<boolean> {
  if (!isEditIdShape(id) && !isJobIdShape(id)) return false;
  // A chain's turns stay while a later turn does: its input, layer and (for the first) original.
  if ((await liveChildrenOf(env.DB, caller.accountId, id)) > 0)
    throw new ZoneError(
      "has_children",
      `${id} is the parent of a live edit: delete the chain from its last turn`,
    );
  const now = Date.now();
  let cacheKey: string;
  const row = await findEdit(env.DB, caller.accountId, id);
  if (row !== null) {
    if (row.deleted_at !== null || !(await markEditDeleted(env.DB, caller.accountId, id, now))) return false;
    cacheKey = row.cache_key;
  } else {
    const ref = isJobIdShape(id) ? null : await verifyEditId(env.KEY_PEPPER, caller.accountId, id);
    if (ref === null) return false;
    const tombstone = {
      id,
      accountId: caller.accountId,
      keyId: caller.keyId,
      cacheKey: ref.cacheKey,
      cache: ref.cache,
      now: ref.createdAt,
    };
    if (!(await writeTombstone(env.DB, tombstone, now))) return false;
    cacheKey = ref.cacheKey;
  }
  if ((await liveEditsOf(env.DB, cacheKey)) === 0)
    waitUntil(
      removeArtifactsIfUnused(env, cacheKey).catch((error: Error) =>
        console.error(`could not remove the artifacts of ${cacheKey}`, error.message),
      ),
    );
  return true;
}
