import { describe, expect, it } from "vitest";
import { main } from "./main.ts";

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { stdout: (t) => out.push(t), stderr: (t) => err.push(t) });
  return { code, stdout: out.join(""), stderr: err.join("") };
}

describe("zone edit arguments", () => {
  it.each([
    [["edit"], /expected IMAGE and "instruction", got 0 argument/],
    [["edit", "a.png"], /got 1 argument/],
    [["edit", "a.png", "  "], /the instruction is empty/],
    [["edit", "a.png", "x", "--steps", "0"], /--steps must be an integer in 1..1000, got "0"/],
    [["edit", "a.png", "x", "--seed=-3"], /--seed must be a non-negative integer/],
    [["edit", "a.png", "x", "--text-guidance", "abc"], /--text-guidance must be a number in 0..30/],
    [
      ["edit", "a.png", "x", "--scheduler", "ddim"],
      /--scheduler must be one of dpm-solver\+\+, euler-ancestral/,
    ],
    [
      ["edit", "a.png", "x", "--providers", "cuda,metal"],
      /--providers takes tensorrt, cuda, cpu, got "metal"/,
    ],
  ])("%j is a usage error", async (argv, message) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it("explains how to get models when none are configured", async () => {
    const saved = process.env.MODELS_DIR;
    delete process.env.MODELS_DIR;
    try {
      const r = await run("edit", "../shared/images/chelsea.png", "make the cat black");
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        /^zone: (IMAGE .* no such file|no model bundle given: pass --models DIR or set MODELS_DIR; build a bundle .*--models fixtures)/,
      );
    } finally {
      if (saved !== undefined) process.env.MODELS_DIR = saved;
    }
  });
});

describe("zone models verify", () => {
  it("checks the fixture bundle", async () => {
    const r = await run("models", "verify", "fixtures");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^bundle fixtures-v1-[0-9a-f]{12} at /);
    expect(r.stdout).toMatch(/ok {3}ip2pUnet +ip2pUnet.onnx/);
    expect(r.stdout).toMatch(/all 8 models match the manifest\n$/);
  });

  it("rejects other subcommands", async () => {
    const r = await run("models", "list");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/usage is zone models verify DIR\|fixtures/);
  });
});
