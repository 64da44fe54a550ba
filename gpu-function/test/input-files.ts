// Generated input files for the colour/bit-depth/alpha/metadata tests: known pixels written as
// PNG, JPEG or WebP, tagged with a profile generated here (sharp's built-in sRGB and Display P3)
// or Debian's icc-profiles-free Adobe-RGB-compatible profile when installed. Nothing fetched.
import { existsSync, readFileSync } from "node:fs";
import sharp from "sharp";
import { embedInJpeg, embedInPng, embedInWebp } from "../src/image/container-metadata.ts";

export const ADOBE_COMPATIBLE_PATH = "/usr/share/color/icc/compatibleWithAdobeRGB1998.icc";

const builtIn = new Map<string, Promise<Uint8Array>>();

/** The bytes of one of sharp's built-in RGB profiles ("srgb", "p3"), as it embeds them. */
export function builtInProfile(name: "srgb" | "p3"): Promise<Uint8Array> {
  let p = builtIn.get(name);
  if (!p) {
    p = sharp({ create: { width: 1, height: 1, channels: 3, background: "#808080" } })
      .withIccProfile(name)
      .png()
      .toBuffer()
      .then(async (png) => {
        const icc = (await sharp(png).metadata()).icc;
        if (!icc) throw new Error(`sharp embedded no ${name} profile`);
        return new Uint8Array(icc);
      });
    builtIn.set(name, p);
  }
  return p;
}

/** The Adobe-RGB-compatible profile, or null (with the reason) when the package is absent. */
export function adobeCompatibleProfile(): Uint8Array | null {
  return existsSync(ADOBE_COMPATIBLE_PATH) ? new Uint8Array(readFileSync(ADOBE_COMPATIBLE_PATH)) : null;
}
export const ADOBE_SKIP_REASON = `${ADOBE_COMPATIBLE_PATH} is absent (apt-get install icc-profiles-free): the Adobe RGB case is skipped`;

export interface GeneratedFile {
  bytes: Buffer;
  width: number;
  height: number;
  /** Channels of the stored pixels: 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA. */
  channels: 1 | 2 | 3 | 4;
  depth: 8 | 16;
  /** The pixels written (for lossless formats, the file's own decoded values). */
  pixels: Uint8Array | Uint16Array;
  icc: Uint8Array | null;
}

export interface FileSpec {
  format: "png" | "jpeg" | "webp";
  grey: boolean;
  alpha: boolean;
  depth: 8 | 16;
  icc: Uint8Array | null;
  width: number;
  height: number;
  seed: number;
  /** PNG only: write as a palette image (8-bit). */
  palette?: boolean;
}

/** Deterministic photo-like pixels with some fully transparent, half and opaque alpha values. */
export function generatePixels(
  spec: Pick<FileSpec, "grey" | "alpha" | "depth" | "width" | "height" | "seed" | "palette">,
) {
  const channels = ((spec.grey ? 1 : 3) + (spec.alpha ? 1 : 0)) as 1 | 2 | 3 | 4;
  const n = spec.width * spec.height;
  const max = spec.depth === 16 ? 65535 : 255;
  const pixels = spec.depth === 16 ? new Uint16Array(n * channels) : new Uint8Array(n * channels);
  let s = spec.seed >>> 0 || 1;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const colours = spec.palette ? Array.from({ length: 12 }, () => [next(), next(), next()]) : null;
  for (let i = 0; i < n; i++) {
    const x = i % spec.width;
    const y = Math.floor(i / spec.width);
    const pick = colours ? colours[(x + 3 * y) % colours.length] : null;
    for (let c = 0; c < (spec.grey ? 1 : 3); c++) {
      const smooth = 0.5 + 0.45 * Math.sin(x / 5 + y / 7 + c * 2);
      pixels[i * channels + c] = Math.round(
        (pick ? pick[c] : Math.min(1, Math.max(0, smooth + (next() - 0.5) * 0.1))) * max,
      );
    }
    if (spec.alpha) pixels[i * channels + channels - 1] = [0, max, Math.round(max / 2), max][(x + y) % 4];
  }
  return { pixels, channels };
}

export async function generateFile(spec: FileSpec): Promise<GeneratedFile> {
  const { pixels, channels } = generatePixels(spec);
  const raw = { width: spec.width, height: spec.height, channels };
  let image =
    spec.depth === 16
      ? sharp(pixels as Uint16Array, { raw }).toColourspace(spec.grey ? "grey16" : "rgb16")
      : sharp(pixels, { raw });
  if (spec.grey && spec.depth === 8) image = image.toColourspace("b-w");
  const meta = { icc: spec.icc, exif: null, xmp: null };
  let bytes: Buffer;
  if (spec.format === "png") {
    bytes = embedInPng(
      await image.png(spec.palette ? { palette: true, colours: 256, dither: 0 } : {}).toBuffer(),
      meta,
    );
  } else if (spec.format === "webp") {
    bytes = embedInWebp(await image.webp({ lossless: true }).toBuffer(), meta, spec, spec.alpha);
  } else {
    bytes = embedInJpeg(await image.jpeg({ quality: 92 }).toBuffer(), meta);
  }
  return {
    bytes,
    width: spec.width,
    height: spec.height,
    channels,
    depth: spec.depth,
    pixels,
    icc: spec.icc,
  };
}

/** A file's own decoded values (no colour conversion, orientation applied), widened to RGB(A). */
export async function ownPixels(bytes: Uint8Array) {
  const m = await sharp(bytes).metadata();
  const sixteen = m.depth === "ushort";
  const { data, info } = await sharp(bytes)
    .rotate()
    .keepIccProfile()
    .toColourspace(sixteen ? "rgb16" : "srgb")
    .raw({ depth: sixteen ? "ushort" : "uchar" })
    .toBuffer({ resolveWithObject: true });
  const pixels = sixteen
    ? new Uint16Array(data.buffer, data.byteOffset, data.length / 2)
    : new Uint8Array(data);
  return {
    pixels,
    channels: info.channels,
    depth: sixteen ? 16 : 8,
    icc: m.icc ? new Uint8Array(m.icc) : null,
    metadata: m,
  };
}

/** Stored pixels (grey or RGB, with or without alpha) widened to RGB(A) as the decoder does. */
export function widenToRgb(
  pixels: Uint8Array | Uint16Array,
  channels: 1 | 2 | 3 | 4,
): Uint8Array | Uint16Array {
  if (channels >= 3) return pixels;
  const n = pixels.length / channels;
  const out =
    pixels instanceof Uint16Array ? new Uint16Array(n * (channels + 2)) : new Uint8Array(n * (channels + 2));
  for (let i = 0; i < n; i++) {
    const g = pixels[i * channels];
    out.set([g, g, g], i * (channels + 2));
    if (channels === 2) out[i * 4 + 3] = pixels[i * 2 + 1];
  }
  return out;
}

/**
 * The synthetic scene (a ball on grass) as a file of another kind: 16-bit samples (v * 257 plus
 * a small ramp, so the low byte carries information), an alpha channel (a transparent band at
 * the top, a half-transparent one below it), a profile: pixel values known exactly.
 */
export async function sceneFile(o: {
  width: number;
  height: number;
  depth: 8 | 16;
  alpha: boolean;
  icc: Uint8Array | null;
}): Promise<GeneratedFile> {
  const { syntheticScene } = await import("../src/demo/synthetic-scene.ts");
  const scene = syntheticScene(o.width, o.height).image;
  const channels = o.alpha ? 4 : 3;
  const n = o.width * o.height;
  const pixels = o.depth === 16 ? new Uint16Array(n * channels) : new Uint8Array(n * channels);
  const max = o.depth === 16 ? 65535 : 255;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) {
      const v = scene.data[i * 3 + c];
      pixels[i * channels + c] = o.depth === 16 ? Math.min(65535, v * 257 + ((i * 13 + c * 71) % 200)) : v;
    }
    const y = Math.floor(i / o.width);
    if (o.alpha)
      pixels[i * channels + 3] = y < o.height / 8 ? 0 : y < o.height / 4 ? Math.round(max / 2) : max;
  }
  const raw = { width: o.width, height: o.height, channels: channels as 3 | 4 };
  const image =
    o.depth === 16 ? sharp(pixels as Uint16Array, { raw }).toColourspace("rgb16") : sharp(pixels, { raw });
  const bytes = embedInPng(await image.png().toBuffer(), { icc: o.icc, exif: null, xmp: null });
  return {
    bytes,
    width: o.width,
    height: o.height,
    channels: raw.channels,
    depth: o.depth,
    pixels,
    icc: o.icc,
  };
}

/** A CMYK JPEG (sharp's built-in CMYK profile): the kind the pipeline refuses. */
export async function cmykJpeg(width = 16, height = 12): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: "#3366cc" } })
    .toColourspace("cmyk")
    .jpeg()
    .toBuffer();
}
