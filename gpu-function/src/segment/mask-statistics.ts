// Segment Anything's per-mask statistics computed inside the exported decoder's graph (an
// optional extension of the samDecoder contract; infra/export/README.md, "Mask statistics"):
// given `image_frame` = [input height, input width, image height, image width], the graph
// upscales every low-resolution mask to the image exactly as `Sam.postprocess_masks` does and
// returns `mask_stats` int32 (1, P, K, 7) = [count(m > +1), count(m > 0), count(m > -1), x0, y0,
// x1, y1], the box inclusive and all zero for an empty mask.
//
// Why: the automatic generator needs these numbers for every mask that passes the predicted-IoU
// filter (about 1700 of 3072 on a typical image), and on the host that means reading ~110 M
// logits (~300 ms here, bound by memory bandwidth), while on the GPU it is a few milliseconds,
// as in the reference, which post-processes in torch on the device. The host then only reads 7
// numbers per mask and decodes again the few points whose masks survive NMS to draw them. The
// CPU fixture bundle leaves the extension out: ONNX Runtime's CPU upscale would cost ~0.3 s per
// batch, more than the host-side meter (upscaled-mask-meter.ts), which stays the fallback.
import type { HostTensor } from "../runtime/onnx-runtime.ts";
import type { SamFrame } from "./upscale-plan.ts";
import type { MaskMeasure } from "./upscaled-mask-meter.ts";

export const MASK_STATS_INPUT = "image_frame";
export const MASK_STATS_OUTPUT = "mask_stats";
/** Values per mask: three counts, then the box. */
export const MASK_STATS_WIDTH = 7;
/** The cut-offs baked into the graph: SAM's mask threshold 0 and stability offset 1. */
export const MASK_STATS_CUTS = { maskThreshold: 0, stabilityScoreOffset: 1 } as const;

/**
 * Whether a samDecoder signature has the statistics: null when it has half of the pair (the
 * problem is then `statisticsPairProblem`'s message).
 */
export function signatureHasStatistics(spec: {
  inputs: ReadonlyArray<{ name: string }>;
  outputs: ReadonlyArray<{ name: string }>;
}): boolean | null {
  const input = spec.inputs.some((t) => t.name === MASK_STATS_INPUT);
  const output = spec.outputs.some((t) => t.name === MASK_STATS_OUTPUT);
  return input === output ? input : null;
}

/** The problem with a signature that has half of the pair, or null. */
export function statisticsPairProblem(spec: Parameters<typeof signatureHasStatistics>[0]): string | null {
  if (signatureHasStatistics(spec) !== null) return null;
  const has = spec.inputs.some((t) => t.name === MASK_STATS_INPUT) ? MASK_STATS_INPUT : MASK_STATS_OUTPUT;
  return `the mask statistics need both the ${MASK_STATS_INPUT} input and the ${MASK_STATS_OUTPUT} output; the model has only ${has}`;
}

/** Whether statistics computed at the graph's fixed cut-offs answer for these options. */
export function statisticsApply(o: { maskThreshold: number; stabilityScoreOffset: number }): boolean {
  return (
    o.maskThreshold === MASK_STATS_CUTS.maskThreshold &&
    o.stabilityScoreOffset === MASK_STATS_CUTS.stabilityScoreOffset
  );
}

/** The `image_frame` input for a frame: int64 [input height, input width, image height, image width]. */
export function imageFrameTensor(frame: SamFrame): HostTensor {
  return {
    dtype: "int64",
    data: BigInt64Array.from([frame.inputHeight, frame.inputWidth, frame.height, frame.width], BigInt),
    dims: [4],
  };
}

/** Mask `index` (point * K + level) of a (1, P, K, 7) `mask_stats` output. */
export function readMaskStats(stats: Int32Array, index: number): MaskMeasure {
  const at = index * MASK_STATS_WIDTH;
  const area = stats[at + 1];
  return {
    aboveHigh: stats[at],
    area,
    aboveLow: stats[at + 2],
    box: area > 0 ? [stats[at + 3], stats[at + 4], stats[at + 5], stats[at + 6]] : null,
  };
}
