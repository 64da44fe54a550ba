// Single-flight per cache key: one Durable Object instance per key (idFromName(cacheKey)), for
// edits (run) and composes (compose) alike. Concurrent identical misses make one GPU call; every waiter gets its result (the first as MISS,
// the others as COALESCED). The image comes in the RPC call itself, never through R2. Failures
// are not stored, so the next request tries again; a watchdog alarm fails and clears a job that
// outlives its deadline, so a stuck call never blocks the key.

import { DurableObject } from "cloudflare:workers";
import {
  type ErrorCode,
  type GpuComposeMeta,
  type GpuEditMeta,
  type GpuResultMeta,
  ZoneError,
} from "@zone/shared";
import type { GatewayEditParams } from "../cache/cache-key.ts";
import type { GatewayComposeParams } from "../compose/compose-key.ts";
import type { Env } from "../env.ts";
import { callGpuFunction, editDeadlineMs, gpuClientConfig } from "../gpu/gpu-client.ts";
import { callGpuCompose } from "../gpu/gpu-compose.ts";
import { readStoredMeta, storeResult } from "../storage/artifacts.ts";

export interface CoordinatorJob {
  cacheKey: string;
  /**
   * The upload's bytes. A Workers RPC message is at most 32 MiB, which is why limitsFrom
   * (edits/edit-request.ts) refuses a MAX_UPLOAD_BYTES above MAX_UPLOAD_CEILING_BYTES.
   */
  image: ArrayBuffer;
  contentType: string;
  params: GatewayEditParams;
  /** The first caller's request id, forwarded to the GPU function. */
  requestId?: string;
  /** A mask hint's file (params.hint.kind "mask"), in the same RPC message. */
  hintMask?: { bytes: ArrayBuffer; contentType: string };
}

/** A compose (POST /v1/compose): its files travel in the RPC call like an edit's image. */
export interface ComposeCoordinatorJob {
  cacheKey: string;
  image: { bytes: ArrayBuffer; contentType: string };
  edited: { bytes: ArrayBuffer; contentType: string };
  rough: { bytes: ArrayBuffer; contentType: string } | null;
  params: GatewayComposeParams;
  requestId?: string;
}

/** Errors do not keep their class across RPC, so failures come back as data. */
export type CoordinatorOutcome<M = GpuEditMeta> =
  | { ok: true; cache: "HIT" | "MISS" | "COALESCED"; meta: M }
  | { ok: false; code: ErrorCode; message: string; retryAfterSeconds?: number };

function failure(error: unknown): CoordinatorOutcome<never> {
  const zone = error instanceof ZoneError ? error : new ZoneError("internal", "the edit failed");
  return { ok: false, code: zone.code, message: zone.message, retryAfterSeconds: zone.retryAfterSeconds };
}

export class EditCoordinator extends DurableObject<Env> {
  private job: { promise: Promise<GpuResultMeta>; fail: (error: ZoneError) => void } | null = null;

  async run(job: CoordinatorJob): Promise<CoordinatorOutcome> {
    return this.singleFlight<GpuEditMeta>(job.cacheKey, () => this.execute(job));
  }

  /** The same single flight for a compose: one GPU call per cache key. */
  async compose(job: ComposeCoordinatorJob): Promise<CoordinatorOutcome<GpuComposeMeta>> {
    return this.singleFlight<GpuComposeMeta>(job.cacheKey, () => this.executeCompose(job));
  }

  /** One instance per cache key, so the key's kind (edit or compose) fixes M. */
  private async singleFlight<M extends GpuResultMeta>(
    cacheKey: string,
    execute: () => Promise<M>,
  ): Promise<CoordinatorOutcome<M>> {
    const stored = await readStoredMeta<M>(this.env.ARTIFACTS, cacheKey);
    if (stored) return { ok: true, cache: "HIT", meta: stored.meta };
    if (this.job) {
      try {
        return { ok: true, cache: "COALESCED", meta: (await this.job.promise) as M };
      } catch (error) {
        return failure(error);
      }
    }

    let fail: (error: ZoneError) => void = () => {};
    const watchdog = new Promise<never>((_, reject) => {
      fail = reject;
    });
    const promise = Promise.race([execute(), watchdog]);
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
      hintMask: job.hintMask ? new Blob([job.hintMask.bytes], { type: job.hintMask.contentType }) : null,
      params: job.params,
      requestId: job.requestId,
    });
    await storeResult(this.env.ARTIFACTS, job.cacheKey, result.parts, result.meta);
    return result.meta;
  }

  private async executeCompose(job: ComposeCoordinatorJob): Promise<GpuComposeMeta> {
    const blob = (file: { bytes: ArrayBuffer; contentType: string }) =>
      new Blob([file.bytes], { type: file.contentType });
    const result = await callGpuCompose(gpuClientConfig(this.env), {
      image: blob(job.image),
      edited: blob(job.edited),
      rough: job.rough && blob(job.rough),
      params: job.params,
      requestId: job.requestId,
    });
    await storeResult(this.env.ARTIFACTS, job.cacheKey, result.parts, result.meta);
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
