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

/** Resampling kernels for colour: "cubic" (Catmull-Rom, PIL's bicubic) is the release's. */
export type ColourKernel = "lanczos3" | "linear" | "cubic";

/**
 * Lanczos-3 by default; "linear" is the (antialiased) bilinear that SAM's preprocessing uses,
 * "cubic" the release's PIL bicubic (a = -0.5, antialiased when shrinking, as libvips does).
 */
export async function resizeRgb(
  image: RgbImage,
  width: number,
  height: number,
  kernel: ColourKernel = "lanczos3",
): Promise<RgbImage> {
  if (image.width === width && image.height === height) return image;
  const data = await resizeRaw(image.data, image.width, image.height, 3, width, height, kernel);
  return { width, height, data };
}

/**
 * A Lanczos-3 resize of an RGBA layer (sharp premultiplies alpha to resample, so transparent
 * colour never bleeds in), computed only where the layer is not transparent: libvips evaluates
 * lazily, so resizing and then extracting the content's box (grown by the kernel's reach) only
 * resamples that box. Everything else is transparent black, as a full resize would make it.
 */
export async function resizeRgbaContent(image: RgbaImage, width: number, height: number): Promise<RgbaImage> {
  if (image.width === width && image.height === height) return image;
  let x0 = image.width;
  let y0 = image.height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      if (image.data[(y * image.width + x) * 4 + 3] !== 0) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        y1 = y;
      }
    }
  }
  const out = new Uint8Array(width * height * 4);
  if (x1 < 0) return { width, height, data: out };
  // Output pixel X samples the source around (X + 0.5) / s - 0.5; Lanczos-3 reaches 3 source
  // pixels (3 / s when shrinking). Generous margins: a wider box only costs a little time.
  const sx = width / image.width;
  const sy = height / image.height;
  const reachX = 4 * Math.max(1, 1 / sx) + 2;
  const reachY = 4 * Math.max(1, 1 / sy) + 2;
  const left = Math.max(0, Math.floor((x0 - reachX + 0.5) * sx - 0.5) - 2);
  const top = Math.max(0, Math.floor((y0 - reachY + 0.5) * sy - 0.5) - 2);
  const right = Math.min(width, Math.ceil((x1 + reachX + 0.5) * sx - 0.5) + 3);
  const bottom = Math.min(height, Math.ceil((y1 + reachY + 0.5) * sy - 0.5) + 3);
  const box = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 4 } })
    .resize(width, height, { fit: "fill", kernel: "lanczos3" })
    .extract({ left, top, width: right - left, height: bottom - top })
    .raw()
    .toBuffer();
  const rowBytes = (right - left) * 4;
  for (let y = top; y < bottom; y++) {
    out.set(box.subarray((y - top) * rowBytes, (y - top + 1) * rowBytes), (y * width + left) * 4);
  }
  return { width, height, data: out };
}

export async function resizeMask(mask: Mask, width: number, height: number): Promise<Mask> {
  if (mask.width === width && mask.height === height) return mask;
  const grey = await resizeRaw(mask.data, mask.width, mask.height, 1, width, height, "linear");
  const data = new Uint8Array(grey.length);
  for (let i = 0; i < data.length; i++) data[i] = grey[i] >= 128 ? 255 : 0;
  return { width, height, data };
}
