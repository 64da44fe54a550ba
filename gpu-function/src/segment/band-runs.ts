// Rows of low-resolution logits as runs of equal "band" between the stability cut-offs: band 0
// when v <= low, 1 when low < v <= threshold, 2 when threshold < v <= high, 3 above high (SAM:
// low -1, threshold 0, high +1). The mask meter merges these runs instead of reading logits
// again. Each logit is compared once or twice; rows with nothing above `low` (most rows of most
// masks) are ruled out eight logits at a time. NaN is below every cut-off, as in torch.

export interface Cuts {
  low: number;
  mid: number;
  high: number;
}

/** Runs of rows [0, rows): row i owns runs [rowRuns[i], rowRuns[i + 1]), covering [0, cols). */
export interface BandRuns {
  rows: number;
  cols: number;
  rowRuns: Int32Array;
  runStart: Int32Array;
  runBand: Int8Array;
}

/** Whether any of the eight logits from q is above `low` (unrolled: this scan is the hot path). */
function anyAbove8(logits: Float32Array, q: number, low: number): boolean {
  return (
    logits[q] > low ||
    logits[q + 1] > low ||
    logits[q + 2] > low ||
    logits[q + 3] > low ||
    logits[q + 4] > low ||
    logits[q + 5] > low ||
    logits[q + 6] > low ||
    logits[q + 7] > low
  );
}

export function createBandRuns(rows: number, cols: number): BandRuns {
  return {
    rows,
    cols,
    rowRuns: new Int32Array(rows + 1),
    runStart: new Int32Array(rows * (cols + 2)),
    runBand: new Int8Array(rows * (cols + 2)),
  };
}

/** Rows [rowFrom, rowTo) and columns [colFrom, colTo) of the logits; the rest is read as band 0. */
export interface BandWindow {
  rowFrom: number;
  rowTo: number;
  colFrom: number;
  colTo: number;
}

/**
 * Fills `runs` from the (rows, cols) top-left logits of a mask starting at `offset` with row
 * stride `stride`, reading only `window` (default: all) and taking everything outside it as band
 * 0. Returns false when no logit read is above the low cut-off (an empty mask).
 */
export function buildBandRuns(
  logits: Float32Array,
  offset: number,
  stride: number,
  cuts: Cuts,
  runs: BandRuns,
  window: BandWindow = { rowFrom: 0, rowTo: runs.rows, colFrom: 0, colTo: runs.cols },
): boolean {
  const { low, mid, high } = cuts;
  const { rows, cols, rowRuns, runStart, runBand } = runs;
  const { rowFrom, rowTo, colFrom, colTo } = window;
  let n = 0;
  let active = false;
  for (let i = 0; i < rows; i++) {
    rowRuns[i] = n;
    const row = offset + i * stride;
    let a = colFrom;
    if (i >= rowFrom && i < rowTo) {
      for (let q = row + a; a + 8 <= colTo; a += 8, q += 8) {
        if (anyAbove8(logits, q, low)) break;
      }
      while (a < colTo && !(logits[row + a] > low)) a++;
    } else a = colTo;
    if (a === colTo) {
      runStart[n] = 0;
      runBand[n++] = 0;
      continue;
    }
    if (a > 0) {
      runStart[n] = 0;
      runBand[n++] = 0;
    }
    active = true;
    // The last logit above the low cut-off, from the right, eight at a time first.
    let b = colTo - 1;
    for (let q = row + b - 7; b - 8 >= a; b -= 8, q -= 8) {
      if (anyAbove8(logits, q, low)) break;
    }
    while (!(logits[row + b] > low)) b--;
    let x = a;
    while (x <= b) {
      const v = logits[row + x];
      runStart[n] = x;
      x++;
      if (!(v > low)) {
        for (let q = row + x; x + 4 <= b; x += 4, q += 4) {
          if (logits[q] > low || logits[q + 1] > low || logits[q + 2] > low || logits[q + 3] > low) break;
        }
        while (x <= b && !(logits[row + x] > low)) x++;
        runBand[n++] = 0;
      } else if (!(v > mid)) {
        while (x <= b && logits[row + x] > low && !(logits[row + x] > mid)) x++;
        runBand[n++] = 1;
      } else if (!(v > high)) {
        while (x <= b && logits[row + x] > mid && !(logits[row + x] > high)) x++;
        runBand[n++] = 2;
      } else {
        // Long runs inside large masks: four at a time first.
        for (let q = row + x; x + 4 <= b; x += 4, q += 4) {
          if (!(logits[q] > high && logits[q + 1] > high && logits[q + 2] > high && logits[q + 3] > high))
            break;
        }
        while (x <= b && logits[row + x] > high) x++;
        runBand[n++] = 3;
      }
    }
    if (b + 1 < cols) {
      runStart[n] = b + 1;
      runBand[n++] = 0;
    }
  }
  rowRuns[rows] = n;
  return active;
}

/** Band of one value (for tests and for blocks). */
export function bandOf(v: number, cuts: Cuts): number {
  return (v > cuts.low ? 1 : 0) + (v > cuts.mid ? 1 : 0) + (v > cuts.high ? 1 : 0);
}
