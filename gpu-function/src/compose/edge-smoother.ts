// FFT edge smoother (method section 5, paper eq. 7): from the dilated fine mask M_d to the final
// mask M_f*: low-passed difference inside M_d, threshold, 21x21 closing, hole filling.
import { type DifferenceChannels, ZONE_DEFAULTS } from "@zone/shared";
import type { Mask, RgbImage } from "../image/types.ts";
import { fillHoles } from "../kernels/fill-holes.ts";
import { closeSquare } from "../kernels/morphology.ts";
import { lowPassDifference, lowPassRadius } from "./low-pass-difference.ts";

export interface EdgeSmootherOptions {
  /** "rgb" (default): per-channel maximum, catches hue-only edits; "luma": BT.601; "release": its grey. */
  channels: DifferenceChannels;
  /** D0 at a 512 px long side; scaled with the working long side. */
  radiusAt512: number;
  /** On where the 8-bit difference is above this. */
  threshold: number;
  /** Side of the square closing kernel. */
  closeSize: number;
  /** "centred" with D0 scaled to the long side, or the release's cv2.circle with D0 fixed. */
  disc: "centred" | "release";
  /** The 8-bit magnitude: "clip" at 255, or "wrap" as the release does. */
  magnitude: "clip" | "wrap";
}

export const EDGE_SMOOTHER_DEFAULTS: Readonly<EdgeSmootherOptions> = ZONE_DEFAULTS.compose.edge;

/** Thresholded low-pass difference: 255 where the difference exceeds `threshold`. */
export function thresholdDifference(
  difference: Uint8Array,
  width: number,
  height: number,
  threshold: number,
): Mask {
  const data = new Uint8Array(difference.length);
  for (let i = 0; i < data.length; i++) data[i] = difference[i] > threshold ? 255 : 0;
  return { width, height, data };
}

export function edgeSmoother(
  edited: RgbImage,
  original: RgbImage,
  dilated: Mask,
  options: Partial<EdgeSmootherOptions> = {},
): Mask {
  const o = { ...EDGE_SMOOTHER_DEFAULTS, ...options };
  const { width, height } = original;
  const difference = lowPassDifference(edited, original, dilated, {
    channels: o.channels,
    // The release draws D0 = 200 whatever the size; we scale it with the long side.
    radius: o.disc === "release" ? o.radiusAt512 : lowPassRadius(width, height, o.radiusAt512),
    disc: o.disc,
    magnitude: o.magnitude,
  });
  const thresholded = thresholdDifference(difference, width, height, o.threshold);
  return fillHoles(closeSquare(thresholded, o.closeSize));
}
