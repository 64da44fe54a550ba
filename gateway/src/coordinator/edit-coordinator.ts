// Single-flight per cache key, and the owner of that key's asynchronous jobs: one Durable Object
// instance per key (idFromName(cacheKey)). Concurrent identical misses make one GPU call (a
// "flight"); every waiter gets its result. Waiters are synchronous requests (run) and jobs
// (submit). When the flight ends, the first waiter still on it is the MISS (billed) and the
// others are COALESCED (free), so a canceled job never leaves a GPU run unpaid nor paid twice.
// The image comes in the RPC call itself, never through R2. Failures are not stored, so the next
// request tries again.
//
// Jobs (jobs/job-store.ts) live in this object's SQLite storage, with their event stream. One
// alarm serves every deadline here: a job's Cancel-After, a job's watchdog (the longest an edit
// may take) and the flight's watchdog. Alarms are at-least-once and may race a result or a
// cancel: every ending goes through JobStore.finish, which ends an open job once and only once,
// and the credit hold is settled or released only by the call that ended it. Canceling the last
// job on a flight that no synchronous request waits for aborts the GPU call; the GPU function
// stops at its next denoising step. After a restart (the in-memory flight is gone), every job
// still open is failed at once, its hold released: nothing is billed for it.
//
// A compose (POST /v1/compose) has its own keys (compose-key.ts), so an instance holds either
// edits or composes: composes are single-flight too (compose), synchronous only, with the same
// watchdog.

import { DurableObject } from "cloudflare:workers";
import {
  type CancelReason,
  type ErrorCode,
  type GpuComposeMeta,
  type GpuEditMeta,
  type GpuProgressLine,
  type JobEvent,
  type JobEventRecord,
  type JobProgress,
  stateEvent,
  toProblem,
  type WebhookEvent,
  ZoneError,
} from "@zone/shared";
import { accountBalance } from "../billing/credit-hold.ts";
import type { GatewayEditParams } from "../cache/cache-key.ts";
import type { GatewayComposeParams } from "../compose/compose-key.ts";
import { recordEdits } from "../db/queries.ts";
import type { Env } from "../env.ts";
import { callGpuFunction, editDeadlineMs, gpuClientConfig } from "../gpu/gpu-client.ts";
import { callGpuCompose } from "../gpu/gpu-compose.ts";
import { resultMetaOf } from "../jobs/job-answer.ts";
import { type JobRecord, type JobSpec, JobStore } from "../jobs/job-store.ts";
import { jobView } from "../jobs/job-view.ts";
import { readStoredMeta, readStoredResult, storeResult } from "../storage/artifacts.ts";
import { emitWebhooks } from "../webhooks/emit.ts";

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

/** A job's events after a sequence number, and the job as it is now. */
export interface JobEvents {
  job: JobRecord;
  events: JobEventRecord[];
}

const asZoneError = (error: unknown) =>
  error instanceof ZoneError ? error : new ZoneError("internal", "the edit failed");

function failure(error: unknown): CoordinatorOutcome<never> {
  const zone = asZoneError(error);
  return { ok: false, code: zone.code, message: zone.message, retryAfterSeconds: zone.retryAfterSeconds };
}

interface Flight {
  promise: Promise<GpuEditMeta>;
  controller: AbortController;
  /** Who waits, in the order they came: the first still here when it ends is billed. */
  waiters: Set<string>;
  billed: string | null;
  /** The GPU function said the edit runs (its progress stream's `started`). */
  started: boolean;
  deadlineAt: number;
  fail: (error: ZoneError) => void;
}

export class EditCoordinator extends DurableObject<Env> {
  private flight: Flight | null = null;
  /** The running compose of this key, if any. */
  private composing: {
    promise: Promise<GpuComposeMeta>;
    deadlineAt: number;
    fail: (e: ZoneError) => void;
  } | null = null;
  private readonly jobs: JobStore;
  /** Jobs whose ending is being written (D1, the hold): a cancel now is too late. */
  private readonly settling = new Set<string>();
  /** Callbacks waiting for a job's next event (waitFor, events). */
  private readonly listeners = new Map<string, Set<() => void>>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.jobs = new JobStore(ctx.storage.sql);
    // A new instance has no flight: any job still open was cut off by a restart.
    ctx.blockConcurrencyWhile(async () => {
      for (const job of this.jobs.open())
        await this.failJob(
          job.id,
          new ZoneError(
            "upstream_unavailable",
            "the gateway restarted while the edit ran; nothing was billed: submit it again",
            { retryAfterSeconds: 1 },
          ),
        );
      await this.scheduleAlarm();
    });
  }

  /** A compose: one GPU call per cache key; identical composes meanwhile wait for it (COALESCED). */
  async compose(job: ComposeCoordinatorJob): Promise<CoordinatorOutcome<GpuComposeMeta>> {
    const stored = await readStoredMeta<GpuComposeMeta>(this.env.ARTIFACTS, job.cacheKey);
    if (stored) return { ok: true, cache: "HIT", meta: stored.meta };
    if (this.composing) {
      try {
        return { ok: true, cache: "COALESCED", meta: await this.composing.promise };
      } catch (error) {
        return failure(error);
      }
    }
    let fail: (error: ZoneError) => void = () => {};
    const watchdog = new Promise<never>((_, reject) => {
      fail = reject;
    });
    const composing = {
      promise: Promise.race([this.executeCompose(job), watchdog]),
      deadlineAt: Date.now() + editDeadlineMs(gpuClientConfig(this.env)),
      fail,
    };
    this.composing = composing;
    await this.scheduleAlarm();
    try {
      return { ok: true, cache: "MISS", meta: await composing.promise };
    } catch (error) {
      return failure(error);
    } finally {
      if (this.composing === composing) this.composing = null;
      await this.scheduleAlarm();
    }
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

  /** A synchronous request: waits for the key's flight (starting it) and answers with its result. */
  async run(job: CoordinatorJob): Promise<CoordinatorOutcome> {
    const stored = await readStoredResult(this.env.ARTIFACTS, job.cacheKey);
    if (stored) return { ok: true, cache: "HIT", meta: stored.meta };
    try {
      const { cache, meta } = await this.join(`run_${crypto.randomUUID()}`, job);
      return { ok: true, cache, meta };
    } catch (error) {
      return failure(error);
    }
  }

  /** An asynchronous job: recorded `queued`, then joins the key's flight; answers at once. */
  async submit(job: CoordinatorJob, spec: JobSpec): Promise<JobRecord> {
    const record = this.jobs.insert(spec, job.cacheKey);
    this.emit(record.id, stateEvent("queued"), { id: record.id, status: "queued" });
    await this.scheduleAlarm();
    const stored = await readStoredResult(this.env.ARTIFACTS, job.cacheKey);
    const work = stored
      ? this.succeedJob(record.id, "HIT")
      : this.join(record.id, job).then(
          ({ cache }) => this.succeedJob(record.id, cache),
          (error: unknown) => this.failJob(record.id, asZoneError(error)),
        );
    this.ctx.waitUntil(work.catch((error: Error) => console.error(`job ${record.id}`, error.message)));
    return this.jobs.get(record.id) as JobRecord;
  }

  /** The caller's job, or null (unknown, or another account's). */
  async job(jobId: string, accountId: string): Promise<JobRecord | null> {
    const job = this.jobs.get(jobId);
    return job !== null && job.accountId === accountId ? job : null;
  }

  /** The caller's job once it has ended, or as it is after `ms`. */
  async waitFor(jobId: string, accountId: string, ms: number): Promise<JobRecord | null> {
    const until = Date.now() + ms;
    for (;;) {
      const job = await this.job(jobId, accountId);
      if (job === null || job.finishedAt !== null || Date.now() >= until) return job;
      await this.nextEvent(jobId, until - Date.now());
    }
  }

  /** The job's events after `afterSeq`; waits up to `ms` for one when there are none yet. */
  async events(jobId: string, accountId: string, afterSeq: number, ms: number): Promise<JobEvents | null> {
    const job = await this.job(jobId, accountId);
    if (job === null) return null;
    let events = this.jobs.eventsAfter(jobId, afterSeq);
    if (events.length === 0 && job.finishedAt === null) {
      await this.nextEvent(jobId, ms);
      events = this.jobs.eventsAfter(jobId, afterSeq);
    }
    return { job: this.jobs.get(jobId) as JobRecord, events };
  }

  /** Cancels the caller's job if it is still open; answers the job as it is then. */
  async cancel(jobId: string, accountId: string): Promise<JobRecord | null> {
    if ((await this.job(jobId, accountId)) === null) return null;
    await this.cancelJob(jobId, "requested");
    return this.jobs.get(jobId);
  }

  /** Joins the key's flight (starting it when there is none) as `waiterId`. */
  private async join(
    waiterId: string,
    job: CoordinatorJob,
  ): Promise<{ cache: "MISS" | "COALESCED"; meta: GpuEditMeta }> {
    const flight = this.flight ?? (await this.startFlight(job));
    flight.waiters.add(waiterId);
    if (flight.started) this.startJob(waiterId);
    const meta = await flight.promise;
    return { cache: flight.billed === waiterId ? "MISS" : "COALESCED", meta };
  }

  private async startFlight(job: CoordinatorJob): Promise<Flight> {
    let fail: (error: ZoneError) => void = () => {};
    const watchdog = new Promise<never>((_, reject) => {
      fail = reject;
    });
    const controller = new AbortController();
    const flight: Flight = {
      promise: Promise.race([
        this.execute(job, controller.signal, (line) => this.progress(flight, line)),
        watchdog,
      ]),
      controller,
      waiters: new Set(),
      billed: null,
      started: false,
      deadlineAt: Date.now() + editDeadlineMs(gpuClientConfig(this.env)),
      fail,
    };
    this.flight = flight;
    // Ends the flight before any waiter resumes: the billed waiter is picked from those here now.
    flight.promise.then(
      () => {
        flight.billed = flight.waiters.values().next().value ?? null;
        this.endFlight(flight);
      },
      () => this.endFlight(flight),
    );
    await this.scheduleAlarm();
    return flight;
  }

  private endFlight(flight: Flight): void {
    if (this.flight === flight) this.flight = null;
    this.scheduleAlarm().catch(() => {});
  }

  private async execute(
    job: CoordinatorJob,
    signal: AbortSignal,
    onProgress: (line: GpuProgressLine) => void,
  ): Promise<GpuEditMeta> {
    const result = await callGpuFunction(gpuClientConfig(this.env), {
      image: new Blob([job.image], { type: job.contentType }),
      hintMask: job.hintMask ? new Blob([job.hintMask.bytes], { type: job.hintMask.contentType }) : null,
      params: job.params,
      requestId: job.requestId,
      signal,
      onProgress,
    });
    const original = job.storeOriginal ? { bytes: job.image, contentType: job.contentType } : null;
    await storeResult(this.env.ARTIFACTS, job.cacheKey, result.parts, result.meta, original);
    return result.meta;
  }

  /** A waiter leaves the flight; the last one out aborts the GPU call. */
  private leave(waiterId: string): void {
    const flight = this.flight;
    if (flight === null || !flight.waiters.delete(waiterId) || flight.waiters.size > 0) return;
    flight.controller.abort();
    flight.fail(new ZoneError("edit_canceled", "every request for this edit was canceled"));
    this.endFlight(flight);
  }

  private startJob(jobId: string): void {
    if (this.jobs.markRunning(jobId, Date.now()))
      this.emit(jobId, stateEvent("running"), { id: jobId, status: "running" });
  }

  /** The GPU function's progress, for every job on the flight: running from `started` on. */
  private progress(flight: Flight, line: GpuProgressLine): void {
    if (this.flight !== flight || line.type === "accepted") return;
    if (line.type === "started") flight.started = true;
    const progress: JobProgress | null =
      line.type === "progress" ? { stage: line.stage, step: line.step, steps: line.steps } : null;
    for (const id of flight.waiters) {
      if (this.jobs.get(id) === null) continue; // a synchronous request
      this.startJob(id);
      if (progress === null) continue;
      this.jobs.setProgress(id, progress);
      this.emit(id, "edit.progress", { id, ...progress });
    }
  }

  /** The result is stored: record the job's edit (billed if MISS) in D1, then settle its hold. */
  private async succeedJob(jobId: string, cache: "HIT" | "MISS" | "COALESCED"): Promise<void> {
    const job = this.jobs.get(jobId);
    if (job === null || job.finishedAt !== null || this.settling.has(jobId)) return;
    this.settling.add(jobId);
    try {
      const now = Date.now();
      const charge =
        cache === "MISS"
          ? { operation: job.hold.operation, units: job.hold.units, holdId: job.hold.id }
          : undefined;
      try {
        await recordEdits(this.env.DB, [
          {
            id: jobId,
            accountId: job.accountId,
            keyId: job.keyId,
            cacheKey: job.cacheKey,
            cache,
            now,
            charge,
            parentId: job.parentId,
          },
        ]);
      } catch (error) {
        console.error(`could not record job ${jobId}`, (error as Error).message);
        this.settling.delete(jobId);
        await this.failJob(
          jobId,
          new ZoneError("internal", "the edit could not be recorded; nothing was billed"),
        );
        return;
      }
      this.jobs.finish(jobId, { status: "succeeded", now: Date.now(), cache });
      this.emit(jobId, stateEvent("succeeded"), { id: jobId, status: "succeeded" });
      const balance = accountBalance(this.env, job.accountId);
      // Should this fail, the hold's alarm settles it by the ledger row just written.
      await (charge ? balance.settle(job.hold.id) : balance.release(job.hold.id)).catch((error: Error) =>
        console.error(`could not resolve ${job.hold.id}`, error.message),
      );
    } finally {
      this.settling.delete(jobId);
      await this.scheduleAlarm();
    }
  }

  private async failJob(jobId: string, error: ZoneError): Promise<void> {
    if (this.settling.has(jobId)) return;
    const job = this.jobs.get(jobId);
    if (
      job === null ||
      !this.jobs.finish(jobId, { status: "failed", now: Date.now(), error: toProblem(error) })
    )
      return;
    this.emit(jobId, stateEvent("failed"), { id: jobId, status: "failed" });
    this.leave(jobId);
    await this.releaseHold(job);
  }

  private async cancelJob(jobId: string, by: CancelReason): Promise<void> {
    if (this.settling.has(jobId)) return;
    const job = this.jobs.get(jobId);
    if (job === null || !this.jobs.finish(jobId, { status: "canceled", now: Date.now(), canceledBy: by }))
      return;
    this.emit(jobId, stateEvent("canceled"), { id: jobId, status: "canceled", canceledBy: by });
    this.leave(jobId);
    await this.releaseHold(job);
  }

  private async releaseHold(job: JobRecord): Promise<void> {
    await accountBalance(this.env, job.accountId)
      .release(job.hold.id)
      .catch((error: Error) => console.error(`could not release ${job.hold.id}`, error.message));
    await this.scheduleAlarm();
  }

  private emit(jobId: string, event: JobEvent, data: unknown): void {
    this.jobs.appendEvent(jobId, event, data);
    // State changes go to the account's webhooks too, with the job as it is then.
    const job = event === "edit.progress" ? null : this.jobs.get(jobId);
    if (job !== null)
      this.ctx.waitUntil(
        emitWebhooks(this.env, job.accountId, jobId, event as WebhookEvent, async () =>
          jobView(job, await resultMetaOf(this.env, job), job.baseUrl),
        ).catch((error: Error) => console.error(`webhooks of ${jobId}`, error.message)),
      );
    const waiting = this.listeners.get(jobId);
    this.listeners.delete(jobId);
    for (const wake of waiting ?? []) wake();
  }

  /** Resolves at the job's next event, or after `ms`. */
  private nextEvent(jobId: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const set = this.listeners.get(jobId) ?? new Set();
      this.listeners.set(jobId, set);
      const timer = setTimeout(
        () => {
          set.delete(wake);
          resolve();
        },
        Math.max(0, ms),
      );
      const wake = () => {
        clearTimeout(timer);
        resolve();
      };
      set.add(wake);
    });
  }

  private async scheduleAlarm(): Promise<void> {
    const due = [
      this.jobs.nextDue(),
      this.flight?.deadlineAt ?? null,
      this.composing?.deadlineAt ?? null,
    ].filter((t): t is number => t !== null);
    if (due.length === 0) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(Math.min(...due));
  }

  /** Deadlines: cancels jobs past Cancel-After, fails jobs and the flight past their watchdog. */
  override async alarm(): Promise<void> {
    const now = Date.now();
    for (const job of this.jobs.open()) {
      if (job.deadlineAt !== null && job.deadlineAt <= now) await this.cancelJob(job.id, "deadline");
      else if (job.watchdogAt <= now)
        await this.failJob(job.id, new ZoneError("upstream_timeout", "the edit did not finish in time"));
    }
    const flight = this.flight;
    if (flight !== null && flight.deadlineAt <= now) {
      flight.controller.abort();
      flight.fail(new ZoneError("upstream_timeout", "the edit did not finish in time"));
      this.endFlight(flight);
    }
    const composing = this.composing;
    if (composing !== null && composing.deadlineAt <= now) {
      composing.fail(new ZoneError("upstream_timeout", "the compose did not finish in time"));
      this.composing = null;
    }
    await this.scheduleAlarm();
  }
}
