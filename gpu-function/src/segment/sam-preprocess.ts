// Image preprocessing for SAM's image encoder (segment-anything `ResizeLongestSide` and
// `Sam.preprocess`): resize so the long side is 1024 (bilinear, as the reference's PIL resize),
// normalise each channel with the ImageNet mean and standard deviation (0..255 units), and pad
// with zeros on the right and bottom to 1024 x 1024. Also the point transform into that frame
// (`apply_coords`). The exported encoders (transformers' SamModel) take the normalised, padded
// pixel_values, so all of this happens here.
import { resizeRgb } from "../image/resize.ts";
import type { RgbImage } from "../image/types.ts";
import type { SamFrame } from "./upscale-plan.ts";

export const SAM_IMAGE_SIZE = 1024;
export const SAM_PIXEL_MEAN: readonly [number, number, number] = [123.675, 116.28, 103.53];
export const SAM_PIXEL_STD: readonly [number, number, number] = [58.395, 57.12, 57.375];

/**
 * The frame of an image of width x height in the model input (`get_preprocess_shape`): long side
 * `size`, the other side scaled and rounded half up. At least 1 pixel (the reference would fail
 * on an image so thin that it rounds to 0).
 */
export function samFrame(width: number, height: number, size = SAM_IMAGE_SIZE): SamFrame {
  if (!(Number.isInteger(width) && Number.isInteger(height) && width >= 1 && height >= 1)) {
    throw new RangeError(`samFrame: image size must be positive integers, got ${width}x${height}`);
  }
  const scale = size / Math.max(width, height);
  return {
    width,
    height,
    size,
    inputWidth: Math.max(1, Math.trunc(width * scale + 0.5)),
    inputHeight: Math.max(1, Math.trunc(height * scale + 0.5)),
  };
}

/** (P, 2) image-frame points -> model-input-frame points (float32, for the decoder). */
export function toInputFrame(points: Float64Array, frame: SamFrame): Float32Array {
  const sx = frame.inputWidth / frame.width;
  const sy = frame.inputHeight / frame.height;
  const out = new Float32Array(points.length);
  for (let k = 0; k < points.length; k += 2) {
    out[k] = points[k] * sx;
    out[k + 1] = points[k + 1] * sy;
  }
  return out;
}

export interface SamInput {
  /** (1, 3, size, size) normalised, zero-padded. */
  pixelValues: Float32Array;
  frame: SamFrame;
}

export async function preprocessForSam(image: RgbImage, size = SAM_IMAGE_SIZE): Promise<SamInput> {
  const frame = samFrame(image.width, image.height, size);
  const resized = await resizeRgb(image, frame.inputWidth, frame.inputHeight, "linear");
  const plane = size * size;
  const pixelValues = new Float32Array(3 * plane);
  for (let y = 0; y < frame.inputHeight; y++) {
    for (let x = 0; x < frame.inputWidth; x++) {
      const from = (y * frame.inputWidth + x) * 3;
      const to = y * size + x;
      for (let c = 0; c < 3; c++) {
        pixelValues[c * plane + to] = (resized.data[from + c] - SAM_PIXEL_MEAN[c]) / SAM_PIXEL_STD[c];
      }
    }
  }
  return { pixelValues, frame };
}
