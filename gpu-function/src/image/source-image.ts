// The user's file as it is: its own decoded values in its own colour space and bit depth, its
// alpha, its ICC profile and its EXIF/XMP, orientation applied (the pixels are stored upright, as
// the upload displays). Alongside it the models' copy: 8-bit sRGB through sharp's colour
// management, transparent pixels composited onto MODEL_BACKGROUND. Greyscale comes back as RGB
// with the grey value in all three channels (exact: an edit may add colour). What cannot be
// returned exactly is refused up front: CMYK/YCCK, a greyscale or CMYK ICC profile.
import { ZoneError } from "@zone/shared";
import sharp from "sharp";
import { DEFAULT_MAX_PIXELS, type DecodeOptions, decodeSrgb, readHeader } from "./io.ts";
import type { RgbImage } from "./types.ts";

/** What the models see under transparent pixels (they take opaque RGB). */
export const MODEL_BACKGROUND = "#ffffff";

export interface SourceImage {
  readonly width: number;
  readonly height: number;
  /** RGB or RGBA (greyscale is widened to RGB), interleaved. */
  readonly channels: 3 | 4;
  readonly depth: 8 | 16;
  readonly data: Uint8Array | Uint16Array;
  /** The embedded ICC profile, byte for byte; null: untagged (read as sRGB). */
  readonly icc: Uint8Array | null;
  /** The EXIF block as a TIFF structure (no "Exif\0\0" prefix), as the file had it. */
  readonly exif: Uint8Array | null;
  readonly xmp: Uint8Array | null;
}

export interface InputKind {
  format: "png" | "jpeg" | "webp";
  colour: "rgb" | "grey" | "palette";
  alpha: boolean;
  depth: 8 | 16;
  profile: boolean;
}

export interface DecodedInput {
  source: SourceImage;
  /** 8-bit sRGB, opaque: what every model stage sees. */
  model: RgbImage;
  kind: InputKind;
  /** 8-bit, opaque, untagged: source.data is model.data, and the compose needs no conversion. */
  fastPath: boolean;
}

const EXIF_PREFIX = [0x45, 0x78, 0x69, 0x66, 0, 0]; // "Exif\0\0"

function withoutExifPrefix(exif: Buffer | undefined): Uint8Array | null {
  if (!exif || exif.length === 0) return null;
  const prefixed = EXIF_PREFIX.every((b, i) => exif[i] === b);
  return new Uint8Array(prefixed ? exif.subarray(EXIF_PREFIX.length) : exif);
}

/** The ICC header's data colour space (bytes 16-19), e.g. "RGB ", "GRAY", "CMYK". */
export function iccColourSpace(icc: Uint8Array): string {
  if (icc.length < 20) return "";
  return String.fromCharCode(icc[16], icc[17], icc[18], icc[19]);
}

function refuse(label: string, why: string): never {
  throw new ZoneError(
    "unsupported_colour_space",
    `${label} is ${why}: the result could not be returned in the file's own colour space exactly; send RGB or greyscale (without a greyscale ICC profile)`,
  );
}

/** The input kind from the header, refusing what cannot be served exactly. */
export function classifyInput(metadata: sharp.Metadata, label: string): InputKind {
  const format = metadata.format as InputKind["format"];
  const icc = metadata.icc ?? null;
  if (metadata.space === "cmyk") refuse(label, "CMYK");
  const grey = metadata.space === "b-w" || metadata.space === "grey16";
  if (!grey && metadata.space !== "srgb" && metadata.space !== "rgb16") {
    refuse(label, `in the ${metadata.space ?? "unknown"} colour space`);
  }
  if (icc) {
    const space = iccColourSpace(icc);
    if (grey) refuse(label, `greyscale with a ${space.trim() || "greyscale"} ICC profile`);
    if (space !== "RGB ") refuse(label, `RGB with a ${space.trim() || "malformed"} ICC profile`);
  }
  if (metadata.depth !== "uchar" && metadata.depth !== "ushort") {
    throw new ZoneError("unsupported_image", `${label} has ${metadata.depth} samples; send 8 or 16 bits`);
  }
  return {
    format,
    colour: metadata.isPalette ? "palette" : grey ? "grey" : "rgb",
    alpha: metadata.hasAlpha === true,
    depth: metadata.depth === "ushort" ? 16 : 8,
    profile: icc !== null,
  };
}

async function decodeOwn(input: Uint8Array, kind: InputKind, maxPixels: number) {
  const sixteen = kind.depth === 16;
  const { data, info } = await sharp(input, { limitInputPixels: maxPixels, failOn: "truncated" })
    .rotate()
    .keepIccProfile() // no conversion: the file's own values
    .toColourspace(sixteen ? "rgb16" : "srgb")
    .raw({ depth: sixteen ? "ushort" : "uchar" })
    .toBuffer({ resolveWithObject: true });
  const channels = kind.alpha ? 4 : 3;
  if (info.channels !== channels) throw new Error(`expected ${channels} channels, got ${info.channels}`);
  const pixels = sixteen
    ? new Uint16Array(data.buffer, data.byteOffset, data.length / 2)
    : new Uint8Array(data.buffer, data.byteOffset, data.length);
  return { width: info.width, height: info.height, channels: channels as 3 | 4, pixels };
}

/** Any supported file -> its own pixels and the models' sRGB copy. */
export async function decodeInput(input: Uint8Array, options: DecodeOptions = {}): Promise<DecodedInput> {
  const label = options.label ?? "image";
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  const metadata = await readHeader(input, label, maxPixels);
  const kind = classifyInput(metadata, label);
  const icc = metadata.icc ? new Uint8Array(metadata.icc) : null;
  const exif = withoutExifPrefix(metadata.exif);
  const xmp = metadata.xmp ? new Uint8Array(metadata.xmp) : null;
  const fastPath = kind.depth === 8 && !kind.alpha && icc === null;
  const model = await decodeSrgb(input, { label, maxPixels, background: MODEL_BACKGROUND });
  if (fastPath) {
    const source = { ...model, channels: 3 as const, depth: 8 as const, icc, exif, xmp };
    return { source, model, kind, fastPath };
  }
  let own: Awaited<ReturnType<typeof decodeOwn>>;
  try {
    own = await decodeOwn(input, kind, maxPixels);
  } catch (cause) {
    throw new ZoneError("image_truncated", `${label} could not be decoded: truncated or corrupt`, { cause });
  }
  const source: SourceImage = {
    width: own.width,
    height: own.height,
    channels: own.channels,
    depth: kind.depth,
    data: own.pixels,
    icc,
    exif,
    xmp,
  };
  return { source, model, kind, fastPath };
}
