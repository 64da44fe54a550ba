// Resizes through sharp (libvips): Lanczos-3 for colour, premultiplied for RGBA layers so that
// transparent pixels never bleed their colour; masks by bilinear interpolation re-thresholded at
// 128, so a resized mask stays binary.
import sharp from "sharp";
import type { Mask, RgbaImage, RgbImage } from "./types.ts";

async function resizeRaw(
  data: Uint8Array,
  width: number,
  height: number,
  channels: 1 | 3 | 4,
  toWidth: number,
  toHeight: number,
  kernel: keyof sharp.KernelEnum,
): Promise<Uint8Array> {
  let pipeline = sharp(data, { raw: { width, height, channels } }).resize(toWidth, toHeight, {
    fit: "fill",
    kernel,
  });
  // libvips would widen a one-band image to sRGB on output; keep it one band.
  if (channels === 1) pipeline = pipeline.toColourspace("b-w");
  const { data: out, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== channels) {
    throw new Error(`resize: expected ${channels} channels back from libvips, got ${info.channels}`);
  }
  const bytes = new Uint8Array(out.buffer, out.byteOffset, out.length);
  // sharp premultiplies to resample and un-premultiplies before output, although `info` still
  // says premultiplied: true (resize.test.ts checks the colours come back straight).
  return bytes;
}

export async function resizeRgb(image: RgbImage, width: number, height: number): Promise<RgbImage> {
  if (image.width === width && image.height === height) return image;
  const data = await resizeRaw(image.data, image.width, image.height, 3, width, height, "lanczos3");
  return { width, height, data };
}

/** sharp premultiplies alpha before resampling, so transparent colour never bleeds in. */
export async function resizeRgba(image: RgbaImage, width: number, height: number): Promise<RgbaImage> {
  if (image.width === width && image.height === height) return image;
  const data = await resizeRaw(image.data, image.width, image.height, 4, width, height, "lanczos3");
  return { width, height, data };
}

export async function resizeMask(mask: Mask, width: number, height: number): Promise<Mask> {
  if (mask.width === width && mask.height === height) return mask;
  const grey = await resizeRaw(mask.data, mask.width, mask.height, 1, width, height, "linear");
  const data = new Uint8Array(grey.length);
  for (let i = 0; i < data.length; i++) data[i] = grey[i] >= 128 ? 255 : 0;
  return { width, height, data };
}
