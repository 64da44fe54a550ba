// Image type, dimensions and colour from the first bytes of an upload, without decoding it: PNG
// (IHDR: bit depth and colour type; iCCP and tRNS before IDAT), JPEG (APP2 ICC_PROFILE segments,
// then the first SOFn marker: precision and component count, 4 = CMYK/YCCK) and WebP (VP8, VP8L,
// VP8X with its ICC and alpha flags). The gateway rejects what is not an image, too large, or in a
// colour space the pipeline cannot return exactly, before anything is stored or billed; the GPU
// function decodes for real (and refuses, with the same codes, what only a decode finds: a PNG's
// zlib-compressed profile of another colour model). Written by hand: Workers have no image library.

export type ImageFormat = "png" | "jpeg" | "webp";

export interface ImageColour {
  /** cmyk: a 4-component JPEG (CMYK or YCCK). */
  model: "rgb" | "grey" | "palette" | "cmyk";
  /** Bits per sample as stored (PNG 1-16, JPEG 8/12, WebP 8). */
  bitDepth: number;
  /** An alpha channel (PNG colour types 4/6 or tRNS, WebP alpha); JPEG never. */
  alpha: boolean;
  /** An embedded ICC profile; null when the bytes read end before the image data. */
  profile: boolean | null;
  /** The profile's data colour space ("RGB ", "GRAY", "CMYK"), where it is readable uncompressed. */
  profileSpace: string | null;
}

export interface ImageHeader {
  format: ImageFormat;
  width: number;
  height: number;
  colour: ImageColour;
}

export type HeaderResult =
  | { ok: true; header: ImageHeader }
  | { ok: false; reason: "unsupported" | "truncated" };

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function startsWith(bytes: Uint8Array, prefix: number[], offset = 0): boolean {
  if (bytes.length < offset + prefix.length) return false;
  return prefix.every((b, i) => bytes[offset + i] === b);
}

const u16be = (b: Uint8Array, i: number) => (b[i] << 8) | b[i + 1];
const u32be = (b: Uint8Array, i: number) =>
  ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;
const u16le = (b: Uint8Array, i: number) => b[i] | (b[i + 1] << 8);
const u24le = (b: Uint8Array, i: number) => b[i] | (b[i + 1] << 8) | (b[i + 2] << 16);

const fourCC = (b: Uint8Array, i: number) => String.fromCharCode(b[i], b[i + 1], b[i + 2], b[i + 3]);
/** An ICC profile's data colour space (header bytes 16-19) at `at`, if those bytes are here. */
const iccSpace = (b: Uint8Array, at: number) => (at + 20 <= b.length ? fourCC(b, at + 16) : null);

const PNG_MODELS: Record<number, ImageColour["model"]> = {
  0: "grey",
  2: "rgb",
  3: "palette",
  4: "grey",
  6: "rgb",
};

function png(b: Uint8Array): HeaderResult {
  // Signature, then the IHDR chunk: length(4) "IHDR"(4) width(4) height(4) depth(1) type(1).
  if (b.length < 26) return { ok: false, reason: "truncated" };
  if (fourCC(b, 12) !== "IHDR") return { ok: false, reason: "unsupported" };
  const type = b[25];
  const model = PNG_MODELS[type];
  if (model === undefined) return { ok: false, reason: "unsupported" };
  let alpha = type === 4 || type === 6;
  let profile: boolean | null = null;
  // The chunks before the image data: iCCP (zlib-compressed, so its colour space is not read
  // here) and tRNS (transparency for grey, RGB and palette images).
  for (let i = 33; i + 8 <= b.length; ) {
    const length = u32be(b, i);
    const chunk = fourCC(b, i + 4);
    if (chunk === "iCCP") profile = true;
    if (chunk === "tRNS") alpha = true;
    if (chunk === "IDAT") {
      profile ??= false;
      break;
    }
    i += 12 + length;
  }
  return {
    ok: true,
    header: {
      format: "png",
      width: u32be(b, 16),
      height: u32be(b, 20),
      colour: { model, bitDepth: b[24], alpha, profile, profileSpace: null },
    },
  };
}

// Start-of-frame markers carry the size: C0-CF except C4 (DHT), C8 (JPG) and CC (DAC).
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

const ICC_PROFILE = "ICC_PROFILE\0";

function jpeg(b: Uint8Array): HeaderResult {
  let i = 2;
  let profile = false;
  let profileSpace: string | null = null;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) return { ok: false, reason: "unsupported" };
    const marker = b[i + 1];
    if (marker === 0xff) {
      i++; // fill byte
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      i += 2; // markers without a length
      continue;
    }
    const length = u16be(b, i + 2);
    if (length < 2) return { ok: false, reason: "unsupported" };
    if (
      marker === 0xe2 &&
      i + 18 <= b.length &&
      String.fromCharCode(...b.subarray(i + 4, i + 16)) === ICC_PROFILE
    ) {
      profile = true;
      // The first chunk (sequence number 1) starts with the profile's header.
      if (b[i + 16] === 1) profileSpace = iccSpace(b, i + 18);
    }
    if (isStartOfFrame(marker)) {
      if (i + 10 > b.length) return { ok: false, reason: "truncated" };
      const components = b[i + 9];
      const model = components === 1 ? "grey" : components === 3 ? "rgb" : components === 4 ? "cmyk" : null;
      if (model === null) return { ok: false, reason: "unsupported" };
      return {
        ok: true,
        header: {
          format: "jpeg",
          height: u16be(b, i + 5),
          width: u16be(b, i + 7),
          colour: { model, bitDepth: b[i + 4], alpha: false, profile, profileSpace },
        },
      };
    }
    if (marker === 0xda || marker === 0xd9) return { ok: false, reason: "unsupported" }; // scan before any frame
    i += 2 + length;
  }
  return { ok: false, reason: "truncated" };
}

const webpColour = (alpha: boolean, profile: boolean, profileSpace: string | null): ImageColour => ({
  model: "rgb",
  bitDepth: 8,
  alpha,
  profile,
  profileSpace,
});

function webp(b: Uint8Array): HeaderResult {
  if (b.length < 30) return { ok: false, reason: "truncated" };
  const chunk = fourCC(b, 12);
  if (chunk === "VP8 ") {
    // Frame tag (3) then the start code 9D 01 2A, then 14-bit width and height.
    if (!startsWith(b, [0x9d, 0x01, 0x2a], 23)) return { ok: false, reason: "unsupported" };
    return {
      ok: true,
      header: {
        format: "webp",
        width: u16le(b, 26) & 0x3fff,
        height: u16le(b, 28) & 0x3fff,
        colour: webpColour(false, false, null),
      },
    };
  }
  if (chunk === "VP8L") {
    if (b[20] !== 0x2f) return { ok: false, reason: "unsupported" };
    const bits = (b[21] | (b[22] << 8) | (b[23] << 16) | (b[24] << 24)) >>> 0;
    return {
      ok: true,
      header: {
        format: "webp",
        width: (bits & 0x3fff) + 1,
        height: ((bits >>> 14) & 0x3fff) + 1,
        colour: webpColour(((bits >>> 28) & 1) === 1, false, null),
      },
    };
  }
  if (chunk === "VP8X") {
    // Flags: ICC 0x20, alpha 0x10; an ICCP chunk comes right after VP8X (offset 30).
    const flags = b[20];
    const profile = (flags & 0x20) !== 0;
    const profileSpace = profile && b.length >= 38 && fourCC(b, 30) === "ICCP" ? iccSpace(b, 38) : null;
    return {
      ok: true,
      header: {
        format: "webp",
        width: u24le(b, 24) + 1,
        height: u24le(b, 27) + 1,
        colour: webpColour((flags & 0x10) !== 0, profile, profileSpace),
      },
    };
  }
  return { ok: false, reason: "unsupported" };
}

/** Reads the format and size from the header; `bytes` may be just the first few kilobytes. */
export function readImageHeader(bytes: Uint8Array): HeaderResult {
  if (startsWith(bytes, PNG_SIGNATURE)) return png(bytes);
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return jpeg(bytes);
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8))
    return webp(bytes);
  return { ok: false, reason: "unsupported" };
}
