// How far the guided mode's fine mask differs from the release's (method section 4 asks us to
// report it): run the generator on the full grid and on the guided points, let Region-IoU pick
// the fine mask from each, and compare the two picks by IoU (1 when both are the same mask).
import { selectByRegionIou } from "../src/compose/region-iou.ts";
import type { Mask } from "../src/image/types.ts";
import type { AutomaticMaskOptions } from "../src/segment/automatic-masks.ts";
import type { SamPointDecoder } from "../src/segment/sam-decoder.ts";
import { samMaskToFull } from "../src/segment/sam-mask.ts";
import { type Segmentation, segmentWithDecoder } from "../src/segment/segment-image.ts";
import type { SamFrame } from "../src/segment/upscale-plan.ts";

export interface ModeOutcome {
  /** Points decoded. */
  points: number;
  candidates: number;
  /** The candidate Region-IoU picked (null: fell back to the rough mask), and its R. */
  chosen: number | null;
  regionIou: number;
  postprocessMs: number;
  fine: Mask;
}

export interface GuidedAgreement {
  full: ModeOutcome;
  guided: ModeOutcome;
  /** IoU of the two fine masks. */
  agreementIou: number;
}

export function maskIou(a: Mask, b: Mask): number {
  let inter = 0;
  let union = 0;
  for (let i = 0; i < a.data.length; i++) {
    const x = a.data[i] !== 0;
    const y = b.data[i] !== 0;
    if (x && y) inter++;
    if (x || y) union++;
  }
  return union === 0 ? 1 : inter / union;
}

function outcome(result: Segmentation, rough: Mask): ModeOutcome {
  const candidates = result.masks.map((m) => samMaskToFull(m, result.width, result.height));
  const selection = selectByRegionIou(rough, candidates);
  return {
    points: result.counts.points,
    candidates: candidates.length,
    chosen: selection.index,
    regionIou: selection.iou,
    postprocessMs: result.timingsMs.postprocess,
    fine: selection.mask,
  };
}

export async function measureGuidedAgreement(
  decode: SamPointDecoder,
  frame: SamFrame,
  rough: Mask,
  options: { masks?: Partial<AutomaticMaskOptions>; guideMargin?: number } = {},
): Promise<GuidedAgreement> {
  const full = outcome(
    await segmentWithDecoder(decode, frame, { mode: "full", masks: options.masks }),
    rough,
  );
  const guided = outcome(
    await segmentWithDecoder(decode, frame, {
      mode: "guided",
      guide: rough,
      guideMargin: options.guideMargin,
      masks: options.masks,
    }),
    rough,
  );
  return { full, guided, agreementIou: maskIou(full.fine, guided.fine) };
}
