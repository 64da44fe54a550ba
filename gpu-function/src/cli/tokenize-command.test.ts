import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ZoneError } from "@zone/shared";
import { describe, expect, it } from "vitest";
import { sharedFile } from "../../../test/shared-data.ts";
import { CliUsageError } from "./io.ts";
import { runTokenize, TOKENIZE_USAGE } from "./tokenize-command.ts";

async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runTokenize(args, {
    stdout: (t: string) => out.push(t),
    stderr: (t: string) => err.push(t),
  });
  return { code, stdout: out.join(""), stderr: err.join("") };
}

const dir = sharedFile("clip-tokenizer");

describe.skipIf(dir === null)("zone tokenize", () => {
  it("prints the 77 reference ids as one JSON line", async () => {
    const { cases } = JSON.parse(await readFile(join(dir!, "cases.json"), "utf8")) as {
      cases: { text: string; ids: number[] }[];
    };
    const { text, ids } = cases[0];
    const r = await run("--tokenizer", dir!, text);
    expect(r).toEqual({ code: 0, stdout: `${JSON.stringify(ids)}\n`, stderr: "" });
  });

  it("takes a text that starts with a dash after --", async () => {
    const r = await run("--tokenizer", dir!, "--", "-a cat");
    const ids = JSON.parse(r.stdout) as number[];
    expect(ids).toHaveLength(77);
    expect(ids.slice(0, 2)).toEqual([49406, 268]);
  });

  it.each([
    [[], /exactly one text argument, got 0/],
    [["two", "texts"], /exactly one text argument, got 2/],
  ])("rejects %j positionals", async (texts, message) => {
    await expect(run("--tokenizer", dir!, ...texts)).rejects.toThrow(message);
  });
});

describe("zone tokenize arguments", () => {
  it("prints its usage for --help", async () => {
    expect(await run("--help")).toEqual({ code: 0, stdout: TOKENIZE_USAGE, stderr: "" });
  });

  it("requires --tokenizer", async () => {
    const error = await run("a cat").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliUsageError);
    expect((error as Error).message).toBe("tokenize: --tokenizer is required");
  });

  it("rejects unknown options", async () => {
    await expect(run("--vocab", "x", "a cat")).rejects.toThrow(CliUsageError);
  });

  it("reports a folder without the tokenizer files as not_found", async () => {
    const empty = await mkdtemp(join(tmpdir(), "zone-tokenize-"));
    const error = await run("--tokenizer", empty, "a cat").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZoneError);
    expect((error as ZoneError).code).toBe("not_found");
  });
});
