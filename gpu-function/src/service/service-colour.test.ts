// The GPU service returns the user's file in its own terms (fixture models, real HTTP): a 16-bit
// Display P3 RGBA PNG comes back 16-bit, RGBA, with the same profile bytes, every pixel outside
// the edit's mask identical and the alpha identical everywhere; WebP and JPEG on request; CMYK
// and a 16-bit image as WebP are refused with their codes (at the request's decode).
import { gpuEditMetaSchema } from "@zone/shared";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  builtInProfile,
  cmykJpeg,
  type GeneratedFile,
  ownPixels,
  sceneFile,
} from "../../test/input-files.ts";
import { editForm, postEdit, startTestService, TEST_SECRET } from "../../test/service-support.ts";

let service: Awaited<ReturnType<typeof startTestService>>;
let p3: Uint8Array;
let file16: GeneratedFile;

beforeAll(async () => {
  service = await startTestService({ secret: TEST_SECRET, maxPixels: 100 * 100, maxBodyBytes: 400 * 1024 });
  p3 = await builtInProfile("p3");
  file16 = await sceneFile({ width: 64, height: 48, depth: 16, alpha: true, icc: p3 });
  await service.ready;
});

afterAll(async () => {
  await service?.stop();
});

async function partsOf(res: Response) {
  const form = await res.formData();
  const parts: Record<string, Blob> = {};
  for (const [name, value] of form.entries()) parts[name] = value as Blob;
  return parts;
}

const bytesOf = async (blob: Blob) => new Uint8Array(await blob.arrayBuffer());

describe("POST /v1/edit in the input's own terms", () => {
  it("16-bit P3 RGBA: the result keeps depth, alpha and profile; outside the mask every sample is the input's", async () => {
    const res = await postEdit(
      service,
      editForm(file16.bytes, { instruction: "make the ball blue", steps: 2, maskSize: "original" }),
    );
    expect(res.status).toBe(200);
    const parts = await partsOf(res);
    expect(parts.result.type).toBe("image/png");
    const meta = gpuEditMetaSchema.parse(JSON.parse(await parts.meta.text()));
    expect(meta.result).toEqual({
      format: "png",
      quality: null,
      metadata: "strip",
      depth: 16,
      alpha: true,
      icc: true,
      maskSize: "original",
    });
    const back = await ownPixels(await bytesOf(parts.result));
    expect(back).toMatchObject({ depth: 16, channels: 4 });
    expect(Buffer.from(back.icc ?? [])).toEqual(Buffer.from(p3));
    const mask = await sharp(await bytesOf(parts.mask))
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(mask.info).toMatchObject({ width: 64, height: 48 });
    let outside = 0;
    let changedInside = 0;
    for (let i = 0; i < 64 * 48; i++) {
      const same = [0, 1, 2].every((c) => back.pixels[i * 4 + c] === file16.pixels[i * 4 + c]);
      expect(back.pixels[i * 4 + 3]).toBe(file16.pixels[i * 4 + 3]); // alpha: everywhere
      if (mask.data[i * mask.info.channels] === 0) {
        outside++;
        expect(same).toBe(true);
      } else if (!same) changedInside++;
    }
    expect(outside).toBeGreaterThan(0);
    expect(changedInside).toBe(meta.changedPixels);
    expect(meta.changedPixels).toBeGreaterThan(0); // a real edit, not an empty layer
  }, 30_000);

  it("answers lossless WebP or JPEG (with its quality) when asked", async () => {
    const file8 = await sceneFile({ width: 64, height: 48, depth: 8, alpha: false, icc: p3 });
    for (const [params, type] of [
      [{ output: "webp" }, "image/webp"],
      [{ output: "jpeg", quality: 70 }, "image/jpeg"],
    ] as const) {
      const res = await postEdit(
        service,
        editForm(file8.bytes, { instruction: "make the ball blue", steps: 2, ...params }),
      );
      expect(res.status).toBe(200);
      const parts = await partsOf(res);
      expect(parts.result.type).toBe(type);
      expect(parts.layer.type).toBe("image/png");
      const back = await ownPixels(await bytesOf(parts.result));
      expect(Buffer.from(back.icc ?? [])).toEqual(Buffer.from(p3));
      const meta = JSON.parse(await parts.meta.text());
      expect(meta.result).toMatchObject({
        format: params.output,
        quality: params.output === "jpeg" ? 70 : null,
      });
    }
  }, 60_000);

  it.each([
    ["a CMYK JPEG", () => cmykJpeg(), {}, 415, "unsupported_colour_space"],
    ["a 16-bit PNG as WebP", () => file16.bytes, { output: "webp" }, 422, "unsupported_output"],
  ] as const)("refuses %s with a stable code", async (_what, bytes, params, status, code) => {
    const res = await postEdit(
      service,
      editForm(await bytes(), { instruction: "make the ball blue", steps: 2, ...params }),
    );
    expect(res.status).toBe(status);
    expect(await res.json()).toMatchObject({ code });
  });
});
