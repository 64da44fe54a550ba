// The user's file, exactly: an identity compose (the edited image is the original) returns the
// input's own decoded pixels, alpha, bit depth and ICC profile, over generated files of every
// colour type x bit depth x profile x alpha x input format, written as each lossless output.
import { type OutputFormat, outputChoice } from "@zone/shared";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ADOBE_SKIP_REASON,
  adobeCompatibleProfile,
  builtInProfile,
  generateFile,
  ownPixels,
  widenToRgb,
} from "../../test/input-files.ts";
import { encodeOutput } from "../image/encode-output.ts";
import { decodeInput } from "../image/source-image.ts";
import { composeEdit } from "./compose-edit.ts";

const adobe = adobeCompatibleProfile();
if (!adobe) console.log(`own-terms.test.ts: ${ADOBE_SKIP_REASON}`);
type ProfileName = "none" | "srgb" | "p3" | "adobe";
const PROFILES: ProfileName[] = ["none", "srgb", "p3", ...(adobe ? (["adobe"] as const) : [])];

const spec = fc
  .record({
    format: fc.constantFrom("png", "jpeg", "webp"),
    colour: fc.constantFrom("rgb", "grey", "palette"),
    alpha: fc.boolean(),
    depth: fc.constantFrom(8, 16),
    profile: fc.constantFrom(...PROFILES),
    width: fc.integer({ min: 3, max: 24 }),
    height: fc.integer({ min: 3, max: 24 }),
    seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  })
  // What files can be: JPEG has no alpha, JPEG and WebP are 8-bit, a palette is an 8-bit PNG;
  // greyscale with an RGB profile is no valid file (a tagged grey one is refused: below).
  .filter((s) => !(s.format === "jpeg" && s.alpha))
  .filter((s) => s.depth === 8 || s.format === "png")
  .filter((s) => s.colour !== "palette" || (s.format === "png" && s.depth === 8))
  .filter((s) => !(s.colour === "grey" && s.profile !== "none"));

async function profileBytes(name: ProfileName): Promise<Uint8Array | null> {
  if (name === "none") return null;
  if (name === "adobe") return adobe;
  return builtInProfile(name);
}

describe("identity compose in the input's own terms", () => {
  it("returns the decoded pixels, alpha, depth and profile exactly, as PNG and lossless WebP", async () => {
    await fc.assert(
      fc.asyncProperty(spec, async (s) => {
        const icc = await profileBytes(s.profile);
        const file = await generateFile({
          format: s.format,
          grey: s.colour === "grey",
          palette: s.colour === "palette",
          alpha: s.alpha,
          depth: s.depth as 8 | 16,
          icc,
          width: s.width,
          height: s.height,
          seed: s.seed,
        });
        // The file's own values: what was written for lossless non-palette files, else its decode.
        const own = await ownPixels(file.bytes);
        const lossless = s.format !== "jpeg" && s.colour !== "palette" && !(s.format === "webp" && s.alpha);
        const expected = lossless ? widenToRgb(file.pixels, file.channels) : own.pixels;
        if (lossless) expect(own.pixels).toEqual(expected);

        const input = await decodeInput(file.bytes);
        expect(input.source.data).toEqual(expected);
        const composed = await composeEdit({
          original: input.model,
          source: input.source,
          edited: input.model,
          rough: null,
          candidates: [],
        });
        expect(composed.summary.changedPixels).toBe(0);
        const formats: OutputFormat[] = s.depth === 16 ? ["png"] : ["png", "webp"];
        for (const format of formats) {
          const back = await ownPixels(await encodeOutput(composed.output, outputChoice({ format })));
          expect(back.depth).toBe(s.depth);
          expect(back.channels).toBe(s.alpha ? 4 : 3);
          expect(back.icc === null ? null : Buffer.from(back.icc)).toEqual(
            icc === null ? null : Buffer.from(icc),
          );
          if (format === "webp" && s.alpha) {
            // libwebp keeps every pixel with alpha > 0 and drops the colour hidden under alpha 0.
            for (let i = 0; i < back.pixels.length; i += 4) {
              expect(back.pixels[i + 3]).toBe(expected[i + 3]);
              if (expected[i + 3] !== 0)
                expect(back.pixels.subarray(i, i + 3)).toEqual(expected.subarray(i, i + 3));
            }
          } else {
            expect(back.pixels).toEqual(expected);
          }
        }
      }),
      { numRuns: 40 },
    );
  }, 60_000);

  it.skipIf(!adobe)("keeps an Adobe-RGB-compatible JPEG's own values (not converted to sRGB)", async () => {
    const file = await generateFile({
      format: "jpeg",
      grey: false,
      alpha: false,
      depth: 8,
      icc: adobe,
      width: 16,
      height: 8,
      seed: 7,
    });
    const input = await decodeInput(file.bytes);
    expect(input.fastPath).toBe(false);
    expect(input.source.data).toEqual((await ownPixels(file.bytes)).pixels);
    // The models' copy is converted: an Adobe RGB file's values are not sRGB values.
    expect(input.model.data).not.toEqual(input.source.data);
  });
});
