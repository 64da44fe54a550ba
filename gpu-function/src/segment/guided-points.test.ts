import { describe, expect, it } from "vitest";
import { createMask } from "../image/types.ts";
import { guideRadius, pointsInsideGuide } from "./guided-points.ts";
import { buildPointGrid, scalePoints } from "./point-grid.ts";

const grid = scalePoints(buildPointGrid(4), 32, 32); // x, y in {4, 12, 20, 28}

function dot(x: number, y: number) {
  const m = createMask(32, 32);
  m.data[y * 32 + x] = 255;
  return m;
}

describe("pointsInsideGuide", () => {
  it.each([
    { name: "an empty guide keeps nothing", guide: createMask(32, 32), radius: 16, points: [] },
    {
      name: "a full guide keeps every point",
      guide: { width: 32, height: 32, data: new Uint8Array(1024).fill(255) },
      radius: 0,
      points: Array.from(grid),
    },
    { name: "a pixel off the grid, no dilation", guide: dot(10, 10), radius: 0, points: [] },
    { name: "a pixel on a grid point, no dilation", guide: dot(12, 20), radius: 0, points: [12, 20] },
    { name: "dilated by 2: the nearest point", guide: dot(10, 10), radius: 2, points: [12, 12] },
    {
      name: "dilated by 8: four points",
      guide: dot(10, 10),
      radius: 8,
      points: [4, 4, 12, 4, 4, 12, 12, 12],
    },
    { name: "dilation is clipped at the border", guide: dot(31, 0), radius: 4, points: [28, 4] },
  ])("$name", ({ guide, radius, points }) => {
    expect(Array.from(pointsInsideGuide(grid, guide, radius))).toEqual(points);
  });
});

describe("guideRadius", () => {
  it.each([
    [512, 512, 32, 1, 16],
    [512, 352, 32, 1, 16],
    [451, 300, 32, 1, 15],
    [512, 512, 32, 0, 0],
    [512, 512, 32, 2.5, 40],
  ])("%i x %i, %i points per side, margin %f -> %i px", (w, h, n, margin, radius) => {
    expect(guideRadius(w, h, n, margin)).toBe(radius);
  });

  it("rejects a negative margin", () => {
    expect(() => guideRadius(10, 10, 32, -1)).toThrow(/non-negative number of grid steps, got -1/);
  });
});
