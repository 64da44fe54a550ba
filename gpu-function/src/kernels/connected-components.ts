// Connected components of a binary mask with 4-connectivity, and small-region removal.
import type { Mask } from "../image/types.ts";

export interface Components {
  /** (H, W) label per pixel: 0 for off pixels, 1..count for components in raster order. */
  labels: Int32Array;
  /** sizes[label] = pixel count; sizes[0] is unused (0). */
  sizes: number[];
  count: number;
}

export function labelComponents(mask: Mask): Components {
  const { width, height, data } = mask;
  const n = width * height;
  const labels = new Int32Array(n);
  const queue = new Int32Array(n);
  const sizes = [0];
  let count = 0;
  for (let start = 0; start < n; start++) {
    if (data[start] === 0 || labels[start] !== 0) continue;
    const label = ++count;
    let head = 0;
    let tail = 0;
    labels[start] = label;
    queue[tail++] = start;
    while (head < tail) {
      const i = queue[head++];
      const x = i % width;
      if (x > 0 && data[i - 1] !== 0 && labels[i - 1] === 0) {
        labels[i - 1] = label;
        queue[tail++] = i - 1;
      }
      if (x < width - 1 && data[i + 1] !== 0 && labels[i + 1] === 0) {
        labels[i + 1] = label;
        queue[tail++] = i + 1;
      }
      if (i >= width && data[i - width] !== 0 && labels[i - width] === 0) {
        labels[i - width] = label;
        queue[tail++] = i - width;
      }
      if (i < n - width && data[i + width] !== 0 && labels[i + width] === 0) {
        labels[i + width] = label;
        queue[tail++] = i + width;
      }
    }
    sizes.push(tail);
  }
  return { labels, sizes, count };
}

/** Drops 4-connected components with fewer than `minPixels` pixels (the method's value: ZONE_DEFAULTS). */
export function removeSmallComponents(mask: Mask, minPixels: number): Mask {
  const { labels, sizes } = labelComponents(mask);
  const out = new Uint8Array(mask.data.length);
  for (let i = 0; i < out.length; i++) {
    const label = labels[i];
    out[i] = label !== 0 && sizes[label] >= minPixels ? 255 : 0;
  }
  return { width: mask.width, height: mask.height, data: out };
}
