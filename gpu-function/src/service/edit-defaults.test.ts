// The internal API's schema lives in @zone/shared, which cannot import the pipeline; these checks
// keep its defaults and enumerations equal to the pipeline's own.
import { parseGpuEditParams } from "@zone/shared";
import { describe, expect, it } from "vitest";
import { EDIT_DEFAULTS } from "../pipeline/zone-edit.ts";

describe("the internal edit API and the pipeline", () => {
  it("share their defaults", () => {
    const params = parseGpuEditParams({ instruction: "make it blue" });
    expect(params).toMatchObject({
      seed: EDIT_DEFAULTS.seed,
      steps: EDIT_DEFAULTS.steps,
      textGuidance: EDIT_DEFAULTS.textGuidance,
      imageGuidance: EDIT_DEFAULTS.imageGuidance,
      mode: EDIT_DEFAULTS.mode,
      fidelity: EDIT_DEFAULTS.fidelity,
    });
    expect(params.fidelity).toBe("corrected");
  });

  it("takes fidelity release and rejects anything else with the field's path", () => {
    expect(parseGpuEditParams({ instruction: "make it blue", fidelity: "release" }).fidelity).toBe("release");
    expect(() => parseGpuEditParams({ instruction: "make it blue", fidelity: "exact" })).toThrow(/fidelity/);
  });
});
