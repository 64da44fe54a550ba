// RGB -> 8-bit luma exactly as cv2.cvtColor(..., COLOR_RGB2GRAY): BT.601 weights in 14-bit fixed
// point with rounding, so the edge smoother thresholds the same integers as the release.
import type { RgbImage } from "../image/types.ts";

const R = 4899; // round(0.299 * 16384)
const G = 9617; // round(0.587 * 16384)
const B = 1868; // round(0.114 * 16384)

export function luma(image: RgbImage): Uint8Array {
  const { data } = image;
  const out = new Uint8Array(image.width * image.height);
  for (let i = 0, j = 0; i < out.length; i++, j += 3) {
    out[i] = (data[j] * R + data[j + 1] * G + data[j + 2] * B + 8192) >> 14;
  }
  return out;
}
