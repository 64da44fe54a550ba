import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { encodePng } from "../image/io.ts";
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
    [["edit", "a.png", "x", "--sam", "auto"], /--sam must be one of full, guided, off, got "auto"/],
    [["edit", "a.png", "x", "--guide-margin", "2"], /--guide-margin needs --sam guided/],
    [
      ["edit", "a.png", "x", "--sam", "guided", "--guide-margin", "99"],
      /--guide-margin must be a number in 0..32/,
    ],
    [["edit", "a.png", "x", "--sam", "off", "--save-candidates"], /--save-candidates needs Segment Anything/],
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

describe("zone edit with Segment Anything (fixture models)", () => {
  async function editSmall(...extra: string[]) {
    const dir = await mkdtemp(join(tmpdir(), "zone-edit-sam-"));
    const image = { width: 64, height: 48, data: new Uint8Array(64 * 48 * 3).map((_, i) => (i * 7) % 256) };
    await writeFile(join(dir, "in.png"), await encodePng(image));
    const out = join(dir, "out");
    const r = await run(
      "edit",
      join(dir, "in.png"),
      "make it red",
      "--models",
      "fixtures",
      "--steps",
      "2",
      "--out",
      out,
      ...extra,
    );
    return {
      ...r,
      out,
      meta: r.code === 0 ? JSON.parse(await readFile(join(out, "meta.json"), "utf8")) : null,
    };
  }

  it("guided: records the candidates and Region-IoU's pick, and saves the candidates", async () => {
    const r = await editSmall("--sam", "guided", "--save-candidates");
    expect(r.stderr).not.toMatch(/zone:/);
    expect(r.code).toBe(0);
    const { segment } = r.meta;
    expect(segment).toMatchObject({ mode: "guided", image: "canvas", gridPoints: 1024 });
    expect(segment.pointsDecoded).toBeLessThanOrEqual(1024);
    expect(segment.candidates).toBe(r.meta.compose.candidateCount);
    expect(segment.chosenCandidate).toBe(r.meta.compose.chosenSegment);
    expect(segment.chosenIou).toBe(r.meta.compose.chosenIou);
    expect(Object.keys(r.meta.timingsMs)).toContain("segment");
    expect(r.meta.files).toContain("candidates/");
    const saved = await readdir(join(r.out, "candidates"));
    expect(saved).toContain("candidates.json");
    const json = JSON.parse(await readFile(join(r.out, "candidates", "candidates.json"), "utf8"));
    expect(json).toMatchObject({ image: "canvas", mode: "guided", candidates: segment.candidates });
    expect(saved.filter((n) => n.endsWith(".png")).length).toBe(segment.candidates);
    expect(r.stdout).toMatch(
      /fine mask: (candidate \d+ of \d+ Segment Anything candidates \(guided grid on the canvas\)|the rough mask: )/,
    );
  }, 30_000);

  it("remove: segments the original (at the working size), not the canvas", async () => {
    const r = await editSmall("--sam", "guided", "--action", "remove");
    expect(r.code).toBe(0);
    expect(r.meta.segment).toMatchObject({ mode: "guided", image: "original" });
  }, 30_000);

  it("off: no Segment Anything, the fine mask is the rough mask", async () => {
    const r = await editSmall("--sam", "off", "--action", "remove");
    expect(r.code).toBe(0);
    expect(r.meta.segment).toBeNull();
    expect(r.meta.fineMask).toBe("the rough mask (--sam off)");
    expect(r.meta.compose).toMatchObject({
      candidateCount: 0,
      fallback: true,
      fallbackReason: "no-candidates",
    });
  }, 30_000);

  it("pads by default, enlarges with --enlarge, reproduces the release with --release-exact", async () => {
    const plain = await editSmall("--sam", "off");
    expect(plain.meta).toMatchObject({ fidelity: "corrected", working: { width: 64, height: 64 } });
    expect(plain.meta.compose).toMatchObject({ fidelity: "corrected", channels: "rgb" });
    const enlarged = await editSmall("--sam", "off", "--enlarge");
    expect(enlarged.meta.working).toEqual({ width: 512, height: 384 });
    // The release never enlarges, whatever else was asked, and uses its own grey.
    const release = await editSmall("--sam", "off", "--enlarge", "--release-exact");
    expect(release.meta).toMatchObject({ fidelity: "release", working: { width: 64, height: 64 } });
    expect(release.meta.compose).toMatchObject({ fidelity: "release", channels: "release" });
  }, 60_000);
});

describe("zone edit --parent-dir (a chain of turns, fixture models)", () => {
  const turn = (image: string[], instruction: string, out: string, ...extra: string[]) =>
    run(
      "edit",
      ...image,
      instruction,
      "--models",
      "fixtures",
      "--steps",
      "2",
      "--sam",
      "off",
      "--out",
      out,
      ...extra,
    );

  it("continues from the previous folder's result and writes the whole stack", async () => {
    const dir = await mkdtemp(join(tmpdir(), "zone-edit-chain-"));
    const image = { width: 64, height: 48, data: new Uint8Array(64 * 48 * 3).map((_, i) => (i * 7) % 256) };
    const original = join(dir, "in.png");
    await writeFile(original, await encodePng(image));
    const outs = ["t1", "t2", "t3"].map((name) => join(dir, name));
    expect((await turn([original], "make it red", outs[0])).code).toBe(0);
    expect((await turn(["--parent-dir", outs[0]], "make it blue", outs[1])).code).toBe(0);
    const third = await turn(["--parent-dir", outs[1]], "add a hat", outs[2]);
    expect(third.stderr).not.toMatch(/zone:/);
    expect(third.code).toBe(0);
    const stack = JSON.parse(await readFile(join(outs[2], "stack.json"), "utf8"));
    expect(stack.original).toBe(original);
    expect(stack.turns.map((t: { dir: string }) => t.dir)).toEqual(outs);
    expect(stack.turns.map((t: { instruction: string }) => t.instruction)).toEqual([
      "make it red",
      "make it blue",
      "add a hat",
    ]);
    expect(stack.turns[2]).toMatchObject({ result: "result.png", layer: "layer.png", mask: "mask-edit.png" });
    const meta = JSON.parse(await readFile(join(outs[2], "meta.json"), "utf8"));
    expect(meta).toMatchObject({ image: join(outs[1], "result.png"), parentDir: outs[1] });
    expect(meta.files).toContain("stack.json");
    // Each turn's input was the previous result: outside turn 3's mask its result is turn 2's.
    const raw = async (path: string) => (await sharp(path).raw().toBuffer()) as Buffer;
    const [second, last, mask] = await Promise.all([
      raw(join(outs[1], "result.png")),
      raw(join(outs[2], "result.png")),
      sharp(join(outs[2], "mask-edit.png")).extractChannel(0).raw().toBuffer(),
    ]);
    for (let i = 0; i < mask.length; i++)
      if (mask[i] === 0) for (let c = 0; c < 3; c++) expect(last[i * 3 + c]).toBe(second[i * 3 + c]);
  }, 90_000);

  it.each([
    [["a.png", "x", "--parent-dir", "p"], /with --parent-dir, expected only "instruction"/],
    [["x", "--parent-dir", "p", "--out", "p"], /--out must be another folder than --parent-dir/],
    [["x", "--parent-dir", "/nonexistent-zone-dir"], /--parent-dir: meta .* cannot be read/],
  ])("%j is a usage error", async (argv, message) => {
    const r = await run("edit", ...argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it("refuses a lossy (JPEG) parent: the chain must stay lossless", async () => {
    const dir = await mkdtemp(join(tmpdir(), "zone-edit-chain-jpeg-"));
    await writeFile(
      join(dir, "meta.json"),
      JSON.stringify({ image: "in.png", resultFile: { name: "result.jpg", format: "jpeg", alpha: false } }),
    );
    const r = await run("edit", "--parent-dir", dir, "x", "--out", join(dir, "next"));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/JPEG \(lossy\).*--format png/);
  });
});
