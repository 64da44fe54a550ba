// Segment Anything's automatic mask generation (segment-anything `SamAutomaticMaskGenerator`
// with one crop layer, the whole image): prompt the decoder with a grid of points, batch by
// batch; keep the masks that pass the predicted-IoU and stability filters; remove duplicates by
// box NMS scored by predicted IoU. This module only orchestrates; the work is in point-grid,
// mask-filter (with the upscaled-mask meter), stability-score, mask-box and box-nms.
//
// Not implemented, as the method does not use them: crop layers (crop_n_layers 0) and the
// small-region post-processing (min_mask_region_area 0).

import { nonMaxSuppression } from "./box-nms.ts";
import { filterDecodedMasks, type MaskCandidate, type MaskFilterCounts } from "./mask-filter.ts";
import { drawRecording } from "./mask-recording.ts";
import { buildPointGrid, scalePoints } from "./point-grid.ts";
import type { SamPointDecoder } from "./sam-decoder.ts";
import type { SamMask } from "./sam-mask.ts";
import { createUpscalePlan, type SamFrame, type UpscalePlan } from "./upscale-plan.ts";
import { UpscaledMaskMeter } from "./upscaled-mask-meter.ts";

export interface AutomaticMaskOptions {
  /** Grid points along each side (total: its square). */
  pointsPerSide: number;
  /** Points per decoder run. */
  pointsPerBatch: number;
  /** Keep masks whose predicted IoU is > this; 0 disables the filter. */
  predIouThresh: number;
  /** Keep masks whose stability score is >= this; 0 disables the filter. */
  stabilityScoreThresh: number;
  /** The stability score's cut-offs are maskThreshold +- this. */
  stabilityScoreOffset: number;
  /** Logits above this are in the mask. */
  maskThreshold: number;
  /** Box IoU above which the lower-scored of two masks is dropped. */
  boxNmsThresh: number;
}

/** The release defaults (SamAutomaticMaskGenerator's constructor, ViT-H). */
export const AUTOMATIC_MASK_DEFAULTS: Readonly<AutomaticMaskOptions> = {
  pointsPerSide: 32,
  pointsPerBatch: 64,
  predIouThresh: 0.88,
  stabilityScoreThresh: 0.95,
  stabilityScoreOffset: 1,
  maskThreshold: 0,
  boxNmsThresh: 0.7,
};

/** Defaults merged with `overrides`; throws on a value out of range (never corrects it). */
export function automaticMaskOptions(overrides: Partial<AutomaticMaskOptions> = {}): AutomaticMaskOptions {
  const o = { ...AUTOMATIC_MASK_DEFAULTS, ...overrides };
  const check = (ok: boolean, name: keyof AutomaticMaskOptions, what: string) => {
    if (!ok) throw new RangeError(`automatic masks: ${name} must be ${what}, got ${o[name]}`);
  };
  check(Number.isInteger(o.pointsPerSide) && o.pointsPerSide >= 1, "pointsPerSide", "a positive integer");
  check(Number.isInteger(o.pointsPerBatch) && o.pointsPerBatch >= 1, "pointsPerBatch", "a positive integer");
  check(o.predIouThresh >= 0 && o.predIouThresh <= 1, "predIouThresh", "in [0, 1]");
  check(o.stabilityScoreThresh >= 0 && o.stabilityScoreThresh <= 1, "stabilityScoreThresh", "in [0, 1]");
  check(
    o.stabilityScoreOffset > 0 && Number.isFinite(o.stabilityScoreOffset),
    "stabilityScoreOffset",
    "positive",
  );
  check(Number.isFinite(o.maskThreshold), "maskThreshold", "a finite number");
  check(o.boxNmsThresh > 0 && o.boxNmsThresh <= 1, "boxNmsThresh", "in (0, 1]");
  return o;
}

export interface MaskGeneration {
  /** Surviving masks, by descending predicted IoU. */
  masks: SamMask[];
  width: number;
  height: number;
  counts: MaskFilterCounts & { points: number; kept: number };
  /** decode: waiting for the decoder; postprocess: everything after it (filters, upscaling, NMS). */
  timingsMs: { decode: number; postprocess: number };
}

/** The release grid over the frame: (n * n, 2) points in the image's pixels. */
export function gridPoints(frame: SamFrame, pointsPerSide: number): Float64Array {
  return scalePoints(buildPointGrid(pointsPerSide), frame.width, frame.height);
}

/**
 * Generates masks for the image of `frame`, prompting `decode` with `points` ((P, 2), the image's
 * pixels), or with the grid of `pointsPerSide` when null.
 */
export async function generateMasks(
  decode: SamPointDecoder,
  frame: SamFrame,
  points: Float64Array | null,
  overrides: Partial<AutomaticMaskOptions> = {},
): Promise<MaskGeneration> {
  const o = automaticMaskOptions(overrides);
  const prompts = points ?? gridPoints(frame, o.pointsPerSide);
  const total = prompts.length / 2;
  const counts = { points: total, decoded: 0, passedIou: 0, passedStability: 0, kept: 0 };
  const candidates: MaskCandidate[] = [];
  const timingsMs = { decode: 0, postprocess: 0 };
  let meter: UpscaledMaskMeter | null = null;
  for (let first = 0; first < total; first += o.pointsPerBatch) {
    const batch = prompts.subarray(2 * first, 2 * Math.min(total, first + o.pointsPerBatch));
    let start = performance.now();
    const decoded = await decode(batch);
    timingsMs.decode += performance.now() - start;
    if (decoded.points !== batch.length / 2) {
      throw new Error(
        `automatic masks: the decoder answered ${decoded.points} points for ${batch.length / 2}`,
      );
    }
    start = performance.now();
    if (meter === null || !samePlan(meter.plan, decoded.lowHeight, decoded.lowWidth)) {
      meter = new UpscaledMaskMeter(
        createUpscalePlan(frame, decoded.lowHeight, decoded.lowWidth),
        o.maskThreshold,
        o.stabilityScoreOffset,
      );
    }
    filterDecodedMasks(decoded, batch, meter, o, candidates, counts);
    timingsMs.postprocess += performance.now() - start;
  }
  const start = performance.now();
  const keep = nonMaxSuppression(
    candidates.map((m) => m.box),
    candidates.map((m) => m.predictedIou),
    o.boxNmsThresh,
  );
  const masks = keep.map((i): SamMask => {
    const { recording, ...record } = candidates[i];
    const crop = recording ? drawRecording(recording).mask : { width: 0, height: 0, data: new Uint8Array(0) };
    return { crop, ...record };
  });
  counts.kept = masks.length;
  timingsMs.postprocess += performance.now() - start;
  return { masks, width: frame.width, height: frame.height, counts, timingsMs };
}

function samePlan(plan: UpscalePlan, lowHeight: number, lowWidth: number): boolean {
  return plan.lowHeight === lowHeight && plan.lowWidth === lowWidth;
}
