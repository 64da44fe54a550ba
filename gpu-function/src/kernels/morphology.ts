// Binary morphology with square structuring elements, O(pixels) whatever the kernel size.
//
// A square kernel is separable, and a binary min/max over a sliding window is a running count,
// so each pass is one sweep per row or column. Border semantics follow OpenCV's defaults for
// cv2.dilate / cv2.erode / MORPH_CLOSE: pixels outside the image never count (dilation sees them
// as off, erosion as on). Iterating a 3x3 dilation k times equals one (2k+1)x(2k+1) dilation.
import type { Mask } from "../image/types.ts";

type Operation = "dilate" | "erode";

// One 1-D pass along rows (step 1) or columns (step width). For dilation the output is on when
// any pixel of the window is on; for erosion it is off when any in-image pixel is off.
function pass1d(
  src: Uint8Array,
  dst: Uint8Array,
  width: number,
  height: number,
  radius: number,
  axis: "x" | "y",
  op: Operation,
): void {
  const lines = axis === "x" ? height : width;
  const length = axis === "x" ? width : height;
  const step = axis === "x" ? 1 : width;
  const lineStep = axis === "x" ? width : 1;
  // Count pixels of the "trigger" class in the window: on-pixels for dilation, off for erosion.
  const triggerOn = op === "dilate";
  const hit = triggerOn ? 255 : 0;
  const miss = triggerOn ? 0 : 255;
  for (let line = 0; line < lines; line++) {
    const base = line * lineStep;
    let count = 0;
    // Window [i - radius, i + radius]; prime it with [0, radius - 1].
    for (let i = 0; i < radius && i < length; i++) {
      if ((src[base + i * step] !== 0) === triggerOn) count++;
    }
    for (let i = 0; i < length; i++) {
      const enter = i + radius;
      if (enter < length && (src[base + enter * step] !== 0) === triggerOn) count++;
      const leave = i - radius - 1;
      if (leave >= 0 && (src[base + leave * step] !== 0) === triggerOn) count--;
      dst[base + i * step] = count > 0 ? hit : miss;
    }
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
  return dilateSquare(mask, 2 * iterations + 1);
}

/** Morphological closing (dilate, then erode) with a size x size square. */
export function closeSquare(mask: Mask, size: number): Mask {
  return erodeSquare(dilateSquare(mask, size), size);
}
