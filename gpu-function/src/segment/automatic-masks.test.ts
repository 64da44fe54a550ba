import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SAM_FIXTURE_IOUS } from "../fixtures/fixture-models.ts";
import type { RgbImage } from "../image/types.ts";
import { openBundle, resolveBundleDir } from "../runtime/bundle/bundle.ts";
import {
  AUTOMATIC_MASK_DEFAULTS,
  type AutomaticMaskOptions,
  automaticMaskOptions,
  generateMasks,
  gridPoints,
} from "./automatic-masks.ts";
import { nonMaxSuppression } from "./box-nms.ts";
import { maskToBox } from "./mask-box.ts";
import { onnxPointDecoder, type SamDecoderOutput, type SamPointDecoder } from "./sam-decoder.ts";
import { embedImage, type SamEmbedding } from "./sam-encoder.ts";
import { samMaskToFull } from "./sam-mask.ts";
import { loadSamSessions, releaseSamSessions, type SamSessions } from "./sam-models.ts";
import { stabilityScore } from "./stability-score.ts";
import { createUpscalePlan, type SamFrame, upscaleWithPlan } from "./upscale-plan.ts";

function grey(width: number, height: number): RgbImage {
  return { width, height, data: new Uint8Array(width * height * 3).fill(128) };
}

let sam: SamSessions;
beforeAll(async () => {
  const { dir, fixtures } = await resolveBundleDir("fixtures");
  sam = await loadSamSessions(await openBundle(dir, fixtures));
}, 60_000);
afterAll(async () => releaseSamSessions(sam));

async function fixtureDecoder(width: number, height: number): Promise<[SamPointDecoder, SamEmbedding]> {
  const embedding = await embedImage(sam.encoder, grey(width, height));
  return [onnxPointDecoder(sam.decoder, embedding), embedding];
}

/**
 * The reference semantics written out the slow way: every mask fully upscaled, filtered by
 * predicted IoU (>) and stability (>=, float32), thresholded at 0, boxed, NMS by predicted IoU.
 */
function bruteForce(
  decoded: SamDecoderOutput,
  points: Float64Array,
  frame: SamFrame,
  o: AutomaticMaskOptions,
) {
  const plan = createUpscalePlan(frame, decoded.lowHeight, decoded.lowWidth);
  const size = decoded.lowHeight * decoded.lowWidth;
  const kept: Array<{
    data: Uint8Array;
    box: number[];
    iou: number;
    stability: number;
    point: number[];
    level: number;
  }> = [];
  for (let p = 0; p < decoded.points; p++) {
    for (let k = 0; k < decoded.masksPerPoint; k++) {
      const i = p * decoded.masksPerPoint + k;
      const iou = decoded.iou[i];
      if (o.predIouThresh > 0 && !(iou > Math.fround(o.predIouThresh))) continue;
      const values = upscaleWithPlan(decoded.lowRes!, i * size, plan);
      const stability = stabilityScore(values, o.maskThreshold, o.stabilityScoreOffset);
      if (o.stabilityScoreThresh > 0 && !(stability >= Math.fround(o.stabilityScoreThresh))) continue;
      const data = Uint8Array.from(values, (v) => (v > o.maskThreshold ? 255 : 0));
      const box = [...maskToBox({ width: frame.width, height: frame.height, data })];
      kept.push({ data, box, iou, stability, point: [points[2 * p], points[2 * p + 1]], level: k });
    }
  }
  const keep = nonMaxSuppression(
    kept.map((m) => m.box as [number, number, number, number]),
    kept.map((m) => m.iou),
    o.boxNmsThresh,
  );
  return keep.map((i) => kept[i]);
}

describe("generateMasks on the fixture decoder (known disc shapes)", () => {
  it("keeps only the level that passes both filters: one disc of radius 64 around the single point", async () => {
    // 256 x 256: the model input is 1024 x 1024, the low-res grid maps 1:1 onto the image.
    const [decode, { frame }] = await fixtureDecoder(256, 256);
    const result = await generateMasks(decode, frame, null, { pointsPerSide: 1 });
    expect(result.counts).toEqual({
      points: 1,
      decoded: 3,
      passedIou: 2,
      passedStability: 1,
      kept: 1,
      redecoded: 0,
    });
    const [m] = result.masks;
    expect(m).toMatchObject({ level: 2, point: [128, 128], predictedIou: Math.fround(SAM_FIXTURE_IOUS[2]) });
    // A disc of radius 64 around (128, 128): rows and columns 64..191.
    expect(m.box).toEqual([64, 64, 191, 191]);
    expect(m.area).toBeGreaterThan(Math.PI * 63.5 ** 2);
    expect(m.area).toBeLessThan(Math.PI * 64.5 ** 2);
    expect(m.stabilityScore).toBeGreaterThan(0.95);
    expect(m.stabilityScore).toBeLessThan(0.98);
  });

  it("lets level 0 through without the IoU filter, and level 1 too without the stability filter", async () => {
    const [decode, { frame }] = await fixtureDecoder(256, 256);
    const noIou = await generateMasks(decode, frame, null, { pointsPerSide: 1, predIouThresh: 0 });
    expect(noIou.masks.map((m) => m.level)).toEqual([2, 0]); // by descending predicted IoU
    expect(noIou.masks[1].box).toEqual([120, 120, 135, 135]);
    const none = await generateMasks(decode, frame, null, {
      pointsPerSide: 1,
      predIouThresh: 0,
      stabilityScoreThresh: 0,
    });
    expect(none.masks.map((m) => m.level)).toEqual([1, 2, 0]);
    expect(none.masks[0].box).toEqual([104, 104, 151, 151]);
    expect(none.masks[0].stabilityScore).toBeGreaterThan(0.9);
    expect(none.masks[0].stabilityScore).toBeLessThan(0.94);
  });

  it.each([
    ["a 64 x 64 image, 8 x 8 grid in batches of 64", 64, 64, { pointsPerSide: 8 }],
    ["a 72 x 40 image (padding below), batches of 5", 72, 40, { pointsPerSide: 8, pointsPerBatch: 5 }],
    ["a 30 x 50 image (padding right), IoU filter off", 30, 50, { pointsPerSide: 6, predIouThresh: 0 }],
    ["a 48 x 48 image, NMS at 0.3", 48, 48, { pointsPerSide: 7, boxNmsThresh: 0.3 }],
  ] as const)("equals the brute-force reference: %s", async (_, width, height, overrides) => {
    const [decode, { frame }] = await fixtureDecoder(width, height);
    const o = automaticMaskOptions(overrides);
    const points = gridPoints(frame, o.pointsPerSide);
    const result = await generateMasks(decode, frame, null, o);
    const want = bruteForce(await decode(points), points, frame, o);
    expect(want.length).toBeGreaterThan(0);
    expect(result.masks.length).toBe(want.length);
    result.masks.forEach((m, i) => {
      const w = want[i];
      expect({
        box: [...m.box],
        iou: m.predictedIou,
        stability: m.stabilityScore,
        point: m.point,
        level: m.level,
      }).toEqual({
        box: w.box,
        iou: w.iou,
        stability: w.stability,
        point: w.point,
        level: w.level,
      });
      const full = samMaskToFull(m, width, height);
      expect(Buffer.compare(full.data, w.data)).toBe(0);
      expect(m.area).toBe(w.data.filter((v) => v).length);
    });
    expect(result.counts.kept).toBe(want.length);
    expect(result.counts.decoded).toBe(3 * o.pointsPerSide ** 2);
  });

  it("decodes explicit points instead of the grid", async () => {
    const [decode, { frame }] = await fixtureDecoder(256, 256);
    const result = await generateMasks(decode, frame, Float64Array.from([40, 40, 200, 210]));
    expect(result.counts.points).toBe(2);
    expect(result.masks.map((m) => m.point)).toEqual([
      [40, 40],
      [200, 210],
    ]);
    expect(result.masks[0].box).toEqual([0, 0, 103, 103]); // clipped by the image
  });
});

describe("generateMasks with a misbehaving decoder", () => {
  it("rejects an answer for the wrong number of points", async () => {
    const frame = { width: 8, height: 8, inputWidth: 16, inputHeight: 16, size: 16 };
    const decode: SamPointDecoder = async () => ({
      lowRes: new Float32Array(3 * 16),
      iou: new Float32Array(3),
      points: 1,
      masksPerPoint: 3,
      lowHeight: 4,
      lowWidth: 4,
    });
    await expect(generateMasks(decode, frame, null, { pointsPerSide: 2 })).rejects.toThrow(
      /the decoder answered 1 points for 4/,
    );
  });
});

describe("automaticMaskOptions", () => {
  it("has the release defaults", () => {
    expect(automaticMaskOptions()).toEqual({
      pointsPerSide: 32,
      pointsPerBatch: 64,
      predIouThresh: 0.88,
      stabilityScoreThresh: 0.95,
      stabilityScoreOffset: 1,
      maskThreshold: 0,
      boxNmsThresh: 0.7,
    });
    expect(automaticMaskOptions({ boxNmsThresh: 0.5 })).toEqual({
      ...AUTOMATIC_MASK_DEFAULTS,
      boxNmsThresh: 0.5,
    });
  });

  it.each([
    [{ pointsPerSide: 0 }, /pointsPerSide must be a positive integer, got 0/],
    [{ pointsPerBatch: 1.5 }, /pointsPerBatch must be a positive integer/],
    [{ predIouThresh: 1.2 }, /predIouThresh must be in \[0, 1\]/],
    [{ stabilityScoreThresh: -0.1 }, /stabilityScoreThresh must be in \[0, 1\]/],
    [{ stabilityScoreOffset: 0 }, /stabilityScoreOffset must be positive/],
    [{ maskThreshold: Number.NaN }, /maskThreshold must be a finite number/],
    [{ boxNmsThresh: 0 }, /boxNmsThresh must be in \(0, 1\]/],
  ] as const)("rejects %j", (overrides, message) => {
    expect(() => automaticMaskOptions(overrides)).toThrow(message);
  });
});
