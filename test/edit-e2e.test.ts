// End to end: `zone edit` as a user runs it, on fixture models, with real photos from
// ../shared/images. The fixture models are untrained, so this checks the machinery (sizes,
// untouched pixels, determinism), not the quality of the edit.
import { execFile } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { decodeImage } from "../gpu-function/src/image/io.ts";
import { REPO_ROOT, sharedImage } from "./shared-data.ts";

const run = promisify(execFile);
const ZONE = join(REPO_ROOT, "gpu-function", "bin", "zone.js");
const photo = sharedImage("chelsea.png");

async function edit(out: string, ...extra: string[]) {
  const { stdout, stderr } = await run(process.execPath, [
    ZONE,
    "edit",
    photo!,
    "make the cat black",
    "--models",
    "fixtures",
    "--steps",
    "6",
    "--out",
    out,
    "--json",
    ...extra,
  ]);
  return { meta: JSON.parse(stdout), stderr };
}

describe.skipIf(photo === null)("zone edit on fixtures (chelsea.png, 451x300)", () => {
  let dir: string;
  let first: Awaited<ReturnType<typeof edit>>;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "zone-edit-e2e-"));
    first = await edit(join(dir, "a"));
  }, 60_000);

  it("writes every output, at the input's size, and says loudly that fixtures are in use", async () => {
    expect(first.stderr).toMatch(/using the generated FIXTURE models/);
    expect(first.stderr).toMatch(/step 5\/6/);
    expect(first.meta).toMatchObject({
      steps: 6,
      seed: 42,
      fixtures: true,
      scheduler: "dpm-solver++",
      magicBrush: true,
    });
    expect(first.meta.files).toEqual([
      "result.png",
      "layer.png",
      "canvas.png",
      "attention.png",
      "mask-rough.png",
      "mask-fine.png",
      "mask-dilated.png",
      "mask-final.png",
      "mask-edit.png",
      "stack.json",
      "meta.json",
    ]);
    for (const name of ["result.png", "layer.png", "mask-edit.png"]) {
      expect(await sharp(join(dir, "a", name)).metadata(), name).toMatchObject({ width: 451, height: 300 });
    }
    // Working resolution for the diffusion models: not enlarged, padded to multiples of 32.
    expect(await sharp(join(dir, "a", "canvas.png")).metadata()).toMatchObject({ width: 480, height: 320 });
  });

  it("leaves every pixel with layer alpha 0 byte-identical to the input", async () => {
    const original = await decodeImage(await readFile(photo!));
    const result = await decodeImage(await readFile(join(dir, "a", "result.png")));
    const layer = await sharp(join(dir, "a", "layer.png"))
      .raw()
      .toBuffer();
    let transparent = 0;
    for (let i = 0; i < 451 * 300; i++) {
      if (layer[i * 4 + 3] !== 0) continue;
      transparent++;
      for (let c = 0; c < 3; c++) expect(result.data[i * 3 + c]).toBe(original.data[i * 3 + c]);
    }
    expect(transparent).toBeGreaterThan(0);
    expect(first.meta.changedPixels).toBeLessThan(451 * 300);
  });

  it("gives identical files for the same seed and a different canvas for another seed", async () => {
    const again = await edit(join(dir, "b"));
    const other = await edit(join(dir, "c"), "--seed", "7");
    for (const name of ["result.png", "layer.png", "canvas.png", "attention.png", "mask-final.png"]) {
      const a = await readFile(join(dir, "a", name));
      expect(Buffer.compare(a, await readFile(join(dir, "b", name))), name).toBe(0);
    }
    expect(again.meta.changedPixels).toBe(first.meta.changedPixels);
    const canvasA = await readFile(join(dir, "a", "canvas.png"));
    expect(Buffer.compare(canvasA, await readFile(join(dir, "c", "canvas.png")))).not.toBe(0);
    expect(other.meta.seed).toBe(7);
  }, 60_000);
});
