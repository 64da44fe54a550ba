// Fine-mask selection by Region-IoU (method section 4, paper eq. 6):
// R(j) = |S_j AND M_b| / |S_j OR M_b|, M_f = S_k for the first k of the maximum R.
// When no candidate overlaps M_b at all the release fails; we fall back to M_b and say so.
import { ZONE_DEFAULTS } from "@zone/shared";
import type { Mask } from "../image/types.ts";
import { assertSize, countOn } from "../image/types.ts";
import { filterSmallRegions } from "../kernels/connected-components.ts";

export interface RegionIouSelection {
  /** M_f after small-region removal. */
  mask: Mask;
  /** Index of the chosen candidate, or null when falling back to the rough mask. */
  index: number | null;
  /** R of the chosen candidate (0 on fallback). */
  iou: number;
  fallback: boolean;
  /** R(j) for every candidate, in input order. */
  scores: number[];
}

// Sum of the low bit of every byte: masks are 0/255, so this counts "on" pixels four at a time.
const LOW_BITS = 0x01010101;

function intersectionAndArea(rough: Mask, candidate: Mask): { intersection: number; area: number } {
  const a = rough.data;
  const b = candidate.data;
  let intersection = 0;
  let area = 0;
  const aligned = a.byteOffset % 4 === 0 && b.byteOffset % 4 === 0;
  const words = aligned ? a.length >> 2 : 0;
  if (words > 0) {
    const a32 = new Uint32Array(a.buffer, a.byteOffset, words);
    const b32 = new Uint32Array(b.buffer, b.byteOffset, words);
    for (let i = 0; i < words; i++) {
      const bits = b32[i] & LOW_BITS;
      // (bits * 0x01010101) >>> 24 adds the four bytes (each 0 or 1).
      area += Math.imul(bits, LOW_BITS) >>> 24;
      intersection += Math.imul(bits & a32[i], LOW_BITS) >>> 24;
    }
  }
  for (let i = words << 2; i < a.length; i++) {
    const bit = b[i] & 1;
    area += bit;
    intersection += bit & a[i];
  }
  return { intersection, area };
}

export function selectByRegionIou(
  rough: Mask,
  candidates: ReadonlyArray<Mask>,
  options: { minRegion?: number; smallRegions?: "exact" | "release" } = {},
): RegionIouSelection {
  const minRegion = options.minRegion ?? ZONE_DEFAULTS.compose.minRegion;
  const kind = options.smallRegions ?? ZONE_DEFAULTS.smallRegions;
  assertSize(candidates, rough.width, rough.height, "candidate segment");
  const roughArea = countOn(rough);
  const scores: number[] = [];
  let best = -1;
  let bestIou = 0;
  for (let j = 0; j < candidates.length; j++) {
    const { intersection, area } = intersectionAndArea(rough, candidates[j]);
    const union = roughArea + area - intersection;
    const iou = union > 0 ? intersection / union : 0;
    scores.push(iou);
    if (iou > bestIou) {
      bestIou = iou;
      best = j;
    }
  }
  if (best < 0) {
    return { mask: filterSmallRegions(rough, minRegion, kind), index: null, iou: 0, fallback: true, scores };
  }
  return {
    mask: filterSmallRegions(candidates[best], minRegion, kind),
    index: best,
    iou: bestIou,
    fallback: false,
    scores,
  };
}
