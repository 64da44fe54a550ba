// Segment Anything on one image, as ZONE uses it (method section 4): embed the image once, then
// the automatic generator over the full 32 x 32 grid ("full", the release) or over only the grid
// points near the rough mask ("guided", the option). The masks come at the image's own size.
import { type SamMode, ZONE_DEFAULTS } from "@zone/shared";
import type { Mask, RgbImage } from "../image/types.ts";
import { assertSize } from "../image/types.ts";
import {
  type AutomaticMaskOptions,
  automaticMaskOptions,
  generateMasks,
  gridPoints,
  type MaskGeneration,
} from "./automatic-masks.ts";
import { guideRadius, pointsInsideGuide } from "./guided-points.ts";
import { onnxPointDecoder, type SamPointDecoder } from "./sam-decoder.ts";
import { embedImage } from "./sam-encoder.ts";
import type { SamSessions } from "./sam-models.ts";
import type { SamFrame } from "./upscale-plan.ts";

export type { SamMode } from "@zone/shared";

export interface SegmentOptions {
  mode: SamMode;
  /** The rough mask M_b at the image's size; required by "guided". */
  guide: Mask | null;
  /** Guided: the guide's dilation, in grid steps. */
  guideMargin: number;
  /** The automatic generator's options (release defaults otherwise). */
  masks: Partial<AutomaticMaskOptions>;
}

export const SEGMENT_DEFAULTS: Readonly<SegmentOptions> = {
  mode: "full",
  guide: null,
  guideMargin: ZONE_DEFAULTS.edit.guideMargin,
  masks: {},
};

export interface Segmentation extends MaskGeneration {
  mode: SamMode;
  /** Points of the full grid; counts.points were decoded. */
  gridPoints: number;
  timingsMs: { preprocess: number; encode: number; decode: number; postprocess: number };
}

/** Everything after the image encoder, for any point decoder. */
export async function segmentWithDecoder(
  decode: SamPointDecoder,
  frame: SamFrame,
  options: Partial<SegmentOptions> = {},
): Promise<Segmentation> {
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  const o: SegmentOptions = { ...SEGMENT_DEFAULTS, ...given };
  const masks = automaticMaskOptions(o.masks);
  const grid = gridPoints(frame, masks.pointsPerSide);
  let points = grid;
  if (o.mode === "guided") {
    if (o.guide === null) throw new RangeError("segment: guided mode needs a guide mask");
    assertSize([o.guide], frame.width, frame.height, "guide mask");
    const radius = guideRadius(frame.width, frame.height, masks.pointsPerSide, o.guideMargin);
    points = pointsInsideGuide(grid, o.guide, radius);
  }
  const generated = await generateMasks(decode, frame, points, masks);
  return {
    ...generated,
    mode: o.mode,
    gridPoints: grid.length / 2,
    timingsMs: { preprocess: 0, encode: 0, ...generated.timingsMs },
  };
}

export async function segmentImage(
  sam: SamSessions,
  image: RgbImage,
  options: Partial<SegmentOptions> = {},
): Promise<Segmentation> {
  const embedding = await embedImage(sam.encoder, image);
  const result = await segmentWithDecoder(onnxPointDecoder(sam.decoder, embedding), embedding.frame, options);
  return { ...result, timingsMs: { ...result.timingsMs, ...embedding.timingsMs } };
}
