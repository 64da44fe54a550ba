// Single-flight per cache key: one Durable Object instance per key (idFromName(cacheKey)).
// Concurrent identical misses make one GPU call; every waiter gets its result (the first as MISS,
// the others as COALESCED). The image comes in the RPC call itself, never through R2. Failures
// are not stored, so the next request tries again; a watchdog alarm fails and clears a job that
// outlives its deadline, so a stuck call never blocks the key.

import { DurableObject } from "cloudflare:workers";
import { type ErrorCode, type GpuEditMeta, ZoneError } from "@zone/shared";
import type { GatewayEditParams } from "../cache/cache-key.ts";
import type { Env } from "../env.ts";
import { callGpuFunction, editDeadlineMs, gpuClientConfig } from "../gpu/gpu-client.ts";
import { readStoredResult, storeResult } from "../storage/artifacts.ts";

export interface CoordinatorJob {
  cacheKey: string;
  /**
   * The upload's bytes. A Workers RPC message is at most 32 MiB, which is why limitsFrom
   * (edits/edit-request.ts) refuses a MAX_UPLOAD_BYTES above MAX_UPLOAD_CEILING_BYTES.
   */
  image: ArrayBuffer;
  contentType: string;
  /** An upload (not a parent's result): stored as the key's original, for a chain's render. */
  storeOriginal: boolean;
  params: GatewayEditParams;
  /** The first caller's request id, forwarded to the GPU function. */
  requestId?: string;
}

/** Errors do not keep their class across RPC, so failures come back as data. */
export type CoordinatorOutcome =
  | { ok: true; cache: "HIT" | "MISS" | "COALESCED"; meta: GpuEditMeta }
  | { ok: false; code: ErrorCode; message: string; retryAfterSeconds?: number };

function failure(error: unknown): CoordinatorOutcome {
  const zone = error instanceof ZoneError ? error : new ZoneError("internal", "the edit failed");
  return { ok: false, code: zone.code, message: zone.message, retryAfterSeconds: zone.retryAfterSeconds };
}

export class EditCoordinator extends DurableObject<Env> {
  private job: { promise: Promise<GpuEditMeta>; fail: (error: ZoneError) => void } | null = null;

  async run(job: CoordinatorJob): Promise<CoordinatorOutcome> {
    const stored = await readStoredResult(this.env.ARTIFACTS, job.cacheKey);
    if (stored) return { ok: true, cache: "HIT", meta: stored.meta };
    if (this.job) {
      try {
        return { ok: true, cache: "COALESCED", meta: await this.job.promise };
      } catch (error) {
        return failure(error);
      }
    }

    let fail: (error: ZoneError) => void = () => {};
    const watchdog = new Promise<never>((_, reject) => {
      fail = reject;
    });
    const promise = Promise.race([this.execute(job), watchdog]);
    this.job = { promise, fail };
    await this.ctx.storage.setAlarm(Date.now() + editDeadlineMs(gpuClientConfig(this.env)));
    try {
      return { ok: true, cache: "MISS", meta: await promise };
    } catch (error) {
      return failure(error);
    } finally {
      this.job = null;
      await this.ctx.storage.deleteAlarm();
    }
  }

  private async execute(job: CoordinatorJob): Promise<GpuEditMeta> {
    const result = await callGpuFunction(gpuClientConfig(this.env), {
      image: new Blob([job.image], { type: job.contentType }),
      params: job.params,
      requestId: job.requestId,
    });
    const original = job.storeOriginal ? { bytes: job.image, contentType: job.contentType } : null;
    await storeResult(this.env.ARTIFACTS, job.cacheKey, result.parts, result.meta, original);
    return result.meta;
  }

  /** Watchdog: fails a job still running past its deadline and frees the key. */
  override async alarm(): Promise<void> {
    if (this.job) {
      this.job.fail(new ZoneError("upstream_timeout", "the edit did not finish in time"));
      this.job = null;
    }
  }
}
