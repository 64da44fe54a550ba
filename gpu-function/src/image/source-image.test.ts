import { ZoneError } from "@zone/shared";
import type sharp from "sharp";
import { describe, expect, it } from "vitest";
import { builtInProfile, cmykJpeg, generateFile } from "../../test/input-files.ts";
import { classifyInput, decodeInput, MODEL_BACKGROUND } from "./source-image.ts";

const base = { width: 8, height: 8, seed: 3, grey: false, alpha: false, depth: 8 as const, icc: null };

async function refusal(bytes: Uint8Array): Promise<ZoneError> {
  try {
    await decodeInput(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(ZoneError);
    return error as ZoneError;
  }
  throw new Error("expected a refusal");
}

describe("decodeInput", () => {
  it("takes the fast path only for 8-bit, opaque, untagged files", async () => {
    const p3 = await builtInProfile("p3");
    const cases = [
      [{ ...base, format: "png" }, true],
      [{ ...base, format: "jpeg" }, true],
      [{ ...base, format: "png", grey: true }, true],
      [{ ...base, format: "png", icc: p3 }, false],
      [{ ...base, format: "png", alpha: true }, false],
      [{ ...base, format: "png", depth: 16 }, false],
    ] as const;
    for (const [spec, fast] of cases) {
      const input = await decodeInput((await generateFile(spec)).bytes);
      expect(input.fastPath, JSON.stringify({ ...spec, icc: !!spec.icc })).toBe(fast);
      expect(input.source.data === input.model.data).toBe(fast);
    }
  });

  it("gives the models opaque 8-bit sRGB, transparent pixels on MODEL_BACKGROUND", async () => {
    const file = await generateFile({ ...base, format: "png", alpha: true });
    const input = await decodeInput(file.bytes);
    expect(MODEL_BACKGROUND).toBe("#ffffff");
    expect(input.model.data.length).toBe(8 * 8 * 3);
    // Pixel 0 has alpha 0 in generated files: white for the models.
    expect([...input.model.data.subarray(0, 3)]).toEqual([255, 255, 255]);
    expect(input.source.data[3]).toBe(0);
  });

  it("refuses CMYK, a greyscale ICC profile and an RGB image with a CMYK profile", async () => {
    expect((await refusal(await cmykJpeg())).code).toBe("unsupported_colour_space");
    const gray = new Uint8Array(await builtInProfile("p3"));
    gray.set([0x47, 0x52, 0x41, 0x59], 16); // "GRAY"
    const m = {
      format: "png",
      space: "srgb",
      depth: "uchar",
      channels: 3,
      icc: Buffer.from(gray),
    } as sharp.Metadata;
    expect(() => classifyInput(m, "image")).toThrow(/RGB with a GRAY ICC profile/);
    expect(() => classifyInput({ ...m, space: "b-w", channels: 1 }, "image")).toThrow(
      /greyscale with a GRAY/,
    );
    const cmyk = new Uint8Array(gray);
    cmyk.set([0x43, 0x4d, 0x59, 0x4b], 16); // "CMYK"
    expect(() => classifyInput({ ...m, icc: Buffer.from(cmyk) }, "image")).toThrow(
      /RGB with a CMYK ICC profile/,
    );
    expect(classifyInput({ ...m, icc: Buffer.from(await builtInProfile("p3")) }, "image")).toMatchObject({
      colour: "rgb",
      profile: true,
    });
  });
});
