// One mask proposed by the automatic generator, as segment-anything records it (box, predicted
// IoU, stability score, the prompt point), with the binary mask kept cut to its box: most
// candidates are small, and a full-size copy is made only when one is needed.
import type { Mask } from "../image/types.ts";
import type { XyxyBox } from "./mask-box.ts";

export interface SamMask {
  /** The mask (0/255) cut to `box`; 0 x 0 for an empty mask. */
  crop: Mask;
  /** Inclusive [x0, y0, x1, y1] in the segmented image; [0, 0, 0, 0] when empty. */
  box: XyxyBox;
  /** Pixels in the mask. */
  area: number;
  /** The decoder's own estimate of the mask's quality (float32). */
  predictedIou: number;
  stabilityScore: number;
  /** The prompt, in the segmented image's pixels. */
  point: [number, number];
  /** Which of the decoder's masks for that point (0..2 with multimask output). */
  level: number;
}

/** The full-size mask of a candidate in a width x height image. */
export function samMaskToFull(m: SamMask, width: number, height: number): Mask {
  const data = new Uint8Array(width * height);
  const { crop } = m;
  const [x0, y0] = m.box;
  if (x0 + crop.width > width || y0 + crop.height > height) {
    throw new RangeError(
      `samMaskToFull: a ${crop.width}x${crop.height} crop at (${x0}, ${y0}) is outside ${width}x${height}`,
    );
  }
  for (let y = 0; y < crop.height; y++) {
    data.set(crop.data.subarray(y * crop.width, (y + 1) * crop.width), (y0 + y) * width + x0);
  }
  return { width, height, data };
}
