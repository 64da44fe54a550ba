// SAM's cheap half, run for many prompts against one embedding (segment-anything
// `SamPredictor.predict_torch` with multimask output, one foreground point per prompt): a batch
// of points in, for each point a few low-resolution mask logits (SAM: 3 of 256 x 256, in the
// padded model-input frame) and their predicted IoUs out. The generator only sees the
// `SamPointDecoder` function, so tests and benchmarks can stand in a synthetic decoder.
import { ZoneError } from "@zone/shared";
import type { ModelSession } from "../runtime/onnx-runtime.ts";
import type { SamEmbedding } from "./sam-encoder.ts";
import { toInputFrame } from "./sam-preprocess.ts";

export const SAM_DECODER_INPUTS = {
  embeddings: "image_embeddings",
  coords: "point_coords",
  labels: "point_labels",
} as const;
export const SAM_DECODER_OUTPUTS = { masks: "low_res_masks", iou: "iou_scores" } as const;

export interface SamDecoderOutput {
  /** (P, K, lowHeight, lowWidth) mask logits. */
  lowRes: Float32Array;
  /** (P, K) predicted IoU of each mask. */
  iou: Float32Array;
  points: number;
  masksPerPoint: number;
  lowHeight: number;
  lowWidth: number;
}

/** Decodes (P, 2) points given in the segmented image's pixels. */
export type SamPointDecoder = (points: Float64Array) => Promise<SamDecoderOutput>;

export function onnxPointDecoder(decoder: ModelSession, embedding: SamEmbedding): SamPointDecoder {
  return async (points) => {
    const count = points.length / 2;
    const out = await decoder.run({
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
    });
    const masks = out[SAM_DECODER_OUTPUTS.masks];
    const iou = out[SAM_DECODER_OUTPUTS.iou];
    const [batch, p, k, h, w] = masks?.dims ?? [];
    const ok =
      masks?.dtype === "float32" &&
      iou?.dtype === "float32" &&
      masks.dims.length === 5 &&
      batch === 1 &&
      p === count &&
      iou.dims.join() === [1, count, k].join();
    if (!ok) {
      const describe = (name: string, t: typeof masks) =>
        `${name} ${t ? `${t.dtype}[${t.dims.join(", ")}]` : "missing"}`;
      throw new ZoneError(
        "model_error",
        `${decoder.role}: for ${count} points expected low_res_masks float32[1, ${count}, K, h, w] and iou_scores float32[1, ${count}, K]; got ${describe(SAM_DECODER_OUTPUTS.masks, masks)}, ${describe(SAM_DECODER_OUTPUTS.iou, iou)}`,
      );
    }
    return {
      lowRes: masks.data as Float32Array,
      iou: iou.data as Float32Array,
      points: count,
      masksPerPoint: k,
      lowHeight: h,
      lowWidth: w,
    };
  };
}
