import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { arbitraryMask, arbitrarySparseMask, maskFromArt, maskToArt } from "../../test/test-masks.ts";
import type { Mask } from "../image/types.ts";
import { closeSquare, dilate3x3, dilateSquare, erodeSquare } from "./morphology.ts";

// Brute force with OpenCV's border rule: only in-image pixels of the window count.
function bruteForce(mask: Mask, size: number, op: "dilate" | "erode"): Mask {
  const r = (size - 1) / 2;
  const { width, height, data } = mask;
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let any = false;
      let all = true;
      for (let dy = -r; dy <= r; dy++) {
        for (let dx = -r; dx <= r; dx++) {
          const yy = y + dy;
          const xx = x + dx;
          if (yy < 0 || yy >= height || xx < 0 || xx >= width) continue;
          if (data[yy * width + xx]) any = true;
          else all = false;
        }
      }
      out[y * width + x] = (op === "dilate" ? any : all) ? 255 : 0;
    }
  }
  return { width, height, data: out };
}

describe("square morphology", () => {
  it("dilates a point into a square, clipped at the border", () => {
    const m = maskFromArt(["#....", ".....", ".....", "....."]);
    expect(maskToArt(dilateSquare(m, 3))).toEqual(["##...", "##...", ".....", "....."]);
    expect(maskToArt(dilateSquare(m, 5))).toEqual(["###..", "###..", "###..", "....."]);
  });

  it("erosion ignores out-of-image pixels (a full mask stays full)", () => {
    const m = maskFromArt(["####", "####", "####"]);
    expect(maskToArt(erodeSquare(m, 21))).toEqual(["####", "####", "####"]);
  });

  it("closing bridges a gap narrower than the kernel", () => {
    const m = maskFromArt(["#####.#####", "#####.#####", "#####.#####"]);
    expect(maskToArt(closeSquare(m, 3))).toEqual(["###########", "###########", "###########"]);
  });

  it("four 3x3 dilations equal one 9x9 dilation", () => {
    fc.assert(
      fc.property(arbitraryMask(20), (m) => {
        let iterated = m;
        for (let i = 0; i < 4; i++) iterated = bruteForce(iterated, 3, "dilate");
        expect(dilate3x3(m, 4).data).toEqual(iterated.data);
      }),
      { numRuns: 40 },
    );
  });

  it.each([1, 3, 5, 9, 21])("dilation and erosion with %i x %i match brute force", (size) => {
    fc.assert(
      fc.property(arbitraryMask(30), (m) => {
        expect(dilateSquare(m, size).data).toEqual(bruteForce(m, size, "dilate").data);
        expect(erodeSquare(m, size).data).toEqual(bruteForce(m, size, "erode").data);
      }),
      { numRuns: 30 },
    );
  });

  it("closing matches brute-force dilate-then-erode", () => {
    fc.assert(
      fc.property(arbitraryMask(40), (m) => {
        const expected = bruteForce(bruteForce(m, 21, "dilate"), 21, "erode");
        expect(closeSquare(m, 21).data).toEqual(expected.data);
      }),
      { numRuns: 20 },
    );
  });

  it("closing and iterated dilation on sparse masks (content-box crops) match brute force", () => {
    fc.assert(
      fc.property(arbitrarySparseMask(60), (m) => {
        expect(closeSquare(m, 21).data).toEqual(bruteForce(bruteForce(m, 21, "dilate"), 21, "erode").data);
        expect(closeSquare(m, 5).data).toEqual(bruteForce(bruteForce(m, 5, "dilate"), 5, "erode").data);
        expect(dilate3x3(m, 4).data).toEqual(bruteForce(m, 9, "dilate").data);
      }),
      { numRuns: 60 },
    );
  });

  it("rejects even or non-positive kernel sizes", () => {
    const m = maskFromArt(["#"]);
    expect(() => dilateSquare(m, 4)).toThrow(/odd/);
    expect(() => erodeSquare(m, 0)).toThrow(/odd/);
    expect(() => dilate3x3(m, -1)).toThrow(/iterations/);
  });
});
