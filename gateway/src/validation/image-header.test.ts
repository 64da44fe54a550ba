// Real encoder output (sharp/libvips) as the reference for the header reader.
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { builtInProfile, cmykJpeg, generateFile } from "../../../gpu-function/test/input-files.ts";
import { readImageHeader } from "./image-header.ts";

const make = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 30, b: 90 } } });

describe("readImageHeader", () => {
  it.each([
    ["png", (w: number, h: number) => make(w, h).png().toBuffer()],
    ["jpeg", (w: number, h: number) => make(w, h).jpeg().toBuffer()],
    [
      "jpeg",
      (w: number, h: number) =>
        make(w, h).jpeg({ progressive: true }).withMetadata({ orientation: 6 }).toBuffer(),
    ],
    ["webp", (w: number, h: number) => make(w, h).webp({ quality: 80 }).toBuffer()],
    ["webp", (w: number, h: number) => make(w, h).webp({ lossless: true }).toBuffer()],
    [
      "webp",
      (w: number, h: number) =>
        make(w, h).ensureAlpha(0.5).webp({ quality: 80 }).withMetadata({ orientation: 3 }).toBuffer(),
    ],
  ] as const)("reads %s sizes as libvips wrote them", async (format, encode) => {
    for (const [w, h] of [
      [1, 1],
      [451, 300],
      [640, 427],
      [3001, 17],
    ]) {
      const result = readImageHeader(new Uint8Array(await encode(w, h)));
      expect(result).toMatchObject({ ok: true, header: { format, width: w, height: h } });
    }
  });

  it("needs only the first kilobytes", async () => {
    const jpeg = await make(1234, 567).jpeg().toBuffer();
    expect(readImageHeader(new Uint8Array(jpeg.subarray(0, 1024)))).toMatchObject({
      ok: true,
      header: { width: 1234 },
    });
  });

  it.each([
    ["text", new TextEncoder().encode("hello, this is not an image at all, definitely")],
    ["GIF", new TextEncoder().encode("GIF89a\x01\x00\x01\x00\x00\x00\x00;..........................")],
    ["empty", new Uint8Array(0)],
  ])("rejects %s as unsupported", (_name, bytes) => {
    expect(readImageHeader(bytes)).toEqual({ ok: false, reason: "unsupported" });
  });

  it("calls a cut-off header truncated", async () => {
    const png = await make(10, 10).png().toBuffer();
    expect(readImageHeader(new Uint8Array(png.subarray(0, 20)))).toEqual({ ok: false, reason: "truncated" });
    const jpeg = await make(10, 10).jpeg().toBuffer();
    expect(readImageHeader(new Uint8Array(jpeg.subarray(0, 30)))).toEqual({ ok: false, reason: "truncated" });
  });

  // WebP's three headers, each with the bits that must not reach the size set.
  const riff = (chunk: string, payload: number[]) => {
    const bytes = new Uint8Array(Math.max(30, 20 + payload.length));
    bytes.set([..."RIFF"].map((c) => c.charCodeAt(0)));
    bytes.set(
      [..."WEBP"].map((c) => c.charCodeAt(0)),
      8,
    );
    bytes.set(
      [...chunk].map((c) => c.charCodeAt(0)),
      12,
    );
    bytes.set(payload, 20);
    return bytes;
  };

  it("VP8 (lossy): 14-bit width and height, the 2 scale bits above each masked off", async () => {
    const real = new Uint8Array(await make(451, 300).webp({ quality: 80 }).toBuffer());
    expect(String.fromCharCode(...real.subarray(12, 16))).toBe("VP8 ");
    real[27] |= 0xc0; // horizontal scale 3
    real[29] |= 0x80; // vertical scale 2
    expect(readImageHeader(real)).toMatchObject({
      ok: true,
      header: { format: "webp", width: 451, height: 300 },
    });
    // 16383 x 1 (the largest 14-bit width), both scales 1, from the bytes alone.
    const crafted = riff("VP8 ", [0, 0, 0, 0x9d, 0x01, 0x2a, 0xff, 0x7f, 0x01, 0x40]);
    expect(readImageHeader(crafted)).toMatchObject({
      ok: true,
      header: { format: "webp", width: 16383, height: 1 },
    });
    const noStartCode = riff("VP8 ", [0, 0, 0, 0x9d, 0x01, 0x2b, 1, 0, 1, 0]);
    expect(readImageHeader(noStartCode)).toEqual({ ok: false, reason: "unsupported" });
  });

  it("VP8L (lossless): 14-bit width-1 and height-1, the alpha and version bits after them ignored", async () => {
    const real = new Uint8Array(await make(451, 300).ensureAlpha(0.5).webp({ lossless: true }).toBuffer());
    expect(String.fromCharCode(...real.subarray(12, 16))).toBe("VP8L");
    expect(readImageHeader(real)).toMatchObject({
      ok: true,
      header: { format: "webp", width: 451, height: 300 },
    });
    // width-1 = 0x3fff, height-1 = 2, alpha_is_used = 1, version bits set: 16384 x 3.
    const bits = (0x3fff | (2 << 14) | (1 << 28) | (0b111 << 29)) >>> 0;
    const crafted = riff("VP8L", [0x2f, bits & 0xff, (bits >>> 8) & 0xff, (bits >>> 16) & 0xff, bits >>> 24]);
    expect(readImageHeader(crafted)).toMatchObject({
      ok: true,
      header: { format: "webp", width: 16384, height: 3 },
    });
    expect(readImageHeader(riff("VP8L", [0x2e, 0, 0, 0, 0]))).toEqual({ ok: false, reason: "unsupported" });
  });

  it("VP8X (extended): 24-bit canvas width-1 and height-1 after the flags", () => {
    // flags (alpha, EXIF) + 3 reserved bytes, then width-1 = 69999, height-1 = 2.
    const crafted = riff("VP8X", [0x18, 0, 0, 0, 0x6f, 0x11, 0x01, 0x02, 0, 0]);
    expect(readImageHeader(crafted)).toMatchObject({
      ok: true,
      header: { format: "webp", width: 70000, height: 3 },
    });
  });
});

describe("readImageHeader: colour", () => {
  const colourOf = async (bytes: Uint8Array) => {
    const r = readImageHeader(bytes);
    if (!r.ok) throw new Error(`not read: ${r.reason}`);
    return r.header.colour;
  };
  const base = { width: 9, height: 7, seed: 5, grey: false, alpha: false, depth: 8 as const, icc: null };

  it("PNG: bit depth, colour type, alpha and an iCCP chunk before IDAT", async () => {
    const p3 = await builtInProfile("p3");
    expect(await colourOf((await generateFile({ ...base, format: "png" })).bytes)).toEqual({
      model: "rgb",
      bitDepth: 8,
      alpha: false,
      profile: false,
      profileSpace: null,
    });
    expect(
      await colourOf((await generateFile({ ...base, format: "png", depth: 16, alpha: true, icc: p3 })).bytes),
    ).toMatchObject({ model: "rgb", bitDepth: 16, alpha: true, profile: true });
    expect(await colourOf((await generateFile({ ...base, format: "png", grey: true })).bytes)).toMatchObject({
      model: "grey",
      profile: false,
    });
    expect(
      await colourOf((await generateFile({ ...base, format: "png", palette: true, alpha: true })).bytes),
    ).toMatchObject({ model: "palette", alpha: true });
  });

  it("PNG: a profile not yet reached (the image data is past the bytes read) is unknown", async () => {
    const png = (await generateFile({ ...base, format: "png" })).bytes;
    expect((await colourOf(png.subarray(0, 40))).profile).toBeNull();
  });

  it("JPEG: components (4 = CMYK), precision, and the APP2 profile's colour space", async () => {
    expect(await colourOf(await cmykJpeg())).toMatchObject({ model: "cmyk", bitDepth: 8 });
    const p3 = await builtInProfile("p3");
    expect(await colourOf((await generateFile({ ...base, format: "jpeg", icc: p3 })).bytes)).toEqual({
      model: "rgb",
      bitDepth: 8,
      alpha: false,
      profile: true,
      profileSpace: "RGB ",
    });
    expect(await colourOf((await generateFile({ ...base, format: "jpeg", grey: true })).bytes)).toMatchObject(
      {
        model: "grey",
        profile: false,
      },
    );
  });

  it("WebP: the VP8X ICC and alpha flags and the ICCP chunk's colour space", async () => {
    const p3 = await builtInProfile("p3");
    expect(
      await colourOf((await generateFile({ ...base, format: "webp", alpha: true, icc: p3 })).bytes),
    ).toEqual({ model: "rgb", bitDepth: 8, alpha: true, profile: true, profileSpace: "RGB " });
    expect(
      await colourOf((await generateFile({ ...base, format: "webp", alpha: true })).bytes),
    ).toMatchObject({
      alpha: true,
      profile: false,
    });
  });
});
