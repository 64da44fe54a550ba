import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { GPS_IFD_TAG, ifd0Tags, ORIENTATION_TAG, prepareExif, prepareXmp } from "./exif.ts";
import { decodeInput } from "./source-image.ts";

async function exifWithGps(): Promise<Uint8Array> {
  const jpeg = await sharp({ create: { width: 4, height: 4, channels: 3, background: "#000" } })
    .jpeg()
    .withExif({
      IFD0: { Artist: "someone" },
      IFD3: { GPSLatitudeRef: "N", GPSLatitude: "51/1 29/1 4457/100" },
    })
    .withMetadata({ orientation: 8 })
    .toBuffer();
  const exif = (await decodeInput(jpeg)).source.exif;
  if (!exif) throw new Error("no EXIF read back");
  return exif;
}

/** 4457/100 as two little-endian u32s: the latitude's seconds, a value only the GPS IFD holds. */
const SECONDS = Uint8Array.of(0x69, 0x11, 0, 0, 100, 0, 0, 0);
const contains = (bytes: Uint8Array, needle: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).includes(Buffer.from(needle));

describe("prepareExif", () => {
  it("resets the orientation and, without keepGps, removes the GPS pointer and zeroes its values", async () => {
    const exif = await exifWithGps();
    expect(ifd0Tags(exif).get(ORIENTATION_TAG)).toBe(8);
    expect(contains(exif, SECONDS)).toBe(true);
    const out = prepareExif(exif, false);
    if (!out) throw new Error("not a TIFF block");
    const tags = ifd0Tags(out);
    expect(tags.get(ORIENTATION_TAG)).toBe(1);
    expect(tags.has(GPS_IFD_TAG)).toBe(false);
    expect(contains(out, SECONDS)).toBe(false);
    expect(Buffer.from(out).includes("someone")).toBe(true);
    expect(exif.length).toBe(out.length); // edited in place, on a copy
    expect(ifd0Tags(exif).get(ORIENTATION_TAG)).toBe(8); // the input is untouched
  });

  it("keepGps keeps the GPS IFD as it was", async () => {
    const out = prepareExif(await exifWithGps(), true);
    expect(out && ifd0Tags(out).has(GPS_IFD_TAG)).toBe(true);
    expect(out && contains(out, SECONDS)).toBe(true);
  });

  it("returns null for bytes that are not a TIFF structure", () => {
    expect(prepareExif(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8), false)).toBeNull();
  });
});

describe("prepareXmp", () => {
  const xmp = (body: string) => new TextEncoder().encode(`<x:xmpmeta><rdf:Description ${body}/></x:xmpmeta>`);
  it("drops a packet naming GPS unless GPS is kept, and resets tiff:Orientation", () => {
    expect(prepareXmp(xmp('exif:GPSLatitude="51,29N"'), false)).toBeNull();
    const kept = prepareXmp(xmp('exif:GPSLatitude="51,29N" tiff:Orientation="6"'), true);
    expect(new TextDecoder().decode(kept ?? new Uint8Array())).toContain('tiff:Orientation="1"');
    expect(new TextDecoder().decode(prepareXmp(xmp('dc:creator="me"'), false) ?? new Uint8Array())).toContain(
      "me",
    );
  });
});
