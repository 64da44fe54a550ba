// From the UNet's accumulated attention, (77, h', w') token-major, to the method's A (h', w', 77),
// the rough mask M_b and the difference heatmap (method section 3).

import type { Mask, RgbImage } from "../image/types.ts";
import {
  type AttentionMaps,
  attentionDifference,
  type RoughMaskOptions,
  roughMaskFromAttentionDifference,
} from "./rough-mask.ts";

/** (tokens, h, w) -> the (h, w, tokens) layout of AttentionMaps. */
export function attentionMapsFromTokenMajor(
  data: Float32Array,
  tokens: number,
  width: number,
  height: number,
): AttentionMaps {
  const plane = width * height;
  if (data.length !== tokens * plane)
    throw new RangeError(`attention: ${data.length} values for (${tokens}, ${height}, ${width})`);
  const out = new Float32Array(data.length);
  for (let t = 0; t < tokens; t++) for (let p = 0; p < plane; p++) out[p * tokens + t] = data[t * plane + p];
  return { width, height, tokens, data: out };
}

export interface Localization {
  rough: Mask;
  /** (H, W) 8-bit difference map D at the working resolution. */
  difference: Uint8Array;
}

/** D once, at the working resolution; M_b thresholds it. */
export function localize(
  maps: AttentionMaps,
  tokenCount: number,
  width: number,
  height: number,
  options: Partial<RoughMaskOptions> = {},
): Localization {
  const difference = attentionDifference(maps, tokenCount, width, height);
  return { rough: roughMaskFromAttentionDifference(difference, width, height, options), difference };
}

// A short perceptual ramp (dark blue -> cyan -> yellow -> red) for the heatmap.
const RAMP: Array<[number, number, number]> = [
  [20, 20, 120],
  [0, 170, 220],
  [250, 220, 40],
  [220, 30, 30],
];

/** The difference map as a heatmap laid at 55% over the image (attention.png). */
export function attentionHeatmap(image: RgbImage, difference: Uint8Array): RgbImage {
  const data = new Uint8Array(image.data.length);
  for (let i = 0; i < difference.length; i++) {
    const x = (difference[i] / 255) * (RAMP.length - 1);
    const k = Math.min(RAMP.length - 2, Math.floor(x));
    const f = x - k;
    for (let c = 0; c < 3; c++) {
      const colour = RAMP[k][c] * (1 - f) + RAMP[k + 1][c] * f;
      data[i * 3 + c] = Math.round(0.45 * image.data[i * 3 + c] + 0.55 * colour);
    }
  }
  return { width: image.width, height: image.height, data };
}
