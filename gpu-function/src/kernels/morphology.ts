// Binary morphology with square structuring elements, O(pixels) whatever the kernel size.
//
// A square kernel is separable, and a binary min/max over a sliding window is a running count,
// so each pass is one sweep per row or column. Border semantics follow OpenCV's defaults for
// cv2.dilate / cv2.erode / MORPH_CLOSE: pixels outside the image never count (dilation sees them
// as off, erosion as on). Iterating a 3x3 dilation k times equals one (2k+1)x(2k+1) dilation.
import type { Mask } from "../image/types.ts";
import { cropToContent, uncrop } from "./crop.ts";

type Operation = "dilate" | "erode";

// One 1-D pass along rows (axis x) or columns (axis y) with running counts of the "trigger"
// class in the window: on pixels for dilation (output on when any), off pixels for erosion
// (output off when any in-image pixel is off). Masks hold 0/255, so `v & 1` is the bit.
function pass1d(
  src: Uint8Array,
  dst: Uint8Array,
  width: number,
  height: number,
  radius: number,
  axis: "x" | "y",
  op: Operation,
): void {
  const flip = op === "dilate" ? 0 : 1; // trigger bit = (v & 1) ^ flip
  const hit = op === "dilate" ? 255 : 0;
  const miss = 255 - hit;
  if (axis === "x") {
    for (let y = 0; y < height; y++) {
      const base = y * width;
      let count = 0;
      for (let i = 0; i < radius && i < width; i++) count += (src[base + i] & 1) ^ flip;
      for (let i = 0; i < width; i++) {
        if (i + radius < width) count += (src[base + i + radius] & 1) ^ flip;
        if (i - radius - 1 >= 0) count -= (src[base + i - radius - 1] & 1) ^ flip;
        dst[base + i] = count > 0 ? hit : miss;
      }
    }
    return;
  }
  // Columns, swept row by row with one running count per column (cache friendly).
  const counts = new Int32Array(width);
  for (let y = 0; y < radius && y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) counts[x] += (src[row + x] & 1) ^ flip;
  }
  for (let y = 0; y < height; y++) {
    if (y + radius < height) {
      const enter = (y + radius) * width;
      for (let x = 0; x < width; x++) counts[x] += (src[enter + x] & 1) ^ flip;
    }
    if (y - radius - 1 >= 0) {
      const leave = (y - radius - 1) * width;
      for (let x = 0; x < width; x++) counts[x] -= (src[leave + x] & 1) ^ flip;
    }
    const row = y * width;
    for (let x = 0; x < width; x++) dst[row + x] = counts[x] > 0 ? hit : miss;
  }
}

function squareOp(mask: Mask, size: number, op: Operation): Mask {
  if (!Number.isInteger(size) || size < 1 || size % 2 === 0) {
    throw new RangeError(`kernel size must be a positive odd integer, got ${size}`);
  }
  const { width, height } = mask;
  const radius = (size - 1) / 2;
  if (radius === 0) return { width, height, data: mask.data.slice() };
  const tmp = new Uint8Array(width * height);
  const out = new Uint8Array(width * height);
  pass1d(mask.data, tmp, width, height, radius, "x", op);
  pass1d(tmp, out, width, height, radius, "y", op);
  return { width, height, data: out };
}

/** Dilation with a size x size square. */
export function dilateSquare(mask: Mask, size: number): Mask {
  return squareOp(mask, size, "dilate");
}

/** Erosion with a size x size square. */
export function erodeSquare(mask: Mask, size: number): Mask {
  return squareOp(mask, size, "erode");
}

/** `iterations` dilations with a 3x3 square (cv2.dilate(m, ones(3,3), iterations=k)). */
export function dilate3x3(mask: Mask, iterations: number): Mask {
  if (!Number.isInteger(iterations) || iterations < 0) {
    throw new RangeError(`iterations must be a non-negative integer, got ${iterations}`);
  }
  // Nothing grows further than `iterations` pixels from the content.
  const crop = cropToContent(mask, iterations);
  if (crop === null)
    return { width: mask.width, height: mask.height, data: new Uint8Array(mask.data.length) };
  return uncrop({ ...crop, mask: dilateSquare(crop.mask, 2 * iterations + 1) }, mask.width, mask.height);
}

/**
 * Morphological closing (dilate, then erode) with a size x size square. Computed on the content's
 * box grown by twice the radius: dilation reaches one radius out, and every pixel within a radius
 * of the crop's inner edges is off after dilation, so it stays off whatever erosion sees there.
 */
export function closeSquare(mask: Mask, size: number): Mask {
  const crop = cropToContent(mask, size - 1);
  if (crop === null)
    return { width: mask.width, height: mask.height, data: new Uint8Array(mask.data.length) };
  return uncrop({ ...crop, mask: erodeSquare(dilateSquare(crop.mask, size), size) }, mask.width, mask.height);
}
