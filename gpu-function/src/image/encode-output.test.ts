import { outputChoice } from "@zone/shared";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { builtInProfile } from "../../test/input-files.ts";
import { describeOutput, encodeOutput } from "./encode-output.ts";
import type { SourceImage } from "./source-image.ts";

const image = (depth: 8 | 16, icc: Uint8Array | null): SourceImage => {
  const max = depth === 16 ? 65535 : 255;
  const data = depth === 16 ? new Uint16Array(4 * 4 * 4) : new Uint8Array(4 * 4 * 4);
  for (let i = 0; i < 16; i++) data.set([max, 0, 0, i < 8 ? 0 : max], i * 4); // top half transparent red
  return { width: 4, height: 4, channels: 4, depth, data, icc, exif: null, xmp: null };
};

describe("encodeOutput", () => {
  it("jpeg: 8-bit RGB, transparent pixels flattened onto white, the profile kept, the quality used", async () => {
    const p3 = await builtInProfile("p3");
    for (const depth of [8, 16] as const) {
      const jpeg = await encodeOutput(image(depth, p3), outputChoice({ format: "jpeg", quality: 95 }));
      const m = await sharp(jpeg).metadata();
      expect(m).toMatchObject({ format: "jpeg", channels: 3, depth: "uchar" });
      expect(Buffer.from(m.icc ?? [])).toEqual(Buffer.from(p3));
      const { data } = await sharp(jpeg).keepIccProfile().raw().toBuffer({ resolveWithObject: true });
      expect(Math.min(data[0], data[1], data[2])).toBeGreaterThan(240); // white, top
      expect(data[15 * 3]).toBeGreaterThan(200); // red, bottom
      expect(data[15 * 3 + 1]).toBeLessThan(60);
    }
    const low = await encodeOutput(image(8, null), outputChoice({ format: "jpeg", quality: 5 }));
    const high = await encodeOutput(image(8, null), outputChoice({ format: "jpeg", quality: 100 }));
    expect(low.length).toBeLessThan(high.length);
  });

  it("webp refuses a 16-bit image; png keeps 16 bits and alpha", async () => {
    await expect(encodeOutput(image(16, null), outputChoice({ format: "webp" }))).rejects.toMatchObject({
      code: "unsupported_output",
    });
    const m = await sharp(await encodeOutput(image(16, null), outputChoice())).metadata();
    expect(m).toMatchObject({ format: "png", depth: "ushort", channels: 4, hasProfile: false });
  });
});

describe("describeOutput", () => {
  it("says what encodeOutput writes: 16 bits only in PNG, alpha except in JPEG, the profile when there is one", async () => {
    const p3 = await builtInProfile("p3");
    for (const [format, depth, alpha] of [
      ["png", 16, true],
      ["jpeg", 8, false],
    ] as const) {
      const choice = outputChoice({ format });
      const described = describeOutput(image(16, p3), choice);
      expect(described).toEqual({ format, metadata: "strip", depth, alpha, icc: true });
      const written = await sharp(await encodeOutput(image(16, p3), choice)).metadata();
      expect([written.depth === "ushort" ? 16 : 8, written.channels === 4, written.hasProfile]).toEqual([
        depth,
        alpha,
        true,
      ]);
    }
    expect(describeOutput(image(8, null), outputChoice({ format: "webp" }))).toMatchObject({
      depth: 8,
      alpha: true,
      icc: false,
    });
  });
});
