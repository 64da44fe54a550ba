import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { arbitraryMask } from "../../test/test-masks.ts";
import type { Mask } from "../image/types.ts";
import { selectByRegionIou } from "./region-iou.ts";

function rect(w: number, h: number, x0: number, y0: number, x1: number, y1: number): Mask {
  const data = new Uint8Array(w * h);
  for (let y = y0; y < y1; y++) data.fill(255, y * w + x0, y * w + x1);
  return { width: w, height: h, data };
}

function iouBruteForce(a: Mask, b: Mask): number {
  let inter = 0;
  let union = 0;
  for (let i = 0; i < a.data.length; i++) {
    if (a.data[i] && b.data[i]) inter++;
    if (a.data[i] || b.data[i]) union++;
  }
  return union === 0 ? 0 : inter / union;
}

describe("selectByRegionIou", () => {
  const rough = rect(40, 40, 10, 10, 30, 30); // 400 px

  it("picks the candidate with the highest IoU", () => {
    const candidates = [rect(40, 40, 0, 0, 40, 40), rect(40, 40, 12, 12, 30, 30), rect(40, 40, 0, 0, 10, 10)];
    const s = selectByRegionIou(rough, candidates);
    expect(s.index).toBe(1);
    expect(s.iou).toBeCloseTo(324 / 400, 12);
    expect(s.scores).toEqual([400 / 1600, 324 / 400, 0]);
    expect(s.fallback).toBe(false);
    expect(s.mask.data).toEqual(candidates[1].data);
  });

  it("takes the first of equal maxima", () => {
    const a = rect(40, 40, 10, 10, 30, 20);
    const b = rect(40, 40, 10, 20, 30, 30);
    expect(selectByRegionIou(rough, [a, b]).index).toBe(0);
    expect(selectByRegionIou(rough, [b, a]).index).toBe(0);
  });

  it("falls back to the rough mask when nothing overlaps, or with no candidates", () => {
    const none = selectByRegionIou(rough, [rect(40, 40, 0, 0, 5, 5)]);
    expect(none).toMatchObject({ index: null, iou: 0, fallback: true });
    expect(none.mask.data).toEqual(rough.data);
    expect(selectByRegionIou(rough, []).fallback).toBe(true);
  });

  it("removes components under 64 px from the chosen segment", () => {
    const seg = rect(40, 40, 10, 10, 30, 30);
    seg.data[0] = 255; // a 1-pixel speck
    const s = selectByRegionIou(rough, [seg]);
    expect(s.mask.data[0]).toBe(0);
    expect(s.mask.data[15 * 40 + 15]).toBe(255);
  });

  it("with the default minimum region, keeps a 64 px component of the segment and drops a 63 px one", () => {
    const seg = rect(40, 40, 0, 0, 8, 8); // 64 px
    for (let x = 10; x < 19; x++) for (let y = 0; y < 7; y++) seg.data[y * 40 + x] = 255; // 9 x 7 = 63 px
    const s = selectByRegionIou(rect(40, 40, 0, 0, 20, 8), [seg]);
    expect(s.index).toBe(0);
    expect(s.mask.data).toEqual(rect(40, 40, 0, 0, 8, 8).data);
  });

  it("scores equal the brute-force IoU on random masks of any width (word and byte paths)", () => {
    fc.assert(
      fc.property(
        arbitraryMask(33),
        fc.array(fc.integer({ min: 0, max: 2 ** 31 - 1 }), { maxLength: 4 }),
        (m, seeds) => {
          const candidates = seeds.map((seed) => {
            const data = new Uint8Array(m.data.length);
            let s = seed;
            for (let i = 0; i < data.length; i++) {
              s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
              data[i] = s & 0x100 ? 255 : 0;
            }
            return { width: m.width, height: m.height, data };
          });
          const s = selectByRegionIou(m, candidates);
          candidates.forEach((c, j) => {
            expect(s.scores[j]).toBeCloseTo(iouBruteForce(m, c), 12);
          });
        },
      ),
      { numRuns: 60 },
    );
  });

  it("rejects candidates of another size", () => {
    expect(() => selectByRegionIou(rough, [rect(20, 20, 0, 0, 5, 5)])).toThrow(/40x40/);
  });
});
