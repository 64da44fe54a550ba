import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { arbitraryMask, arbitrarySparseMask, maskFromArt, maskToArt } from "../../test/test-masks.ts";
import type { Mask } from "../image/types.ts";
import { fillHoles } from "./fill-holes.ts";

// Brute force: repeatedly grow the border-connected background until nothing changes.
function bruteForceFill(mask: Mask): Mask {
  const { width, height, data } = mask;
  const outside = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if ((x === 0 || y === 0 || x === width - 1 || y === height - 1) && !data[y * width + x]) {
        outside[y * width + x] = 1;
      }
    }
  }
  let changed = true;
  while (changed) {
    changed = false;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = y * width + x;
        if (data[i] || outside[i]) continue;
        const neighbours = [
          x > 0 ? outside[i - 1] : 0,
          x < width - 1 ? outside[i + 1] : 0,
          y > 0 ? outside[i - width] : 0,
          y < height - 1 ? outside[i + width] : 0,
        ];
        if (neighbours.some((v) => v === 1)) {
          outside[i] = 1;
          changed = true;
        }
      }
    }
  }
  return { width, height, data: outside.map((v) => (v ? 0 : 255)) };
}

describe("fillHoles", () => {
  it.each([
    {
      name: "a ring becomes a disc",
      input: [".....", ".###.", ".#.#.", ".###.", "....."],
      expected: [".....", ".###.", ".###.", ".###.", "....."],
    },
    {
      name: "a diagonal gap still encloses (8-connected foreground)",
      input: ["......", ".##...", ".#.#..", "..##..", "......"],
      expected: ["......", ".##...", ".###..", "..##..", "......"],
    },
    {
      name: "a U shape open to the border is not filled",
      input: ["#.#", "#.#", "###"],
      expected: ["#.#", "#.#", "###"],
    },
    {
      name: "an empty mask stays empty",
      input: ["...", "...", "..."],
      expected: ["...", "...", "..."],
    },
  ])("$name", ({ input, expected }) => {
    expect(maskToArt(fillHoles(maskFromArt(input)))).toEqual(expected);
  });

  it("matches a brute-force flood fill on random masks", () => {
    fc.assert(
      fc.property(arbitraryMask(24), (m) => {
        expect(fillHoles(m).data).toEqual(bruteForceFill(m).data);
      }),
      { numRuns: 60 },
    );
    fc.assert(
      fc.property(arbitrarySparseMask(50), (m) => {
        expect(fillHoles(m).data).toEqual(bruteForceFill(m).data);
      }),
      { numRuns: 60 },
    );
  });
});
