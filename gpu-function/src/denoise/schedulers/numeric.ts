// numpy/torch-faithful scalar helpers for building schedules bit-for-bit like diffusers.
//
// numpy computes in float64 (JS numbers); torch float32 tensors round every operation to float32, which
// Math.fround reproduces exactly for a single +, -, *, / or sqrt of float32 operands (float64 has more than
// twice float32's precision, so the double rounding is harmless).

/** np.linspace(start, stop, num) in float64: start + i * ((stop - start) / (num - 1)), last = stop. */
export function npLinspace(start: number, stop: number, num: number): number[] {
  if (num === 1) return [start];
  const step = (stop - start) / (num - 1);
  const out: number[] = [];
  for (let i = 0; i < num; i++) out.push(i * step + start);
  out[num - 1] = stop;
  return out;
}

/** np.arange(start, stop, step) in float64 (numpy fills start + i * delta, delta = (start + step) - start). */
export function npArange(start: number, stop: number, step: number): number[] {
  const length = Math.max(0, Math.ceil((stop - start) / step));
  const delta = start + step - start;
  const out: number[] = [];
  for (let i = 0; i < length; i++) out.push(start + i * delta);
  return out;
}

/** np.round / torch.round: round half to even. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** np.interp(x, [0, 1, ..., fp.length - 1], fp): linear interpolation on the integer grid, clamped. */
export function interpIntegerGrid(x: number, fp: ArrayLike<number>): number {
  const last = fp.length - 1;
  if (x <= 0) return fp[0];
  if (x >= last) return fp[last];
  const j = Math.floor(x);
  const slope = fp[j + 1] - fp[j];
  return slope * (x - j) + fp[j];
}

/** torch.linspace(start, end, steps, dtype=float32) on CPU: float32 math, symmetric halves. */
export function torchLinspaceF32(start: number, end: number, steps: number): Float32Array {
  const out = new Float32Array(steps);
  if (steps === 1) {
    out[0] = start;
    return out;
  }
  const s = Math.fround(start);
  const e = Math.fround(end);
  const step = Math.fround(Math.fround(e - s) / (steps - 1));
  const halfway = Math.floor(steps / 2);
  for (let i = 0; i < steps; i++) {
    out[i] = i < halfway ? s + Math.fround(step * i) : e - Math.fround(step * (steps - i - 1));
  }
  return out;
}
