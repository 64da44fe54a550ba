// Work on the part of a mask that matters: the bounding box of its "on" pixels grown by a margin.
// Morphology and hole filling on a few objects in a 512 x 512 frame then touch a fraction of it.
import type { Mask } from "../image/types.ts";
import { maskBoundingBox } from "../image/types.ts";

export interface Crop {
  x0: number;
  y0: number;
  mask: Mask;
}

/** The content's bounding box grown by `margin` (clipped to the image), or null when empty. */
export function cropToContent(mask: Mask, margin: number): Crop | null {
  const box = maskBoundingBox(mask);
  if (box === null) return null;
  const x0 = Math.max(0, box.x0 - margin);
  const y0 = Math.max(0, box.y0 - margin);
  const x1 = Math.min(mask.width, box.x1 + margin);
  const y1 = Math.min(mask.height, box.y1 + margin);
  const width = x1 - x0;
  const height = y1 - y0;
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    data.set(mask.data.subarray((y0 + y) * mask.width + x0, (y0 + y) * mask.width + x1), y * width);
  }
  return { x0, y0, mask: { width, height, data } };
}

/** A full-size mask that is the crop's content at its place and off elsewhere. */
export function uncrop(crop: Crop, width: number, height: number): Mask {
  const data = new Uint8Array(width * height);
  const { x0, y0, mask } = crop;
  for (let y = 0; y < mask.height; y++) {
    data.set(mask.data.subarray(y * mask.width, (y + 1) * mask.width), (y0 + y) * width + x0);
  }
  return { width, height, data };
}
