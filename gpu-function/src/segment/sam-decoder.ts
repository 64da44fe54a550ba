// SAM's cheap half, run for many prompts against one embedding (segment-anything
// `SamPredictor.predict_torch` with multimask output, one foreground point per prompt): a batch
// of points in, for each point a few low-resolution mask logits (SAM: 3 of 256 x 256, in the
// padded model-input frame) and their predicted IoUs out; with the contract's optional mask
// statistics (mask-statistics.ts), also each mask's counts and box at the image's size, and the
// logits can be left on the device. The generator only sees the `SamPointDecoder` function, so
// tests and benchmarks can stand in a synthetic decoder.
import { ZoneError } from "@zone/shared";
import type { HostTensor, ModelSession } from "../runtime/onnx-runtime.ts";
import {
  imageFrameTensor,
  MASK_STATS_INPUT,
  MASK_STATS_OUTPUT,
  MASK_STATS_WIDTH,
  signatureHasStatistics,
  statisticsPairProblem,
} from "./mask-statistics.ts";
import type { SamEmbedding } from "./sam-encoder.ts";
import { toInputFrame } from "./sam-preprocess.ts";

export const SAM_DECODER_INPUTS = {
  embeddings: "image_embeddings",
  coords: "point_coords",
  labels: "point_labels",
} as const;
export const SAM_DECODER_OUTPUTS = { masks: "low_res_masks", iou: "iou_scores" } as const;

export interface SamDecoderOutput {
  /** (P, K, lowHeight, lowWidth) mask logits; null when only statistics were asked for and given. */
  lowRes: Float32Array | null;
  /** (P, K, 7) mask statistics (mask-statistics.ts), when the decoder computes them. */
  stats?: Int32Array;
  /** (P, K) predicted IoU of each mask. */
  iou: Float32Array;
  points: number;
  masksPerPoint: number;
  lowHeight: number;
  lowWidth: number;
}

export interface SamDecodeRequest {
  /**
   * Only predicted IoUs and statistics are needed: a decoder that computes statistics may then
   * leave the logits out (null). One without statistics ignores this and returns the logits.
   */
  statisticsOnly?: boolean;
}

/** Decodes (P, 2) points given in the segmented image's pixels. */
export type SamPointDecoder = (points: Float64Array, request?: SamDecodeRequest) => Promise<SamDecoderOutput>;

/** Whether a decoder session has the optional statistics; throws when it has half of the pair. */
export function decoderHasStatistics(decoder: ModelSession): boolean {
  const has = signatureHasStatistics(decoder.spec);
  if (has === null) {
    throw new ZoneError("model_bundle_invalid", `${decoder.role}: ${statisticsPairProblem(decoder.spec)}`);
  }
  return has;
}

export function onnxPointDecoder(decoder: ModelSession, embedding: SamEmbedding): SamPointDecoder {
  const statistics = decoderHasStatistics(decoder);
  const frameInput: Record<string, HostTensor> = statistics
    ? { [MASK_STATS_INPUT]: imageFrameTensor(embedding.frame) }
    : {};
  const allOutputs = [
    SAM_DECODER_OUTPUTS.masks,
    SAM_DECODER_OUTPUTS.iou,
    ...(statistics ? [MASK_STATS_OUTPUT] : []),
  ];
  return async (points, request = {}) => {
    const count = points.length / 2;
    const withoutLogits = statistics && request.statisticsOnly === true;
    const fetch = withoutLogits ? [SAM_DECODER_OUTPUTS.iou, MASK_STATS_OUTPUT] : allOutputs;
    const out = await decoder.run(
      {
        ...frameInput,
        [SAM_DECODER_INPUTS.embeddings]: embedding.embeddings,
        // (1, P, 1, 2): a batch of P prompts of one point each, in the 1024 frame.
        [SAM_DECODER_INPUTS.coords]: {
          dtype: "float32",
          data: toInputFrame(points, embedding.frame),
          dims: [1, count, 1, 2],
        },
        // (1, P, 1): every point is foreground.
        [SAM_DECODER_INPUTS.labels]: {
          dtype: "int64",
          data: new BigInt64Array(count).fill(1n),
          dims: [1, count, 1],
        },
      },
      fetch,
    );
    const masks = out[SAM_DECODER_OUTPUTS.masks];
    const iou = out[SAM_DECODER_OUTPUTS.iou];
    const stats = out[MASK_STATS_OUTPUT];
    const k = iou?.dims[2];
    const [batch, p, , h, w] = masks?.dims ?? [1, count, k, 0, 0];
    const ok =
      (withoutLogits || (masks?.dtype === "float32" && masks.dims.length === 5 && masks.dims[2] === k)) &&
      iou?.dtype === "float32" &&
      batch === 1 &&
      p === count &&
      iou.dims.join() === [1, count, k].join() &&
      (!statistics ||
        (stats?.dtype === "int32" && stats.dims.join() === [1, count, k, MASK_STATS_WIDTH].join()));
    if (!ok) {
      const describe = (name: string, t: typeof masks) =>
        `${name} ${t ? `${t.dtype}[${t.dims.join(", ")}]` : "missing"}`;
      throw new ZoneError(
        "model_error",
        `${decoder.role}: for ${count} points expected low_res_masks float32[1, ${count}, K, h, w] and iou_scores float32[1, ${count}, K]${statistics ? ` and mask_stats int32[1, ${count}, K, ${MASK_STATS_WIDTH}]` : ""}; got ${describe(SAM_DECODER_OUTPUTS.masks, masks)}, ${describe(SAM_DECODER_OUTPUTS.iou, iou)}${statistics ? `, ${describe(MASK_STATS_OUTPUT, stats)}` : ""}`,
      );
    }
    return {
      lowRes: masks ? (masks.data as Float32Array) : null,
      ...(stats ? { stats: stats.data as Int32Array } : {}),
      iou: iou.data as Float32Array,
      points: count,
      masksPerPoint: k,
      lowHeight: h,
      lowWidth: w,
    };
  };
}
