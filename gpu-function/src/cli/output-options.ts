// --format / --quality / --metadata, shared by `zone compose` and `zone edit`: which file the
// result is and which of the input's metadata it carries (@zone/shared output-format.ts owns the
// choices and the defaults).
import {
  JPEG_QUALITY_RANGE,
  METADATA_CHOICES,
  type MetadataChoice,
  OUTPUT_DEFAULTS,
  OUTPUT_FORMATS,
  type OutputChoice,
  type OutputFormat,
  outputChoice,
} from "@zone/shared";
import { CliUsageError } from "./io.ts";
import { oneOf } from "./parse.ts";

export const OUTPUT_OPTIONS = {
  format: { type: "string" },
  quality: { type: "string" },
  metadata: { type: "string" },
} as const;

const OUTPUT_HELP: Array<[string, string[]]> = [
  [
    "--format F",
    [
      "result file: png (default; 8 or 16 bits, alpha kept) | webp (lossless,",
      "8-bit inputs) | jpeg (lossy: only when asked, see --quality)",
    ],
  ],
  [
    "--quality N",
    [
      `jpeg only: ${JPEG_QUALITY_RANGE.min}..${JPEG_QUALITY_RANGE.max} (default ${OUTPUT_DEFAULTS.jpegQuality})`,
    ],
  ],
  [
    "--metadata M",
    [
      "strip (default: only the ICC profile is kept) | keep (EXIF and XMP, GPS",
      "removed) | keep-gps (EXIF and XMP with GPS)",
    ],
  ],
];

/** The help lines of the output options, descriptions starting at `column`. */
export function outputUsage(column: number): string {
  return OUTPUT_HELP.map(
    ([flag, lines]) => `${`  ${flag}`.padEnd(column)}${lines.join(`\n${" ".repeat(column)}`)}\n`,
  ).join("");
}

/** The file extension each format is written with. */
export const RESULT_EXTENSIONS: Readonly<Record<OutputFormat, string>> = {
  png: "png",
  webp: "webp",
  jpeg: "jpg",
};

export function resultFileName(format: OutputFormat): string {
  return `result.${RESULT_EXTENSIONS[format]}`;
}

export function parseOutputOptions(
  command: string,
  values: { format?: string; quality?: string; metadata?: string },
): OutputChoice {
  const format = oneOf<OutputFormat>(
    command,
    "--format",
    values.format,
    OUTPUT_FORMATS,
    OUTPUT_DEFAULTS.format,
  );
  const metadata = oneOf<MetadataChoice>(
    command,
    "--metadata",
    values.metadata,
    METADATA_CHOICES,
    OUTPUT_DEFAULTS.metadata,
  );
  let quality: number | null = null;
  if (values.quality !== undefined) {
    const n = Number(values.quality);
    if (!/^\d+$/.test(values.quality) || n < JPEG_QUALITY_RANGE.min || n > JPEG_QUALITY_RANGE.max)
      throw new CliUsageError(
        `${command}: --quality must be an integer in ${JPEG_QUALITY_RANGE.min}..${JPEG_QUALITY_RANGE.max}, got "${values.quality}"`,
      );
    if (format !== "jpeg")
      throw new CliUsageError(`${command}: --quality needs --format jpeg (png and webp are lossless)`);
    quality = n;
  }
  return outputChoice({ format, quality, metadata });
}
