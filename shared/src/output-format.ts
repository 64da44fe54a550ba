// What the edit's result file is: its format (PNG by default, lossless WebP, or JPEG as the one
// explicit lossy choice with a quality) and which of the input's metadata it carries (the ICC
// profile always; EXIF and XMP only when asked, GPS only when asked by name). The one owner of
// these choices and their defaults: the GPU API schema, the CLI and the gateway import them.
import { z } from "zod";
import { ZoneError } from "./errors.ts";

/** png and webp (lossless) keep every untouched pixel exact; jpeg is lossy and says so. */
export const OUTPUT_FORMATS = ["png", "webp", "jpeg"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/**
 * strip: only the ICC profile is kept (the default); keep: EXIF (orientation reset to 1, GPS
 * removed) and XMP (dropped when it carries GPS); keep-gps: EXIF and XMP as they were (orientation
 * reset to 1: the pixels are stored upright).
 */
export const METADATA_CHOICES = ["strip", "keep", "keep-gps"] as const;
export type MetadataChoice = (typeof METADATA_CHOICES)[number];

/** The `mask` part: M_f* at the working resolution, or the edit's full mask at the input's size. */
export const MASK_SIZES = ["working", "original"] as const;
export type MaskSize = (typeof MASK_SIZES)[number];

export const OUTPUT_DEFAULTS = {
  format: "png" as OutputFormat,
  metadata: "strip" as MetadataChoice,
  maskSize: "working" as MaskSize,
  /** JPEG quality when the caller asks for JPEG without one (1..100, libjpeg's scale). */
  jpegQuality: 90,
} as const;

export const JPEG_QUALITY_RANGE = { min: 1, max: 100 } as const;

export const CONTENT_TYPES: Readonly<Record<OutputFormat, string>> = {
  png: "image/png",
  webp: "image/webp",
  jpeg: "image/jpeg",
};

/** Formats that return every pixel outside the edit exactly (lossless). */
export const LOSSLESS_FORMATS: ReadonlyArray<OutputFormat> = ["png", "webp"];

export const outputFormatSchema = z.enum(OUTPUT_FORMATS);
export const metadataChoiceSchema = z.enum(METADATA_CHOICES);
export const jpegQualitySchema = z.number().int().min(JPEG_QUALITY_RANGE.min).max(JPEG_QUALITY_RANGE.max);

/** The resolved choice an encoder needs. */
export interface OutputChoice {
  format: OutputFormat;
  /** Only for jpeg. */
  quality: number | null;
  metadata: MetadataChoice;
}

/** Fills the defaults; a quality without jpeg is a mistake the caller should hear about. */
export function outputChoice(
  input: { format?: OutputFormat; quality?: number | null; metadata?: MetadataChoice } = {},
): OutputChoice {
  const format = input.format ?? OUTPUT_DEFAULTS.format;
  const quality = input.quality ?? null;
  if (quality !== null && format !== "jpeg") {
    throw new ZoneError(
      "invalid_argument",
      `a quality applies to jpeg only (the ${format} output is lossless)`,
    );
  }
  return {
    format,
    quality: format === "jpeg" ? (quality ?? OUTPUT_DEFAULTS.jpegQuality) : null,
    metadata: input.metadata ?? OUTPUT_DEFAULTS.metadata,
  };
}
