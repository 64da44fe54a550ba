// `zone compose`: ZONE's back half on files. Any editor's output of the same picture becomes a
// local edit: rough mask -> Region-IoU over candidate segments -> dilation -> FFT edge smoother ->
// RGBA layer over the untouched original.
import {
  DIFFERENCE_CHANNELS,
  type DifferenceChannels,
  EDIT_ACTIONS,
  type EditAction,
  fidelitySettings,
} from "@zone/shared";
import { COMPOSE_DEFAULTS, composeOverridesFor } from "../compose/compose-edit.ts";
import {
  describeReport,
  readImageArg,
  readInputArg,
  readMaskArg,
  readSegmentFolder,
  runComposeJob,
} from "./compose-files.ts";
import type { CliIo } from "./io.ts";
import { OUTPUT_OPTIONS, outputUsage, parseOutputOptions } from "./output-options.ts";
import { oneOf, parseCommandLine, required } from "./parse.ts";

export const COMPOSE_USAGE = `Usage: zone compose --original O.png --edited E.png --out DIR [options]

Turns a globally edited image into a local edit of the original (ZONE, method sections 4-5).

  --original FILE     the untouched photo (PNG, JPEG or WebP; RGB or grey, 8 or 16 bits, alpha,
                      ICC profile: the result keeps them; CMYK is refused)
  --edited FILE       an editor's output of the same photo; another size is resized to match
  --out DIR           writes result.png (.webp, .jpg: --format), layer.png,
                      mask-rough/fine/dilated/final.png, mask-edit.png (the original's size:
                      every pixel outside it is the original's own), meta.json
  --rough FILE        rough mask M_b (8-bit, 0/255); default: the thresholded low-pass
                      difference between the two images
  --segments DIR      candidate masks (*.png, 0/255), one per file; Region-IoU picks one.
                      Default: the fine mask is the rough mask
  --action A          change | add | remove (default change); recorded in meta.json
  --channels C        ${DIFFERENCE_CHANNELS.join(" | ")}: edge-smoother difference (default
                      ${COMPOSE_DEFAULTS.edge.channels}: the per-channel maximum, catches hue-only edits;
                      luma: BT.601 grey; release: the release's swapped-weight grey)
  --release-exact     reproduce the authors' release where the project deliberately differs
                      (grey, padding rule, disc centre, small-region filter, magnitude wrap,
                      ring truncation); --channels is then ignored
${outputUsage(22)}  --json              print the summary as JSON on stdout
  -h, --help          this text
`;

const OPTIONS = {
  original: { type: "string" },
  edited: { type: "string" },
  rough: { type: "string" },
  segments: { type: "string" },
  action: { type: "string" },
  channels: { type: "string" },
  "release-exact": { type: "boolean", default: false },
  out: { type: "string" },
  ...OUTPUT_OPTIONS,
  json: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

export async function runCompose(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandLine("compose", args, OPTIONS);
  if (values.help) {
    io.stdout(COMPOSE_USAGE);
    return 0;
  }
  const originalPath = required("compose", "--original", values.original);
  const editedPath = required("compose", "--edited", values.edited);
  const outDir = required("compose", "--out", values.out);
  const action = oneOf<EditAction>("compose", "--action", values.action, EDIT_ACTIONS, "change");
  const channels = oneOf<DifferenceChannels>(
    "compose",
    "--channels",
    values.channels,
    DIFFERENCE_CHANNELS,
    COMPOSE_DEFAULTS.edge.channels,
  );
  const output = parseOutputOptions("compose", values);

  const fidelity = values["release-exact"] ? "release" : "corrected";

  const start = performance.now();
  const [original, edited, rough, segments] = await Promise.all([
    readInputArg(originalPath, "--original"),
    readImageArg(editedPath, "--edited"),
    values.rough ? readMaskArg(values.rough, "--rough") : Promise.resolve(null),
    values.segments ? readSegmentFolder(values.segments) : Promise.resolve([]),
  ]);
  const decodeMs = Math.round((performance.now() - start) * 100) / 100;
  if (!values.json) {
    io.stderr(
      `zone compose: read ${original.source.width}x${original.source.height} original, ${segments.length} candidate segment(s) (${decodeMs.toFixed(1)} ms)\n`,
    );
  }
  const report = await runComposeJob(
    {
      original,
      edited,
      rough,
      segments,
      options: { ...composeOverridesFor(fidelity, fidelitySettings(fidelity, { channels })), action },
      outDir,
      output,
      timingsMs: { decode: decodeMs },
    },
    io,
  );
  if (values.json) io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  else io.stdout(describeReport(report));
  return 0;
}
