import fc from "fast-check";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { arbitraryMask } from "../../test/test-masks.ts";
import type { Mask, RgbImage } from "../image/types.ts";
import { buildLayer, compositeOver, RING_ALPHA } from "./composite.ts";

const arbitraryScene = arbitraryMask(20).chain((fine) =>
  fc
    .record({
      final: fc.uint8Array({ minLength: fine.data.length, maxLength: fine.data.length }),
      edited: fc.uint8Array({ minLength: fine.data.length * 3, maxLength: fine.data.length * 3 }),
      original: fc.uint8Array({ minLength: fine.data.length * 3, maxLength: fine.data.length * 3 }),
    })
    .map(({ final, edited, original }) => ({
      fine,
      final: { width: fine.width, height: fine.height, data: final.map((v) => (v & 1 ? 255 : 0)) } as Mask,
      edited: { width: fine.width, height: fine.height, data: edited } as RgbImage,
      original: { width: fine.width, height: fine.height, data: original } as RgbImage,
    })),
);

describe("buildLayer + compositeOver", () => {
  it("reproduces section 5 exactly: core I_sty, ring round(0.6 I_sty + 0.4 G), else G", () => {
    fc.assert(
      fc.property(arbitraryScene, ({ fine, final, edited, original }) => {
        const result = compositeOver(buildLayer(edited, fine, final), original);
        for (let i = 0; i < fine.data.length; i++) {
          const core = final.data[i] && fine.data[i];
          const ring = (final.data[i] !== 0) !== (fine.data[i] !== 0);
          for (let c = 0; c < 3; c++) {
            const e = edited.data[i * 3 + c];
            const g = original.data[i * 3 + c];
            const expected = core ? e : ring ? Math.round(0.6 * e + 0.4 * g + 1e-9) : g;
            expect(result.data[i * 3 + c]).toBe(expected);
          }
        }
      }),
      { numRuns: 80 },
    );
  });

  it("leaves every pixel outside the layer byte-identical and sets alpha 255/153/0", () => {
    fc.assert(
      fc.property(arbitraryScene, ({ fine, final, edited, original }) => {
        const layer = buildLayer(edited, fine, final);
        const result = compositeOver(layer, original);
        for (let i = 0; i < fine.data.length; i++) {
          const a = layer.data[i * 4 + 3];
          expect([0, RING_ALPHA, 255]).toContain(a);
          if (a === 0) {
            expect(Array.from(result.data.subarray(i * 3, i * 3 + 3))).toEqual(
              Array.from(original.data.subarray(i * 3, i * 3 + 3)),
            );
            expect(Array.from(layer.data.subarray(i * 4, i * 4 + 4))).toEqual([0, 0, 0, 0]);
          }
        }
      }),
      { numRuns: 80 },
    );
  });

  it("agrees with libvips' own 'over' composite to within one level", async () => {
    const samples = fc.sample(arbitraryScene, { numRuns: 10, seed: 7 });
    for (const { fine, final, edited, original } of samples) {
      const layer = buildLayer(edited, fine, final);
      const ours = compositeOver(layer, original);
      const { width, height } = original;
      const theirs = await sharp(original.data, { raw: { width, height, channels: 3 } })
        .composite([{ input: Buffer.from(layer.data), raw: { width, height, channels: 4 }, blend: "over" }])
        .raw()
        .toBuffer({ resolveWithObject: true });
      const channels = theirs.info.channels; // libvips adds an alpha channel to the output
      for (let i = 0; i < width * height; i++) {
        for (let c = 0; c < 3; c++) {
          expect(Math.abs(ours.data[i * 3 + c] - theirs.data[i * channels + c])).toBeLessThanOrEqual(1);
        }
      }
    }
  });
});

describe("compositeOver with the release's truncated ring", () => {
  it("is trunc(0.6 I_sty + 0.4 G) on the ring (numpy's float64 then uint8), core and outside unchanged", () => {
    fc.assert(
      fc.property(arbitraryScene, ({ fine, final, edited, original }) => {
        const layer = buildLayer(edited, fine, final);
        const truncated = compositeOver(layer, original, "truncate");
        const rounded = compositeOver(layer, original);
        for (let i = 0; i < fine.data.length; i++) {
          const ring = (final.data[i] !== 0) !== (fine.data[i] !== 0);
          for (let c = 0; c < 3; c++) {
            const e = edited.data[i * 3 + c];
            const g = original.data[i * 3 + c];
            const want = ring ? Math.trunc(e * 0.6 + g * (1 - 0.6)) : rounded.data[i * 3 + c];
            expect(truncated.data[i * 3 + c]).toBe(want);
          }
        }
      }),
    );
  });

  it("differs from rounding where the fraction is at least one half", () => {
    const layer = { width: 1, height: 1, data: Uint8Array.from([101, 0, 0, RING_ALPHA]) };
    const base = { width: 1, height: 1, data: Uint8Array.from([0, 0, 0]) };
    expect(compositeOver(layer, base).data[0]).toBe(61); // 60.6 rounded
    expect(compositeOver(layer, base, "truncate").data[0]).toBe(60);
  });
});
