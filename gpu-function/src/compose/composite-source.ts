// The layer composited over the input in the input's own terms (colour space, bit depth, alpha):
// colour = round((C a + B (255 - a)) / 255) with the layer's 8-bit alpha a, at 8 or 16 bits, the
// same "over" as composite.ts. The input's alpha channel is kept byte for byte everywhere, inside
// the edit too: the method edits colour, so an edit drawn over fully transparent pixels changes
// only their hidden colour. Pixels where the layer's alpha is 0 are copied untouched.
import type { SourceLayer } from "../image/colour.ts";
import type { SourceImage } from "../image/source-image.ts";
import type { BoundingBox } from "../image/types.ts";

export function compositeOverSource(layer: SourceLayer | null, source: SourceImage): SourceImage {
  const data = source.data.slice();
  if (layer === null) return { ...source, data };
  const { box, colour, alpha } = layer;
  const n = source.channels;
  const w = box.x1 - box.x0;
  for (let y = box.y0; y < box.y1; y++) {
    for (let x = box.x0; x < box.x1; x++) {
      const j = (y - box.y0) * w + (x - box.x0);
      const a = alpha[j];
      if (a === 0) continue;
      const o = (y * source.width + x) * n;
      if (a === 255) {
        data[o] = colour[j * 3];
        data[o + 1] = colour[j * 3 + 1];
        data[o + 2] = colour[j * 3 + 2];
        continue;
      }
      const b = 255 - a;
      for (let c = 0; c < 3; c++)
        data[o + c] = Math.floor((colour[j * 3 + c] * a + data[o + c] * b) / 255 + 0.5);
    }
  }
  return { ...source, data };
}

/** Interleaved samples: an RGB image (3 channels) or a decoded file in its own terms. */
export interface Samples {
  width: number;
  height: number;
  channels: number;
  data: ArrayLike<number>;
}

/** Pixels whose samples differ between two images of the same shape, and their box. */
export function changedSamples(a: Samples, b: Samples): { count: number; box: BoundingBox | null } {
  const { width, height, channels: n } = a;
  let count = 0;
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0, j = 0; y < height; y++) {
    for (let x = 0; x < width; x++, j += n) {
      let c = 0;
      while (c < n && a.data[j + c] === b.data[j + c]) c++;
      if (c < n) {
        count++;
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        y1 = y;
      }
    }
  }
  return { count, box: count === 0 ? null : { x0, y0, x1: x1 + 1, y1: y1 + 1 } };
}
