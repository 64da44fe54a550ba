// Hole filling: every off pixel that cannot reach the image border through 4-connected off
// pixels becomes on. This is what drawing the external contours filled does (cv2.findContours
// with RETR_EXTERNAL + FILLED): the foreground is 8-connected, so the background is 4-connected.
import type { Mask } from "../image/types.ts";
import { cropToContent, uncrop } from "./crop.ts";

/**
 * Works on the bounding box of the content: outside it everything is background that reaches the
 * border, and a background pixel on the box's edge touches that outside.
 */
export function fillHoles(mask: Mask): Mask {
  const crop = cropToContent(mask, 0);
  if (crop === null)
    return { width: mask.width, height: mask.height, data: new Uint8Array(mask.data.length) };
  return uncrop({ ...crop, mask: fillHolesInFrame(crop.mask) }, mask.width, mask.height);
}

function fillHolesInFrame(mask: Mask): Mask {
  const { width, height, data } = mask;
  const n = width * height;
  const outside = new Uint8Array(n); // 1 = background reachable from the border
  const queue = new Int32Array(n);
  let head = 0;
  let tail = 0;
  const seed = (i: number): void => {
    if (data[i] === 0 && outside[i] === 0) {
      outside[i] = 1;
      queue[tail++] = i;
    }
  };
  for (let x = 0; x < width; x++) {
    seed(x);
    seed((height - 1) * width + x);
  }
  for (let y = 0; y < height; y++) {
    seed(y * width);
    seed(y * width + width - 1);
  }
  while (head < tail) {
    const i = queue[head++];
    const x = i % width;
    if (x > 0) seed(i - 1);
    if (x < width - 1) seed(i + 1);
    if (i >= width) seed(i - width);
    if (i < n - width) seed(i + width);
  }
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = outside[i] === 1 ? 0 : 255;
  return { width, height, data: out };
}
