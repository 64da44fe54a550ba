// One cached, billed, single-flight run for a cache key, as POST /v1/edits (create-edit.ts) and
// POST /v1/compose (compose/create-compose.ts) both make it: a hit straight from the isolate's
// memo or R2 (free), otherwise a credit hold priced for the job (402 when the balance does not
// cover it: nothing called, stored or billed), then the key's coordinator. A billed run (MISS) is
// written to D1 with its ledger entry (cost, hold) before the answer, and then its hold is
// settled; any other outcome releases the hold. A free one (HIT, COALESCED) is recorded right
// after the answer, in batches (hit-recorder.ts), so a hit costs no D1 write on its way out,
// unless its row must exist at once (a chain's turn, walked by its row's parent id). The id is a
// verifiable reference to the result and the account (edit-id.ts), read by GET until the row lands.
import { type CacheState, type GpuResultMeta, stageSpans, type TimingSpan, ZoneError } from "@zone/shared";
import { type CreditHold, holdCredits } from "../billing/credit-hold.ts";
import type { PricedJob } from "../billing/prices.ts";
import { memoizeResult } from "../cache/result-memo.ts";
import type { CoordinatorOutcome } from "../coordinator/edit-coordinator.ts";
import { recordEdits } from "../db/queries.ts";
import type { Caller, Env } from "../env.ts";
import { mintEditId } from "./edit-id.ts";
import { recordHit } from "./hit-recorder.ts";

export interface FlightDeps {
  env: Env;
  caller: Caller;
  /** Forwarded to the GPU function as x-request-id. */
  requestId?: string;
  /** The request's waitUntil: a free hit is recorded after the answer. */
  waitUntil: (work: Promise<unknown>) => void;
}

export type Coordinator = ReturnType<Env["EDIT_COORDINATOR"]["get"]>;

export interface FlightPlan<M extends GpuResultMeta> {
  /** The cache key: the coordinator's name and the result's place in R2. */
  key: string;
  /** What the hold is priced as (prices.ts). */
  priced: PricedJob;
  /** The key's stored meta (memo, then R2), or null. */
  lookUp: () => Promise<M | null>;
  /** The coordinator call that makes (or joins) the result. */
  run: (coordinator: Coordinator) => Promise<CoordinatorOutcome<M>>;
  /** The edit whose result was the input (a chain's turn): its row is written before the answer,
   * even when free. */
  parentId?: string | null;
}

export interface FlightAnswer<M extends GpuResultMeta> {
  id: string;
  createdAt: number;
  cache: CacheState;
  meta: M;
  /** This request's spans for Server-Timing (the GPU's stages only on a MISS). */
  timings: TimingSpan[];
}

export async function billedFlight<M extends GpuResultMeta>(
  deps: FlightDeps,
  plan: FlightPlan<M>,
): Promise<FlightAnswer<M>> {
  const { env, caller } = deps;
  const { key } = plan;
  const parentId = plan.parentId ?? null;
  const timings: TimingSpan[] = [];
  let started = Date.now();
  let cache: CacheState;
  let hold: CreditHold | null = null;
  let meta = await plan.lookUp();
  if (meta) {
    cache = "HIT";
    timings.push({ name: "cache", desc: cache, durMs: Date.now() - started });
  } else {
    timings.push({ name: "cache-lookup", durMs: Date.now() - started });
    started = Date.now();
    hold = await holdCredits(env, caller, plan.priced);
    timings.push({ name: "credits", durMs: Date.now() - started });
    started = Date.now();
    let outcome: CoordinatorOutcome<M>;
    try {
      outcome = await plan.run(env.EDIT_COORDINATOR.get(env.EDIT_COORDINATOR.idFromName(key)));
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
    parentId,
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
  } else if (parentId !== null) {
    await recordEdits(env.DB, [record]);
    timings.push({ name: "db", durMs: Date.now() - now });
  } else {
    deps.waitUntil(recordHit(env.DB, record));
  }
  return { id, createdAt: now, cache, meta, timings };
}
