// Admission control for the GPU: at most `concurrency` edits run at once, at most `maxQueued`
// wait in arrival order, and one more is refused at once with a Retry-After estimate. A waiting
// edit leaves the queue when its client goes away or its deadline passes; a running one is told
// through its AbortSignal and keeps its slot until it has actually stopped, so the next edit never
// shares the GPU with a cancelled one. `close()` refuses new and waiting work and lets running
// work finish (graceful shutdown).
import { ZoneError } from "@zone/shared";

export interface EditQueueOptions {
  concurrency: number;
  maxQueued: number;
}

export type DropReason = "queue_full" | "client_closed" | "deadline" | "shutdown";

export interface EditQueueHooks {
  /** After every change of the counts. */
  onDepth?: (depth: { queued: number; running: number }) => void;
  /** A request that never ran (or was cut short while running), and why. */
  onDrop?: (reason: DropReason) => void;
}

export interface RunOptions {
  /** The client's request signal: aborted when it disconnects. */
  signal?: AbortSignal;
  /** Milliseconds from now until the work must be done (waiting included). */
  deadlineMs?: number;
}

export interface QueuedResult<T> {
  value: T;
  /** Time spent waiting for a slot. */
  waitedMs: number;
}

interface Waiter {
  start: () => void;
  reject: (error: ZoneError) => void;
}

// Smoothing of the mean edit duration used for Retry-After.
const EWMA_WEIGHT = 0.3;

export class EditQueue {
  private readonly options: EditQueueOptions;
  private readonly hooks: EditQueueHooks;
  private readonly waiting: Waiter[] = [];
  private runningCount = 0;
  private closedWith: ZoneError | null = null;
  private meanRunMs: number;
  private idleWaiters: Array<() => void> = [];

  constructor(options: EditQueueOptions, hooks: EditQueueHooks = {}, initialRunMs = 1000) {
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1)
      throw new RangeError(`EditQueue: concurrency must be a positive integer, got ${options.concurrency}`);
    if (!Number.isInteger(options.maxQueued) || options.maxQueued < 0)
      throw new RangeError(`EditQueue: maxQueued must be a non-negative integer, got ${options.maxQueued}`);
    this.options = options;
    this.hooks = hooks;
    this.meanRunMs = initialRunMs;
  }

  get queued(): number {
    return this.waiting.length;
  }

  get running(): number {
    return this.runningCount;
  }

  /** Seconds until a slot is likely free for a newcomer: queued work ahead of it, in rounds. */
  retryAfterSeconds(): number {
    const rounds = Math.ceil((this.waiting.length + 1) / this.options.concurrency);
    return Math.max(1, Math.ceil((rounds * this.meanRunMs) / 1000));
  }

  /** Seeds the duration estimate (e.g. with the warm-up edit's time). */
  observeRunMs(ms: number): void {
    this.meanRunMs = this.meanRunMs * (1 - EWMA_WEIGHT) + ms * EWMA_WEIGHT;
  }

  /** Runs `task` when a slot is free. Rejects with a ZoneError when it cannot run or was cut short. */
  async run<T>(
    task: (signal: AbortSignal) => Promise<T>,
    options: RunOptions = {},
  ): Promise<QueuedResult<T>> {
    if (this.closedWith) throw this.closedWith;
    const arrived = performance.now();
    const controller = new AbortController();
    let dropReason: DropReason | null = null;
    const cancel = (reason: DropReason, error: ZoneError) => {
      if (controller.signal.aborted) return;
      dropReason = reason;
      controller.abort(error);
    };
    const onClientGone = () =>
      cancel("client_closed", new ZoneError("client_closed_request", "the client closed the connection"));
    if (options.signal?.aborted) onClientGone();
    options.signal?.addEventListener("abort", onClientGone, { once: true });
    const timer =
      options.deadlineMs === undefined
        ? undefined
        : setTimeout(
            () =>
              cancel(
                "deadline",
                new ZoneError("deadline_exceeded", `the edit did not finish within ${options.deadlineMs} ms`),
              ),
            options.deadlineMs,
          );
    try {
      await this.acquire(controller.signal);
      const waitedMs = performance.now() - arrived;
      try {
        // A slot handed over just as the client left: give it straight back.
        controller.signal.throwIfAborted();
        const started = performance.now();
        const value = await task(controller.signal);
        this.observeRunMs(performance.now() - started);
        controller.signal.throwIfAborted();
        return { value, waitedMs };
      } finally {
        this.release();
      }
    } catch (error) {
      if (dropReason) this.hooks.onDrop?.(dropReason);
      if (controller.signal.aborted && controller.signal.reason instanceof ZoneError)
        throw controller.signal.reason;
      throw error;
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onClientGone);
    }
  }

  /** Refuses new work and rejects waiting work with `error`; running work finishes. */
  close(error: ZoneError): void {
    if (this.closedWith) return;
    this.closedWith = error;
    for (const waiter of this.waiting.splice(0)) {
      this.hooks.onDrop?.("shutdown");
      waiter.reject(error);
    }
    this.changed();
  }

  /** Resolves once nothing runs and nothing waits. */
  idle(): Promise<void> {
    if (this.runningCount === 0 && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private acquire(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (this.runningCount < this.options.concurrency && this.waiting.length === 0) {
      this.runningCount++;
      this.changed();
      return Promise.resolve();
    }
    if (this.waiting.length >= this.options.maxQueued) {
      this.hooks.onDrop?.("queue_full");
      return Promise.reject(
        new ZoneError(
          "overloaded",
          `${this.runningCount} edit(s) running and ${this.waiting.length} waiting; try again later`,
          { retryAfterSeconds: this.retryAfterSeconds() },
        ),
      );
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        start: () => {
          signal.removeEventListener("abort", onAbort);
          resolve();
        },
        reject: (error) => {
          signal.removeEventListener("abort", onAbort);
          reject(error);
        },
      };
      const onAbort = () => {
        const at = this.waiting.indexOf(waiter);
        if (at >= 0) this.waiting.splice(at, 1);
        this.changed();
        reject(signal.reason);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      this.waiting.push(waiter);
      this.changed();
    });
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next.start();
    else this.runningCount--;
    this.changed();
  }

  private changed(): void {
    this.hooks.onDepth?.({ queued: this.waiting.length, running: this.runningCount });
    if (this.runningCount === 0 && this.waiting.length === 0) {
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }
}
