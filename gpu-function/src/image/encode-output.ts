// The result file: the composited image in the input's own terms, encoded as PNG (default, 8 or
// 16 bits, alpha kept), lossless WebP (8-bit only; every pixel with alpha above 0 exact, while
// libwebp drops the hidden colour under alpha 0, and sharp 0.34 has no switch for libwebp's `exact`)
// or JPEG (the explicit lossy choice: 8 bits, transparent pixels flattened onto white in the
// file's own space, 16-bit samples rounded to v / 257), carrying the input's ICC profile byte for
// byte, and its EXIF/XMP only when the caller asked (exif.ts). Untagged stays untagged.
import { type OutputChoice, type ResultFile, ZoneError } from "@zone/shared";
import sharp from "sharp";
import { type EmbeddedMetadata, embedInJpeg, embedInPng, embedInWebp } from "./container-metadata.ts";
import { prepareExif, prepareXmp } from "./exif.ts";
import type { SourceImage } from "./source-image.ts";

/** PNG settings shared with encodePng (io.ts), so the 8-bit sRGB path writes the same bytes. */
export const PNG_OPTIONS = { compressionLevel: 6, adaptiveFiltering: false } as const;

export function metadataFor(image: SourceImage, choice: OutputChoice): EmbeddedMetadata {
  const keep = choice.metadata !== "strip";
  const keepGps = choice.metadata === "keep-gps";
  return {
    icc: image.icc,
    exif: keep && image.exif ? prepareExif(image.exif, keepGps) : null,
    xmp: keep && image.xmp ? prepareXmp(image.xmp, keepGps) : null,
  };
}

/** What the file encodeOutput writes is: the one description the CLI's meta and the service's share. */
export function describeOutput(
  image: SourceImage,
  choice: OutputChoice,
): Pick<ResultFile, "format" | "metadata" | "depth" | "alpha" | "icc"> {
  return {
    format: choice.format,
    metadata: choice.metadata,
    // Only PNG keeps 16 bits (WebP refuses them, JPEG narrows); only JPEG drops alpha.
    depth: choice.format === "png" ? image.depth : 8,
    alpha: choice.format !== "jpeg" && image.channels === 4,
    icc: image.icc !== null,
  };
}

/** 16 -> 8 bits for JPEG: round(v / 257), the inverse of the v * 257 widening. */
const narrow16to8 = (v: number) => Math.floor(v / 257 + 0.5);

function jpegPixels(image: SourceImage): Uint8Array {
  const n = image.width * image.height;
  if (image.depth === 8 && image.channels === 3) return image.data as Uint8Array;
  const max = image.depth === 16 ? 65535 : 255;
  const out = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    const a = image.channels === 4 ? image.data[i * 4 + 3] : max;
    for (let c = 0; c < 3; c++) {
      // Over white (max in every RGB space), in the file's own terms.
      const v = (image.data[i * image.channels + c] * a + max * (max - a)) / max;
      out[i * 3 + c] = image.depth === 16 ? narrow16to8(v) : Math.floor(v + 0.5);
    }
  }
  return out;
}

export async function encodeOutput(image: SourceImage, choice: OutputChoice): Promise<Buffer> {
  const meta = metadataFor(image, choice);
  const raw = { width: image.width, height: image.height, channels: image.channels };
  if (choice.format === "png") {
    const pipeline =
      image.depth === 16
        ? sharp(image.data as Uint16Array, { raw }).toColourspace("rgb16")
        : sharp(image.data, { raw });
    return embedInPng(await pipeline.png(PNG_OPTIONS).toBuffer(), meta);
  }
  if (choice.format === "webp") {
    if (image.depth === 16) {
      throw new ZoneError(
        "unsupported_output",
        "WebP holds 8 bits per channel; this 16-bit image would lose its exact values: ask for png",
      );
    }
    const webp = await sharp(image.data, { raw }).webp({ lossless: true }).toBuffer();
    return embedInWebp(webp, meta, image, image.channels === 4);
  }
  const jpeg = await sharp(jpegPixels(image), { raw: { ...raw, channels: 3 } })
    .jpeg({ quality: choice.quality ?? undefined })
    .toBuffer();
  return embedInJpeg(jpeg, meta);
}
