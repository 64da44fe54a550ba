// Measures a mask from its low-resolution logits without upscaling all of it: the pixel counts
// the stability score needs (upscaled logits above threshold + offset and above threshold -
// offset), the area and box of the binary mask (above threshold), and the mask itself, recorded.
// Exactly what thresholding the fully upscaled logits gives (upscale-plan.ts).
//
// Why it is fast: every upscaled pixel is a convex combination of a small block of logits, so if
// the whole block sits in one band between the cut-offs, so does the pixel. Each row of logits is
// read once and turned into runs of equal band (band-runs.ts); a row group's runs are merged,
// every block of outputs inside a run is counted (and recorded) in one step, and pixels are
// evaluated one by one only where a block straddles a run boundary, i.e. along the mask's edges.
// A small mask costs little more than reading its logits; a large one, its perimeter.
import { type BandRuns, type BandWindow, buildBandRuns, type Cuts, createBandRuns } from "./band-runs.ts";
import { type CroppedMask, drawRecording, MaskRecorder, type MaskRecording } from "./mask-recording.ts";
import { combineColumns, combineRows, type UpscalePlan } from "./upscale-plan.ts";

export interface MaskMeasure {
  /** Upscaled pixels above threshold + offset, above threshold (the area), above threshold - offset. */
  aboveHigh: number;
  area: number;
  aboveLow: number;
  /** Inclusive box [x0, y0, x1, y1] of the pixels above threshold, or null when there are none. */
  box: [number, number, number, number] | null;
}

const MIXED = -1; // a segment where the tap rows' bands differ
const NONE = -2;

export class UpscaledMaskMeter {
  readonly plan: UpscalePlan;
  private readonly cuts: Cuts;
  private readonly runs: BandRuns;
  private readonly recorder = new MaskRecorder();
  /** Per tap row of the current row group: the run it is in. */
  private readonly cursor: Int32Array;
  /** One output row's tap rows combined, per low-resolution column. */
  private readonly column: Float64Array;
  private last: MaskMeasure | null = null;
  // The measure in progress: counts, and the box (inclusive) grown as pixels are found.
  private m: MaskMeasure = { aboveHigh: 0, area: 0, aboveLow: 0, box: null };
  private bx0 = 0;
  private by0 = 0;
  private bx1 = -1;
  private by1 = -1;

  constructor(plan: UpscalePlan, threshold: number, offset: number) {
    this.plan = plan;
    this.cuts = { low: threshold - offset, mid: threshold, high: threshold + offset };
    this.runs = createBandRuns(plan.y.usedLow, plan.x.usedLow);
    this.cursor = new Int32Array(plan.y.maxTaps);
    this.column = new Float64Array(plan.x.usedLow);
  }

  /**
   * Measures the mask whose (lowHeight, lowWidth) logits start at `offset`; keeps it for record.
   * With `within`, an inclusive box known to hold every pixel above the threshold (the decoder's
   * statistics give it), only the logits under that box, and one low-resolution index around it,
   * are read; the mask, its area and its box are then exact, the counts above the low and high
   * cut-offs only cover the box.
   */
  measure(
    logits: Float32Array,
    offset: number,
    within?: readonly [number, number, number, number],
  ): MaskMeasure {
    this.recorder.reset();
    const m: MaskMeasure = { aboveHigh: 0, area: 0, aboveLow: 0, box: null };
    this.m = m;
    this.last = m;
    const window = within && this.windowFor(within);
    if (!buildBandRuns(logits, offset, this.plan.lowWidth, this.cuts, this.runs, window)) return m;
    const { x: px, y: py } = this.plan;
    const { rowRuns, runStart, runBand } = this.runs;
    const cursor = this.cursor;
    const usedW = px.usedLow;
    this.bx0 = this.plan.width;
    this.by0 = this.plan.height;
    this.bx1 = -1;
    this.by1 = -1;
    for (let gy = 0; gy < py.groups; gy++) {
      const ys = py.tapFrom[gy];
      const k = py.tapTo[gy] - ys;
      let anyActive = false;
      for (let r = 0; r < k; r++) {
        cursor[r] = rowRuns[ys + r];
        // A row that is one run of band 0 has nothing above the low cut-off.
        if (rowRuns[ys + r + 1] - rowRuns[ys + r] > 1 || runBand[rowRuns[ys + r]] !== 0) anyActive = true;
      }
      if (!anyActive) continue;
      // Merge the tap rows' runs into segments [s, e) of one band (or MIXED), joining neighbours
      // of the same kind; each finished segment goes to `segment`.
      let nextGroup = 0;
      let pendingFrom = 0;
      let pendingBand = NONE;
      let pos = 0;
      while (pos < usedW) {
        let end = usedW;
        let band = NONE;
        for (let r = 0; r < k; r++) {
          const rowEnd = rowRuns[ys + r + 1];
          let c = cursor[r];
          while (c + 1 < rowEnd && runStart[c + 1] <= pos) c++;
          cursor[r] = c;
          const runEnd = c + 1 < rowEnd ? runStart[c + 1] : usedW;
          if (runEnd < end) end = runEnd;
          band = band === NONE || band === runBand[c] ? runBand[c] : MIXED;
        }
        if (band !== pendingBand) {
          if (pendingBand !== NONE)
            nextGroup = this.segment(logits, offset, gy, nextGroup, pendingFrom, pos, pendingBand);
          pendingFrom = pos;
          pendingBand = band;
        }
        pos = end;
      }
      nextGroup = this.segment(logits, offset, gy, nextGroup, pendingFrom, usedW, pendingBand);
      this.exact(logits, offset, gy, nextGroup, px.groups);
    }
    if (this.bx1 >= 0) m.box = [this.bx0, this.by0, this.bx1, this.by1];
    return m;
  }

  /**
   * A merged segment [s, e) of band `band` for row group gy: the column groups entirely inside it
   * are uniform (counted and recorded at once); those between `nextGroup` and them straddle a
   * boundary and are evaluated pixel by pixel. Returns the next unprocessed column group.
   */
  private segment(
    logits: Float32Array,
    offset: number,
    gy: number,
    nextGroup: number,
    s: number,
    e: number,
    band: number,
  ): number {
    if (band === MIXED) return nextGroup;
    const { x: px, y: py } = this.plan;
    const gA = Math.max(px.groupFrom[s], nextGroup);
    const gB = px.groupAt[e];
    if (gA >= gB) return nextGroup;
    this.exact(logits, offset, gy, nextGroup, gA);
    if (band > 0) {
      const oy0 = py.outFrom[gy];
      const oy1 = py.outTo[gy];
      const ox0 = px.outFrom[gA];
      const ox1 = px.outTo[gB - 1];
      const n = (oy1 - oy0) * (ox1 - ox0);
      const m = this.m;
      m.aboveLow += n;
      if (band >= 2) {
        m.area += n;
        this.recorder.span(ox0, ox1, oy0, oy1);
        this.grow(ox0, oy0, ox1 - 1, oy1 - 1);
      }
      if (band === 3) m.aboveHigh += n;
    }
    return gB;
  }

  /**
   * Column groups [g0, g1) of row group gy, one pixel at a time: per output row, the tap rows
   * are combined once for the groups' columns, then each output pixel combines its columns (the
   * same arithmetic, in the same order, as upscaleWithPlan).
   */
  private exact(logits: Float32Array, offset: number, gy: number, g0: number, g1: number): void {
    if (g0 >= g1) return;
    const { x: px, y: py, lowWidth, width } = this.plan;
    const { low, mid, high } = this.cuts;
    const { m, column } = this;
    const cs = px.tapFrom[g0];
    const ce = px.tapTo[g1 - 1];
    const ox0 = px.outFrom[g0];
    const ox1 = px.outTo[g1 - 1];
    for (let oy = py.outFrom[gy]; oy < py.outTo[gy]; oy++) {
      combineRows(logits, offset + cs, lowWidth, py, oy, ce - cs, column);
      for (let ox = ox0; ox < ox1; ox++) {
        const v = combineColumns(column, px, ox, cs);
        if (!(v > low)) continue;
        m.aboveLow++;
        if (v > high) m.aboveHigh++;
        if (v > mid) {
          m.area++;
          this.recorder.pixel(oy * width + ox);
          this.grow(ox, oy, ox, oy);
        }
      }
    }
  }

  /** The logits an output box's pixels read, widened by one index each way, clamped. */
  private windowFor([x0, y0, x1, y1]: readonly [number, number, number, number]): BandWindow {
    const { x: px, y: py } = this.plan;
    const clampX = (v: number) => Math.min(Math.max(v, 0), px.outLength - 1);
    const clampY = (v: number) => Math.min(Math.max(v, 0), py.outLength - 1);
    const [ox0, ox1, oy0, oy1] = [clampX(x0), clampX(x1), clampY(y0), clampY(y1)];
    return {
      rowFrom: Math.max(0, py.tapStart[oy0] - 1),
      rowTo: Math.min(py.usedLow, py.tapStart[oy1] + py.tapCount[oy1] + 1),
      colFrom: Math.max(0, px.tapStart[ox0] - 1),
      colTo: Math.min(px.usedLow, px.tapStart[ox1] + px.tapCount[ox1] + 1),
    };
  }

  private grow(x0: number, y0: number, x1: number, y1: number): void {
    if (x0 < this.bx0) this.bx0 = x0;
    if (y0 < this.by0) this.by0 = y0;
    if (x1 > this.bx1) this.bx1 = x1;
    if (y1 > this.by1) this.by1 = y1;
  }

  /** The last measured mask's recording (null when empty), to draw later; once per measure. */
  record(): MaskRecording | null {
    const box = this.last?.box;
    this.last = null;
    return box ? this.recorder.snapshot(box, this.plan.width) : null;
  }

  /** The last measured mask cut to its box (null when empty); once per measure. */
  takeMask(): CroppedMask | null {
    const recording = this.record();
    return recording && drawRecording(recording);
  }

  /** Forgets the last measured mask. */
  discard(): void {
    this.last = null;
  }
}
