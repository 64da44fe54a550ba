import { ZoneError } from "@zone/shared";
import { describe, expect, it } from "vitest";
import { type DropReason, EditQueue } from "./edit-queue.ts";

/** A task that runs until released, and records what it saw. */
function gatedTask(log: string[], name: string) {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const task = async (signal: AbortSignal) => {
    log.push(`start ${name}`);
    await gate;
    log.push(`end ${name}${signal.aborted ? " (aborted)" : ""}`);
    return name;
  };
  return { task, release };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

async function rejection(promise: Promise<unknown>): Promise<ZoneError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ZoneError);
  return error as ZoneError;
}

describe("EditQueue", () => {
  it("runs one at a time in arrival order and reports the depth", async () => {
    const log: string[] = [];
    const depths: string[] = [];
    const queue = new EditQueue(
      { concurrency: 1, maxQueued: 4 },
      { onDepth: ({ queued, running }) => depths.push(`${running}/${queued}`) },
    );
    const a = gatedTask(log, "a");
    const b = gatedTask(log, "b");
    const c = gatedTask(log, "c");
    const results = [queue.run(a.task), queue.run(b.task), queue.run(c.task)];
    await tick();
    expect(log).toEqual(["start a"]);
    expect([queue.running, queue.queued]).toEqual([1, 2]);
    a.release();
    await tick();
    expect(log).toEqual(["start a", "end a", "start b"]);
    b.release();
    c.release();
    const values = await Promise.all(results);
    expect(values.map((r) => r.value)).toEqual(["a", "b", "c"]);
    expect(values[0].waitedMs).toBeLessThan(values[2].waitedMs);
    expect(depths).toEqual(["1/0", "1/1", "1/2", "1/1", "1/0", "0/0"]);
  });

  it("runs up to `concurrency` at once", async () => {
    const log: string[] = [];
    const queue = new EditQueue({ concurrency: 2, maxQueued: 1 });
    const tasks = ["a", "b", "c"].map((n) => gatedTask(log, n));
    const results = tasks.map((t) => queue.run(t.task));
    await tick();
    expect(log).toEqual(["start a", "start b"]);
    for (const t of tasks) t.release();
    await Promise.all(results);
  });

  it("refuses work beyond the queue with 503 overloaded and a Retry-After estimate", async () => {
    const drops: DropReason[] = [];
    const queue = new EditQueue({ concurrency: 1, maxQueued: 1 }, { onDrop: (r) => drops.push(r) }, 4000);
    const a = gatedTask([], "a");
    const b = gatedTask([], "b");
    const running = queue.run(a.task);
    const waiting = queue.run(b.task);
    const refused = await rejection(queue.run(async () => "c"));
    expect(refused.code).toBe("overloaded");
    expect(refused.status).toBe(503);
    // One waiting ahead plus the newcomer: two rounds of ~4 s.
    expect(refused.retryAfterSeconds).toBe(8);
    expect(drops).toEqual(["queue_full"]);
    a.release();
    b.release();
    await Promise.all([running, waiting]);
  });

  it("drops waiting work whose client went away, without running it", async () => {
    const log: string[] = [];
    const drops: DropReason[] = [];
    const queue = new EditQueue({ concurrency: 1, maxQueued: 4 }, { onDrop: (r) => drops.push(r) });
    const a = gatedTask(log, "a");
    const b = gatedTask(log, "b");
    const client = new AbortController();
    const running = queue.run(a.task);
    const waiting = queue.run(b.task, { signal: client.signal });
    await tick();
    client.abort();
    const error = await rejection(waiting);
    expect(error.code).toBe("client_closed_request");
    expect(queue.queued).toBe(0);
    a.release();
    await running;
    b.release();
    expect(log).toEqual(["start a", "end a"]);
    expect(drops).toEqual(["client_closed"]);
  });

  it("tells running work when its deadline passes, and keeps the slot until it stops", async () => {
    const log: string[] = [];
    const queue = new EditQueue({ concurrency: 1, maxQueued: 4 });
    const a = gatedTask(log, "a");
    const running = queue.run(a.task, { deadlineMs: 5 });
    const next = queue.run(async () => "next");
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(queue.running).toBe(1);
    a.release();
    const error = await rejection(running);
    expect(error.code).toBe("deadline_exceeded");
    expect(error.status).toBe(504);
    expect(log).toEqual(["start a", "end a (aborted)"]);
    expect((await next).value).toBe("next");
  });

  it("times out waiting work at its deadline", async () => {
    const queue = new EditQueue({ concurrency: 1, maxQueued: 4 });
    const a = gatedTask([], "a");
    const running = queue.run(a.task);
    const error = await rejection(queue.run(async () => "late", { deadlineMs: 5 }));
    expect(error.code).toBe("deadline_exceeded");
    a.release();
    await running;
  });

  it("on close, refuses new and waiting work and lets the running edit finish", async () => {
    const log: string[] = [];
    const queue = new EditQueue({ concurrency: 1, maxQueued: 4 });
    const a = gatedTask(log, "a");
    const running = queue.run(a.task);
    const waiting = queue.run(async () => "b");
    const idle = queue.idle();
    queue.close(new ZoneError("shutting_down", "shutting down", { retryAfterSeconds: 1 }));
    expect((await rejection(waiting)).code).toBe("shutting_down");
    expect((await rejection(queue.run(async () => "c"))).code).toBe("shutting_down");
    a.release();
    expect((await running).value).toBe("a");
    await idle;
    expect(queue.running).toBe(0);
  });

  it("passes a task's own failure through and frees the slot", async () => {
    const queue = new EditQueue({ concurrency: 1, maxQueued: 1 });
    const failed = await rejection(
      queue.run(async () => {
        throw new ZoneError("model_error", "boom");
      }),
    );
    expect(failed.message).toBe("boom");
    expect((await queue.run(async () => 1)).value).toBe(1);
  });

  it("validates its options", () => {
    expect(() => new EditQueue({ concurrency: 0, maxQueued: 1 })).toThrow(/concurrency/);
    expect(() => new EditQueue({ concurrency: 1, maxQueued: -1 })).toThrow(/maxQueued/);
  });
});
