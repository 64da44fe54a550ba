// The step pace (ServiceOptions.stepPaceMs): each denoising step held to the floor, stage events
// not held, a canceled edit let go at once. Over HTTP: streamed-edit.test.ts.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { EditProgress } from "../pipeline/zone-edit.ts";
import { stepPacer } from "./step-pace.ts";

const step = (k: number): EditProgress => ({
  stage: "denoise",
  step: k,
  total: 4,
  timestep: 999,
  elapsedMs: 0,
  modelMs: 0,
});

/** Settles `promise` into a flag the test can read between timer advances. */
function watch(promise: Promise<void>) {
  const state = { settled: false };
  promise.then(() => {
    state.settled = true;
  });
  return state;
}

describe("stepPacer", () => {
  beforeAll(() => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
  });
  afterAll(() => {
    vi.useRealTimers();
  });

  it("is off at 0", () => {
    expect(stepPacer(0, new AbortController().signal)).toBeNull();
  });

  it("holds each denoising step until the pace has passed since the event before, not a stage event", async () => {
    const pace = stepPacer(50, new AbortController().signal)!;
    const stage = watch(pace({ stage: "encode", ms: 3 }));
    await vi.advanceTimersByTimeAsync(0);
    expect(stage.settled).toBe(true);
    vi.advanceTimersByTime(20); // the step itself took 20 ms: 30 more to wait
    const first = watch(pace(step(1)));
    await vi.advanceTimersByTimeAsync(29);
    expect(first.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(first.settled).toBe(true);
    vi.advanceTimersByTime(80); // a step slower than the pace is not held
    const slow = watch(pace(step(2)));
    await vi.advanceTimersByTimeAsync(0);
    expect(slow.settled).toBe(true);
  });

  it("lets go of a step at once when the edit is canceled", async () => {
    const abort = new AbortController();
    const pace = stepPacer(1000, abort.signal)!;
    const held = watch(pace(step(1)));
    await vi.advanceTimersByTimeAsync(10);
    expect(held.settled).toBe(false);
    abort.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect(held.settled).toBe(true);
    const after = watch(pace(step(2)));
    await vi.advanceTimersByTimeAsync(0);
    expect(after.settled).toBe(true);
  });
});
