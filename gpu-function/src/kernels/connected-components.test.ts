import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { arbitraryMask, maskFromArt, maskToArt } from "../../test/test-masks.ts";
import { labelComponents, removeSmallComponents } from "./connected-components.ts";

describe("labelComponents (4-connectivity)", () => {
  it("does not join diagonal neighbours", () => {
    const { count, sizes } = labelComponents(maskFromArt(["#.", ".#"]));
    expect(count).toBe(2);
    expect(sizes).toEqual([0, 1, 1]);
  });

  it("labels in raster order with their sizes", () => {
    const { count, sizes, labels } = labelComponents(maskFromArt(["##..#", "#...#", "..#.#"]));
    expect(count).toBe(3);
    expect(sizes).toEqual([0, 3, 3, 1]);
    expect(Array.from(labels)).toEqual([1, 1, 0, 0, 2, 1, 0, 0, 0, 2, 0, 0, 3, 0, 2]);
  });

  it("neighbours always share a label and sizes add up (random masks)", () => {
    fc.assert(
      fc.property(arbitraryMask(30), (m) => {
        const { labels, sizes } = labelComponents(m);
        let on = 0;
        for (let y = 0; y < m.height; y++) {
          for (let x = 0; x < m.width; x++) {
            const i = y * m.width + x;
            if (!m.data[i]) {
              expect(labels[i]).toBe(0);
              continue;
            }
            on++;
            if (x + 1 < m.width && m.data[i + 1]) expect(labels[i + 1]).toBe(labels[i]);
            if (y + 1 < m.height && m.data[i + m.width]) expect(labels[i + m.width]).toBe(labels[i]);
          }
        }
        expect(sizes.reduce((a, b) => a + b, 0)).toBe(on);
      }),
      { numRuns: 50 },
    );
  });
});

describe("removeSmallComponents", () => {
  it("keeps components at the threshold and removes smaller ones only", () => {
    const m = maskFromArt(["###.#", "#...#", "....."]);
    expect(maskToArt(removeSmallComponents(m, 4))).toEqual(["###..", "#....", "....."]);
    expect(maskToArt(removeSmallComponents(m, 2))).toEqual(["###.#", "#...#", "....."]);
  });

  it("with the method's 64: an 8x8 square stays, a 63-pixel strip goes", () => {
    const rows = Array.from({ length: 10 }, () => ".".repeat(80));
    const square = rows.map((r, y) => (y < 8 ? "#".repeat(8) + r.slice(8) : r));
    const withStrip = square.map((r, y) =>
      y === 9 ? `${r.slice(0, 10)}${"#".repeat(63)}${r.slice(73)}` : r,
    );
    const out = maskToArt(removeSmallComponents(maskFromArt(withStrip), 64));
    expect(out).toEqual(square);
  });
});
