import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMask, type Mask, type RgbImage } from "../image/types.ts";
import { dilateSquare } from "../kernels/morphology.ts";
import { openBundle, resolveBundleDir } from "../runtime/bundle/bundle.ts";
import { gridPoints } from "./automatic-masks.ts";
import type { SamPointDecoder } from "./sam-decoder.ts";
import { loadSamSessions, releaseSamSessions, type SamSessions } from "./sam-models.ts";
import { samFrame } from "./sam-preprocess.ts";
import { segmentImage, segmentWithDecoder } from "./segment-image.ts";

const W = 128;
const H = 96;
const image: RgbImage = { width: W, height: H, data: new Uint8Array(W * H * 3).fill(90) };

function rect(x0: number, y0: number, x1: number, y1: number): Mask {
  const m = createMask(W, H);
  for (let y = y0; y < y1; y++) m.data.fill(255, y * W + x0, y * W + x1);
  return m;
}

let sam: SamSessions;
beforeAll(async () => {
  const { dir, fixtures } = await resolveBundleDir("fixtures");
  sam = await loadSamSessions(await openBundle(dir, fixtures));
}, 60_000);
afterAll(async () => releaseSamSessions(sam));

describe("segmentImage on the fixture models", () => {
  it("full: decodes the whole 32 x 32 grid and returns masks at the image's size", async () => {
    const s = await segmentImage(sam, image);
    expect(s).toMatchObject({ mode: "full", gridPoints: 1024, width: W, height: H });
    expect(s.counts.points).toBe(1024);
    expect(s.masks.length).toBeGreaterThan(0);
    for (const m of s.masks) {
      expect(m.level).toBeGreaterThan(0); // level 0 never passes the IoU filter
      expect(m.box[2]).toBeLessThan(W);
      expect(m.box[3]).toBeLessThan(H);
    }
    expect(Object.keys(s.timingsMs).sort()).toEqual(["decode", "encode", "postprocess", "preprocess"]);
  });

  it("guided: decodes only the grid points within one grid step of the guide", async () => {
    const guide = rect(10, 10, 40, 30);
    const s = await segmentImage(sam, image, { mode: "guided", guide });
    // One grid step of the long side: ceil(128 / 32) = 4 px.
    const region = dilateSquare(guide, 9);
    const grid = gridPoints(samFrame(W, H), 32);
    let inside = 0;
    for (let k = 0; k < grid.length; k += 2) {
      if (region.data[Math.floor(grid[k + 1]) * W + Math.floor(grid[k])]) inside++;
    }
    expect(s.counts.points).toBe(inside);
    expect(inside).toBeGreaterThan(0);
    expect(inside).toBeLessThan(200);
    for (const m of s.masks)
      expect(region.data[Math.floor(m.point[1]) * W + Math.floor(m.point[0])]).toBe(255);
  });
});

describe("segmentWithDecoder", () => {
  const frame = samFrame(W, H);
  const never: SamPointDecoder = async () => {
    throw new Error("the decoder should not run");
  };

  it("decodes nothing when the guide is empty", async () => {
    const s = await segmentWithDecoder(never, frame, { mode: "guided", guide: createMask(W, H) });
    expect(s.counts).toEqual({
      points: 0,
      decoded: 0,
      passedIou: 0,
      passedStability: 0,
      kept: 0,
      redecoded: 0,
    });
    expect(s.masks).toEqual([]);
  });

  it("needs a guide of the image's size in guided mode", async () => {
    await expect(segmentWithDecoder(never, frame, { mode: "guided" })).rejects.toThrow(/needs a guide mask/);
    await expect(
      segmentWithDecoder(never, frame, { mode: "guided", guide: createMask(10, 10) }),
    ).rejects.toThrow(/guide mask: expected 128x96, got 10x10/);
  });

  it("passes the generator's options through and validates them", async () => {
    await expect(segmentWithDecoder(never, frame, { masks: { boxNmsThresh: 2 } })).rejects.toThrow(
      /boxNmsThresh must be in \(0, 1\]/,
    );
  });
});
