// The per-batch half of the automatic generator (segment-anything `_process_batch`, no crops):
// drop masks whose predicted IoU is not above the threshold (before touching their logits), then
// those whose stability score is under its threshold, and keep the rest with their box, area and
// a recording of the mask (upscaled to the image, cut at the mask threshold), drawn only for the
// masks that survive NMS.

import type { MaskRecording } from "./mask-recording.ts";
import { readMaskStats } from "./mask-statistics.ts";
import type { SamDecoderOutput } from "./sam-decoder.ts";
import type { SamMask } from "./sam-mask.ts";
import { passesThreshold, stabilityFromCounts } from "./stability-score.ts";
import type { MaskMeasure, UpscaledMaskMeter } from "./upscaled-mask-meter.ts";

/**
 * A mask that passed the filters: its record, and the mask as a recording (null when empty;
 * undefined when measured from the decoder's statistics, to be drawn if it survives NMS).
 */
export type MaskCandidate = Omit<SamMask, "crop"> & { recording?: MaskRecording | null };

export interface MaskFilterThresholds {
  /** Keep masks with predicted IoU > this (0 disables the filter). */
  predIouThresh: number;
  /** Keep masks with stability score >= this (0 disables the filter). */
  stabilityScoreThresh: number;
}

export interface MaskFilterCounts {
  /** Masks the decoder returned. */
  decoded: number;
  passedIou: number;
  passedStability: number;
}

/** How the filters measure mask `index` of a batch, and keep or drop what they measured. */
interface MaskSource {
  measure(index: number): MaskMeasure;
  /** The measured mask to keep (undefined: to be drawn later). */
  keep(): MaskRecording | null | undefined;
  drop(): void;
}

/**
 * Appends the masks of one decoder batch that pass both filters to `out`, in the reference's
 * order (point by point, then the decoder's masks for it). `points` are the batch's prompts in
 * the image (P, 2); `meter` was built for this image with the mask threshold and offset.
 */
export function filterDecodedMasks(
  decoded: SamDecoderOutput,
  points: Float64Array,
  meter: UpscaledMaskMeter,
  thresholds: MaskFilterThresholds,
  out: MaskCandidate[],
  counts: MaskFilterCounts,
): void {
  const { lowRes, lowHeight, lowWidth } = decoded;
  if (lowRes === null) throw new Error("automatic masks: the decoder returned no logits to measure");
  const source: MaskSource = {
    measure: (index) => meter.measure(lowRes, index * lowHeight * lowWidth),
    keep: () => meter.record(),
    drop: () => meter.discard(),
  };
  filterMasks(decoded, points, source, thresholds, out, counts);
}

/**
 * The same filters over the decoder's own statistics (mask-statistics.ts), without reading any
 * logits: candidates come out without a recording, to be drawn after NMS.
 */
export function filterByStatistics(
  decoded: SamDecoderOutput & { stats: Int32Array },
  points: Float64Array,
  thresholds: MaskFilterThresholds,
  out: MaskCandidate[],
  counts: MaskFilterCounts,
): void {
  const source: MaskSource = {
    measure: (index) => readMaskStats(decoded.stats, index),
    keep: () => undefined,
    drop: () => {},
  };
  filterMasks(decoded, points, source, thresholds, out, counts);
}

function filterMasks(
  decoded: SamDecoderOutput,
  points: Float64Array,
  source: MaskSource,
  thresholds: MaskFilterThresholds,
  out: MaskCandidate[],
  counts: MaskFilterCounts,
): void {
  const { masksPerPoint } = decoded;
  for (let p = 0; p < decoded.points; p++) {
    for (let k = 0; k < masksPerPoint; k++) {
      const index = p * masksPerPoint + k;
      counts.decoded++;
      const predictedIou = decoded.iou[index];
      if (thresholds.predIouThresh > 0 && !passesThreshold(predictedIou, thresholds.predIouThresh, false)) {
        continue;
      }
      counts.passedIou++;
      const measure = source.measure(index);
      const stabilityScore = stabilityFromCounts(measure.aboveHigh, measure.aboveLow);
      if (
        thresholds.stabilityScoreThresh > 0 &&
        !passesThreshold(stabilityScore, thresholds.stabilityScoreThresh, true)
      ) {
        source.drop();
        continue;
      }
      counts.passedStability++;
      const recording = source.keep();
      out.push({
        ...(recording === undefined ? {} : { recording }),
        box: measure.box ?? [0, 0, 0, 0],
        area: measure.area,
        predictedIou,
        stabilityScore,
        point: [points[2 * p], points[2 * p + 1]],
        level: k,
      });
    }
  }
}
