import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { arbitraryMask, maskFromArt, maskToArt } from "../../test/test-masks.ts";
import { countOn, type Mask } from "../image/types.ts";
import {
  filterSmallRegions,
  filterSmallRegionsAsRelease,
  labelComponents,
  removeSmallComponents,
} from "./connected-components.ts";

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

describe("filterSmallRegionsAsRelease (the release's filter_small_regions)", () => {
  // 20 x 10, labels in raster order of their first pixel:
  // 1 A: one pixel at (0, 0)                       area 1 x 1 = 1    -> its box zeroed
  // 2 B: 5 x 5 block at x 8..12, y 0..4            area 2 x 25 = 50  -> zeroed
  // 3 D: row y 0, x 14..19, and column x 19, y 1..9 (15 px) area 45  -> its box x 14..19, y 0..9 zeroed
  // 4 E: 4 x 4 block at x 14..17, y 2..5           area 4 x 16 = 64  -> survives, but inside D's box
  // 5 C: 5 x 5 block at x 0..4, y 5..9             area 5 x 25 = 125 -> survives although 25 px < 64
  const W = 20;
  const H = 10;
  function scene(withD: boolean): Mask {
    const data = new Uint8Array(W * H);
    const on = (x: number, y: number) => {
      data[y * W + x] = 255;
    };
    on(0, 0);
    for (let y = 0; y < 5; y++) for (let x = 8; x < 13; x++) on(x, y);
    if (withD) {
      for (let x = 14; x < 20; x++) on(x, 0);
      for (let y = 1; y < 10; y++) on(19, y);
    }
    for (let y = 2; y < 6; y++) for (let x = 14; x < 18; x++) on(x, y);
    for (let y = 5; y < 10; y++) for (let x = 0; x < 5; x++) on(x, y);
    return { width: W, height: H, data };
  }
  const at = (m: Mask, x: number, y: number) => m.data[y * W + x];

  it("compares label x count, so a late small component survives", () => {
    const out = filterSmallRegionsAsRelease(scene(true), 64);
    expect(at(out, 2, 7)).toBe(255); // C: 25 px, label 5
    expect(at(out, 0, 0)).toBe(0);
    expect(at(out, 10, 2)).toBe(0);
    expect(countOn(removeSmallComponents(scene(true), 64))).toBe(0); // the exact filter: nothing is 64 px
  });

  it("zeroes a small component's whole bounding box, erasing a neighbour that passes", () => {
    // E passes its own check (label 4 x 16 px = 64), so only D's box can erase it.
    const { labels, sizes } = labelComponents(scene(true));
    const e = labels[3 * W + 15];
    expect([e, sizes[e]]).toEqual([4, 16]);
    // Without D, E is label 3: 48 < 64, removed by its own check.
    expect(at(filterSmallRegionsAsRelease(scene(false), 64), 15, 3)).toBe(0);
    const out = filterSmallRegionsAsRelease(scene(true), 64);
    expect(at(out, 15, 3)).toBe(0); // inside D's box
    expect(countOn(out)).toBe(25);
  });

  it("filterSmallRegions picks the kind", () => {
    expect(filterSmallRegions(scene(true), 64, "release")).toEqual(
      filterSmallRegionsAsRelease(scene(true), 64),
    );
    expect(filterSmallRegions(scene(true), 64, "exact")).toEqual(removeSmallComponents(scene(true), 64));
  });
});
