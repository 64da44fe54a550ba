import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { ellipseMask, syntheticEdit } from "../demo/synthetic-edit.ts";
import { encodePng } from "../image/io.ts";
import type { RgbImage } from "../image/types.ts";
import { main } from "./main.ts";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t) }, out, err };
}

async function run(...argv: string[]) {
  const c = capture();
  const code = await main(argv, c.io);
  return { code, stdout: c.out.join(""), stderr: c.err.join("") };
}

let dir: string;
const W = 120;
const H = 90;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "zone-cli-"));
  const original: RgbImage = { width: W, height: H, data: new Uint8Array(W * H * 3) };
  for (let i = 0; i < W * H; i++)
    original.data.set([40 + (i % W) / 2, 60, 90 + Math.floor(i / W) / 2], i * 3);
  const target = ellipseMask(W, H, 70, 45, 20, 15);
  await writeFile(join(dir, "original.png"), await encodePng(original));
  await writeFile(join(dir, "edited.png"), await encodePng(syntheticEdit(original, target)));
  await mkdir(join(dir, "segs"));
  await writeFile(join(dir, "segs", "seg10.png"), await encodePng(target));
  await writeFile(join(dir, "segs", "seg2.png"), await encodePng(ellipseMask(W, H, 10, 10, 8, 8)));
  await writeFile(join(dir, "segs", "notes.txt"), "not a mask");
  await mkdir(join(dir, "empty"));
  await writeFile(join(dir, "text.png"), "this is text");
});

describe("zone compose", () => {
  it("writes the six PNGs and meta.json, and prints a JSON summary", async () => {
    const out = join(dir, "out");
    const r = await run(
      "compose",
      "--original",
      join(dir, "original.png"),
      "--edited",
      join(dir, "edited.png"),
      "--segments",
      join(dir, "segs"),
      "--out",
      out,
      "--json",
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    // Natural order: seg2 is candidate 0, seg10 candidate 1, and seg10 is the edited object.
    expect(summary).toMatchObject({
      candidateCount: 2,
      chosenSegment: 1,
      chosenSegmentFile: "seg10.png",
      fallback: false,
    });
    expect(summary.chosenIou).toBeGreaterThan(0.5);
    expect(summary.changedPixels).toBeGreaterThan(500);
    expect(Object.keys(summary.timingsMs)).toEqual(
      expect.arrayContaining([
        "decode",
        "rough",
        "regionIou",
        "dilate",
        "edgeSmoother",
        "layer",
        "scaleBack",
        "write",
      ]),
    );
    expect(JSON.parse(await readFile(join(out, "meta.json"), "utf8"))).toMatchObject({
      chosenSegmentFile: "seg10.png",
    });
    // Masks are at the working resolution (120 x 90 is not enlarged: padded to 128 x 96), 0/255.
    for (const name of ["mask-rough.png", "mask-fine.png", "mask-dilated.png", "mask-final.png"]) {
      const png = await readFile(join(out, name));
      expect(await sharp(png).metadata(), name).toMatchObject({ width: 128, height: 96, channels: 1 });
      const data = await sharp(png).extractChannel(0).raw().toBuffer();
      expect(new Set(data), name).toEqual(new Set([0, 255]));
    }
    // The result and the layer are at the original's size.
    expect(await sharp(await readFile(join(out, "result.png"))).metadata()).toMatchObject({
      width: W,
      height: H,
      channels: 3,
    });
    expect(await sharp(await readFile(join(out, "layer.png"))).metadata()).toMatchObject({
      width: W,
      height: H,
      channels: 4,
    });
  });

  it("prints a readable summary without --json and accepts --action and --channels", async () => {
    const r = await run(
      "compose",
      "--original",
      join(dir, "original.png"),
      "--edited",
      join(dir, "edited.png"),
      "--out",
      join(dir, "out2"),
      "--action",
      "remove",
      "--channels",
      "luma",
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/fine mask: the rough mask \(no candidate segments given\)/);
    expect(r.stdout).toMatch(/changed \d+ of 10800 pixels/);
    expect(r.stderr).toMatch(/read 120x90 original/);
    expect(JSON.parse(await readFile(join(dir, "out2", "meta.json"), "utf8"))).toMatchObject({
      action: "remove",
      channels: "luma",
    });
  });

  it("warns when --edited has another size and resizes it", async () => {
    const small = join(dir, "edited-small.png");
    await writeFile(
      small,
      await sharp(await readFile(join(dir, "edited.png")))
        .resize(60, 45)
        .png()
        .toBuffer(),
    );
    const r = await run(
      "compose",
      "--original",
      join(dir, "original.png"),
      "--edited",
      small,
      "--out",
      join(dir, "out3"),
      "--json",
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("zone: warning: --edited is 60x45, the original 120x90; resized to match\n");
    expect(JSON.parse(r.stdout).changedPixels).toBeGreaterThan(300);
  });

  it.each([
    [["compose"], 2, /^zone: compose: --original is required\n$/],
    [["compose", "--original", "a.png", "--edited", "b.png"], 2, /--out is required/],
    [["compose", "--bogus"], 2, /^zone: compose: Unknown option '--bogus'.*\(see zone compose --help\)\n$/],
    [
      ["compose", "--original", "a", "--edited", "b", "--out", "o", "--action", "paint"],
      2,
      /--action must be one of change, add, remove, got "paint"/,
    ],
    [
      ["compose", "--original", "a", "--edited", "b", "--out", "o", "--channels", "hsv"],
      2,
      /--channels must be one of rgb, luma/,
    ],
    [["frobnicate"], 2, /unknown command "frobnicate"/],
  ])("usage error %j exits %i with one line", async (argv, code, message) => {
    const r = await run(...argv);
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stdout).toBe("");
  });

  it.each([
    [
      "a missing file",
      () => ["--original", join(dir, "nope.png"), "--edited", join(dir, "edited.png")],
      /--original .*nope.png: no such file/,
    ],
    [
      "a file that is not an image",
      () => ["--original", join(dir, "text.png"), "--edited", join(dir, "edited.png")],
      /--original .*text.png is not an image/,
    ],
    [
      "a folder without masks",
      () => [
        "--original",
        join(dir, "original.png"),
        "--edited",
        join(dir, "edited.png"),
        "--segments",
        join(dir, "empty"),
      ],
      /no PNG masks in the folder/,
    ],
    [
      "a missing segments folder",
      () => [
        "--original",
        join(dir, "original.png"),
        "--edited",
        join(dir, "edited.png"),
        "--segments",
        join(dir, "nope"),
      ],
      /--segments .*nope: no such folder/,
    ],
  ])("%s: exit 1, one line, no stack trace", async (_name, argv, message) => {
    const r = await run("compose", ...argv(), "--out", join(dir, "never"));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it("--help prints the usage and exits 0", async () => {
    const r = await run("compose", "--help");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: zone compose --original/);
  });
});

describe("zone", () => {
  it("without a command prints the commands and exits 2", async () => {
    const r = await run();
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/compose +turn an editor's output/);
  });
});

describe("zone demo", () => {
  it("writes its inputs and picks the edited ball among five segments", async () => {
    const out = join(dir, "demo");
    const r = await run("demo", "--out", out, "--json");
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ candidateCount: 5, chosenSegmentFile: "5-ball.png", fallback: false });
    expect(summary.chosenIou).toBeGreaterThan(0.9);
    for (const name of ["original.png", "edited.png", "segments/1-sky.png", "result.png"]) {
      expect((await readFile(join(out, name))).length, name).toBeGreaterThan(0);
    }
  });
});
