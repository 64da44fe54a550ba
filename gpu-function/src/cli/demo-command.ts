// `zone demo`: the compose stage end to end on an embedded default. It paints a landscape with a
// red ball (or takes --image), makes a "global editor" output that turns the ball blue while
// nudging every other pixel, proposes the scene's segments, and composes the local edit.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ellipseMask, recolourBlue, syntheticEdit } from "../demo/synthetic-edit.ts";
import { syntheticScene } from "../demo/synthetic-scene.ts";
import { encodePng } from "../image/io.ts";
import { describeReport, type NamedMask, readImageArg, runComposeJob } from "./compose-files.ts";
import type { CliIo } from "./io.ts";
import { parseCommandLine } from "./parse.ts";

export const DEMO_USAGE = `Usage: zone demo [--out DIR] [--image FILE] [--json]

Runs the compose stage on an embedded default: a painted landscape whose red ball a simulated
global editor turns blue (while nudging every other pixel), with five candidate segments.
Writes original.png, edited.png, segments/ and everything \`zone compose\` writes.

  --out DIR       output folder (default out/demo)
  --image FILE    use this photo instead; the edit recolours an ellipse in its centre and
                  there are no candidate segments (the fine mask is the rough mask)
  --json          print the summary as JSON on stdout
  -h, --help      this text
`;

const OPTIONS = {
  out: { type: "string", default: "out/demo" },
  image: { type: "string" },
  json: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

export async function runDemo(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandLine("demo", args, OPTIONS);
  if (values.help) {
    io.stdout(DEMO_USAGE);
    return 0;
  }
  const outDir = values.out;
  let original: import("../image/types.ts").RgbImage;
  let segments: NamedMask[];
  let edited: import("../image/types.ts").RgbImage;
  if (values.image) {
    original = await readImageArg(values.image, "--image");
    const { width: w, height: h } = original;
    edited = syntheticEdit(original, ellipseMask(w, h, w / 2, h / 2, w / 6, h / 6));
    segments = [];
  } else {
    const scene = syntheticScene();
    original = scene.image;
    edited = syntheticEdit(original, scene.target, { recolour: recolourBlue });
    segments = scene.segments.map((s, i) => ({ name: `${i + 1}-${s.name}.png`, mask: s.mask }));
  }
  await mkdir(join(outDir, "segments"), { recursive: true });
  await Promise.all([
    writeFile(join(outDir, "original.png"), await encodePng(original)),
    writeFile(join(outDir, "edited.png"), await encodePng(edited)),
    ...segments.map(async (s) => writeFile(join(outDir, "segments", s.name), await encodePng(s.mask))),
  ]);
  if (!values.json) {
    io.stderr(
      `zone demo: ${values.image ?? "embedded landscape"} ${original.width}x${original.height}; a simulated global edit changed every pixel\n`,
    );
  }
  const report = await runComposeJob({ original, edited, rough: null, segments, options: {}, outDir }, io);
  if (values.json) {
    io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    io.stdout(describeReport(report));
    io.stdout(
      `compare ${join(outDir, "edited.png")} (every pixel touched) with ${join(outDir, "result.png")} (only the edit)\n`,
    );
  }
  return 0;
}
