import { describe, expect, it } from "vitest";
import { interpIntegerGrid, npArange, npLinspace, roundHalfEven, torchLinspaceF32 } from "./numeric.ts";

describe("npLinspace", () => {
  it("computes start + i * step in float64 and ends exactly at stop, like np.linspace", () => {
    // np.linspace(0, 1, 7).tolist()
    expect(npLinspace(0, 1, 7)).toEqual([
      0.0, 0.16666666666666666, 0.3333333333333333, 0.5, 0.6666666666666666, 0.8333333333333333, 1.0,
    ]);
    const ts = npLinspace(0, 999, 21);
    expect(ts[10]).toBe(499.5);
    expect(ts[3]).toBe(3 * (999 / 20)); // 149.85000000000002 in numpy too
    expect(ts[20]).toBe(999);
    expect(npLinspace(5, 9, 1)).toEqual([5]);
  });
});

describe("npArange", () => {
  it("has ceil((stop - start) / step) float64 entries", () => {
    const a = npArange(1000, 0, -1000 / 7);
    expect(a).toHaveLength(7);
    expect(a[0]).toBe(1000);
    expect(a[6]).toBeCloseTo(142.857142857, 8);
    expect(npArange(1000, 0, -50)).toHaveLength(20);
  });
});

describe("roundHalfEven", () => {
  it("rounds halves to the even neighbour like np.round", () => {
    expect([0.5, 1.5, 2.5, 499.5, -0.5, -1.5, -2.5].map(roundHalfEven)).toEqual([0, 2, 2, 500, -0, -2, -2]);
    expect([749.25, 249.75, 1.4999, -3.7].map(roundHalfEven)).toEqual([749, 250, 1, -4]);
  });
});

describe("interpIntegerGrid", () => {
  it("interpolates linearly between integer knots and clamps outside", () => {
    const fp = [10, 20, 40];
    expect(interpIntegerGrid(0, fp)).toBe(10);
    expect(interpIntegerGrid(0.25, fp)).toBe(12.5);
    expect(interpIntegerGrid(1.5, fp)).toBe(30);
    expect(interpIntegerGrid(2, fp)).toBe(40);
    expect(interpIntegerGrid(-1, fp)).toBe(10);
    expect(interpIntegerGrid(7, fp)).toBe(40);
  });
});

describe("torchLinspaceF32", () => {
  it("hits both endpoints in float32 and is evenly spaced", () => {
    const b = torchLinspaceF32(0.0001, 0.02, 1000);
    expect(b[0]).toBe(Math.fround(0.0001));
    expect(b[999]).toBe(Math.fround(0.02));
    expect(b[500] - b[499]).toBeCloseTo((0.02 - 0.0001) / 999, 8);
    expect(Array.from(torchLinspaceF32(3, 7, 1))).toEqual([3]);
  });
});
