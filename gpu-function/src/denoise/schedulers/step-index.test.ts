import { describe, expect, it } from "vitest";
import { indexForTimestep, resolveStepIndex } from "./step-index.ts";

describe("indexForTimestep", () => {
  it("takes the only match, or the second of repeated matches (diffusers' first-step rule)", () => {
    expect(indexForTimestep([999, 500, 500, 0], 999)).toBe(0);
    expect(indexForTimestep([999, 500, 500, 0], 500)).toBe(2);
    expect(() => indexForTimestep([999, 0], 1)).toThrow(/timestep 1 is not in the schedule \[999, 0\]/);
  });
});

describe("resolveStepIndex", () => {
  it("locates the first call, then checks the counter", () => {
    expect(resolveStepIndex([9, 5, 1], null, 5, "S")).toBe(1);
    expect(resolveStepIndex([9, 5, 1], 2, 1, "S")).toBe(2);
    expect(() => resolveStepIndex([9, 5, 1], 2, 5, "S")).toThrow(/S: expected timestep 1 at step 2, got 5/);
    expect(() => resolveStepIndex([9, 5, 1], 3, 1, "S")).toThrow(/S: all 3 steps are done/);
    expect(() => resolveStepIndex([], null, 1, "S")).toThrow(/S: call setTimesteps before stepping/);
  });
});
