// 2-D complex FFT over row-major (H, W) split arrays, in place: rows, then columns.
import { fftPlan } from "../src/kernels/fft.ts";

export function fft2d(
  re: Float64Array,
  im: Float64Array,
  width: number,
  height: number,
  direction: "forward" | "inverse" = "forward",
): void {
  if (re.length !== width * height || im.length !== width * height) {
    throw new RangeError(`fft2d: expected ${width}x${height} arrays, got ${re.length}/${im.length}`);
  }
  const rowPlan = fftPlan(width);
  const colPlan = fftPlan(height);
  for (let y = 0; y < height; y++) {
    const rowRe = re.subarray(y * width, (y + 1) * width);
    const rowIm = im.subarray(y * width, (y + 1) * width);
    if (direction === "forward") rowPlan.forward(rowRe, rowIm);
    else rowPlan.inverse(rowRe, rowIm);
  }
  const colRe = new Float64Array(height);
  const colIm = new Float64Array(height);
  for (let x = 0; x < width; x++) {
    for (let y = 0, i = x; y < height; y++, i += width) {
      colRe[y] = re[i];
      colIm[y] = im[i];
    }
    if (direction === "forward") colPlan.forward(colRe, colIm);
    else colPlan.inverse(colRe, colIm);
    for (let y = 0, i = x; y < height; y++, i += width) {
      re[i] = colRe[y];
      im[i] = colIm[y];
    }
  }
}
