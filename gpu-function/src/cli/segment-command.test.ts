import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { ellipseMask } from "../demo/synthetic-edit.ts";
import { encodePng } from "../image/io.ts";
import { readSegmentFolder } from "./compose-files.ts";
import { main } from "./main.ts";

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { stdout: (t) => out.push(t), stderr: (t) => err.push(t) });
  return { code, stdout: out.join(""), stderr: err.join("") };
}

let dir: string;
const W = 96;
const H = 64;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "zone-segment-"));
  const image = { width: W, height: H, data: new Uint8Array(W * H * 3).map((_, i) => (i * 13) % 251) };
  await writeFile(join(dir, "image.png"), await encodePng(image));
  // The guide at half the image's size: resized to match, with a warning.
  await writeFile(join(dir, "guide.png"), await encodePng(ellipseMask(W / 2, H / 2, 12, 10, 6, 5)));
});

describe("zone segment arguments", () => {
  it.each([
    [["segment"], /expected one IMAGE, got 0 argument/],
    [["segment", "a.png", "b.png", "--out", "x"], /expected one IMAGE, got 2 argument/],
    [["segment", "a.png"], /segment: --out is required/],
    [
      ["segment", "a.png", "--out", "x", "--guided-by", "m.png", "--guide-margin=-1"],
      /--guide-margin must be a number in 0..32/,
    ],
    [["segment", "a.png", "--out", "x", "--guide-margin", "2"], /--guide-margin needs --guided-by/],
    [
      ["segment", "a.png", "--out", "x", "--providers", "gpu"],
      /segment: --providers takes tensorrt, cuda, cpu, got "gpu"/,
    ],
    [["segment", "a.png", "--out", "x", "--points", "4"], /Unknown option '--points'/],
  ])("%j is a usage error", async (argv, message) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it("prints its usage", async () => {
    const r = await run("segment", "--help");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: zone segment IMAGE --out DIR/);
  });

  it("names a missing image", async () => {
    const r = await run("segment", join(dir, "nope.png"), "--out", join(dir, "x"), "--models", "fixtures");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/IMAGE .*nope.png: no such file/);
  });
});

describe("zone segment on the fixture models", () => {
  it("writes the masks as PNGs at the image's size and segments.json, best first", async () => {
    const out = join(dir, "full");
    const r = await run("segment", join(dir, "image.png"), "--models", "fixtures", "--out", out, "--json");
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/using the generated FIXTURE models/);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({
      mode: "full",
      width: W,
      height: H,
      gridPoints: 1024,
      pointsDecoded: 1024,
      fixtures: true,
    });
    expect(json.masks.length).toBe(json.candidates);
    expect(json.masks.length).toBeGreaterThan(0);
    expect(JSON.parse(await readFile(join(out, "segments.json"), "utf8"))).toEqual(json);
    const first = json.masks[0];
    expect(first.file).toBe("mask-000.png");
    expect(Object.keys(first).sort()).toEqual(
      ["area", "bbox", "box", "file", "level", "point", "predictedIou", "stabilityScore"].sort(),
    );
    expect(first.bbox).toEqual([
      first.box[0],
      first.box[1],
      first.box[2] - first.box[0],
      first.box[3] - first.box[1],
    ]);
    for (let i = 1; i < json.masks.length; i++)
      expect(json.masks[i - 1].predictedIou).toBeGreaterThanOrEqual(json.masks[i].predictedIou);
    expect(await sharp(join(out, first.file)).metadata()).toMatchObject({ width: W, height: H, channels: 1 });
    // The folder is a valid `zone compose --segments` input, in the same order.
    const segments = await readSegmentFolder(out);
    expect(segments.map((s) => s.name)).toEqual(json.masks.map((m: { file: string }) => m.file));
    const on = segments[0].mask.data.reduce((n, v) => n + (v ? 1 : 0), 0);
    expect(on).toBe(first.area);
  }, 30_000);

  it("guided by a mask: fewer points, resized guide with a warning", async () => {
    const out = join(dir, "guided");
    const r = await run(
      "segment",
      join(dir, "image.png"),
      "--models",
      "fixtures",
      "--guided-by",
      join(dir, "guide.png"),
      "--out",
      out,
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/--guided-by is 48x32, the image 96x64; resized to match/);
    expect(r.stdout).toMatch(/^wrote \d+ masks and segments.json to /);
    const points = Number(/guided grid: (\d+) of 1024 points decoded/.exec(r.stdout)?.[1]);
    expect(points).toBeGreaterThan(0);
    expect(points).toBeLessThan(400);
    expect(r.stdout).toMatch(
      /timings \(ms\): preprocess [\d.]+, encode [\d.]+, decode [\d.]+, postprocess [\d.]+/,
    );
  }, 30_000);
});
