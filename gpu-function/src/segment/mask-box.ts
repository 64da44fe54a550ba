// Boxes around masks as segment-anything reports them (`batched_mask_to_box`): XYXY with the
// right and bottom edges inclusive (a one-pixel mask at (x, y) is [x, y, x, y]) and [0, 0, 0, 0]
// for an empty mask; and the XYWH form of its records (`box_xyxy_to_xywh`: w = x1 - x0).
import type { Mask } from "../image/types.ts";
import { maskBoundingBox } from "../image/types.ts";

/** [x0, y0, x1, y1], inclusive. */
export type XyxyBox = readonly [number, number, number, number];

export const EMPTY_BOX: XyxyBox = [0, 0, 0, 0];

export function maskToBox(mask: Mask): XyxyBox {
  const box = maskBoundingBox(mask);
  return box === null ? EMPTY_BOX : [box.x0, box.y0, box.x1 - 1, box.y1 - 1];
}

/** SAM's record format: [x0, y0, x1 - x0, y1 - y0] (so a one-pixel mask has width 0). */
export function boxXyxyToXywh(box: XyxyBox): [number, number, number, number] {
  return [box[0], box[1], box[2] - box[0], box[3] - box[1]];
}
