// `zone segment IMAGE --out DIR`: Segment Anything's automatic masks for one image (method
// section 4), on the full 32 x 32 grid or, with --guided-by, only near a rough mask. Writes one
// PNG per mask and segments.json; the folder works as `zone compose --segments DIR`.

import { join } from "node:path";
import { ZONE_DEFAULTS } from "@zone/shared";
import { resizeMask } from "../image/resize.ts";
import { openBundle, resolveBundleDir } from "../runtime/bundle/bundle.ts";
import { loadSamSessions, releaseSamSessions } from "../segment/sam-models.ts";
import { segmentImage } from "../segment/segment-image.ts";
import { readImageArg, readMaskArg } from "./compose-files.ts";
import { type CliIo, CliUsageError } from "./io.ts";
import { parseCommandLine, parseProviders, required } from "./parse.ts";
import { segmentationSummary, writeCandidates } from "./segment-files.ts";

export const SEGMENT_USAGE = `Usage: zone segment IMAGE --out DIR [options]

Segment Anything's automatic masks for IMAGE, at its own size (release defaults: 32 x 32 point
grid, predicted IoU > 0.88, stability score >= 0.95, box NMS 0.7, no crops).

  --out DIR              writes mask-000.png... (0/255, best predicted IoU first) and segments.json
                         (predicted IoU, stability score, bbox XYWH and box of each mask)
  --models DIR|fixtures  model bundle (default: $MODELS_DIR); "fixtures" generates the tiny
                         deterministic test models (not trained: the masks are discs)
  --guided-by MASK       decode only the grid points inside a dilation of MASK (8-bit, 0/255;
                         another size is resized to the image's)
  --guide-margin N       that dilation, in grid steps (default ${ZONE_DEFAULTS.edit.guideMargin})
  --providers LIST       execution providers in order of preference, e.g. cuda,cpu (default cpu)
  --json                 print segments.json on stdout
  -h, --help             this text
`;

const OPTIONS = {
  out: { type: "string" },
  models: { type: "string" },
  "guided-by": { type: "string" },
  "guide-margin": { type: "string" },
  providers: { type: "string" },
  json: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

export async function runSegment(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine("segment", args, OPTIONS, true);
  if (values.help) {
    io.stdout(SEGMENT_USAGE);
    return 0;
  }
  if (positionals.length !== 1)
    throw new CliUsageError(`segment: expected one IMAGE, got ${positionals.length} argument(s)`);
  const [imagePath] = positionals;
  const outDir = required("segment", "--out", values.out);
  const marginText = values["guide-margin"];
  const guideMargin = marginText === undefined ? ZONE_DEFAULTS.edit.guideMargin : Number(marginText);
  if (marginText !== undefined && (marginText.trim() === "" || !(guideMargin >= 0 && guideMargin <= 32)))
    throw new CliUsageError(`segment: --guide-margin must be a number in 0..32, got "${marginText}"`);
  if (marginText !== undefined && values["guided-by"] === undefined)
    throw new CliUsageError("segment: --guide-margin needs --guided-by");
  const providers = parseProviders("segment", values.providers);

  const image = await readImageArg(imagePath, "IMAGE");
  let guide = values["guided-by"] ? await readMaskArg(values["guided-by"], "--guided-by") : null;
  if (guide && (guide.width !== image.width || guide.height !== image.height)) {
    io.stderr(
      `zone: warning: --guided-by is ${guide.width}x${guide.height}, the image ${image.width}x${image.height}; resized to match\n`,
    );
    guide = await resizeMask(guide, image.width, image.height);
  }
  const { dir, fixtures } = await resolveBundleDir(values.models);
  if (fixtures)
    io.stderr(
      "zone segment: using the generated FIXTURE models: tiny and untrained, so the masks are discs\n",
    );
  const bundle = await openBundle(dir, fixtures);
  const sam = await loadSamSessions(bundle, { providers, log: (line) => io.stderr(`${line}\n`) });
  try {
    const segmentation = await segmentImage(sam, image, {
      mode: guide ? "guided" : "full",
      guide,
      guideMargin,
    });
    const extra = { image: imagePath, bundleId: bundle.manifest.id, fixtures };
    const records = await writeCandidates(outDir, segmentation, "segments.json", extra);
    if (values.json) {
      io.stdout(
        `${JSON.stringify({ ...extra, ...segmentationSummary(segmentation), masks: records }, null, 2)}\n`,
      );
      return 0;
    }
    const c = segmentation.counts;
    io.stdout(`wrote ${records.length} masks and segments.json to ${outDir}\n`);
    io.stdout(
      `${segmentation.mode} grid: ${c.points} of ${segmentation.gridPoints} points decoded; ${c.decoded} masks, ${c.passedIou} passed predicted IoU, ${c.passedStability} passed stability, ${c.kept} after NMS; measured by the ${segmentation.measuredBy === "host-meter" ? "host from the logits" : `decoder's statistics (${c.redecoded} points decoded again to draw)`}\n`,
    );
    const t = segmentation.timingsMs;
    io.stdout(
      `timings (ms): preprocess ${t.preprocess.toFixed(1)}, encode ${t.encode.toFixed(1)}, decode ${t.decode.toFixed(1)}, postprocess ${t.postprocess.toFixed(1)}\n`,
    );
    if (records.length > 0)
      io.stdout(`best: ${join(outDir, records[0].file)} (predicted IoU ${records[0].predictedIou})\n`);
    return 0;
  } finally {
    await releaseSamSessions(sam);
  }
}
