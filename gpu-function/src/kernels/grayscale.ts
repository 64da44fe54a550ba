// RGB -> 8-bit luma exactly as cv2.cvtColor(..., COLOR_RGB2GRAY): BT.601 weights in 14-bit fixed
// point with rounding. The release applies that conversion to BGR arrays, so its grey has the red
// and blue weights swapped: releaseGreyOf reproduces it with the same fixed point.
const R = 4899; // round(0.299 * 16384)
const G = 9617; // round(0.587 * 16384)
const B = 1868; // round(0.114 * 16384)

/** Luma of one pixel. */
export function lumaOf(r: number, g: number, b: number): number {
  return (r * R + g * G + b * B + 8192) >> 14;
}

/**
 * The release's grey: it converts RGB to BGR, then applies COLOR_RGB2GRAY to the BGR array, so
 * the red weight lands on blue: 0.114 R + 0.587 G + 0.299 B, same fixed point.
 */
export function releaseGreyOf(r: number, g: number, b: number): number {
  return lumaOf(b, g, r);
}
