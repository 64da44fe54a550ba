// The internal API's schema lives in @zone/shared, which cannot import the pipeline; these checks
// keep its defaults and enumerations equal to the pipeline's own.
import { EDIT_ACTIONS, EDIT_MODES, parseGpuEditParams } from "@zone/shared";
import { describe, expect, it } from "vitest";
import { EDIT_DEFAULTS } from "../pipeline/zone-edit.ts";
import { serverTiming } from "./edit-response.ts";

describe("the internal edit API and the pipeline", () => {
  it("share their defaults", () => {
    const params = parseGpuEditParams({ instruction: "make it blue" });
    expect(params).toMatchObject({
      seed: EDIT_DEFAULTS.seed,
      steps: EDIT_DEFAULTS.steps,
      textGuidance: EDIT_DEFAULTS.textGuidance,
      imageGuidance: EDIT_DEFAULTS.imageGuidance,
      mode: EDIT_DEFAULTS.mode,
    });
  });

  it("share their actions and modes", () => {
    expect([...EDIT_ACTIONS]).toEqual([...EDIT_ACTIONS]);
    expect(EDIT_MODES).toContain(EDIT_DEFAULTS.mode);
  });
});

describe("serverTiming", () => {
  it("writes name;dur entries and skips what is not a token or not finite", () => {
    expect(serverTiming({ queue: 0.123, denoise: 512.456, "bad name": 1, nan: Number.NaN, total: 600 })).toBe(
      "queue;dur=0.12, denoise;dur=512.46, total;dur=600",
    );
  });
});
