// Single-channel 8-bit bicubic resize with Pillow's semantics (Image.resize(..., BICUBIC)), the
// resize the release applies to the attention difference map: cubic kernel with a = -0.5, pixel
// centres aligned, support widened when shrinking, weights normalised per output pixel and
// quantised to 22-bit fixed point, horizontal pass then vertical pass, each rounded to 8 bits.
// Written by hand because sharp's "cubic" is a different kernel and works on whole images only.

const PRECISION_BITS = 22;
const A = -0.5;

function cubic(x: number): number {
  const t = Math.abs(x);
  if (t < 1) return ((A + 2) * t - (A + 3)) * t * t + 1;
  if (t < 2) return (((t - 5) * t + 8) * t - 4) * A;
  return 0;
}

interface Coefficients {
  starts: Int32Array;
  counts: Int32Array;
  /** Fixed-point weights, `maxCount` per output position. */
  weights: Int32Array;
  maxCount: number;
}

function coefficients(inSize: number, outSize: number): Coefficients {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = 2 * filterScale;
  const maxCount = Math.ceil(support) * 2 + 1;
  const starts = new Int32Array(outSize);
  const counts = new Int32Array(outSize);
  const weights = new Int32Array(outSize * maxCount);
  const raw = new Float64Array(maxCount);
  for (let o = 0; o < outSize; o++) {
    const center = (o + 0.5) * scale;
    const start = Math.max(Math.trunc(center - support + 0.5), 0);
    const count = Math.min(Math.trunc(center + support + 0.5), inSize) - start;
    let total = 0;
    for (let k = 0; k < count; k++) {
      const w = cubic((k + start - center + 0.5) / filterScale);
      raw[k] = w;
      total += w;
    }
    for (let k = 0; k < count; k++) {
      const w = total !== 0 ? raw[k] / total : 0;
      weights[o * maxCount + k] = Math.trunc(w * (1 << PRECISION_BITS) + (w < 0 ? -0.5 : 0.5));
    }
    starts[o] = start;
    counts[o] = count;
  }
  return { starts, counts, weights, maxCount };
}

function clip8(sum: number): number {
  const v = Math.floor(sum / (1 << PRECISION_BITS));
  return Math.min(255, Math.max(0, v));
}

/** (srcH, srcW) -> (dstH, dstW), values 0..255. */
export function resizeBicubic(
  src: Uint8Array,
  srcWidth: number,
  srcHeight: number,
  dstWidth: number,
  dstHeight: number,
): Uint8Array {
  if (src.length !== srcWidth * srcHeight) {
    throw new RangeError(`resizeBicubic: ${src.length} values for ${srcWidth}x${srcHeight}`);
  }
  const half = 1 << (PRECISION_BITS - 1);
  let current = src;
  let width = srcWidth;
  if (dstWidth !== srcWidth) {
    const c = coefficients(srcWidth, dstWidth);
    const out = new Uint8Array(dstWidth * srcHeight);
    for (let y = 0; y < srcHeight; y++) {
      const row = y * srcWidth;
      for (let x = 0; x < dstWidth; x++) {
        let sum = half;
        const start = c.starts[x];
        const base = x * c.maxCount;
        for (let k = 0; k < c.counts[x]; k++) sum += current[row + start + k] * c.weights[base + k];
        out[y * dstWidth + x] = clip8(sum);
      }
    }
    current = out;
    width = dstWidth;
  }
  if (dstHeight !== srcHeight) {
    const c = coefficients(srcHeight, dstHeight);
    const out = new Uint8Array(width * dstHeight);
    for (let y = 0; y < dstHeight; y++) {
      const start = c.starts[y];
      const base = y * c.maxCount;
      for (let x = 0; x < width; x++) {
        let sum = half;
        for (let k = 0; k < c.counts[y]; k++) sum += current[(start + k) * width + x] * c.weights[base + k];
        out[y * width + x] = clip8(sum);
      }
    }
    current = out;
  }
  return current === src ? src.slice() : current;
}
