// The file side of `zone compose` (and `zone demo`): decoded inputs in, PNGs and meta.json out.
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type OutputChoice, outputChoice, ZoneError } from "@zone/shared";
import {
  type ComposeEditResult,
  type ComposeOverrides,
  type ComposeSummary,
  composeEdit,
} from "../compose/compose-edit.ts";
import { layerMask } from "../compose/composite.ts";
import { describeOutput, encodeOutput } from "../image/encode-output.ts";
import { decodeImage, decodeMask, encodePng, readInputFile } from "../image/io.ts";
import { type DecodedInput, decodeInput } from "../image/source-image.ts";
import type { Mask, RgbImage } from "../image/types.ts";
import type { CliIo } from "./io.ts";
import { resultFileName } from "./output-options.ts";

/** Written beside the result (result.png, .webp or .jpg: --format). */
export const OUTPUT_FILES = [
  "layer.png",
  "mask-rough.png",
  "mask-fine.png",
  "mask-dilated.png",
  "mask-final.png",
  "mask-edit.png",
] as const;

export interface NamedMask {
  name: string;
  mask: Mask;
}

/** Every *.png in `dir`, in natural order (seg2 before seg10), decoded as binary masks. */
export async function readSegmentFolder(dir: string): Promise<NamedMask[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT" ? "no such folder" : code === "ENOTDIR" ? "is not a folder" : "cannot be read";
    throw new ZoneError("not_found", `--segments ${dir}: ${why}`, { cause });
  }
  const pngs = names
    .filter((n) => n.toLowerCase().endsWith(".png"))
    .sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  if (pngs.length === 0)
    throw new ZoneError("invalid_argument", `--segments ${dir}: no PNG masks in the folder`);
  return Promise.all(
    pngs.map(async (name) => {
      const label = `--segments ${join(dir, name)}`;
      return { name, mask: await decodeMask(await readInputFile(join(dir, name), label), { label }) };
    }),
  );
}

export async function readImageArg(path: string, flag: string): Promise<RgbImage> {
  const label = `${flag} ${path}`;
  return decodeImage(await readInputFile(path, label), { label });
}

/** The input as it is (its own pixels, profile, depth, alpha) and the models' sRGB copy. */
export async function readInputArg(path: string, flag: string): Promise<DecodedInput> {
  const label = `${flag} ${path}`;
  return decodeInput(await readInputFile(path, label), { label });
}

export async function readMaskArg(path: string, flag: string): Promise<Mask> {
  const label = `${flag} ${path}`;
  return decodeMask(await readInputFile(path, label), { label });
}

export interface ComposeJob {
  /** 8-bit sRGB pixels, or the decoded file (then the result is in its own terms). */
  original: RgbImage | DecodedInput;
  edited: RgbImage;
  rough: Mask | null;
  segments: NamedMask[];
  options: ComposeOverrides;
  outDir: string;
  /** The result file's format and metadata (default: PNG, ICC only). */
  output?: OutputChoice;
  /** Stages timed by the caller (decoding), listed first in the report. */
  timingsMs?: Record<string, number>;
}

export interface ComposeJobReport extends ComposeSummary {
  chosenSegmentFile: string | null;
  /** The result file: format, depth, channels, whether it carries the input's ICC profile. */
  resultFile: {
    name: string;
    format: OutputChoice["format"];
    metadata: OutputChoice["metadata"];
    depth: 8 | 16;
    alpha: boolean;
    icc: boolean;
  };
  outDir: string;
  files: string[];
}

function warnOnAspect(io: CliIo, what: string, a: { width: number; height: number }, b: RgbImage): void {
  if (a.width === b.width && a.height === b.height) return;
  io.stderr(
    `zone: warning: ${what} is ${a.width}x${a.height}, the original ${b.width}x${b.height}; resized to match\n`,
  );
}

/** Runs the compose stage and writes its six PNGs and meta.json; returns the summary. */
export async function runComposeJob(job: ComposeJob, io: CliIo): Promise<ComposeJobReport> {
  const original = "model" in job.original ? job.original.model : job.original;
  const source = "model" in job.original ? job.original.source : null;
  const choice = job.output ?? outputChoice();
  warnOnAspect(io, "--edited", job.edited, original);
  if (job.rough) warnOnAspect(io, "--rough", job.rough, original);
  const composed: ComposeEditResult = await composeEdit(
    {
      original,
      source,
      edited: job.edited,
      rough: job.rough,
      candidates: job.segments.map((s) => s.mask),
    },
    job.options,
  );
  const start = performance.now();
  await mkdir(job.outDir, { recursive: true });
  const images = [
    composed.layer,
    composed.masks.rough,
    composed.masks.fine,
    composed.masks.dilated,
    composed.masks.final,
    layerMask(composed.layer),
  ];
  const resultName = resultFileName(choice.format);
  const [result, ...encoded] = await Promise.all([
    encodeOutput(composed.output, choice),
    ...images.map((image) => encodePng(image)),
  ]);
  await Promise.all([
    writeFile(join(job.outDir, resultName), result),
    ...OUTPUT_FILES.map((name, i) => writeFile(join(job.outDir, name), encoded[i])),
  ]);
  const { summary } = composed;
  const report: ComposeJobReport = {
    ...summary,
    chosenSegmentFile: summary.chosenSegment === null ? null : job.segments[summary.chosenSegment].name,
    resultFile: { name: resultName, ...describeOutput(composed.output, choice) },
    outDir: job.outDir,
    files: [resultName, ...OUTPUT_FILES, "meta.json"],
    timingsMs: {
      ...job.timingsMs,
      ...summary.timingsMs,
      write: Math.round((performance.now() - start) * 100) / 100,
    },
  };
  await writeFile(join(job.outDir, "meta.json"), `${JSON.stringify(report, null, 2)}\n`);
  return report;
}

/** The human-readable lines printed after a compose. */
export function describeReport(report: ComposeJobReport): string {
  const lines = [`wrote ${report.files.join(", ")} to ${report.outDir}`];
  if (report.fallback) {
    const why =
      report.fallbackReason === "no-candidates"
        ? "no candidate segments given"
        : "no candidate overlaps the rough mask";
    lines.push(`fine mask: the rough mask (${why})`);
  } else {
    lines.push(`fine mask: segment ${report.chosenSegmentFile} (Region-IoU ${report.chosenIou?.toFixed(3)})`);
  }
  const box = report.changedBox;
  lines.push(
    box
      ? `changed ${report.changedPixels} of ${report.original.width * report.original.height} pixels in x ${box.x0}..${box.x1 - 1}, y ${box.y0}..${box.y1 - 1}`
      : "no pixel changed: the edit left nothing above the threshold",
  );
  const total = Object.values(report.timingsMs).reduce((a, b) => a + b, 0);
  lines.push(
    `timings (ms): ${Object.entries(report.timingsMs)
      .map(([k, v]) => `${k} ${v.toFixed(1)}`)
      .join(", ")}; total ${total.toFixed(1)}`,
  );
  return `${lines.join("\n")}\n`;
}
