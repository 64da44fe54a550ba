// Image type and dimensions from the first bytes of an upload, without decoding it: PNG (IHDR),
// JPEG (the first SOFn marker) and WebP (VP8, VP8L, VP8X). The gateway rejects what is not an
// image, or too large, before anything is stored or billed; the GPU function decodes for real.
// Written by hand: Workers have no image library, and only the header is needed.

export type ImageFormat = "png" | "jpeg" | "webp";

export interface ImageHeader {
  format: ImageFormat;
  width: number;
  height: number;
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

function png(b: Uint8Array): HeaderResult {
  // Signature, then the IHDR chunk: length(4) "IHDR"(4) width(4) height(4).
  if (b.length < 24) return { ok: false, reason: "truncated" };
  if (String.fromCharCode(b[12], b[13], b[14], b[15]) !== "IHDR") return { ok: false, reason: "unsupported" };
  return { ok: true, header: { format: "png", width: u32be(b, 16), height: u32be(b, 20) } };
}

// Start-of-frame markers carry the size: C0-CF except C4 (DHT), C8 (JPG) and CC (DAC).
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function jpeg(b: Uint8Array): HeaderResult {
  let i = 2;
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
    if (isStartOfFrame(marker)) {
      if (i + 9 > b.length) return { ok: false, reason: "truncated" };
      return { ok: true, header: { format: "jpeg", height: u16be(b, i + 5), width: u16be(b, i + 7) } };
    }
    if (marker === 0xda || marker === 0xd9) return { ok: false, reason: "unsupported" }; // scan before any frame
    i += 2 + length;
  }
  return { ok: false, reason: "truncated" };
}

function webp(b: Uint8Array): HeaderResult {
  if (b.length < 30) return { ok: false, reason: "truncated" };
  const chunk = String.fromCharCode(b[12], b[13], b[14], b[15]);
  if (chunk === "VP8 ") {
    // Frame tag (3) then the start code 9D 01 2A, then 14-bit width and height.
    if (!startsWith(b, [0x9d, 0x01, 0x2a], 23)) return { ok: false, reason: "unsupported" };
    return {
      ok: true,
      header: { format: "webp", width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff },
    };
  }
  if (chunk === "VP8L") {
    if (b[20] !== 0x2f) return { ok: false, reason: "unsupported" };
    const bits = (b[21] | (b[22] << 8) | (b[23] << 16) | (b[24] << 24)) >>> 0;
    return {
      ok: true,
      header: { format: "webp", width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 },
    };
  }
  if (chunk === "VP8X") {
    return { ok: true, header: { format: "webp", width: u24le(b, 24) + 1, height: u24le(b, 27) + 1 } };
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
