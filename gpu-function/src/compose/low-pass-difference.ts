// |ifft2(H(fft2(E_d)) - H(fft2(G_d)))| of method section 5: the low-passed difference between the
// edited and the original image inside a region, per pixel, truncated to an integer as the
// release's astype(uint8) does, and clipped at 255 (the release wraps: magnitude "wrap"). H keeps
// the frequencies within `radius` of the centre of the (fftshift-ed) spectrum (disc "centred"),
// or the release's off-centre disc (disc "release"). By linearity H(F(a)) - H(F(b)) = H(F(a - b)), so one
// forward and one inverse transform per channel suffice (kernels/real-low-pass.ts).
import { type DifferenceChannels, ZONE_DEFAULTS } from "@zone/shared";
import type { Mask, RgbImage } from "../image/types.ts";
import { assertSize } from "../image/types.ts";
import { lumaOf, releaseGreyOf } from "../kernels/grayscale.ts";
import { maskedLowPassMagnitude, releaseDisc } from "../kernels/masked-low-pass.ts";
import { lowPassReal } from "../kernels/real-low-pass.ts";

/** D0 = base * long / 512: the release's 200 at 512 px, scaled with the working long side. */
export function lowPassRadius(
  width: number,
  height: number,
  base: number = ZONE_DEFAULTS.compose.edge.radiusAt512,
): number {
  return (base * Math.max(width, height)) / 512;
}

export interface LowPassDifferenceOptions {
  channels: DifferenceChannels;
  radius: number;
  /** "centred" (default) or the release's off-centre cv2.circle (same on square images). */
  disc?: "centred" | "release";
  /** "clip" (default) at 255, or "wrap" modulo 256 as the release's astype(uint8). */
  magnitude?: "clip" | "wrap";
}

/**
 * Low-passed |edited - original| restricted to `region` (null = the whole image), as 8-bit values.
 * "luma" differences the BT.601 grey images, "release" the release's swapped-weight grey images;
 * "rgb" takes the maximum over the three channels.
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
  const out = new Uint8Array(n);
  // The release's disc is the centred one on square images: the faster real path.
  const offCentre = options.disc === "release" && width !== height;
  const wrap = options.magnitude === "wrap";
  const accumulate = (signal: Float64Array): void => {
    const filtered = offCentre
      ? maskedLowPassMagnitude(signal, width, height, releaseDisc(width, height, options.radius))
      : lowPassReal(signal, width, height, options.radius);
    for (let i = 0; i < n; i++) {
      // + 1e-6 absorbs FFT round-off, so an exact 100 is not truncated to 99.
      const t = Math.trunc(Math.abs(filtered[i]) + 1e-6);
      const v = wrap ? t % 256 : Math.min(255, t);
      if (v > out[i]) out[i] = v;
    }
  };
  const e = edited.data;
  const g = original.data;
  const inRegion = region?.data;
  if (options.channels !== "rgb") {
    const grey = options.channels === "luma" ? lumaOf : releaseGreyOf;
    const signal = new Float64Array(n);
    for (let i = 0, j = 0; i < n; i++, j += 3) {
      if (inRegion !== undefined && inRegion[i] === 0) continue;
      signal[i] = grey(e[j], e[j + 1], e[j + 2]) - grey(g[j], g[j + 1], g[j + 2]);
    }
    accumulate(signal);
  } else {
    for (let c = 0; c < 3; c++) {
      const signal = new Float64Array(n);
      for (let i = 0, j = c; i < n; i++, j += 3) {
        if (inRegion !== undefined && inRegion[i] === 0) continue;
        signal[i] = e[j] - g[j];
      }
      accumulate(signal);
    }
  }
  return out;
}
