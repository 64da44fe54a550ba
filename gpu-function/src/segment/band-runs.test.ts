import { describe, expect, it } from "vitest";
import { bandOf, buildBandRuns, createBandRuns } from "./band-runs.ts";

const cuts = { low: -1, mid: 0, high: 1 };

/** Runs of each row as [start, band] pairs. */
function runsOf(rows: number[][], stride = rows[0].length) {
  const cols = rows[0].length;
  const logits = new Float32Array(rows.length * stride);
  rows.forEach((r, i) => {
    logits.set(r, i * stride);
  });
  const runs = createBandRuns(rows.length, cols);
  const active = buildBandRuns(logits, 0, stride, cuts, runs);
  const out = rows.map((_, i) =>
    Array.from({ length: runs.rowRuns[i + 1] - runs.rowRuns[i] }, (_, k) => [
      runs.runStart[runs.rowRuns[i] + k],
      runs.runBand[runs.rowRuns[i] + k],
    ]),
  );
  return { active, out };
}

describe("bandOf", () => {
  it.each([
    [-5, 0],
    [-1, 0], // the cut-offs are strict
    [-0.5, 1],
    [0, 1],
    [0.5, 2],
    [1, 2],
    [1.5, 3],
    [Number.NaN, 0],
  ])("%f -> band %i", (v, band) => {
    expect(bandOf(v, cuts)).toBe(band);
  });
});

describe("buildBandRuns", () => {
  it.each([
    { name: "an empty row", row: [-5, -5, -5, -5], runs: [[0, 0]] },
    { name: "a full row", row: [5, 5, 5, 5], runs: [[0, 3]] },
    {
      name: "a bump",
      row: [-5, -0.5, 0.5, 3, 3, 0.5, -0.5, -5],
      runs: [
        [0, 0],
        [1, 1],
        [2, 2],
        [3, 3],
        [5, 2],
        [6, 1],
        [7, 0],
      ],
    },
    {
      name: "two bumps with a gap (runs of 0 inside the extent)",
      row: [2, -3, -3, -3, -3, -3, -3, -3, -3, -3, 2],
      runs: [
        [0, 3],
        [1, 0],
        [10, 3],
      ],
    },
    {
      name: "NaN is below every cut-off",
      row: [Number.NaN, 5, Number.NaN],
      runs: [
        [0, 0],
        [1, 3],
        [2, 0],
      ],
    },
    {
      name: "a long row (past the 8-at-a-time skips)",
      row: [...new Array(21).fill(-9), -0.2, ...new Array(18).fill(-9)],
      runs: [
        [0, 0],
        [21, 1],
        [22, 0],
      ],
    },
  ])("$name", ({ row, runs }) => {
    const r = runsOf([row]);
    expect(r.out[0]).toEqual(runs);
    expect(r.active).toBe(runs.some(([, b]) => b > 0));
  });

  it("reads rows at a stride, and only the first `cols` logits of each", () => {
    // Stride 6, 4 columns used: the 9s past column 4 are padding and must not be seen.
    const r = runsOf(
      [
        [-5, -5, 0.5, -5, 9, 9],
        [-5, -5, -5, -5, 9, 9],
      ].map((row) => row.slice(0, 4)),
      4,
    );
    expect(r.out).toEqual([
      [
        [0, 0],
        [2, 2],
        [3, 0],
      ],
      [[0, 0]],
    ]);
    const logits = Float32Array.from([-5, -5, 0.5, -5, 9, 9, -5, -5, -5, -5, 9, 9]);
    const runs = createBandRuns(2, 4);
    expect(buildBandRuns(logits, 0, 6, cuts, runs)).toBe(true);
    expect(Array.from(runs.rowRuns)).toEqual([0, 3, 4]);
  });
});
