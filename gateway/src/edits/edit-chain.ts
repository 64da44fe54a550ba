// Multi-turn chains (method section 6): an edit made with `parent` takes that edit's result as its
// input. The parent is looked up for the caller's account (unknown, deleted or another account's:
// 404), and must be lossless (PNG, or WebP of an opaque image; 422 lossy_parent), because the
// chain's guarantees (a render of turns 1..k is turn k's result, byte for byte) need every input to
// be exactly its parent's composite. A chain is walked by the D1 rows' parent ids (migration
// 0005) from a turn back to the edit of the upload; that first edit may be a free hit whose row
// has not landed yet, which its verified id stands for (edit-id.ts). A succeeded async job's id
// (ej_) is a turn like any edit's: its row is written when it succeeds.
import { type GpuEditMeta, MAX_CHAIN_TURNS, ZoneError } from "@zone/shared";
import { sha256Hex } from "../cache/cache-key.ts";
import { findEdit } from "../db/queries.ts";
import type { Env } from "../env.ts";
import { isJobIdShape } from "../jobs/job-id.ts";
import { readArtifact, readStoredResult } from "../storage/artifacts.ts";
import { type EditReference, isEditIdShape, verifyEditId } from "./edit-id.ts";
import { MAX_UPLOAD_CEILING_BYTES } from "./edit-request.ts";

export interface ChainTurn extends EditReference {
  id: string;
  meta: GpuEditMeta;
}

/** The parent's result as the next turn's input. */
export interface ParentInput {
  id: string;
  cacheKey: string;
  bytes: ArrayBuffer;
  contentType: string;
  sha256: string;
  /** Turns up to and including the parent. */
  depth: number;
}

/** Whether a result can be continued exactly: lossless, and WebP only without alpha. */
export function isLosslessResult(result: GpuEditMeta["result"]): boolean {
  return result.format === "png" || (result.format === "webp" && !result.alpha);
}

async function oneTurn(
  env: Env,
  accountId: string,
  id: string,
): Promise<{ turn: ChainTurn; parentId: string | null }> {
  // An async job's id names its edit once the job has succeeded (its row is written then), as
  // for GET and DELETE (edit-lookup.ts): a chain's turn, parent, stack and render take it too.
  const job = isJobIdShape(id);
  const notFound = () =>
    new ZoneError(
      "not_found",
      job ? `no edit ${id} (a job's id names an edit once the job has succeeded)` : `no edit ${id}`,
    );
  if (!isEditIdShape(id) && !job) throw notFound();
  const row = await findEdit(env.DB, accountId, id);
  let ref: EditReference | null;
  let parentId: string | null = null;
  if (row !== null) {
    ref =
      row.deleted_at === null
        ? { cacheKey: row.cache_key, createdAt: row.created_at, cache: row.cache }
        : null;
    parentId = row.parent_id;
  } else ref = job ? null : await verifyEditId(env.KEY_PEPPER, accountId, id);
  if (ref === null) throw notFound();
  const meta = (await readStoredResult(env.ARTIFACTS, ref.cacheKey))?.meta;
  if (!meta) throw new ZoneError("not_found", `the result of ${id} is no longer stored`);
  return { turn: { ...ref, id, meta }, parentId };
}

/** The chain ending at `id`: the edit of the upload first, `id` last. */
export async function walkChain(env: Env, accountId: string, id: string): Promise<ChainTurn[]> {
  const turns: ChainTurn[] = [];
  let next: string | null = id;
  while (next !== null) {
    if (turns.length === MAX_CHAIN_TURNS)
      throw new ZoneError("invalid_argument", `chains are at most ${MAX_CHAIN_TURNS} turns long`);
    const { turn, parentId }: { turn: ChainTurn; parentId: string | null } = await oneTurn(
      env,
      accountId,
      next,
    );
    turns.unshift(turn);
    next = parentId;
  }
  return turns;
}

/** The `parent` field resolved: its result's bytes, refused when lossy or the chain is full. */
export async function resolveParent(env: Env, accountId: string, parentId: string): Promise<ParentInput> {
  const chain = await walkChain(env, accountId, parentId);
  const parent = chain[chain.length - 1];
  if (chain.length >= MAX_CHAIN_TURNS)
    throw new ZoneError("invalid_argument", `parent: chains are at most ${MAX_CHAIN_TURNS} turns long`);
  if (!isLosslessResult(parent.meta.result))
    throw new ZoneError(
      "lossy_parent",
      `parent: the result of ${parentId} is ${parent.meta.result.format}${parent.meta.result.alpha ? " with alpha" : ""}; a chain continues only from a lossless result (edit it with output=png)`,
    );
  const object = await readArtifact(env.ARTIFACTS, parent.cacheKey, "result");
  if (object === null) throw new ZoneError("not_found", `the result of ${parentId} is no longer stored`);
  if (object.size > MAX_UPLOAD_CEILING_BYTES)
    throw new ZoneError(
      "payload_too_large",
      `parent: its result is ${object.size} bytes; a turn's input must fit one coordinator call (${MAX_UPLOAD_CEILING_BYTES})`,
    );
  const bytes = await object.arrayBuffer();
  return {
    id: parentId,
    cacheKey: parent.cacheKey,
    bytes,
    contentType: object.httpMetadata?.contentType ?? "image/png",
    sha256: await sha256Hex(bytes),
    depth: chain.length,
  };
}
