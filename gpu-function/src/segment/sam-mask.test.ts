import { describe, expect, it } from "vitest";
import { maskFromArt, maskToArt } from "../../test/test-masks.ts";
import { type SamMask, samMaskToFull } from "./sam-mask.ts";

function samMask(crop: string[], x0: number, y0: number): SamMask {
  const c = crop.length ? maskFromArt(crop) : { width: 0, height: 0, data: new Uint8Array(0) };
  return {
    crop: c,
    box: c.width ? [x0, y0, x0 + c.width - 1, y0 + c.height - 1] : [0, 0, 0, 0],
    area: c.data.filter((v) => v).length,
    predictedIou: 0.9,
    stabilityScore: 0.97,
    point: [x0, y0],
    level: 2,
  };
}

describe("samMaskToFull", () => {
  it.each([
    { crop: ["#.", "##"], x0: 1, y0: 1, full: ["....", ".#..", ".##.", "...."] },
    { crop: ["#"], x0: 3, y0: 2, full: ["....", "....", "...#", "...."] },
    { crop: [], x0: 0, y0: 0, full: ["....", "....", "....", "...."] },
  ])("places the crop at its box", ({ crop, x0, y0, full }) => {
    expect(maskToArt(samMaskToFull(samMask(crop, x0, y0), 4, 4))).toEqual(full);
  });

  it("rejects a crop outside the image", () => {
    expect(() => samMaskToFull(samMask(["##"], 3, 0), 4, 4)).toThrow(/a 2x1 crop at \(3, 0\) is outside 4x4/);
  });
});
