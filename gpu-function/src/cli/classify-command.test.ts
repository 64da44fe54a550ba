import type { EditAction } from "@zone/shared";
import { describe, expect, it, vi } from "vitest";
import { CLASSIFY_USAGE, runClassify } from "./classify-command.ts";
import { CliUsageError } from "./io.ts";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t) }, out, err };
}

async function run(args: string[], deps?: Parameters<typeof runClassify>[2]) {
  const c = capture();
  const code = await runClassify(args, c.io, deps);
  return { code, stdout: c.out.join(""), stderr: c.err.join("") };
}

describe("zone classify", () => {
  it("prints one JSON line with the lexicon's action and cue", async () => {
    const r = await run(["remove the saucer"]);
    expect(r).toMatchObject({ code: 0, stderr: "" });
    expect(r.stdout).toBe('{"action":"remove","source":"lexicon","cue":"remove:remove"}\n');
  });

  it.each([
    ["give her sunglasses", "add", "add:give"],
    ["make the cat black", "change", "change:make"],
    ["Turn the bicycle into a motorcycle", "change", "change:turn into"],
    ["the dog should be a wolf", "change", null],
  ] as const)("%s -> %s", async (text, action, cue) => {
    const r = await run([text]);
    expect(JSON.parse(r.stdout)).toEqual({ action, source: "lexicon", cue });
  });

  it("reports --action as an override, without a cue", async () => {
    const r = await run(["--action", "add", "remove the dog"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ action: "add", source: "override" });
  });

  it("uses an injected model when there is no override", async () => {
    const model = vi.fn(async (): Promise<EditAction> => "remove");
    const r = await run(["make his tie blue"], { model });
    expect(JSON.parse(r.stdout)).toEqual({ action: "remove", source: "model" });
    expect(model).toHaveBeenCalledExactlyOnceWith("make his tie blue");

    const overridden = await run(["--action", "change", "make his tie blue"], { model });
    expect(JSON.parse(overridden.stdout)).toEqual({ action: "change", source: "override" });
    expect(model).toHaveBeenCalledTimes(1);
  });

  it("with the fixture bundle the untrained MLP does not overrule the lexicon", async () => {
    const r = await run(["--models", "fixtures", "remove the dog"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ action: "remove", source: "lexicon", cue: "remove:remove" });
    expect(r.stderr).toMatch(/untrained; using the lexicon/);
  });

  it("rejects an unknown --classifier-reduction", async () => {
    await expect(run(["--classifier-reduction", "mean", "remove the dog"])).rejects.toThrow(
      /--classifier-reduction must be one of latest-peak, pooled/,
    );
  });

  it("prints the usage with --help", async () => {
    const r = await run(["--help"]);
    expect(r).toEqual({ code: 0, stdout: CLASSIFY_USAGE, stderr: "" });
    expect(CLASSIFY_USAGE).toMatch(/--action A/);
  });

  it.each([
    [[], /exactly one instruction.*got 0/],
    [["remove", "the", "dog"], /exactly one instruction.*got 3/],
    [["  "], /instruction is empty/],
    [["--action", "recolour", "make it red"], /--action must be one of change, add, remove, got "recolour"/],
  ])("rejects %j as a usage error", async (args, message) => {
    const error = await run(args).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliUsageError);
    expect((error as Error).message).toMatch(message);
  });
});
