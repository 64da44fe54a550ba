// End to end: the `zone` binary as a user runs it, on real photos from ../shared/images with a
// synthetic global edit (one region recoloured, every other pixel nudged).
import { execFile } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { ellipseMask, syntheticEdit } from "../gpu-function/src/demo/synthetic-edit.ts";
import { decodeImage, encodePng } from "../gpu-function/src/image/io.ts";
import { REPO_ROOT, sharedImage } from "./shared-data.ts";

const run = promisify(execFile);
const ZONE = join(REPO_ROOT, "gpu-function", "bin", "zone.js");

// name, region centre and radii as fractions of the size
const PHOTOS = [
  ["astronaut.png", 0.5, 0.3, 0.12, 0.1],
  ["chelsea.png", 0.45, 0.45, 0.15, 0.2], // 451 x 300: enlarged to a 512 x 344 working size
  ["rocket.jpg", 0.5, 0.75, 0.1, 0.12],
] as const;

describe.each(PHOTOS)("zone compose on %s", (name, fx, fy, frx, fry) => {
  const path = sharedImage(name);
  it.skipIf(path === null)(
    "keeps every pixel outside the edit byte-identical and applies the edit",
    async () => {
      const dir = await mkdtemp(join(tmpdir(), "zone-e2e-"));
      const original = await decodeImage(await readFile(path!));
      const { width: w, height: h } = original;
      const region = ellipseMask(w, h, w * fx, h * fy, w * frx, h * fry);
      const edited = syntheticEdit(original, region, { seed: 3 });
      const editedPath = join(dir, "edited.png");
      await writeFile(editedPath, await encodePng(edited));

      const out = join(dir, "out");
      const { stdout } = await run(process.execPath, [
        ZONE,
        "compose",
        "--original",
        path!,
        "--edited",
        editedPath,
        "--out",
        out,
        "--json",
      ]);
      const summary = JSON.parse(stdout);
      expect(summary.original).toEqual({ width: w, height: h });

      const result = await decodeImage(await readFile(join(out, "result.png")));
      const layerPng = await readFile(join(out, "layer.png"));
      const { default: sharp } = await import("sharp");
      const layer = await sharp(layerPng).raw().toBuffer();

      // Outside a margin around the edited region nothing changed, byte for byte.
      const margin = ellipseMask(w, h, w * fx, h * fy, w * frx + 24, h * fry + 24);
      let insideChanged = 0;
      let insideCount = 0;
      for (let i = 0; i < w * h; i++) {
        const same =
          result.data[i * 3] === original.data[i * 3] &&
          result.data[i * 3 + 1] === original.data[i * 3 + 1] &&
          result.data[i * 3 + 2] === original.data[i * 3 + 2];
        if (layer[i * 4 + 3] === 0) expect(same).toBe(true);
        if (!margin.data[i]) expect(same).toBe(true);
        if (region.data[i]) {
          insideCount++;
          if (!same) insideChanged++;
        }
      }
      // The edit itself went through: nearly all of the recoloured region is in the result.
      expect(insideChanged / insideCount).toBeGreaterThan(0.9);
      expect(summary.changedPixels).toBeGreaterThan(insideCount * 0.9);
      expect(summary.changedPixels).toBeLessThan(insideCount * 1.6);
    },
  );
});
