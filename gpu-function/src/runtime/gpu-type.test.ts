import { describe, expect, it } from "vitest";
import { detectGpuName, engineKeyFor } from "./gpu-type.ts";

describe("engineKeyFor", () => {
  it.each([
    ["NVIDIA H100 80GB HBM3", ["A100", "H100"], "H100"],
    ["NVIDIA H100 80GB HBM3", ["h100"], "h100"],
    ["NVIDIA A100-SXM4-80GB", ["A100", "A100-80GB"], "A100-80GB"],
    ["NVIDIA A100-SXM4-40GB", ["A100", "A100-80GB"], "A100"],
    ["NVIDIA L40S", ["L40"], null],
    ["NVIDIA L40S", ["L40", "L40S"], "L40S"],
    ["NVIDIA H200", ["H100"], null],
    ["Tesla T4", [], null],
    ["NVIDIA H100 80GB HBM3", ["", "--"], null],
  ])("%s with engines %j -> %s", (gpu, keys, want) => {
    expect(engineKeyFor(gpu, keys)).toBe(want);
  });
});

describe("detectGpuName", () => {
  it("prefers ZONE_GPU_TYPE", async () => {
    const name = await detectGpuName(0, { ZONE_GPU_TYPE: " H100 " }, async () => "ignored");
    expect(name).toBe("H100");
  });

  it("asks nvidia-smi for the device's name", async () => {
    const calls: string[][] = [];
    const name = await detectGpuName(1, {}, async (command, args) => {
      calls.push([command, ...args]);
      return "NVIDIA L40S\n";
    });
    expect(name).toBe("NVIDIA L40S");
    expect(calls).toEqual([["nvidia-smi", "--query-gpu=name", "--format=csv,noheader", "-i", "1"]]);
  });

  it("is null without a GPU", async () => {
    const name = await detectGpuName(0, {}, async () => {
      throw new Error("nvidia-smi: not found");
    });
    expect(name).toBeNull();
  });
});
