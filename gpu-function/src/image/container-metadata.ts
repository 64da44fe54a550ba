// Splices an ICC profile, EXIF and XMP into an encoded PNG, JPEG or WebP, byte for byte: libvips
// can only attach a profile by converting the pixels into it, and the result's pixels are already
// in the input's space. PNG: iCCP (zlib), eXIf and an iTXt XML:com.adobe.xmp after IHDR. JPEG:
// APP1 Exif, APP1 XMP and APP2 ICC_PROFILE segments after SOI. WebP: the extended format (VP8X)
// with ICCP before the image chunk and EXIF / XMP after it.
import { crc32, deflateSync } from "node:zlib";

export interface EmbeddedMetadata {
  icc: Uint8Array | null;
  exif: Uint8Array | null;
  xmp: Uint8Array | null;
}

const ascii = (text: string) => new TextEncoder().encode(text);
/** The bytes as a Buffer without copying them (nothing to splice: the encoder's output as is). */
const asBuffer = (bytes: Uint8Array) =>
  Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);

function concat(parts: Uint8Array[]): Buffer {
  return Buffer.concat(
    parts.map((p) => (Buffer.isBuffer(p) ? p : Buffer.from(p.buffer, p.byteOffset, p.length))),
  );
}

function pngChunk(type: string, payload: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(payload.length, 0);
  head.write(type, 4, "latin1");
  const body = concat([head.subarray(4), payload]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0, 0);
  return concat([head.subarray(0, 4), body, crc]);
}

export function embedInPng(png: Uint8Array, meta: EmbeddedMetadata): Buffer {
  const chunks: Buffer[] = [];
  if (meta.icc) chunks.push(pngChunk("iCCP", concat([ascii("ICC Profile\0\0"), deflateSync(meta.icc)])));
  if (meta.exif) chunks.push(pngChunk("eXIf", meta.exif));
  if (meta.xmp) chunks.push(pngChunk("iTXt", concat([ascii("XML:com.adobe.xmp\0\0\0\0\0"), meta.xmp])));
  if (chunks.length === 0) return asBuffer(png);
  const ihdrEnd = 8 + 8 + 13 + 4; // signature, IHDR length+type, 13 bytes, CRC
  return concat([png.subarray(0, ihdrEnd), ...chunks, png.subarray(ihdrEnd)]);
}

function jpegSegment(marker: number, payload: Uint8Array): Buffer {
  if (payload.length + 2 > 0xffff) throw new RangeError(`JPEG segment of ${payload.length} bytes`);
  const head = Buffer.from([0xff, marker, (payload.length + 2) >> 8, (payload.length + 2) & 0xff]);
  return concat([head, payload]);
}

/** ICC profiles over one segment are split in order, each "ICC_PROFILE\0" + index + count. */
const ICC_CHUNK = 0xffff - 2 - 14;

export function embedInJpeg(jpeg: Uint8Array, meta: EmbeddedMetadata): Buffer {
  const segments: Buffer[] = [];
  if (meta.exif) segments.push(jpegSegment(0xe1, concat([ascii("Exif\0\0"), meta.exif])));
  if (meta.xmp) segments.push(jpegSegment(0xe1, concat([ascii("http://ns.adobe.com/xap/1.0/\0"), meta.xmp])));
  if (meta.icc) {
    const count = Math.ceil(meta.icc.length / ICC_CHUNK);
    for (let i = 0; i < count; i++) {
      const part = meta.icc.subarray(i * ICC_CHUNK, (i + 1) * ICC_CHUNK);
      segments.push(jpegSegment(0xe2, concat([ascii("ICC_PROFILE\0"), Uint8Array.of(i + 1, count), part])));
    }
  }
  if (segments.length === 0) return asBuffer(jpeg);
  // After SOI and a JFIF APP0, if the encoder wrote one (JFIF must come first).
  let at = 2;
  if (jpeg[2] === 0xff && jpeg[3] === 0xe0) at = 4 + ((jpeg[4] << 8) | jpeg[5]);
  return concat([jpeg.subarray(0, at), ...segments, jpeg.subarray(at)]);
}

function riffChunk(type: string, payload: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.write(type, 0, "latin1");
  head.writeUInt32LE(payload.length, 4);
  return concat([head, payload, payload.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
}

/** WebP from libwebp (simple VP8L/VP8 or extended VP8X) with the metadata in an extended file. */
export function embedInWebp(
  webp: Uint8Array,
  meta: EmbeddedMetadata,
  size: { width: number; height: number },
  alpha: boolean,
): Buffer {
  if (!meta.icc && !meta.exif && !meta.xmp) return asBuffer(webp);
  const view = Buffer.from(webp.buffer, webp.byteOffset, webp.length);
  const image: Buffer[] = [];
  for (let at = 12; at + 8 <= view.length; ) {
    const type = view.toString("latin1", at, at + 4);
    const length = view.readUInt32LE(at + 4);
    const whole = view.subarray(at, at + 8 + length + (length % 2));
    if (type === "VP8 " || type === "VP8L" || type === "ALPH") image.push(whole);
    at += 8 + length + (length % 2);
  }
  const flags = (meta.icc ? 0x20 : 0) | (alpha ? 0x10 : 0) | (meta.exif ? 0x08 : 0) | (meta.xmp ? 0x04 : 0);
  const vp8x = Buffer.alloc(10);
  vp8x[0] = flags;
  vp8x.writeUIntLE(size.width - 1, 4, 3);
  vp8x.writeUIntLE(size.height - 1, 7, 3);
  const chunks = [
    riffChunk("VP8X", vp8x),
    ...(meta.icc ? [riffChunk("ICCP", meta.icc)] : []),
    ...image,
    ...(meta.exif ? [riffChunk("EXIF", meta.exif)] : []),
    ...(meta.xmp ? [riffChunk("XMP ", meta.xmp)] : []),
  ];
  const body = concat([ascii("WEBP"), ...chunks]);
  const head = Buffer.alloc(8);
  head.write("RIFF", 0, "latin1");
  head.writeUInt32LE(body.length, 4);
  return concat([head, body]);
}
