// How SAM's low-resolution mask logits map onto the segmented image (segment-anything
// `Sam.postprocess_masks`): bilinear (align_corners=False) from the decoder's 256 x 256 to the
// padded 1024 x 1024 model input, crop the padding away (the resized image's extent), bilinear
// again to the image's size. Both resizes are separable and linear, so each axis collapses into
// one sparse operator: every output index is a convex combination of a few consecutive
// low-resolution indices. The plan holds those weights (each stage's taps computed in float32
// like torch's CPU kernel, composed in float64) and the runs of outputs that share their taps,
// which the mask meter uses to classify whole blocks at once.

export interface AxisPlan {
  /** Output length (image width or height). */
  outLength: number;
  /** Low-resolution indices [0, usedLow) carry weight; the rest is padding. */
  usedLow: number;
  /** Most taps of any output. */
  maxTaps: number;
  /** Per output: first low-resolution tap and tap count; weights at [o * maxTaps + k]. */
  tapStart: Int32Array;
  tapCount: Int32Array;
  weights: Float64Array;
  /** Runs of consecutive outputs with the same taps: taps [tapFrom, tapTo), outputs [outFrom, outTo). */
  groups: number;
  tapFrom: Int32Array;
  tapTo: Int32Array;
  outFrom: Int32Array;
  outTo: Int32Array;
  /** groupAt[x] = the first group whose taps end after index x; groupAt[usedLow] = groups. */
  groupAt: Int32Array;
  /** groupFrom[x] = the first group whose taps start at or after index x (x in [0, usedLow]). */
  groupFrom: Int32Array;
}

export interface UpscalePlan {
  /** Decoder mask size (row stride of the logits). */
  lowHeight: number;
  lowWidth: number;
  width: number;
  height: number;
  y: AxisPlan;
  x: AxisPlan;
}

/** The geometry of one SAM input: the image, its resized extent inside the padded square. */
export interface SamFrame {
  width: number;
  height: number;
  inputWidth: number;
  inputHeight: number;
  /** The model's square input side (SAM: 1024). */
  size: number;
}

const f = Math.fround;

/**
 * torch's upsample_bilinear2d taps along one axis (align_corners=False, no scale factor): source
 * position scale * (o + 0.5) - 0.5 clamped at 0, in float32.
 */
export function bilinearTaps(
  inLength: number,
  outLength: number,
): { i0: Int32Array; i1: Int32Array; l0: Float64Array; l1: Float64Array } {
  const scale = f(inLength / outLength);
  const i0 = new Int32Array(outLength);
  const i1 = new Int32Array(outLength);
  const l0 = new Float64Array(outLength);
  const l1 = new Float64Array(outLength);
  for (let o = 0; o < outLength; o++) {
    const source = Math.max(0, f(f(scale * f(o + 0.5)) - 0.5));
    const index = Math.min(Math.floor(source), inLength - 1);
    const lambda = Math.min(Math.max(f(source - index), 0), 1);
    i0[o] = index;
    i1[o] = index + (index < inLength - 1 ? 1 : 0);
    l1[o] = lambda;
    l0[o] = f(1 - lambda);
  }
  return { i0, i1, l0, l1 };
}

/** lowLength -> modelSize, crop to inputLength, -> outLength, as one operator. */
export function composeAxis(
  lowLength: number,
  modelSize: number,
  inputLength: number,
  outLength: number,
): AxisPlan {
  if (!(inputLength >= 1 && inputLength <= modelSize && outLength >= 1 && lowLength >= 1)) {
    throw new RangeError(
      `upscale: need 1 <= input ${inputLength} <= model ${modelSize}, output ${outLength} >= 1, low ${lowLength} >= 1`,
    );
  }
  const first = bilinearTaps(lowLength, modelSize);
  const second = bilinearTaps(inputLength, outLength);
  const taps: Array<{ start: number; weights: number[] }> = [];
  let maxTaps = 1;
  let usedLow = 0;
  for (let o = 0; o < outLength; o++) {
    const acc = new Map<number, number>();
    const add = (u: number, w: number) => {
      if (w === 0) return;
      for (const [k, l] of [
        [first.i0[u], first.l0[u]],
        [first.i1[u], first.l1[u]],
      ]) {
        if (l !== 0) acc.set(k, (acc.get(k) ?? 0) + w * l);
      }
    };
    add(second.i0[o], second.l0[o]);
    add(second.i1[o], second.l1[o]);
    const keys = [...acc.keys()].filter((k) => acc.get(k) !== 0).sort((a, b) => a - b);
    const start = keys[0];
    const end = keys[keys.length - 1] + 1;
    const weights = Array.from({ length: end - start }, (_, k) => acc.get(start + k) ?? 0);
    taps.push({ start, weights });
    maxTaps = Math.max(maxTaps, weights.length);
    usedLow = Math.max(usedLow, end);
  }
  const tapStart = new Int32Array(outLength);
  const tapCount = new Int32Array(outLength);
  const weights = new Float64Array(outLength * maxTaps);
  const groupsList: number[][] = [];
  for (let o = 0; o < outLength; o++) {
    const { start, weights: w } = taps[o];
    tapStart[o] = start;
    tapCount[o] = w.length;
    weights.set(w, o * maxTaps);
    const last = groupsList[groupsList.length - 1];
    if (last && last[0] === start && last[1] === start + w.length) last[3] = o + 1;
    else {
      if (last && (start < last[0] || start + w.length < last[1])) {
        throw new Error(`upscale: taps are not monotone at output ${o}`);
      }
      groupsList.push([start, start + w.length, o, o + 1]);
    }
  }
  const groups = groupsList.length;
  const column = (i: number) => Int32Array.from(groupsList, (g) => g[i]);
  const tapFrom = column(0);
  const tapTo = column(1);
  const groupAt = new Int32Array(usedLow + 1);
  const groupFrom = new Int32Array(usedLow + 1);
  for (let x = 0, g = 0, h = 0; x <= usedLow; x++) {
    while (g < groups && tapTo[g] <= x) g++;
    while (h < groups && tapFrom[h] < x) h++;
    groupAt[x] = g;
    groupFrom[x] = h;
  }
  return {
    outLength,
    usedLow,
    maxTaps,
    tapStart,
    tapCount,
    weights,
    groups,
    tapFrom,
    tapTo,
    outFrom: column(2),
    outTo: column(3),
    groupAt,
    groupFrom,
  };
}

export function createUpscalePlan(frame: SamFrame, lowHeight: number, lowWidth: number): UpscalePlan {
  return {
    lowHeight,
    lowWidth,
    width: frame.width,
    height: frame.height,
    y: composeAxis(lowHeight, frame.size, frame.inputHeight, frame.height),
    x: composeAxis(lowWidth, frame.size, frame.inputWidth, frame.width),
  };
}

/** The upscaled logits of one mask, every pixel (reference path: tests and small images). */
export function upscaleWithPlan(logits: Float32Array, offset: number, plan: UpscalePlan): Float64Array {
  const { x: px, y: py, width, height, lowWidth } = plan;
  const out = new Float64Array(width * height);
  const column = new Float64Array(px.usedLow);
  for (let oy = 0; oy < height; oy++) {
    combineRows(logits, offset, lowWidth, py, oy, px.usedLow, column);
    for (let ox = 0; ox < width; ox++) out[oy * width + ox] = combineColumns(column, px, ox, 0);
  }
  return out;
}

/**
 * Output row oy's vertical step: for `count` columns starting at `offset`, the sum over its tap
 * rows of weight * logit, into `column`.
 */
export function combineRows(
  logits: Float32Array,
  offset: number,
  lowWidth: number,
  py: AxisPlan,
  oy: number,
  count: number,
  column: Float64Array,
): void {
  const first = offset + py.tapStart[oy] * lowWidth;
  const w = oy * py.maxTaps;
  const w0 = py.weights[w];
  for (let x = 0; x < count; x++) column[x] = w0 * logits[first + x];
  for (let k = 1; k < py.tapCount[oy]; k++) {
    const wk = py.weights[w + k];
    const row = first + k * lowWidth;
    for (let x = 0; x < count; x++) column[x] += wk * logits[row + x];
  }
}

/** Output pixel ox's horizontal step over a combined row whose index 0 is column `from`. */
export function combineColumns(column: Float64Array, px: AxisPlan, ox: number, from: number): number {
  const start = px.tapStart[ox] - from;
  const w = ox * px.maxTaps;
  let value = px.weights[w] * column[start];
  for (let k = 1; k < px.tapCount[ox]; k++) value += px.weights[w + k] * column[start + k];
  return value;
}
