import { describe, expect, it } from "vitest";
import { sampleGpuEditMeta } from "../testing.ts";
import { ZoneError } from "./errors.ts";
import { gpuEditMetaSchema, parseGpuEditParams } from "./gpu-edit-api.ts";

function problem(json: unknown): string {
  try {
    parseGpuEditParams(json);
  } catch (error) {
    expect(error).toBeInstanceOf(ZoneError);
    expect((error as ZoneError).code).toBe("invalid_argument");
    return (error as ZoneError).message;
  }
  throw new Error("expected a rejection");
}

describe("gpuEditParamsSchema", () => {
  it("fills the release defaults", () => {
    expect(parseGpuEditParams({ instruction: "make his tie blue" })).toEqual({
      instruction: "make his tie blue",
      seed: 42,
      steps: 20,
      textGuidance: 7.5,
      imageGuidance: 1.5,
      mode: "default",
      fidelity: "corrected",
      outputs: ["result", "layer", "mask"],
      output: "png",
      metadata: "strip",
      maskSize: "working",
    });
  });

  it("keeps every given value", () => {
    const params = {
      instruction: "remove the dog",
      action: "remove",
      seed: 7,
      steps: 4,
      textGuidance: 5,
      imageGuidance: 1.2,
      mode: "fast",
      fidelity: "release",
      outputs: ["layer"],
      output: "jpeg",
      quality: 80,
      metadata: "keep-gps",
      maskSize: "original",
    };
    expect(parseGpuEditParams(params)).toEqual(params);
  });

  it.each([
    [{}, /instruction: .*(expected string|Required)/i],
    [{ instruction: "   " }, /instruction: must not be empty/],
    [{ instruction: "x".repeat(1001) }, /instruction: .*1000/],
    [{ instruction: "x", action: "paint" }, /action: /],
    [{ instruction: "x", fidelity: "exact" }, /fidelity: /],
    [{ instruction: "x", seed: -1 }, /seed: /],
    [{ instruction: "x", seed: 1.5 }, /seed: /],
    [{ instruction: "x", steps: 0 }, /steps: /],
    [{ instruction: "x", steps: 101 }, /steps: /],
    [{ instruction: "x", textGuidance: 31 }, /textGuidance: /],
    [{ instruction: "x", imageGuidance: "2" }, /imageGuidance: /],
    [{ instruction: "x", mode: "turbo" }, /mode: /],
    [{ instruction: "x", outputs: [] }, /outputs: /],
    [{ instruction: "x", outputs: ["result", "result"] }, /outputs: must not repeat/],
    [{ instruction: "x", outputs: ["segments"] }, /outputs.0: /],
    [{ instruction: "x", hint: { kind: "circle" } }, /hint/],
    [{ instruction: "x", hint: { kind: "point", x: -1, y: 0 } }, /hint.x: /],
    [{ instruction: "x", hint: { kind: "box", x0: 4, y0: 0, x1: 4, y1: 2 } }, /hint: x1 > x0/],
    [{ instruction: "x", hint: { kind: "mask", x: 1 } }, /hint/],
    [{ instruction: "x", sampler: "ddim" }, /sampler/],
    [{ instruction: "x", output: "tiff" }, /output: /],
    [{ instruction: "x", output: "png", quality: 80 }, /quality: quality applies to output jpeg only/],
    [{ instruction: "x", quality: 80 }, /quality: quality applies to output jpeg only/],
    [{ instruction: "x", output: "jpeg", quality: 0 }, /quality: /],
    [{ instruction: "x", output: "jpeg", quality: 101 }, /quality: /],
    [{ instruction: "x", metadata: "all" }, /metadata: /],
    [{ instruction: "x", maskSize: "full" }, /maskSize: /],
    [[1, 2], /\(root\): /],
  ])("rejects %j", (json, message) => {
    expect(problem(json)).toMatch(message);
  });

  it("lists every problem in one message", () => {
    expect(problem({ instruction: "", steps: 0 })).toMatch(/^invalid params: instruction: .*; steps: /);
  });
});

describe("gpuEditMetaSchema", () => {
  it("accepts a complete meta object", () => {
    const meta = sampleGpuEditMeta({ bundleId: "fixtures-v1-abc", actionCue: "make", outputs: ["result"] });
    expect(gpuEditMetaSchema.parse(meta)).toEqual(meta);
  });
});
