// Segment Anything's automatic mask generation (segment-anything `SamAutomaticMaskGenerator`
// with one crop layer, the whole image): prompt the decoder with a grid of points, batch by
// batch; keep the masks that pass the predicted-IoU and stability filters; remove duplicates by
// box NMS scored by predicted IoU. This module only orchestrates; the work is in point-grid,
// mask-filter (with the upscaled-mask meter), stability-score, mask-box and box-nms.
//
// Two ways to measure the masks: a decoder with the optional in-graph statistics
// (mask-statistics.ts; the exported GPU decoder) gives each mask's counts and box, so the host
// reads no logits and afterwards decodes again only the points whose masks survive NMS, to draw
// them; any other decoder returns the logits, which the upscaled-mask meter measures on the host.
//
// Not implemented, as the method does not use them: crop layers (crop_n_layers 0) and the
// small-region post-processing (min_mask_region_area 0).

import { type SegmentMeta, ZONE_DEFAULTS } from "@zone/shared";
import { nonMaxSuppression } from "./box-nms.ts";
import {
  filterByStatistics,
  filterDecodedMasks,
  type MaskCandidate,
  type MaskFilterCounts,
} from "./mask-filter.ts";
import { type CroppedMask, drawRecording } from "./mask-recording.ts";
import { statisticsApply } from "./mask-statistics.ts";
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
  ...ZONE_DEFAULTS.sam,
  /** Points per decoder call: cost only, never the output. */
  pointsPerBatch: 64,
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
  /** redecoded: points decoded a second time to draw kept masks measured from statistics. */
  counts: MaskFilterCounts & { points: number; kept: number; redecoded: number };
  /** How the masks were measured: the decoder's statistics, or the host's meter over the logits. */
  measuredBy: SegmentMeta["measuredBy"];
  /**
   * decode: waiting for the decoder (with statistics, also the second decode of NMS survivors);
   * postprocess: everything after it (filters, upscaling, NMS, drawing).
   */
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
  const counts = { points: total, decoded: 0, passedIou: 0, passedStability: 0, kept: 0, redecoded: 0 };
  const candidates: MaskCandidate[] = [];
  const timingsMs = { decode: 0, postprocess: 0 };
  const wantStatistics = statisticsApply(o);
  let byStatistics = 0;
  let meter: UpscaledMaskMeter | null = null;
  for (let first = 0; first < total; first += o.pointsPerBatch) {
    const batch = prompts.subarray(2 * first, 2 * Math.min(total, first + o.pointsPerBatch));
    let start = performance.now();
    const decoded = await decode(batch, { statisticsOnly: wantStatistics });
    timingsMs.decode += performance.now() - start;
    checkPointCount(decoded.points, batch);
    start = performance.now();
    if (wantStatistics && decoded.stats) {
      filterByStatistics({ ...decoded, stats: decoded.stats }, batch, o, candidates, counts);
      byStatistics++;
    } else {
      meter = meterFor(meter, frame, decoded.lowHeight, decoded.lowWidth, o);
      filterDecodedMasks(decoded, batch, meter, o, candidates, counts);
    }
    timingsMs.postprocess += performance.now() - start;
  }
  const start = performance.now();
  const keep = nonMaxSuppression(
    candidates.map((m) => m.box),
    candidates.map((m) => m.predictedIou),
    o.boxNmsThresh,
  );
  const kept = keep.map((i) => candidates[i]);
  timingsMs.postprocess += performance.now() - start;
  const drawn = await drawPending(decode, frame, kept, o, timingsMs, counts);
  const drawStart = performance.now();
  const masks = kept.map((candidate, k): SamMask => {
    const { recording, ...record } = candidate;
    const redrawn = drawn.get(k);
    if (redrawn) return { ...record, ...redrawn.measure, crop: redrawn.mask.mask };
    // Measured from statistics but drawn empty (a tie at the threshold): an empty mask.
    if (recording === undefined) return { ...record, area: 0, box: [0, 0, 0, 0], crop: EMPTY };
    return { ...record, crop: recording ? drawRecording(recording).mask : EMPTY };
  });
  timingsMs.postprocess += performance.now() - drawStart;
  counts.kept = masks.length;
  const measuredBy = byStatistics > 0 ? "decoder-statistics" : "host-meter";
  return { masks, width: frame.width, height: frame.height, counts, measuredBy, timingsMs };
}

const EMPTY = { width: 0, height: 0, data: new Uint8Array(0) };

function checkPointCount(answered: number, batch: Float64Array): void {
  if (answered !== batch.length / 2) {
    throw new Error(`automatic masks: the decoder answered ${answered} points for ${batch.length / 2}`);
  }
}

function meterFor(
  meter: UpscaledMaskMeter | null,
  frame: SamFrame,
  lowHeight: number,
  lowWidth: number,
  o: AutomaticMaskOptions,
): UpscaledMaskMeter {
  if (meter !== null && samePlan(meter.plan, lowHeight, lowWidth)) return meter;
  return new UpscaledMaskMeter(
    createUpscalePlan(frame, lowHeight, lowWidth),
    o.maskThreshold,
    o.stabilityScoreOffset,
  );
}

interface DrawnMask {
  mask: CroppedMask;
  /** The drawn mask's own area and box, which replace the statistics' (equal but for ties). */
  measure: { area: number; box: [number, number, number, number] };
}

/**
 * Draws the kept masks measured from statistics (recording undefined): their points are decoded
 * again, batch by batch, and the meter draws the chosen levels from the logits. Keyed by index
 * in `kept`; an empty drawing is left out (the caller gives an empty crop).
 */
async function drawPending(
  decode: SamPointDecoder,
  frame: SamFrame,
  kept: MaskCandidate[],
  o: AutomaticMaskOptions,
  timingsMs: { decode: number; postprocess: number },
  counts: { redecoded: number },
): Promise<Map<number, DrawnMask>> {
  const drawn = new Map<number, DrawnMask>();
  const pending = kept.flatMap((m, k) => (m.recording === undefined ? [k] : []));
  // One prompt per distinct point; each kept level of it is drawn from the same decode.
  const pointOf = new Map<string, number>();
  const points: number[] = [];
  for (const k of pending) {
    const key = kept[k].point.join();
    if (!pointOf.has(key)) {
      pointOf.set(key, points.length / 2);
      points.push(...kept[k].point);
    }
  }
  counts.redecoded = points.length / 2;
  let meter: UpscaledMaskMeter | null = null;
  for (let first = 0; first < points.length / 2; first += o.pointsPerBatch) {
    const batch = Float64Array.from(points.slice(2 * first, 2 * (first + o.pointsPerBatch)));
    let start = performance.now();
    const decoded = await decode(batch);
    timingsMs.decode += performance.now() - start;
    checkPointCount(decoded.points, batch);
    if (decoded.lowRes === null) throw new Error("automatic masks: the decoder returned no logits to draw");
    start = performance.now();
    meter = meterFor(meter, frame, decoded.lowHeight, decoded.lowWidth, o);
    const size = decoded.lowHeight * decoded.lowWidth;
    for (const k of pending) {
      const p = (pointOf.get(kept[k].point.join()) ?? -1) - first;
      if (p < 0 || p >= decoded.points) continue;
      // The statistics' box bounds the mask: only the logits under it are read.
      const index = p * decoded.masksPerPoint + kept[k].level;
      const measure = meter.measure(decoded.lowRes, index * size, kept[k].box);
      const mask = meter.takeMask();
      if (mask && measure.box) drawn.set(k, { mask, measure: { area: measure.area, box: measure.box } });
    }
    timingsMs.postprocess += performance.now() - start;
  }
  return drawn;
}

function samePlan(plan: UpscalePlan, lowHeight: number, lowWidth: number): boolean {
  return plan.lowHeight === lowHeight && plan.lowWidth === lowWidth;
}
