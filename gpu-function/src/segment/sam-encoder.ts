// SAM's expensive half, run once per image (segment-anything `SamPredictor.set_image`): preprocess
// and run the image encoder; the embedding then serves every prompt the decoder gets.
import { ZoneError } from "@zone/shared";
import type { RgbImage } from "../image/types.ts";
import type { HostTensor, ModelSession } from "../runtime/onnx-runtime.ts";
import { preprocessForSam } from "./sam-preprocess.ts";
import type { SamFrame } from "./upscale-plan.ts";

export const SAM_ENCODER_INPUT = "pixel_values";
export const SAM_ENCODER_OUTPUT = "image_embeddings";

export interface SamEmbedding {
  /** (1, C, h, w) image embeddings (SAM: 256 x 64 x 64). */
  embeddings: HostTensor;
  frame: SamFrame;
  timingsMs: { preprocess: number; encode: number };
}

export async function embedImage(encoder: ModelSession, image: RgbImage): Promise<SamEmbedding> {
  let start = performance.now();
  const { pixelValues, frame } = await preprocessForSam(image);
  const preprocess = performance.now() - start;
  start = performance.now();
  const out = await encoder.run({
    [SAM_ENCODER_INPUT]: { dtype: "float32", data: pixelValues, dims: [1, 3, frame.size, frame.size] },
  });
  const embeddings = out[SAM_ENCODER_OUTPUT];
  if (embeddings?.dtype !== "float32" || embeddings.dims.length !== 4) {
    throw new ZoneError(
      "model_error",
      `${encoder.role}: expected a float32 (1, C, h, w) ${SAM_ENCODER_OUTPUT} output, got ${embeddings ? `${embeddings.dtype}[${embeddings.dims.join(", ")}]` : "none"}`,
    );
  }
  return { embeddings, frame, timingsMs: { preprocess, encode: performance.now() - start } };
}
