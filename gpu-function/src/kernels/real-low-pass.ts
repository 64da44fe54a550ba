// Ideal low-pass filter of a real (H, W) signal through the 2-D FFT, using the structure of the
// problem to do about a third of the work of two full complex 2-D transforms:
// - the input is real, so two rows share one complex FFT and only the non-negative horizontal
//   frequencies are kept (the others are their complex conjugates);
// - columns with horizontal frequency above the radius are zeroed by the filter, so they are
//   never transformed, neither forward nor back;
// - all-zero input rows (outside the region being compared) are skipped;
// - a column whose whole vertical range lies inside the disc (k^2 + (H / 2)^2 <= radius^2) is
//   left alone: its forward and inverse transforms would cancel;
// - a portrait signal is transposed first (the disc is symmetric in the two axes), so the long
//   side is the row length and more columns fall wholly inside the disc;
// - the filter is symmetric under negation, so the output is real: two output rows come back
//   from one inverse complex FFT.
// Keeps frequency (fy, fx) when fy^2 + fx^2 <= radius^2, with fy, fx the signed (fftshift-ed)
// frequencies, exactly as filtering the centred spectrum with a disc.
import { fftPlan } from "./fft.ts";

function signedFrequency(k: number, n: number): number {
  return k < Math.ceil(n / 2) ? k : k - n;
}

function rowIsZero(signal: Float64Array, y: number, width: number): boolean {
  const start = y * width;
  for (let i = start; i < start + width; i++) if (signal[i] !== 0) return false;
  return true;
}

/** (H, W) row-major to (W, H) row-major. */
function transpose(signal: Float64Array, width: number, height: number): Float64Array {
  const out = new Float64Array(signal.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0, i = y * width; x < width; x++, i++) out[x * height + y] = signal[i];
  }
  return out;
}

/** Returns the real filtered signal (H, W); `signal` is left unchanged. */
export function lowPassReal(
  signal: Float64Array,
  width: number,
  height: number,
  radius: number,
): Float64Array {
  if (signal.length !== width * height) {
    throw new RangeError(`lowPassReal: ${signal.length} values for ${width}x${height}`);
  }
  if (height > width)
    return transpose(lowPassReal(transpose(signal, width, height), height, width, radius), height, width);
  const out = new Float64Array(width * height);
  if (radius < 0) return out;
  // Horizontal frequencies 0..K survive; spectra stored column-major: (K + 1, H).
  const K = Math.min(Math.floor(width / 2), Math.floor(radius));
  const rowPlan = fftPlan(width);
  const colPlan = fftPlan(height);
  const specRe = new Float64Array((K + 1) * height);
  const specIm = new Float64Array((K + 1) * height);
  const zr = new Float64Array(width);
  const zi = new Float64Array(width);

  // Forward, rows in pairs: z = a + i b, A[k] = (Z[k] + conj Z[-k]) / 2, B[k] = (Z[k] - conj Z[-k]) / 2i.
  for (let y = 0; y < height; y += 2) {
    const y2 = y + 1 < height ? y + 1 : -1;
    const zeroA = rowIsZero(signal, y, width);
    const zeroB = y2 < 0 || rowIsZero(signal, y2, width);
    if (zeroA && zeroB) continue;
    zr.set(signal.subarray(y * width, (y + 1) * width));
    if (zeroB) zi.fill(0);
    else zi.set(signal.subarray(y2 * width, (y2 + 1) * width));
    rowPlan.forward(zr, zi);
    for (let k = 0; k <= K; k++) {
      const m = k === 0 ? 0 : width - k;
      const p = k * height;
      specRe[p + y] = (zr[k] + zr[m]) / 2;
      specIm[p + y] = (zi[k] - zi[m]) / 2;
      if (y2 >= 0) {
        specRe[p + y2] = (zi[k] + zi[m]) / 2;
        specIm[p + y2] = (zr[m] - zr[k]) / 2;
      }
    }
  }

  // Columns: forward, filter, inverse; untouched when the filter keeps all of the column.
  const r2 = radius * radius;
  const tallest = Math.floor(height / 2);
  for (let k = 0; k <= K; k++) {
    if (k * k + tallest * tallest <= r2) continue;
    const colRe = specRe.subarray(k * height, (k + 1) * height);
    const colIm = specIm.subarray(k * height, (k + 1) * height);
    colPlan.forward(colRe, colIm);
    for (let v = 0; v < height; v++) {
      const fy = signedFrequency(v, height);
      if (fy * fy + k * k > r2) {
        colRe[v] = 0;
        colIm[v] = 0;
      }
    }
    colPlan.inverse(colRe, colIm);
  }

  // Inverse, rows in pairs: Z[k] = Y_a[k] + i Y_b[k] and Z[-k] = conj Y_a[k] + i conj Y_b[k].
  for (let y = 0; y < height; y += 2) {
    const y2 = y + 1 < height ? y + 1 : -1;
    zr.fill(0);
    zi.fill(0);
    for (let k = 0; k <= K; k++) {
      const p = k * height;
      const ar = specRe[p + y];
      const ai = specIm[p + y];
      const br = y2 >= 0 ? specRe[p + y2] : 0;
      const bi = y2 >= 0 ? specIm[p + y2] : 0;
      zr[k] = ar - bi;
      zi[k] = ai + br;
      const m = width - k;
      if (k > 0 && m > K) {
        zr[m] = ar + bi;
        zi[m] = br - ai;
      }
    }
    rowPlan.inverse(zr, zi);
    out.set(zr, y * width);
    if (y2 >= 0) out.set(zi, y2 * width);
  }
  return out;
}
