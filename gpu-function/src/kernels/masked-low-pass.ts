// |ifft2(ifftshift(K * fftshift(fft2(x))))| for a real (H, W) signal and any 0/1 filter K over
// the centred (fftshift-ed) spectrum: the general, slower path of the low-pass difference. It is
// needed when K is not symmetric under negation (the release's off-centre cv2.circle on
// non-square images), so the filtered signal is complex and its magnitude is what the release
// thresholds. Symmetric filters take kernels/real-low-pass.ts instead.
import { fftPlan } from "./fft.ts";

/** `keep(row, col)` in centred-spectrum coordinates: DC at (floor(H / 2), floor(W / 2)). */
export type CentredFilter = (row: number, col: number) => boolean;

export function maskedLowPassMagnitude(
  signal: Float64Array,
  width: number,
  height: number,
  keep: CentredFilter,
): Float64Array {
  if (signal.length !== width * height) {
    throw new RangeError(`maskedLowPassMagnitude: ${signal.length} values for ${width}x${height}`);
  }
  const re = Float64Array.from(signal);
  const im = new Float64Array(width * height);
  const rowPlan = fftPlan(width);
  const colPlan = fftPlan(height);
  const rows = (direction: "forward" | "inverse") => {
    for (let y = 0; y < height; y++) {
      const r = re.subarray(y * width, (y + 1) * width);
      const i = im.subarray(y * width, (y + 1) * width);
      if (direction === "forward") rowPlan.forward(r, i);
      else rowPlan.inverse(r, i);
    }
  };
  rows("forward");
  const colRe = new Float64Array(height);
  const colIm = new Float64Array(height);
  const halfH = Math.floor(height / 2);
  const halfW = Math.floor(width / 2);
  for (let u = 0; u < width; u++) {
    // Unshifted column u sits at centred column (u + floor(W / 2)) mod W.
    const col = (u + halfW) % width;
    let any = false;
    for (let v = 0; v < height && !any; v++) any = keep((v + halfH) % height, col);
    if (!any) {
      for (let v = 0, i = u; v < height; v++, i += width) re[i] = im[i] = 0;
      continue;
    }
    for (let v = 0, i = u; v < height; v++, i += width) {
      colRe[v] = re[i];
      colIm[v] = im[i];
    }
    colPlan.forward(colRe, colIm);
    for (let v = 0; v < height; v++) {
      if (!keep((v + halfH) % height, col)) colRe[v] = colIm[v] = 0;
    }
    colPlan.inverse(colRe, colIm);
    for (let v = 0, i = u; v < height; v++, i += width) {
      re[i] = colRe[v];
      im[i] = colIm[v];
    }
  }
  rows("inverse");
  const out = new Float64Array(width * height);
  for (let i = 0; i < out.length; i++) out[i] = Math.hypot(re[i], im[i]);
  return out;
}

/**
 * The release's disc: cv2.circle(mask, (rows // 2, cols // 2), radius, 1, -1) draws, at column x
 * and row y, every pixel with (x - rows // 2)^2 + (y - cols // 2)^2 <= radius^2 (checked against
 * OpenCV 4.6 at the working sizes): the centre's coordinates are swapped, so on a non-square
 * image the disc is off the spectrum's centre.
 */
export function releaseDisc(width: number, height: number, radius: number): CentredFilter {
  const cx = Math.floor(height / 2);
  const cy = Math.floor(width / 2);
  const r2 = radius * radius;
  return (row, col) => (col - cx) ** 2 + (row - cy) ** 2 <= r2;
}
