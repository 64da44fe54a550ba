// The edited layer in the input's own terms. The models work in 8-bit sRGB; only the layer's
// content box (where its alpha is not 0) is converted, from sRGB into the input's ICC profile
// through libvips/lcms2 (perceptual intent, 8-bit), then widened to 16 bits as v * 257 (which maps
// 0..255 exactly onto 0..65535) when the input is 16-bit. Untagged inputs are sRGB: no conversion.
import { createHash } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import type { SourceImage } from "./source-image.ts";
import type { BoundingBox, RgbaImage } from "./types.ts";

/** The layer's colour inside `box` (3 channels, the input's space and depth) and its 8-bit alpha. */
export interface SourceLayer {
  box: BoundingBox;
  colour: Uint8Array | Uint16Array;
  alpha: Uint8Array;
}

/** 8 -> 16 bits: v * 257 (0 -> 0, 255 -> 65535, evenly spaced). */
export const widen8to16 = (v: number) => v * 257;

/** Box of the pixels whose alpha is not 0; null for an empty layer. */
export function layerContentBox(layer: RgbaImage): BoundingBox | null {
  const { width, height, data } = layer;
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0, i = y * width * 4 + 3; x < width; x++, i += 4) {
      if (data[i] !== 0) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        y1 = y;
      }
    }
  }
  return x1 < 0 ? null : { x0, y0, x1: x1 + 1, y1: y1 + 1 };
}

const profilePaths = new Map<string, Promise<string>>();

/** libvips takes an output profile by path: each distinct profile is written once, by its hash. */
export function profilePath(icc: Uint8Array): Promise<string> {
  const hash = createHash("sha256").update(icc).digest("hex").slice(0, 32);
  let path = profilePaths.get(hash);
  if (!path) {
    const file = join(tmpdir(), `zone-icc-${hash}.icc`);
    path = writeFile(file, icc).then(() => file);
    path.catch(() => profilePaths.delete(hash));
    profilePaths.set(hash, path);
  }
  return path;
}

/** sRGB 8-bit pixels (3 channels) -> the profile's space, 8-bit. */
export async function srgbToProfile(
  rgb: Uint8Array,
  width: number,
  height: number,
  icc: Uint8Array,
): Promise<Uint8Array> {
  const { data, info } = await sharp(rgb, { raw: { width, height, channels: 3 } })
    .withIccProfile(await profilePath(icc))
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`colour conversion returned ${info.channels} channels`);
  return new Uint8Array(data.buffer, data.byteOffset, data.length);
}

/** The full-resolution sRGB layer's content box, in `source`'s colour space and bit depth. */
export async function layerInSourceTerms(layer: RgbaImage, source: SourceImage): Promise<SourceLayer | null> {
  const box = layerContentBox(layer);
  if (box === null) return null;
  const w = box.x1 - box.x0;
  const h = box.y1 - box.y0;
  const rgb = new Uint8Array(w * h * 3);
  const alpha = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = ((box.y0 + y) * layer.width + box.x0 + x) * 4;
      const j = y * w + x;
      rgb[j * 3] = layer.data[i];
      rgb[j * 3 + 1] = layer.data[i + 1];
      rgb[j * 3 + 2] = layer.data[i + 2];
      alpha[j] = layer.data[i + 3];
    }
  }
  const converted = source.icc ? await srgbToProfile(rgb, w, h, source.icc) : rgb;
  if (source.depth === 8) return { box, colour: converted, alpha };
  const wide = new Uint16Array(converted.length);
  for (let i = 0; i < wide.length; i++) wide[i] = widen8to16(converted[i]);
  return { box, colour: wide, alpha };
}
