// Re-composing a chain of edits without diffusion (method section 6): each turn's RGBA layer (the
// full-resolution, 8-bit sRGB layer an edit returns) composited "over" the original in order, with
// the very composite a turn's edit applied to its input (composeOverOriginal): on the fast path
// (8-bit, opaque, untagged) `compositeOver` with the turn's ring rounding, otherwise the layer
// converted into the image's own terms (`layerInSourceTerms`) and `compositeOverSource`. So the
// layers of turns 1..k over the original give turn k's result exactly, as long as every turn's
// input was its parent's lossless result (the gateway refuses lossy parents). Leaving out a turn
// that a later one was computed over is allowed but approximate: a later layer was made from an
// image that contained the earlier ones, and it is laid over one that does not.

import { layerInSourceTerms } from "../image/colour.ts";
import type { SourceImage } from "../image/source-image.ts";
import type { RgbaImage } from "../image/types.ts";
import { compositeOver } from "./composite.ts";
import { compositeOverSource } from "./composite-source.ts";

export interface RenderTurn {
  layer: RgbaImage;
  /** The ring blend of the fast path, from the turn's fidelity (release: truncated). */
  ring: "round" | "truncate";
}

/** The composites decodeInput's fast path takes: 8-bit, opaque, untagged. */
export function isFastPath(image: SourceImage): boolean {
  return image.depth === 8 && image.channels === 3 && image.icc === null;
}

/** `original` with each turn's layer laid over it, in order; the original is not modified. */
export async function renderLayers(
  original: SourceImage,
  turns: ReadonlyArray<RenderTurn>,
): Promise<SourceImage> {
  let canvas: SourceImage = { ...original, data: original.data.slice() };
  const fast = isFastPath(original);
  for (const { layer, ring } of turns) {
    if (layer.width !== original.width || layer.height !== original.height)
      throw new RangeError(
        `a layer is ${layer.width}x${layer.height}, the original ${original.width}x${original.height}`,
      );
    if (fast) {
      const rgb = { width: canvas.width, height: canvas.height, data: canvas.data as Uint8Array };
      canvas = { ...canvas, data: compositeOver(layer, rgb, ring).data };
    } else {
      canvas = compositeOverSource(await layerInSourceTerms(layer, canvas), canvas);
    }
  }
  return canvas;
}
