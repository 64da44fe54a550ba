import { ZoneError } from "@zone/shared";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { decodeImage, decodeMask, encodePng, readInputFile } from "./io.ts";

// A 4x2 image: left half red, right half blue.
const raw = new Uint8Array(4 * 2 * 3);
for (let i = 0; i < 8; i++) raw.set(i % 4 < 2 ? [255, 0, 0] : [0, 0, 255], i * 3);
const source = () => sharp(raw, { raw: { width: 4, height: 2, channels: 3 } });

async function expectZoneError(promise: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ZoneError);
  expect((error as ZoneError).code).toBe(code);
  expect((error as ZoneError).message).toMatch(message);
}

describe("decodeImage", () => {
  it.each([
    ["png", () => source().png().toBuffer()],
    ["webp", () => source().webp({ lossless: true }).toBuffer()],
  ])("decodes lossless %s to the same RGB bytes", async (_name, encode) => {
    const image = await decodeImage(await encode());
    expect(image).toMatchObject({ width: 4, height: 2 });
    expect(Array.from(image.data)).toEqual(Array.from(raw));
  });

  it("decodes JPEG to RGB", async () => {
    const image = await decodeImage(await source().jpeg({ quality: 95 }).toBuffer());
    expect(image).toMatchObject({ width: 4, height: 2 });
    expect(image.data.length).toBe(24);
  });

  it("applies EXIF orientation (6 = rotate 90 degrees clockwise)", async () => {
    const jpeg = await source().jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toBuffer();
    const image = await decodeImage(jpeg);
    expect(image).toMatchObject({ width: 2, height: 4 });
    // After a clockwise turn the red (left) half is on top.
    expect(image.data[0]).toBeGreaterThan(200);
    expect(image.data[2]).toBeLessThan(60);
    expect(image.data[3 * 2 * 3 + 2]).toBeGreaterThan(200);
  });

  it("flattens transparency onto white and widens greyscale to RGB", async () => {
    const rgba = await sharp(new Uint8Array([0, 0, 0, 0, 10, 20, 30, 255]), {
      raw: { width: 2, height: 1, channels: 4 },
    })
      .png()
      .toBuffer();
    expect(Array.from((await decodeImage(rgba)).data)).toEqual([255, 255, 255, 10, 20, 30]);
    const grey = await sharp(new Uint8Array([7, 200]), { raw: { width: 2, height: 1, channels: 1 } })
      .png()
      .toBuffer();
    expect(Array.from((await decodeImage(grey)).data)).toEqual([7, 7, 7, 200, 200, 200]);
  });

  it("rejects bytes that are not an image", async () => {
    await expectZoneError(
      decodeImage(new TextEncoder().encode("hello, not a picture")),
      "unsupported_image",
      /not an image/,
    );
  });

  it("rejects formats other than PNG, JPEG and WebP", async () => {
    await expectZoneError(
      decodeImage(await source().gif().toBuffer(), { label: "upload" }),
      "unsupported_image",
      /upload is GIF/,
    );
  });

  it("rejects a truncated file", async () => {
    const jpeg = await sharp({ create: { width: 256, height: 256, channels: 3, background: "#3366cc" } })
      .jpeg()
      .toBuffer();
    await expectZoneError(
      decodeImage(jpeg.subarray(0, jpeg.length >> 1)),
      "image_truncated",
      /truncated or corrupt/,
    );
  });

  it("refuses images over the pixel limit before decoding them", async () => {
    const big = await sharp({ create: { width: 5000, height: 4000, channels: 3, background: "#000" } })
      .png({ compressionLevel: 1 })
      .toBuffer();
    await expectZoneError(
      decodeImage(big),
      "image_too_large",
      /5000x4000 \(20\.0 MP\), over the 16\.8 MP limit/,
    );
    await expectZoneError(
      decodeImage(await source().png().toBuffer(), { maxPixels: 7 }),
      "image_too_large",
      /4x2/,
    );
  });
});

describe("decodeMask / encodePng", () => {
  it("round-trips a mask and thresholds grey values at 128", async () => {
    const png = await sharp(new Uint8Array([0, 127, 128, 255]), { raw: { width: 4, height: 1, channels: 1 } })
      .png()
      .toBuffer();
    const mask = await decodeMask(png);
    expect(Array.from(mask.data)).toEqual([0, 0, 255, 255]);
    const again = await decodeMask(await encodePng(mask));
    expect(Array.from(again.data)).toEqual([0, 0, 255, 255]);
  });

  it("encodes RGB and RGBA losslessly", async () => {
    const rgba = { width: 2, height: 1, data: new Uint8Array([1, 2, 3, 4, 250, 251, 252, 253]) };
    const { data, info } = await sharp(await encodePng(rgba))
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(info.channels).toBe(4);
    expect(Array.from(data)).toEqual(Array.from(rgba.data));
    const rgb = { width: 4, height: 2, data: raw };
    expect(Array.from((await decodeImage(await encodePng(rgb))).data)).toEqual(Array.from(raw));
  });
});

describe("readInputFile", () => {
  it("names the flag and the path of a missing file", async () => {
    await expectZoneError(
      readInputFile("/nonexistent/x.png", "--original"),
      "not_found",
      /--original \/nonexistent\/x.png: no such file/,
    );
  });
});
