import { EDIT_ACTIONS } from "@zone/shared";
import { describe, expect, it } from "vitest";
import {
  composeEdit,
  composeWorking,
  decodeImage,
  edgeSmoother,
  roughMaskFromAttention,
  selectByRegionIou,
  workingResolution,
} from "./index.ts";

describe("@zone/gpu-function entry point", () => {
  it("exposes the compose stage and the rough mask for the diffusion pipeline", () => {
    const exported = [
      composeEdit,
      composeWorking,
      decodeImage,
      edgeSmoother,
      roughMaskFromAttention,
      selectByRegionIou,
    ];
    for (const fn of exported) expect(typeof fn).toBe("function");
    expect(workingResolution(1024, 768)).toMatchObject({ width: 512, height: 384 });
    expect(EDIT_ACTIONS).toEqual(["change", "add", "remove"]);
  });
});
