import { cleanInstruction, OUTPUT_DEFAULTS, PUBLIC_LIMITS, ZONE_DEFAULTS, ZoneError } from "@zone/shared";
import { describe, expect, it } from "vitest";
import { builtInProfile, cmykJpeg, generateFile } from "../../../gpu-function/test/input-files.ts";
import { sha256Hex } from "../cache/cache-key.ts";
import { type Limits, limitsFrom, MAX_UPLOAD_CEILING_BYTES, parseEditRequest } from "./edit-request.ts";

/** The 33 bytes a PNG header needs (signature + IHDR), claiming any size; nothing is decoded. */
function pngHeader(width: number, height: number): Uint8Array {
  const bytes = new Uint8Array(33);
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  const view = new DataView(bytes.buffer);
  view.setUint32(16, width);
  view.setUint32(20, height);
  return bytes;
}

function form(image: Uint8Array, fields: Record<string, string> = {}): FormData {
  const f = new FormData();
  f.append("image", new Blob([image]), "photo");
  f.append("instruction", "make it blue");
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
}

async function rejection(promise: Promise<unknown>): Promise<ZoneError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ZoneError);
  return error as ZoneError;
}

const LIMITS: Limits = { maxUploadBytes: 1000, maxSide: 4096, maxPixels: 1_000_000 };

describe("parseEditRequest: output and colour", () => {
  it("takes output, quality, metadata and maskSize from the form into the GPU params", async () => {
    const request = await parseEditRequest(
      form(pngHeader(10, 10), { output: "jpeg", quality: "80", metadata: "keep", maskSize: "original" }),
      LIMITS,
    );
    expect(request.params).toMatchObject({
      output: "jpeg",
      quality: 80,
      metadata: "keep",
      maskSize: "original",
    });
  });

  it("maps Accept to the output when the answer is the image and no output field is given", async () => {
    const parse = (accept: string | undefined, fields: Record<string, string> = {}) =>
      parseEditRequest(form(pngHeader(10, 10), fields), LIMITS, accept).then((r) => r.params.output);
    expect(await parse("image/webp")).toBe("webp");
    expect(await parse("image/jpeg")).toBe("jpeg");
    expect(await parse("image/*")).toBe("png");
    expect(await parse(undefined)).toBe("png");
    expect(await parse("application/json, image/webp;q=0.5")).toBe("png"); // the answer is JSON
    expect(await parse("image/webp", { output: "png" })).toBe("png"); // the field wins
  });

  it("refuses a quality without jpeg, and an unknown format", async () => {
    const bad = await rejection(parseEditRequest(form(pngHeader(10, 10), { quality: "80" }), LIMITS));
    expect(bad.message).toMatch(/quality: quality applies to output jpeg only/);
    expect((await rejection(parseEditRequest(form(pngHeader(10, 10), { output: "gif" }), LIMITS))).code).toBe(
      "invalid_argument",
    );
  });

  it.each([
    ["a CMYK JPEG", () => cmykJpeg(), {}, "unsupported_colour_space", 415],
    [
      "a greyscale JPEG with a profile",
      async () => {
        const f = await generateFile({
          format: "jpeg",
          grey: true,
          alpha: false,
          depth: 8,
          icc: null,
          width: 8,
          height: 8,
          seed: 1,
        });
        // Splice a profile into the grey file: valid bytes, a refused kind.
        const { embedInJpeg } = await import("../../../gpu-function/src/image/container-metadata.ts");
        return embedInJpeg(f.bytes, { icc: await builtInProfile("p3"), exif: null, xmp: null });
      },
      {},
      "unsupported_colour_space",
      415,
    ],
    [
      "a 16-bit PNG as WebP",
      async () =>
        (
          await generateFile({
            format: "png",
            grey: false,
            alpha: false,
            depth: 16,
            icc: null,
            width: 8,
            height: 8,
            seed: 1,
          })
        ).bytes,
      { output: "webp" },
      "unsupported_output",
      422,
    ],
  ] as const)("refuses %s from its header", async (_what, bytes, fields, code, status) => {
    const error = await rejection(
      parseEditRequest(form(new Uint8Array(await bytes()), fields), { ...LIMITS, maxUploadBytes: 100_000 }),
    );
    expect([error.code, error.status]).toEqual([code, status]);
  });

  it("passes a 16-bit Display P3 PNG with alpha (served exactly)", async () => {
    const f = await generateFile({
      format: "png",
      grey: false,
      alpha: true,
      depth: 16,
      icc: await builtInProfile("p3"),
      width: 8,
      height: 8,
      seed: 1,
    });
    await expect(
      parseEditRequest(form(new Uint8Array(f.bytes)), { ...LIMITS, maxUploadBytes: 100_000 }),
    ).resolves.toBeTruthy();
  });
});

describe("parseEditRequest", () => {
  it("passes an image of exactly MAX_PIXELS pixels and refuses one just over with 413", async () => {
    await expect(parseEditRequest(form(pngHeader(1000, 1000)), LIMITS)).resolves.toBeTruthy();
    await expect(parseEditRequest(form(pngHeader(500, 2000)), LIMITS)).resolves.toBeTruthy();
    for (const [w, h] of [
      [1000, 1001],
      [1001, 1000],
    ]) {
      const error = await rejection(parseEditRequest(form(pngHeader(w, h)), LIMITS));
      expect([error.code, error.status]).toEqual(["image_too_large", 413]);
    }
  });

  it("passes a side of exactly MAX_SIDE and refuses one just over with 413", async () => {
    const wide = { ...LIMITS, maxPixels: 10_000_000 };
    await expect(parseEditRequest(form(pngHeader(4096, 1)), wide)).resolves.toBeTruthy();
    expect((await rejection(parseEditRequest(form(pngHeader(1, 4097)), wide))).status).toBe(413);
  });

  it("passes an upload of exactly MAX_UPLOAD_BYTES and refuses a byte more with 413", async () => {
    const padded = (n: number) => {
      const bytes = new Uint8Array(n);
      bytes.set(pngHeader(10, 10));
      return bytes;
    };
    await expect(parseEditRequest(form(padded(1000)), LIMITS)).resolves.toBeTruthy();
    expect((await rejection(parseEditRequest(form(padded(1001)), LIMITS))).code).toBe("payload_too_large");
  });

  it("cleans the instruction once, hashes the image once, and fills the defaults from the shared schema", async () => {
    const image = pngHeader(10, 10);
    const raw = "  Make   IT blue ";
    const request = await parseEditRequest(form(image, { instruction: raw, seed: "7" }), LIMITS);
    expect(request.params).toEqual({
      instruction: cleanInstruction(raw),
      seed: 7,
      steps: ZONE_DEFAULTS.edit.steps,
      textGuidance: ZONE_DEFAULTS.edit.textGuidance,
      imageGuidance: ZONE_DEFAULTS.edit.imageGuidance,
      mode: ZONE_DEFAULTS.edit.mode,
      output: OUTPUT_DEFAULTS.format,
      metadata: OUTPUT_DEFAULTS.metadata,
      maskSize: "working",
      fidelity: ZONE_DEFAULTS.edit.fidelity,
    });
    expect(request.params).not.toHaveProperty("outputs");
    expect(request.image?.sha256).toBe(await sha256Hex(image));
    expect(request.image?.contentType).toBe("image/png");
  });

  it("names the wrong field with the shared zod-issue format", async () => {
    const error = await rejection(
      parseEditRequest(form(pngHeader(10, 10), { steps: "0", colour: "red" }), LIMITS),
    );
    expect(error.code).toBe("invalid_argument");
    expect(error.message).toBe(
      'steps: Too small: expected number to be >=1; form: Unrecognized key: "colour"',
    );
  });

  it.each(["instruction", "seed", "image"])(
    "refuses a repeated `%s` field with 400 naming it",
    async (name) => {
      const f = form(pngHeader(10, 10), { seed: "7" });
      if (name === "image") f.append("image", new Blob([pngHeader(20, 20)]), "second");
      else f.append(name, name === "seed" ? "8" : "make it red");
      const error = await rejection(parseEditRequest(f, LIMITS));
      expect(error.status).toBe(400);
      expect(error.message).toBe(`field \`${name}\` was sent 2 times; send it once`);
      await expect(parseEditRequest(form(pngHeader(10, 10), { seed: "7" }), LIMITS)).resolves.toBeTruthy();
    },
  );

  it("answers 422 for an instruction with nothing left after cleaning, 400 for one too long", async () => {
    for (const instruction of [" \u0000 ", "\u001b\u0007\u0085\u009b", "   "]) {
      const error = await rejection(parseEditRequest(form(pngHeader(10, 10), { instruction }), LIMITS));
      expect([error.code, error.status]).toEqual(["empty_instruction", 422]);
    }
    const long = "x".repeat(PUBLIC_LIMITS.instructionChars + 1);
    const error = await rejection(parseEditRequest(form(pngHeader(10, 10), { instruction: long }), LIMITS));
    expect([error.code, error.status]).toEqual(["invalid_argument", 400]);
  });
});

describe("limitsFrom", () => {
  it("takes the public defaults and the configured caps", () => {
    expect(limitsFrom({})).toEqual({
      maxUploadBytes: PUBLIC_LIMITS.maxUploadBytes,
      maxSide: PUBLIC_LIMITS.maxSide,
      maxPixels: PUBLIC_LIMITS.maxPixels,
    });
    expect(limitsFrom({ MAX_UPLOAD_BYTES: "100", MAX_SIDE: "64", MAX_PIXELS: "4096" })).toEqual({
      maxUploadBytes: 100,
      maxSide: 64,
      maxPixels: 4096,
    });
  });

  it("refuses an upload cap above what one Workers RPC message (32 MiB) carries", () => {
    expect(MAX_UPLOAD_CEILING_BYTES).toBeLessThan(32 * 1024 * 1024);
    expect(limitsFrom({ MAX_UPLOAD_BYTES: String(MAX_UPLOAD_CEILING_BYTES) }).maxUploadBytes).toBe(
      MAX_UPLOAD_CEILING_BYTES,
    );
    expect(() => limitsFrom({ MAX_UPLOAD_BYTES: String(MAX_UPLOAD_CEILING_BYTES + 1) })).toThrow(/RPC/);
    expect(() => limitsFrom({ MAX_UPLOAD_BYTES: String(32 * 1024 * 1024) })).toThrow(/MAX_UPLOAD_BYTES/);
  });

  it.each(["", "abc", "0", "-5", "1.5"])("refuses MAX_SIDE=%j instead of correcting it", (value) => {
    expect(() => limitsFrom({ MAX_SIDE: value })).toThrow(/MAX_SIDE/);
  });
});

describe("parseEditRequest: an image or a parent", () => {
  it("takes `parent` instead of an image: no image is read, the params are as for an upload", async () => {
    const f = new FormData();
    f.append("parent", "ed_abc");
    f.append("instruction", "make it blue");
    const request = await parseEditRequest(f, LIMITS);
    expect(request.image).toBeNull();
    expect(request.parentId).toBe("ed_abc");
    expect(request.params.instruction).toBe("make it blue");
  });

  it("refuses both, and neither, with 422 image_or_parent naming the fields", async () => {
    const both = form(pngHeader(10, 10), { parent: "ed_abc" });
    const error = await rejection(parseEditRequest(both, LIMITS));
    expect(error.code).toBe("image_or_parent");
    expect(error.status).toBe(422);
    expect(error.message).toMatch(/`image`.*`parent`.*not both/);
    const neither = new FormData();
    neither.append("instruction", "make it blue");
    const none = await rejection(parseEditRequest(neither, LIMITS));
    expect(none.code).toBe("image_or_parent");
    expect(none.message).toMatch(/`image` file field .* or a `parent` edit id/);
  });

  it("refuses a parent sent as a file", async () => {
    const f = new FormData();
    f.append("parent", new Blob(["ed_abc"]), "parent.txt");
    f.append("instruction", "x");
    expect((await rejection(parseEditRequest(f, LIMITS))).code).toBe("invalid_argument");
  });
});
