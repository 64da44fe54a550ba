// RGB images <-> the VAE's tensors: (1, 3, H, W) float32 in [-1, 1], as diffusers' image
// processor does (x / 127.5 - 1, and back with (x / 2 + 0.5) clamped, times 255, rounded).
import type { RgbImage } from "../image/types.ts";

/** (H, W, 3) uint8 -> (1, 3, H, W) in [-1, 1]. */
export function imageToTensor(image: RgbImage): Float32Array {
  const { width, height, data } = image;
  const plane = width * height;
  const out = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) {
    out[i] = data[i * 3] / 127.5 - 1;
    out[plane + i] = data[i * 3 + 1] / 127.5 - 1;
    out[2 * plane + i] = data[i * 3 + 2] / 127.5 - 1;
  }
  return out;
}

/** (1, 3, H, W) in [-1, 1] -> (H, W, 3) uint8. */
export function tensorToImage(tensor: Float32Array, width: number, height: number): RgbImage {
  const plane = width * height;
  if (tensor.length !== 3 * plane)
    throw new RangeError(`tensorToImage: ${tensor.length} values for 3x${height}x${width}`);
  const data = new Uint8Array(plane * 3);
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) {
      const v = (tensor[c * plane + i] / 2 + 0.5) * 255;
      data[i * 3 + c] = Math.round(Math.min(255, Math.max(0, v)));
    }
  }
  return { width, height, data };
}
