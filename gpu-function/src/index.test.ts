import { describe, expect, it } from "vitest";
import * as gpu from "./index.ts";

describe("@zone/gpu-function entry point", () => {
  it("exposes the compose stage and the rough mask for the diffusion pipeline", () => {
    for (const name of [
      "composeEdit",
      "composeWorking",
      "roughMaskFromAttention",
      "selectByRegionIou",
      "edgeSmoother",
      "decodeImage",
      "workingResolution",
    ] as const) {
      expect(typeof gpu[name], name).toBe("function");
    }
    expect(gpu.ACTIONS).toEqual(["change", "add", "remove"]);
  });
});
