// A chain's render from its files: the original upload decoded in its own terms (as an edit's
// input is), each kept turn's layer PNG, and the result file of the last kept turn as the
// reference for the file's metadata: the render carries that file's ICC profile, EXIF and XMP as
// it had them (so a render of turns 1..k is turn k's result file byte for byte), or, without a
// reference (every turn left out), the original's ICC profile only. Encoded as encodeOutput does.
import { type GpuRenderParams, outputChoice, ZoneError } from "@zone/shared";
import sharp from "sharp";
import { encodeOutput } from "../image/encode-output.ts";
import { decodeInput, type SourceImage } from "../image/source-image.ts";
import type { RgbaImage } from "../image/types.ts";
import { renderLayers } from "./render-layers.ts";

export interface RenderFiles {
  original: Uint8Array;
  layers: ReadonlyArray<Uint8Array>;
  reference: Uint8Array | null;
  params: GpuRenderParams;
  maxPixels?: number;
}

/** A layer PNG (8-bit RGBA, as an edit writes it) -> its pixels. */
export async function decodeLayer(png: Uint8Array, label: string): Promise<RgbaImage> {
  try {
    const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== 4) throw new Error(`${info.channels} channels`);
    return {
      width: info.width,
      height: info.height,
      data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    };
  } catch (cause) {
    throw new ZoneError("unsupported_image", `${label} is not a layer PNG`, { cause });
  }
}

export async function renderFiles(input: RenderFiles): Promise<{ bytes: Buffer; image: SourceImage }> {
  const { params } = input;
  if (params.rings.length !== input.layers.length)
    throw new ZoneError(
      "invalid_argument",
      `${input.layers.length} layer parts but ${params.rings.length} rings: one ring per layer`,
    );
  const original = (await decodeInput(input.original, { label: "original", maxPixels: input.maxPixels }))
    .source;
  const layers = await Promise.all(input.layers.map((png, i) => decodeLayer(png, `layer ${i + 1}`)));
  for (const [i, layer] of layers.entries()) {
    if (layer.width !== original.width || layer.height !== original.height)
      throw new ZoneError(
        "size_mismatch",
        `layer ${i + 1} is ${layer.width}x${layer.height}, the original ${original.width}x${original.height}`,
      );
  }
  const rendered = await renderLayers(
    original,
    layers.map((layer, i) => ({ layer, ring: params.rings[i] })),
  );
  const metadataOf =
    input.reference === null
      ? { icc: original.icc, exif: null, xmp: null }
      : await decodeInput(input.reference, { label: "reference", maxPixels: input.maxPixels }).then(
          ({ source }) => ({ icc: source.icc, exif: source.exif, xmp: source.xmp }),
        );
  const image: SourceImage = { ...rendered, ...metadataOf };
  // keep-gps: the metadata goes in as the reference had it (its EXIF's orientation is already 1).
  const choice = outputChoice({ format: params.output, quality: params.quality, metadata: "keep-gps" });
  return { bytes: await encodeOutput(image, choice), image };
}
