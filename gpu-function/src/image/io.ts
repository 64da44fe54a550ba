// Image I/O with sharp: decode PNG / JPEG / WebP to 8-bit sRGB (EXIF orientation applied, alpha
// flattened onto white: the models' view; source-image.ts keeps the file's own pixels), decode
// 8-bit masks, encode PNG. Every failure is a ZoneError with a
// stable code and a message a person can act on; nothing else escapes.
import { readFile } from "node:fs/promises";
import { ZoneError } from "@zone/shared";
import sharp from "sharp";
import type { Mask, RgbaImage, RgbImage } from "./types.ts";

export const SUPPORTED_FORMATS = ["png", "jpeg", "webp"] as const;
/** Decompression-bomb guard: 16 megapixels (4096 x 4096) unless configured otherwise. */
export const DEFAULT_MAX_PIXELS = 4096 * 4096;

export interface DecodeOptions {
  maxPixels?: number;
  /** Names the input in error messages, e.g. "--original" or "image". */
  label?: string;
  /** decodeImage: what transparent pixels are flattened onto (default white). */
  background?: string;
}

/** The header, checked: a supported format with dimensions within `maxPixels`. */
export async function readHeader(
  input: Uint8Array,
  label: string,
  maxPixels: number,
): Promise<sharp.Metadata> {
  let metadata: sharp.Metadata;
  try {
    metadata = await sharp(input).metadata();
  } catch (cause) {
    throw new ZoneError("unsupported_image", `${label} is not an image (expected PNG, JPEG or WebP)`, {
      cause,
    });
  }
  const format = metadata.format ?? "unknown";
  if (!(SUPPORTED_FORMATS as ReadonlyArray<string>).includes(format)) {
    throw new ZoneError("unsupported_image", `${label} is ${format.toUpperCase()}; send PNG, JPEG or WebP`);
  }
  const { width, height } = metadata;
  if (!width || !height) throw new ZoneError("image_truncated", `${label} has no dimensions in its header`);
  if (width * height > maxPixels) {
    const mp = (n: number) => (n / 1e6).toFixed(1);
    throw new ZoneError(
      "image_too_large",
      `${label} is ${width}x${height} (${mp(width * height)} MP), over the ${mp(maxPixels)} MP limit`,
    );
  }
  return metadata;
}

function decodeFailure(label: string, cause: unknown): ZoneError {
  return new ZoneError("image_truncated", `${label} could not be decoded: truncated or corrupt`, { cause });
}

/** Any supported image -> (H, W, 3) 8-bit sRGB, upright. */
export async function decodeImage(input: Uint8Array, options: DecodeOptions = {}): Promise<RgbImage> {
  const label = options.label ?? "image";
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  await readHeader(input, label, maxPixels);
  return decodeSrgb(input, { ...options, label, maxPixels });
}

/** decodeImage once the header is checked (readHeader): the pixels only. */
export async function decodeSrgb(
  input: Uint8Array,
  options: DecodeOptions & { label: string; maxPixels: number },
): Promise<RgbImage> {
  const { label, maxPixels } = options;
  try {
    const { data, info } = await sharp(input, { limitInputPixels: maxPixels, failOn: "truncated" })
      .rotate()
      .flatten({ background: options.background ?? "#ffffff" })
      .toColourspace("srgb")
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`expected 3 channels, got ${info.channels}`);
    return {
      width: info.width,
      height: info.height,
      data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    };
  } catch (cause) {
    throw decodeFailure(label, cause);
  }
}

/** An 8-bit mask image -> binary Mask: on where the grey value is >= 128. */
export async function decodeMask(input: Uint8Array, options: DecodeOptions = {}): Promise<Mask> {
  const label = options.label ?? "mask";
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  await readHeader(input, label, maxPixels);
  try {
    const { data, info } = await sharp(input, { limitInputPixels: maxPixels, failOn: "truncated" })
      .rotate()
      .flatten({ background: "#000000" })
      .toColourspace("b-w")
      .raw()
      .toBuffer({ resolveWithObject: true });
    const out = new Uint8Array(info.width * info.height);
    for (let i = 0; i < out.length; i++) out[i] = data[i * info.channels] >= 128 ? 255 : 0;
    return { width: info.width, height: info.height, data: out };
  } catch (cause) {
    throw decodeFailure(label, cause);
  }
}

/** Reads a file, turning a missing or unreadable path into a ZoneError naming it. */
export async function readInputFile(path: string, label: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : "cannot be read";
    throw new ZoneError("not_found", `${label} ${path}: ${why}`, { cause });
  }
}

/** RGB (3 channels), RGBA (4) or a mask (1) -> PNG bytes. */
export async function encodePng(image: RgbImage | RgbaImage | Mask): Promise<Buffer> {
  const channels = image.data.length / (image.width * image.height);
  if (channels !== 1 && channels !== 3 && channels !== 4) {
    throw new RangeError(`encodePng: ${image.data.length} bytes for ${image.width}x${image.height}`);
  }
  let pipeline = sharp(image.data, { raw: { width: image.width, height: image.height, channels } });
  // Masks stay 8-bit greyscale PNGs (libvips would otherwise write them as sRGB).
  if (channels === 1) pipeline = pipeline.toColourspace("b-w");
  return pipeline.png({ compressionLevel: 6, adaptiveFiltering: false }).toBuffer();
}
