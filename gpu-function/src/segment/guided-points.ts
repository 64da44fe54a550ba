// The guided mode's prompts (method section 4, option "guided"): only the grid points that fall
// inside a dilation of the rough mask M_b. A segment that does not overlap M_b has Region-IoU 0
// and can never be chosen, so decoding points far from it is wasted work; the dilation (one grid
// step by default) keeps the points just outside M_b, whose segments may still cover it.
import type { Mask } from "../image/types.ts";
import { dilateSquare } from "../kernels/morphology.ts";

/** The dilation radius in pixels: `margin` grid steps of the long side. */
export function guideRadius(width: number, height: number, pointsPerSide: number, margin: number): number {
  if (!(margin >= 0 && Number.isFinite(margin))) {
    throw new RangeError(`guide margin must be a non-negative number of grid steps, got ${margin}`);
  }
  return Math.ceil((margin * Math.max(width, height)) / pointsPerSide);
}

/** The (x, y) points whose pixel is within `radius` (Chebyshev distance) of an "on" guide pixel. */
export function pointsInsideGuide(points: Float64Array, guide: Mask, radius: number): Float64Array {
  const region = radius > 0 ? dilateSquare(guide, 2 * radius + 1) : guide;
  const { width, height, data } = region;
  const kept: number[] = [];
  for (let k = 0; k < points.length; k += 2) {
    const x = Math.min(width - 1, Math.max(0, Math.floor(points[k])));
    const y = Math.min(height - 1, Math.max(0, Math.floor(points[k + 1])));
    if (data[y * width + x] !== 0) kept.push(points[k], points[k + 1]);
  }
  return Float64Array.from(kept);
}
