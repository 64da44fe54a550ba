import { describe, expect, it } from "vitest";
import { filterDecodedMasks, type MaskCandidate } from "./mask-filter.ts";
import type { SamDecoderOutput } from "./sam-decoder.ts";
import { createUpscalePlan } from "./upscale-plan.ts";
import { UpscaledMaskMeter } from "./upscaled-mask-meter.ts";

// A 16 x 16 image whose model input is 16 x 16 (size 16) and 4 x 4 logits per mask.
const frame = { width: 16, height: 16, inputWidth: 16, inputHeight: 16, size: 16 };

function decoded(masks: number[][], iou: number[]): SamDecoderOutput {
  return {
    lowRes: Float32Array.from(masks.flat()),
    iou: Float32Array.from(iou),
    points: masks.length / 3,
    masksPerPoint: 3,
    lowHeight: 4,
    lowWidth: 4,
  };
}

const everywhere = (v: number) => new Array(16).fill(v);
/** Logits 5 in the top-left 2 x 2 block, -5 elsewhere: a crisp quarter of the image. */
const quarter = [5, 5, -5, -5, 5, 5, -5, -5, -5, -5, -5, -5, -5, -5, -5, -5];

describe("filterDecodedMasks", () => {
  it("applies predicted IoU (>) before stability (>=), and keeps the reference's order", () => {
    const batch = decoded(
      [
        everywhere(5), // stable (1.0), IoU 0.95: kept
        everywhere(0.5), // nothing above +1: stability 0, IoU 0.99: dropped by stability
        quarter, // stable, IoU exactly 0.88: dropped by the IoU filter (strict)
        everywhere(-5), // empty: 0 / 0, IoU 0.9: dropped by stability
        quarter, // kept
        everywhere(5), // IoU 0.5: dropped
      ],
      [0.95, 0.99, 0.88, 0.9, 0.91, 0.5],
    );
    const meter = new UpscaledMaskMeter(createUpscalePlan(frame, 4, 4), 0, 1);
    const out: MaskCandidate[] = [];
    const counts = { decoded: 0, passedIou: 0, passedStability: 0 };
    filterDecodedMasks(
      batch,
      Float64Array.from([3, 4, 10, 12]),
      meter,
      { predIouThresh: 0.88, stabilityScoreThresh: 0.95 },
      out,
      counts,
    );
    expect(counts).toEqual({ decoded: 6, passedIou: 4, passedStability: 2 });
    expect(out.map((m) => ({ level: m.level, point: m.point, iou: m.predictedIou }))).toEqual([
      { level: 0, point: [3, 4], iou: Math.fround(0.95) },
      { level: 1, point: [10, 12], iou: Math.fround(0.91) },
    ]);
    expect(out[0]).toMatchObject({ box: [0, 0, 15, 15], area: 256, stabilityScore: 1 });
    // The quarter upscales to the top-left 8 x 8 pixels less its inner corner, where the blend
    // with the three -5 neighbours is 0.625 * 1.25 - 0.375 * 5 < 0.
    expect(out[1].box).toEqual([0, 0, 7, 7]);
    expect(out[1].area).toBe(63);
  });

  it("with both filters at 0 keeps everything, even an empty mask", () => {
    const batch = decoded([everywhere(-5), everywhere(0.5), everywhere(5)], [0.1, 0.2, 0.3]);
    const meter = new UpscaledMaskMeter(createUpscalePlan(frame, 4, 4), 0, 1);
    const out: MaskCandidate[] = [];
    const counts = { decoded: 0, passedIou: 0, passedStability: 0 };
    filterDecodedMasks(
      batch,
      Float64Array.from([1, 1]),
      meter,
      { predIouThresh: 0, stabilityScoreThresh: 0 },
      out,
      counts,
    );
    expect(counts).toEqual({ decoded: 3, passedIou: 3, passedStability: 3 });
    expect(out[0]).toMatchObject({ box: [0, 0, 0, 0], area: 0, recording: null });
    expect(out[0].stabilityScore).toBeNaN();
    expect(out[1]).toMatchObject({ area: 256, stabilityScore: 0 });
  });
});
