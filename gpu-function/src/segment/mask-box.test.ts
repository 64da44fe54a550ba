import { describe, expect, it } from "vitest";
import { maskFromArt } from "../../test/test-masks.ts";
import { boxXyxyToXywh, maskToBox } from "./mask-box.ts";

// Reference values from batched_mask_to_box: inclusive right/bottom edges, zeros when empty.
describe("maskToBox", () => {
  it.each([
    { art: ["....", "....", "...."], box: [0, 0, 0, 0] },
    { art: ["....", ".#..", "...."], box: [1, 1, 1, 1] },
    { art: ["#...", "....", "...#"], box: [0, 0, 3, 2] },
    { art: [".....", "..##.", ".###.", "....."], box: [1, 1, 3, 2] },
    { art: ["......#", ".......", "#......"], box: [0, 0, 6, 2] },
    { art: ["#"], box: [0, 0, 0, 0] }, // a full 1 x 1 mask: indistinguishable from empty, as in SAM
    { art: ["...", "...", "..#"], box: [2, 2, 2, 2] },
  ])("$art -> $box", ({ art, box }) => {
    expect(maskToBox(maskFromArt(art))).toEqual(box);
  });
});

describe("boxXyxyToXywh", () => {
  it.each([
    { xyxy: [1, 1, 3, 2], xywh: [1, 1, 2, 1] },
    { xyxy: [5, 7, 5, 7], xywh: [5, 7, 0, 0] },
    { xyxy: [0, 0, 511, 383], xywh: [0, 0, 511, 383] },
  ] as const)("$xyxy -> $xywh", ({ xyxy, xywh }) => {
    expect(boxXyxyToXywh(xyxy)).toEqual(xywh);
  });
});
