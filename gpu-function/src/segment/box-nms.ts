// Box non-maximum suppression as the automatic generator uses it (torchvision `nms`, reached
// through `batched_nms` with a single category): visit boxes by descending score, keep a box
// unless a kept box overlaps it with IoU > threshold. Box areas are (x1 - x0) * (y1 - y0) on
// SAM's inclusive boxes, and the arithmetic is float32 as in torchvision's CPU kernel, so
// borderline overlaps are decided the same way. Ties in score keep their input order (torch's
// sort leaves them unspecified).
import type { XyxyBox } from "./mask-box.ts";

const f = Math.fround;

/** IoU of two XYXY boxes, float32 (NaN for two zero-area boxes, as in the reference). */
export function boxIou(a: XyxyBox, b: XyxyBox): number {
  const areaA = f(f(a[2] - a[0]) * f(a[3] - a[1]));
  const areaB = f(f(b[2] - b[0]) * f(b[3] - b[1]));
  const w = Math.max(0, f(Math.min(a[2], b[2]) - Math.max(a[0], b[0])));
  const h = Math.max(0, f(Math.min(a[3], b[3]) - Math.max(a[1], b[1])));
  const inter = f(w * h);
  return f(inter / f(f(areaA + areaB) - inter));
}

/** Indices of the kept boxes, by descending score. */
export function nonMaxSuppression(
  boxes: ReadonlyArray<XyxyBox>,
  scores: ArrayLike<number>,
  iouThreshold: number,
): number[] {
  if (boxes.length !== scores.length) {
    throw new RangeError(`nonMaxSuppression: ${boxes.length} boxes but ${scores.length} scores`);
  }
  const order = Array.from({ length: boxes.length }, (_, i) => i).sort(
    (i, j) => scores[j] - scores[i] || i - j,
  );
  const suppressed = new Uint8Array(boxes.length);
  const keep: number[] = [];
  for (let a = 0; a < order.length; a++) {
    const i = order[a];
    if (suppressed[i]) continue;
    keep.push(i);
    for (let b = a + 1; b < order.length; b++) {
      const j = order[b];
      // NaN (two empty boxes) is not > threshold: neither suppresses the other.
      if (!suppressed[j] && boxIou(boxes[i], boxes[j]) > iouThreshold) suppressed[j] = 1;
    }
  }
  return keep;
}
