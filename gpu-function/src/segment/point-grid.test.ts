import { describe, expect, it } from "vitest";
import { buildPointGrid, scalePoints } from "./point-grid.ts";

// Reference values: numpy.linspace(1 / (2n), 1 - 1 / (2n), n), tiled with x varying fastest.
describe("buildPointGrid", () => {
  it.each([
    [1, [0.5]],
    [2, [0.25, 0.75]],
    [3, [1 / 6, 0.5, 5 / 6]],
    [4, [0.125, 0.375, 0.625, 0.875]],
    [5, [0.1, 0.3, 0.5, 0.7, 0.9]],
  ])("n = %i: the side values are %j", (n, side) => {
    const grid = buildPointGrid(n);
    expect(grid.length).toBe(2 * n * n);
    for (let row = 0; row < n; row++) {
      for (let col = 0; col < n; col++) {
        const k = 2 * (row * n + col);
        expect(grid[k]).toBeCloseTo(side[col], 15);
        expect(grid[k + 1]).toBeCloseTo(side[row], 15);
      }
    }
  });

  it("has the release grid (32 x 32) exactly on multiples of 1/64", () => {
    const grid = buildPointGrid(32);
    expect(grid.length).toBe(2048);
    expect([grid[0], grid[1], grid[2], grid[62], grid[63], grid[2046], grid[2047]]).toEqual([
      1 / 64,
      1 / 64,
      3 / 64,
      63 / 64,
      1 / 64,
      63 / 64,
      63 / 64,
    ]);
  });

  it.each([0, -1, 2.5, Number.NaN])("rejects %s points per side", (n) => {
    expect(() => buildPointGrid(n)).toThrow(/pointsPerSide must be a positive integer/);
  });
});

describe("scalePoints", () => {
  it("multiplies x by the width and y by the height (a 451 x 300 image)", () => {
    expect(Array.from(scalePoints(buildPointGrid(2), 451, 300))).toEqual([
      112.75, 75, 338.25, 75, 112.75, 225, 338.25, 225,
    ]);
  });
});
