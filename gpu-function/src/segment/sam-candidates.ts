// Segment Anything as ZONE's fine-mask stage uses it (method section 4), for the edit pipeline and
// for compose alike: the automatic generator over one working-resolution image (full grid, or the
// guided grid near the rough mask), its masks at that image's size as Region-IoU candidates, and
// the meta that says what was decoded and which candidate was chosen.
import { type SamMode, type SegmentMeta, ZoneError } from "@zone/shared";
import type { Mask, RgbImage } from "../image/types.ts";
import { samMaskToFull } from "./sam-mask.ts";
import type { SamSessions } from "./sam-models.ts";
import { type Segmentation, segmentImage } from "./segment-image.ts";

export interface SamCandidates {
  segmentation: Segmentation;
  /** Binary masks at the segmented image's size, in the generator's order. */
  candidates: Mask[];
}

/** Segments `image` near `rough` (guided) or over the whole grid (full); SAM must be loaded. */
export async function samCandidates(
  sam: SamSessions | null,
  image: RgbImage,
  rough: Mask,
  options: { mode: SamMode; guideMargin: number },
): Promise<SamCandidates> {
  if (!sam)
    throw new ZoneError("models_missing", `Segment Anything is not loaded; load it, or pass sam "off"`);
  const segmentation = await segmentImage(sam, image, {
    mode: options.mode,
    guide: options.mode === "guided" ? rough : null,
    guideMargin: options.guideMargin,
  });
  const candidates = segmentation.masks.map((m) => samMaskToFull(m, image.width, image.height));
  return { segmentation, candidates };
}

const round2 = (v: number) => Math.round(v * 100) / 100;

/** The segment part of an edit's or a compose's meta. */
export function segmentMetaOf(
  segmentation: Segmentation,
  image: SegmentMeta["image"],
  chosen: { chosenSegment: number | null; chosenIou: number | null },
): SegmentMeta {
  return {
    mode: segmentation.mode,
    image,
    gridPoints: segmentation.gridPoints,
    pointsDecoded: segmentation.counts.points,
    masksDecoded: segmentation.counts.decoded,
    passedIou: segmentation.counts.passedIou,
    passedStability: segmentation.counts.passedStability,
    measuredBy: segmentation.measuredBy,
    candidates: segmentation.counts.kept,
    chosenCandidate: chosen.chosenSegment,
    chosenIou: chosen.chosenIou,
    timingsMs: Object.fromEntries(
      Object.entries(segmentation.timingsMs).map(([k, v]) => [k, round2(v)]),
    ) as Segmentation["timingsMs"],
  };
}
