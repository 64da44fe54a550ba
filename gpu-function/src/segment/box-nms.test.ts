import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { boxIou, nonMaxSuppression } from "./box-nms.ts";
import type { XyxyBox } from "./mask-box.ts";

// Reference values worked out from torchvision's CPU nms kernel: area (x1 - x0) * (y1 - y0),
// IoU in float32, suppression when IoU > threshold (compared in double), kept by descending score.
describe("boxIou", () => {
  it.each([
    { a: [0, 0, 10, 10], b: [0, 0, 10, 10], iou: 1 },
    { a: [0, 0, 10, 10], b: [1, 1, 11, 11], iou: Math.fround(81 / 119) },
    { a: [0, 0, 10, 10], b: [0, 0, 10, 7], iou: Math.fround(0.7) },
    // Areas (x1 - x0) * (y1 - y0) of 10 and 7, nested: 7 / 10 in float32, 0.699999988 < 0.7.
    { a: [0, 0, 10, 1], b: [0, 0, 7, 1], iou: Math.fround(0.7) },
    { a: [0, 0, 4, 1], b: [0, 0, 3, 1], iou: 0.75 }, // areas 4 and 3: exactly 3 / 4
    { a: [0, 0, 10, 10], b: [10, 0, 20, 10], iou: 0 }, // touching edges: no area in common
    { a: [0, 0, 10, 10], b: [20, 20, 30, 30], iou: 0 },
    { a: [0, 0, 4, 4], b: [2, 2, 2, 2], iou: 0 }, // a zero-area box (a one-pixel mask)
    { a: [3, 3, 3, 3], b: [3, 3, 3, 3], iou: Number.NaN }, // 0 / 0
    { a: [0, 0, 6, 3], b: [2, 1, 9, 9], iou: Math.fround(8 / 66) },
  ] as Array<{ a: XyxyBox; b: XyxyBox; iou: number }>)("$a vs $b -> $iou", ({ a, b, iou }) => {
    expect(boxIou(a, b)).toBe(iou);
    expect(boxIou(b, a)).toBe(iou);
  });
});

describe("nonMaxSuppression", () => {
  const table: Array<{ name: string; boxes: XyxyBox[]; scores: number[]; keep: number[] }> = [
    { name: "nothing", boxes: [], scores: [], keep: [] },
    {
      name: "a near-duplicate of a better box goes",
      boxes: [
        [0, 0, 10, 9],
        [0, 0, 10, 10],
      ],
      scores: [0.8, 0.9],
      keep: [1],
    },
    {
      // float32 7 / 10 = 0.699999988: the double threshold 0.7 is never reached exactly.
      name: "IoU 7 / 10 (float32, just under 0.7) is not over the threshold",
      boxes: [
        [0, 0, 10, 10],
        [0, 0, 10, 7],
      ],
      scores: [0.9, 0.8],
      keep: [0, 1],
    },
    {
      name: "a suppressed box suppresses nothing",
      boxes: [
        [0, 0, 10, 10],
        [0, 0, 10, 8],
        [0, 0, 10, 6],
      ],
      scores: [0.9, 0.8, 0.7], // IoU(0,1) = 0.8, IoU(1,2) = 0.75, IoU(0,2) = 0.6
      keep: [0, 2],
    },
    {
      name: "kept indices come by descending score; ties keep input order",
      boxes: [
        [0, 0, 4, 4],
        [10, 10, 14, 14],
        [20, 20, 24, 24],
        [30, 30, 34, 34],
      ],
      scores: [0.5, 0.9, 0.5, 0.95],
      keep: [3, 1, 0, 2],
    },
    {
      name: "zero-area boxes never suppress each other",
      boxes: [
        [3, 3, 3, 3],
        [3, 3, 3, 3],
      ],
      scores: [0.9, 0.9],
      keep: [0, 1],
    },
  ];
  it.each(table)("$name", ({ boxes, scores, keep }) => {
    expect(nonMaxSuppression(boxes, Float32Array.from(scores), 0.7)).toEqual(keep);
  });

  // The IoU is float32 as in torchvision, so it can never equal the double 0.7: the release's
  // threshold is never reached exactly. The boundary itself (suppress only when IoU > threshold)
  // is pinned at thresholds an IoU can equal: float32 0.7 and 0.75.
  it.each([
    {
      threshold: Math.fround(0.7),
      boxes: [
        [0, 0, 10, 1],
        [0, 0, 7, 1],
      ] as XyxyBox[],
    },
    {
      threshold: 0.75,
      boxes: [
        [0, 0, 4, 1],
        [0, 0, 3, 1],
      ] as XyxyBox[],
    },
  ])(
    "an IoU exactly on the threshold ($threshold) is not over it; just above it is",
    ({ threshold, boxes }) => {
      expect(boxIou(boxes[0], boxes[1])).toBe(threshold);
      expect(nonMaxSuppression(boxes, [0.9, 0.8], threshold)).toEqual([0, 1]);
      const below = Math.fround(threshold - 1e-6);
      expect(nonMaxSuppression(boxes, [0.9, 0.8], below)).toEqual([0]);
    },
  );

  it("rejects mismatched lengths", () => {
    expect(() => nonMaxSuppression([[0, 0, 1, 1]], [], 0.7)).toThrow(/1 boxes but 0 scores/);
  });

  it("keeps a set with no pair over the threshold, and every dropped box overlaps a better kept one", () => {
    const box = fc
      .tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 }), fc.nat(20), fc.nat(20))
      .map(([x, y, w, h]) => [x, y, x + w, y + h] as XyxyBox);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(box, fc.double({ min: 0, max: 1, noNaN: true })), { maxLength: 30 }),
        fc.double({ min: 0.1, max: 0.9, noNaN: true }),
        (items, threshold) => {
          const boxes = items.map(([b]) => b);
          const scores = items.map(([, s]) => s);
          const keep = nonMaxSuppression(boxes, scores, threshold);
          for (let a = 0; a < keep.length; a++) {
            if (a > 0) expect(scores[keep[a - 1]]).toBeGreaterThanOrEqual(scores[keep[a]]);
            for (let b = a + 1; b < keep.length; b++)
              expect(boxIou(boxes[keep[a]], boxes[keep[b]]) > threshold).toBe(false);
          }
          const kept = new Set(keep);
          for (let j = 0; j < boxes.length; j++) {
            if (kept.has(j)) continue;
            const by = keep.some(
              (i) =>
                (scores[i] > scores[j] || (scores[i] === scores[j] && i < j)) &&
                boxIou(boxes[i], boxes[j]) > threshold,
            );
            expect(by).toBe(true);
          }
        },
      ),
    );
  });
});
