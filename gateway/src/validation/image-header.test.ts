// Real encoder output (sharp/libvips) as the reference for the header reader.
import sharp from "sharp";
import { describe, expect, it } from "vitest";
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
      expect(result).toEqual({ ok: true, header: { format, width: w, height: h } });
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
});
