// The stability score of a mask (segment-anything `calculate_stability_score`): the IoU of the
// binary masks got by cutting the logits at threshold + offset and at threshold - offset. The
// first is always inside the second, so the IoU is a ratio of counts. Computed in float32 like
// the reference (int32 / int32 in torch), so threshold comparisons match it bit for bit.

/** |logits > high| / |logits > low| in float32; NaN when nothing is above `low` (0 / 0). */
export function stabilityFromCounts(aboveHigh: number, aboveLow: number): number {
  return Math.fround(aboveHigh / aboveLow);
}

/** The stability score of one mask's logits at `threshold` (SAM: 0) with `offset` (SAM: 1). */
export function stabilityScore(logits: ArrayLike<number>, threshold: number, offset: number): number {
  const high = threshold + offset;
  const low = threshold - offset;
  let aboveHigh = 0;
  let aboveLow = 0;
  for (let i = 0; i < logits.length; i++) {
    const v = logits[i];
    if (v > high) aboveHigh++;
    if (v > low) aboveLow++;
  }
  return stabilityFromCounts(aboveHigh, aboveLow);
}

/**
 * The reference's filter `score >= thresh`, with torch's float32 comparison (a Python float
 * against a float32 tensor is compared in float32). NaN (an empty mask) never passes.
 */
export function passesThreshold(score: number, thresh: number, inclusive: boolean): boolean {
  const t = Math.fround(thresh);
  return inclusive ? score >= t : score > t;
}
