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

/**
 * The release's filter_small_regions (utils/mask_utils.py), kept for `fidelity: "release"`:
 * scipy.ndimage.label (4-connectivity, labels in raster order), then per label i its "area" is
 * the sum of the label values over its bounding box where the label is i, i.e. i x count, and a
 * component under `minPixels` by that measure has its whole bounding box zeroed, pixels of other
 * components inside it included.
 */
export function filterSmallRegionsAsRelease(mask: Mask, minPixels: number): Mask {
  const { width, height } = mask;
  const { labels, sizes, count } = labelComponents(mask);
  const x0 = new Int32Array(count + 1).fill(width);
  const y0 = new Int32Array(count + 1).fill(height);
  const x1 = new Int32Array(count + 1).fill(-1);
  const y1 = new Int32Array(count + 1).fill(-1);
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) {
      const l = labels[i];
      if (l === 0) continue;
      if (x < x0[l]) x0[l] = x;
      if (x > x1[l]) x1[l] = x;
      if (y < y0[l]) y0[l] = y;
      y1[l] = y;
    }
  }
  const out = new Uint8Array(mask.data);
  for (let l = 1; l <= count; l++) {
    if (l * sizes[l] >= minPixels) continue;
    for (let y = y0[l]; y <= y1[l]; y++) out.fill(0, y * width + x0[l], y * width + x1[l] + 1);
  }
  return { width, height, data: out };
}

/** The small-region filter of the given kind: "exact" (the method) or "release". */
export function filterSmallRegions(mask: Mask, minPixels: number, kind: "exact" | "release"): Mask {
  return kind === "exact"
    ? removeSmallComponents(mask, minPixels)
    : filterSmallRegionsAsRelease(mask, minPixels);
}
