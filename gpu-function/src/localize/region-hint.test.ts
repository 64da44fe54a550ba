// Region hints in the working frame: original-pixel coordinates through the resize and the
// centred padding (working-resolution.ts), and what a hint does to the rough mask.
import { describe, expect, it } from "vitest";
import { ellipseMask } from "../demo/synthetic-edit.ts";
import { countOn, createMask, maskBoundingBox } from "../image/types.ts";
import { workingResolution } from "../image/working-resolution.ts";
import { boxToWorking, hintToWorking, pointToWorking, restrictRough } from "./region-hint.ts";

describe("hint coordinates into the working frame", () => {
  it("maps through padding only (64 x 48: padded to 64 x 64, 8 rows above)", () => {
    const work = workingResolution(64, 48);
    expect([work.width, work.height, work.content]).toEqual([64, 64, { x: 0, y: 8, width: 64, height: 48 }]);
    expect(pointToWorking(0, 0, work)).toEqual({ x: 0, y: 8 });
    expect(pointToWorking(63, 47, work)).toEqual({ x: 63, y: 55 });
    expect(boxToWorking({ x0: 10, y0: 5, x1: 20, y1: 15 }, work)).toEqual({ x0: 10, y0: 13, x1: 20, y1: 23 });
  });

  it("maps through the downscale and the padding (1024 x 600: 512 x 300 in a 512 x 320 frame, 10 rows above)", () => {
    const work = workingResolution(1024, 600);
    expect(work.content).toEqual({ x: 0, y: 10, width: 512, height: 300 });
    // Pixel (x, y) holds its centre (x + 0.5) / 2 in the content: 101 -> 50.75 -> 50.
    expect(pointToWorking(101, 200, work)).toEqual({ x: 50, y: 10 + 100 });
    expect(pointToWorking(1023, 599, work)).toEqual({ x: 511, y: 10 + 299 });
    // [x0, x1) maps outward: floor at the start, ceil at the end, so the box never shrinks away.
    expect(boxToWorking({ x0: 101, y0: 3, x1: 203, y1: 600 }, work)).toEqual({
      x0: 50,
      y0: 11,
      x1: 102,
      y1: 310,
    });
  });

  it("maps a mask hint through the same resize and padding", async () => {
    const work = workingResolution(1024, 600);
    const mask = createMask(1024, 600);
    for (let y = 100; y < 200; y++) mask.data.fill(255, y * 1024 + 400, y * 1024 + 600);
    const hint = await hintToWorking({ kind: "mask", mask }, work, 16);
    expect([hint.region.width, hint.region.height]).toEqual([512, 320]);
    expect(hint.box).toEqual({ x0: 200, y0: 10 + 50, x1: 300, y1: 10 + 100 });
  });

  it("makes a point's region the square of `radius` around it, cut at the frame", async () => {
    const work = workingResolution(64, 48);
    const hint = await hintToWorking({ kind: "point", x: 2, y: 40 }, work, 4);
    expect(hint.point).toEqual({ x: 2, y: 48 });
    expect(hint.box).toEqual({ x0: 0, y0: 44, x1: 7, y1: 53 });
    expect(countOn(hint.region)).toBe(7 * 9);
  });
});

describe("restrictRough", () => {
  const W = 64;
  const H = 64;
  // Two blobs of M_b: one left, one right.
  const left = ellipseMask(W, H, 16, 32, 8, 8);
  const right = ellipseMask(W, H, 48, 32, 8, 8);
  const rough = { width: W, height: H, data: left.data.map((v, i) => v | right.data[i]) };

  it("keeps M_b inside a box, and only there", async () => {
    const hint = await hintToWorking(
      { kind: "box", x0: 0, y0: 0, x1: 32, y1: 40 },
      workingResolution(W, H),
      4,
    );
    const { mask, use } = restrictRough(rough, hint);
    expect(use).toBe("restricted");
    const box = maskBoundingBox(mask)!;
    expect(box.x1).toBeLessThanOrEqual(32);
    expect(box.y1).toBeLessThanOrEqual(40);
    expect(countOn(mask)).toBeGreaterThan(0);
  });

  it("keeps the whole component a point reaches, not the other", async () => {
    const hint = await hintToWorking({ kind: "point", x: 50, y: 30 }, workingResolution(W, H), 2);
    const { mask, use } = restrictRough(rough, hint);
    expect(use).toBe("restricted");
    expect(Array.from(mask.data)).toEqual(Array.from(right.data));
  });

  it("replaces M_b by the hint's region when M_b has nothing there", async () => {
    const hint = await hintToWorking(
      { kind: "box", x0: 28, y0: 0, x1: 36, y1: 8 },
      workingResolution(W, H),
      4,
    );
    const { mask, use } = restrictRough(rough, hint);
    expect(use).toBe("replaced");
    expect(maskBoundingBox(mask)).toEqual({ x0: 28, y0: 0, x1: 36, y1: 8 });
  });
});
