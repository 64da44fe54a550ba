// |ifft2(H(fft2(E_d)) - H(fft2(G_d)))| of method section 5: the low-passed difference between the
// edited and the original image inside a region, per pixel, clipped to 0..255 and truncated to
// an integer as the release's astype(uint8) does. H keeps the frequencies within `radius` of the
// centre of the (fftshift-ed) spectrum. By linearity H(F(a)) - H(F(b)) = H(F(a - b)), so one
// forward and one inverse transform per channel suffice.
import type { Mask, RgbImage } from "../image/types.ts";
import { assertSize } from "../image/types.ts";
import { fft2d } from "../kernels/fft2d.ts";
import { luma } from "../kernels/grayscale.ts";

export type DifferenceChannels = "luma" | "rgb";

/** D0 = base * long / 512: the release's 200 at 512 px, scaled with the working long side. */
export function lowPassRadius(width: number, height: number, base = 200): number {
  return (base * Math.max(width, height)) / 512;
}

// Signed frequency of FFT bin k for length n: the distance from the centre after fftshift.
function signedFrequency(k: number, n: number): number {
  return k < Math.ceil(n / 2) ? k : k - n;
}

const filterCache = new Map<string, Uint8Array>();

/** (H, W) 1 where the frequency (fy, fx) lies within `radius` of the centre, in unshifted order. */
export function idealLowPass(width: number, height: number, radius: number): Uint8Array {
  const key = `${width}x${height}@${radius}`;
  let filter = filterCache.get(key);
  if (filter === undefined) {
    filter = new Uint8Array(width * height);
    const r2 = radius * radius;
    for (let y = 0; y < height; y++) {
      const fy = signedFrequency(y, height);
      for (let x = 0; x < width; x++) {
        const fx = signedFrequency(x, width);
        filter[y * width + x] = fy * fy + fx * fx <= r2 ? 1 : 0;
      }
    }
    filterCache.set(key, filter);
  }
  return filter;
}

function lowPassMagnitude(signal: Float64Array, width: number, height: number, filter: Uint8Array): void {
  const im = new Float64Array(signal.length);
  fft2d(signal, im, width, height, "forward");
  for (let i = 0; i < signal.length; i++) {
    if (filter[i] === 0) {
      signal[i] = 0;
      im[i] = 0;
    }
  }
  fft2d(signal, im, width, height, "inverse");
  for (let i = 0; i < signal.length; i++) signal[i] = Math.hypot(signal[i], im[i]);
}

export interface LowPassDifferenceOptions {
  channels: DifferenceChannels;
  radius: number;
}

/**
 * Low-passed |edited - original| restricted to `region` (null = the whole image), as 8-bit values.
 * "luma" differences the BT.601 grey images; "rgb" takes the maximum over the three channels.
 */
export function lowPassDifference(
  edited: RgbImage,
  original: RgbImage,
  region: Mask | null,
  options: LowPassDifferenceOptions,
): Uint8Array {
  const { width, height } = original;
  assertSize([edited, ...(region ? [region] : [])], width, height, "low-pass difference input");
  const n = width * height;
  const filter = idealLowPass(width, height, options.radius);
  const inside = (i: number): boolean => region === null || region.data[i] !== 0;
  const out = new Uint8Array(n);
  const accumulate = (signal: Float64Array): void => {
    lowPassMagnitude(signal, width, height, filter);
    for (let i = 0; i < n; i++) {
      // + 1e-6 absorbs FFT round-off, so an exact 100 is not truncated to 99.
      const v = Math.min(255, Math.trunc(signal[i] + 1e-6));
      if (v > out[i]) out[i] = v;
    }
  };
  if (options.channels === "luma") {
    const e = luma(edited);
    const g = luma(original);
    const signal = new Float64Array(n);
    for (let i = 0; i < n; i++) signal[i] = inside(i) ? e[i] - g[i] : 0;
    accumulate(signal);
  } else {
    for (let c = 0; c < 3; c++) {
      const signal = new Float64Array(n);
      for (let i = 0; i < n; i++)
        signal[i] = inside(i) ? edited.data[i * 3 + c] - original.data[i * 3 + c] : 0;
      accumulate(signal);
    }
  }
  return out;
}
