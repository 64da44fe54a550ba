// A rough mask without attention maps: the thresholded low-pass difference between the edited and
// the original image over the whole frame. It turns any global editor's output into a local edit
// (`zone compose` without --rough): only regions that changed beyond the threshold survive.
import { type DifferenceChannels, ZONE_DEFAULTS } from "@zone/shared";
import { thresholdDifference } from "../compose/edge-smoother.ts";
import { lowPassDifference, lowPassRadius } from "../compose/low-pass-difference.ts";
import type { Mask, RgbImage } from "../image/types.ts";
import { filterSmallRegions } from "../kernels/connected-components.ts";

export interface RoughFromDifferenceOptions {
  channels: DifferenceChannels;
  radiusAt512: number;
  threshold: number;
  minRegion: number;
  smallRegions: "exact" | "release";
}

export const ROUGH_FROM_DIFFERENCE_DEFAULTS: Readonly<RoughFromDifferenceOptions> = {
  channels: ZONE_DEFAULTS.compose.edge.channels,
  radiusAt512: ZONE_DEFAULTS.compose.edge.radiusAt512,
  threshold: ZONE_DEFAULTS.compose.edge.threshold,
  minRegion: ZONE_DEFAULTS.compose.minRegion,
  smallRegions: ZONE_DEFAULTS.smallRegions,
};

export function roughMaskFromDifference(
  edited: RgbImage,
  original: RgbImage,
  options: Partial<RoughFromDifferenceOptions> = {},
): Mask {
  const o = { ...ROUGH_FROM_DIFFERENCE_DEFAULTS, ...options };
  const { width, height } = original;
  const difference = lowPassDifference(edited, original, null, {
    channels: o.channels,
    radius: lowPassRadius(width, height, o.radiusAt512),
  });
  return filterSmallRegions(
    thresholdDifference(difference, width, height, o.threshold),
    o.minRegion,
    o.smallRegions,
  );
}
