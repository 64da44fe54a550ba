// The file side of Segment Anything's candidates (`zone segment`, `zone edit --save-candidates`):
// one PNG per mask (0/255, the segmented image's size, named by rank so that `zone compose
// --segments DIR` reads them in the same order) and a JSON file with each mask's predicted IoU,
// stability score and box, as segment-anything's records hold them.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { encodePng } from "../image/io.ts";
import { boxXyxyToXywh } from "../segment/mask-box.ts";
import { samMaskToFull } from "../segment/sam-mask.ts";
import type { Segmentation } from "../segment/segment-image.ts";

export interface CandidateRecord {
  file: string;
  predictedIou: number;
  stabilityScore: number;
  /** SAM's XYWH (w = x1 - x0 on the inclusive box). */
  bbox: [number, number, number, number];
  /** Inclusive [x0, y0, x1, y1]. */
  box: [number, number, number, number];
  area: number;
  point: [number, number];
  level: number;
}

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

/** The segmentation's summary for metadata (everything but the masks). */
export function segmentationSummary(s: Segmentation) {
  return {
    mode: s.mode,
    width: s.width,
    height: s.height,
    gridPoints: s.gridPoints,
    pointsDecoded: s.counts.points,
    masksDecoded: s.counts.decoded,
    passedIou: s.counts.passedIou,
    passedStability: s.counts.passedStability,
    measuredBy: s.measuredBy,
    redecodedPoints: s.counts.redecoded,
    candidates: s.counts.kept,
    timingsMs: Object.fromEntries(Object.entries(s.timingsMs).map(([k, v]) => [k, round(v, 2)])),
  };
}

/**
 * Writes `mask-000.png`... and `jsonName` into `dir`; returns the records in rank order.
 * `extra` is merged into the JSON (what was segmented, with which models).
 */
export async function writeCandidates(
  dir: string,
  segmentation: Segmentation,
  jsonName: string,
  extra: Record<string, unknown> = {},
): Promise<CandidateRecord[]> {
  await mkdir(dir, { recursive: true });
  const digits = Math.max(3, String(segmentation.masks.length - 1).length);
  const records: CandidateRecord[] = [];
  for (const [i, m] of segmentation.masks.entries()) {
    const file = `mask-${String(i).padStart(digits, "0")}.png`;
    await writeFile(
      join(dir, file),
      await encodePng(samMaskToFull(m, segmentation.width, segmentation.height)),
    );
    records.push({
      file,
      predictedIou: round(m.predictedIou, 6),
      stabilityScore: round(m.stabilityScore, 6),
      bbox: boxXyxyToXywh(m.box),
      box: [...m.box],
      area: m.area,
      point: [round(m.point[0], 3), round(m.point[1], 3)],
      level: m.level,
    });
  }
  const json = { ...extra, ...segmentationSummary(segmentation), masks: records };
  await writeFile(join(dir, jsonName), `${JSON.stringify(json, null, 2)}\n`);
  return records;
}
