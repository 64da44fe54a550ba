// Complex FFT of any length over split Float64Arrays (re, im), in place.
//
// Written by hand because no maintained npm FFT does arbitrary (non power-of-two) sizes over
// typed arrays without WebAssembly or a native build: fft.js is radix-2/4 only, ndarray-fft is
// unmaintained. The working images are 512 x 384, 320 x 512, 344 x 512 ...: lengths of the form
// 8 * k. Lengths whose prime factors are all small use mixed-radix Cooley-Tukey (radix 4, 2 and a
// generic odd radix); a length with a prime factor above BLUESTEIN_PRIME uses Bluestein's chirp-z
// algorithm over a power-of-two FFT, so every length costs O(n log n).

const BLUESTEIN_PRIME = 61;

export interface FftPlan {
  readonly n: number;
  /** X[k] = sum_j x[j] exp(-2 pi i jk / n), in place. */
  forward(re: Float64Array, im: Float64Array): void;
  /** x[j] = (1/n) sum_k X[k] exp(+2 pi i jk / n), in place. */
  inverse(re: Float64Array, im: Float64Array): void;
}

const planCache = new Map<number, FftPlan>();

/** A reusable plan for length n (cached: twiddles and scratch are built once per length). */
export function fftPlan(n: number): FftPlan {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`FFT length must be a positive integer, got ${n}`);
  let plan = planCache.get(n);
  if (plan === undefined) {
    const factors = factorize(n);
    plan = factors.some((f) => f > BLUESTEIN_PRIME) ? new BluesteinPlan(n) : new MixedRadixPlan(n, factors);
    planCache.set(n, plan);
  }
  return plan;
}

/** Factors in the order the recursion uses them: 4s first, then 2, then odd primes ascending. */
export function factorize(n: number): number[] {
  const factors: number[] = [];
  let rest = n;
  while (rest % 4 === 0) {
    factors.push(4);
    rest /= 4;
  }
  if (rest % 2 === 0) {
    factors.push(2);
    rest /= 2;
  }
  for (let p = 3; p * p <= rest; p += 2) {
    while (rest % p === 0) {
      factors.push(p);
      rest /= p;
    }
  }
  if (rest > 1) factors.push(rest);
  return factors;
}

function conjugate(im: Float64Array): void {
  for (let i = 0; i < im.length; i++) im[i] = -im[i];
}

abstract class BasePlan implements FftPlan {
  readonly n: number;
  constructor(n: number) {
    this.n = n;
  }
  abstract forward(re: Float64Array, im: Float64Array): void;
  // ifft(x) = conj(fft(conj(x))) / n
  inverse(re: Float64Array, im: Float64Array): void {
    conjugate(im);
    this.forward(re, im);
    const scale = 1 / this.n;
    for (let i = 0; i < this.n; i++) {
      re[i] *= scale;
      im[i] = -im[i] * scale;
    }
  }
}

/** Recursive decimation in time; sub-transforms are written contiguously into scratch buffers. */
class MixedRadixPlan extends BasePlan {
  private readonly factors: number[];
  private readonly cos: Float64Array; // cos(2 pi t / n)
  private readonly sin: Float64Array; // -sin(2 pi t / n): twiddle W_n^t = cos + i sin
  private readonly outRe: Float64Array;
  private readonly outIm: Float64Array;
  private readonly tmpRe: Float64Array;
  private readonly tmpIm: Float64Array;

  constructor(n: number, factors: number[]) {
    super(n);
    this.factors = factors;
    this.cos = new Float64Array(n);
    this.sin = new Float64Array(n);
    for (let t = 0; t < n; t++) {
      this.cos[t] = Math.cos((2 * Math.PI * t) / n);
      this.sin[t] = -Math.sin((2 * Math.PI * t) / n);
    }
    this.outRe = new Float64Array(n);
    this.outIm = new Float64Array(n);
    const maxRadix = Math.max(...factors, 1);
    this.tmpRe = new Float64Array(maxRadix);
    this.tmpIm = new Float64Array(maxRadix);
  }

  forward(re: Float64Array, im: Float64Array): void {
    if (re.length !== this.n || im.length !== this.n) {
      throw new RangeError(`FFT plan of length ${this.n} got arrays of length ${re.length}/${im.length}`);
    }
    if (this.n === 1) return;
    this.transform(re, im, 0, 1, 0, this.n, 0);
    re.set(this.outRe);
    im.set(this.outIm);
  }

  // Transforms the n-point sequence in[inOff + j * stride] into out[outOff .. outOff + n).
  private transform(
    inRe: Float64Array,
    inIm: Float64Array,
    inOff: number,
    stride: number,
    outOff: number,
    n: number,
    depth: number,
  ): void {
    const outRe = this.outRe;
    const outIm = this.outIm;
    const p = this.factors[depth];
    const m = n / p;
    if (m === 1) {
      for (let j = 0; j < p; j++) {
        outRe[outOff + j] = inRe[inOff + j * stride];
        outIm[outOff + j] = inIm[inOff + j * stride];
      }
    } else {
      for (let j = 0; j < p; j++) {
        this.transform(inRe, inIm, inOff + j * stride, stride * p, outOff + j * m, m, depth + 1);
      }
    }
    // Butterflies: X[k + q m] = sum_j (W_n^{jk} Y_j[k]) W_p^{jq}; twiddle index scaled to length N.
    const cos = this.cos;
    const sin = this.sin;
    const twStep = this.n / n; // W_n^t = W_N^{t * N / n}
    if (p === 2) {
      for (let k = 0; k < m; k++) {
        const a = outOff + k;
        const b = a + m;
        const t = k * twStep;
        const wr = cos[t];
        const wi = sin[t];
        const br = outRe[b];
        const bi = outIm[b];
        const tr = br * wr - bi * wi;
        const ti = br * wi + bi * wr;
        const ar = outRe[a];
        const ai = outIm[a];
        outRe[a] = ar + tr;
        outIm[a] = ai + ti;
        outRe[b] = ar - tr;
        outIm[b] = ai - ti;
      }
    } else if (p === 4) {
      for (let k = 0; k < m; k++) {
        const i0 = outOff + k;
        const i1 = i0 + m;
        const i2 = i1 + m;
        const i3 = i2 + m;
        const t1 = k * twStep;
        const t2 = 2 * t1;
        const t3 = 3 * t1;
        const y0r = outRe[i0];
        const y0i = outIm[i0];
        let xr = outRe[i1];
        let xi = outIm[i1];
        let wr = cos[t1];
        let wi = sin[t1];
        const y1r = xr * wr - xi * wi;
        const y1i = xr * wi + xi * wr;
        xr = outRe[i2];
        xi = outIm[i2];
        wr = cos[t2];
        wi = sin[t2];
        const y2r = xr * wr - xi * wi;
        const y2i = xr * wi + xi * wr;
        xr = outRe[i3];
        xi = outIm[i3];
        wr = cos[t3];
        wi = sin[t3];
        const y3r = xr * wr - xi * wi;
        const y3i = xr * wi + xi * wr;
        const s02r = y0r + y2r;
        const s02i = y0i + y2i;
        const d02r = y0r - y2r;
        const d02i = y0i - y2i;
        const s13r = y1r + y3r;
        const s13i = y1i + y3i;
        // -i (y1 - y3)
        const d13r = y1i - y3i;
        const d13i = y3r - y1r;
        outRe[i0] = s02r + s13r;
        outIm[i0] = s02i + s13i;
        outRe[i1] = d02r + d13r;
        outIm[i1] = d02i + d13i;
        outRe[i2] = s02r - s13r;
        outIm[i2] = s02i - s13i;
        outRe[i3] = d02r - d13r;
        outIm[i3] = d02i - d13i;
      }
    } else {
      const tmpRe = this.tmpRe;
      const tmpIm = this.tmpIm;
      const N = this.n;
      const pStep = N / p; // W_p^s = W_N^{s N / p}
      for (let k = 0; k < m; k++) {
        for (let j = 0; j < p; j++) {
          const idx = outOff + j * m + k;
          const t = (j * k * twStep) % N;
          const wr = cos[t];
          const wi = sin[t];
          const xr = outRe[idx];
          const xi = outIm[idx];
          tmpRe[j] = xr * wr - xi * wi;
          tmpIm[j] = xr * wi + xi * wr;
        }
        for (let q = 0; q < p; q++) {
          let sr = 0;
          let si = 0;
          for (let j = 0; j < p; j++) {
            const t = ((j * q) % p) * pStep;
            const wr = cos[t];
            const wi = sin[t];
            const xr = tmpRe[j];
            const xi = tmpIm[j];
            sr += xr * wr - xi * wi;
            si += xr * wi + xi * wr;
          }
          outRe[outOff + q * m + k] = sr;
          outIm[outOff + q * m + k] = si;
        }
      }
    }
  }
}

/** Bluestein: X[k] = w[k] * sum_j (x[j] w[j]) conj(w[k - j]) with w[j] = exp(-i pi j^2 / n). */
class BluesteinPlan extends BasePlan {
  private readonly inner: FftPlan;
  private readonly chirpRe: Float64Array;
  private readonly chirpIm: Float64Array;
  private readonly kernelRe: Float64Array; // FFT of conj(chirp), wrapped
  private readonly kernelIm: Float64Array;
  private readonly bufRe: Float64Array;
  private readonly bufIm: Float64Array;

  constructor(n: number) {
    super(n);
    let m = 1;
    while (m < 2 * n - 1) m *= 2;
    this.inner = fftPlan(m);
    this.chirpRe = new Float64Array(n);
    this.chirpIm = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      // j^2 mod 2n keeps the angle small and exact for large j.
      const angle = (Math.PI * ((j * j) % (2 * n))) / n;
      this.chirpRe[j] = Math.cos(angle);
      this.chirpIm[j] = -Math.sin(angle);
    }
    this.kernelRe = new Float64Array(m);
    this.kernelIm = new Float64Array(m);
    for (let j = 0; j < n; j++) {
      const r = this.chirpRe[j];
      const i = -this.chirpIm[j];
      this.kernelRe[j] = r;
      this.kernelIm[j] = i;
      if (j > 0) {
        this.kernelRe[m - j] = r;
        this.kernelIm[m - j] = i;
      }
    }
    this.inner.forward(this.kernelRe, this.kernelIm);
    this.bufRe = new Float64Array(m);
    this.bufIm = new Float64Array(m);
  }

  forward(re: Float64Array, im: Float64Array): void {
    const n = this.n;
    if (re.length !== n || im.length !== n) {
      throw new RangeError(`FFT plan of length ${n} got arrays of length ${re.length}/${im.length}`);
    }
    const { bufRe, bufIm, chirpRe, chirpIm, kernelRe, kernelIm } = this;
    bufRe.fill(0);
    bufIm.fill(0);
    for (let j = 0; j < n; j++) {
      const xr = re[j];
      const xi = im[j];
      const wr = chirpRe[j];
      const wi = chirpIm[j];
      bufRe[j] = xr * wr - xi * wi;
      bufIm[j] = xr * wi + xi * wr;
    }
    this.inner.forward(bufRe, bufIm);
    for (let k = 0; k < bufRe.length; k++) {
      const ar = bufRe[k];
      const ai = bufIm[k];
      const br = kernelRe[k];
      const bi = kernelIm[k];
      bufRe[k] = ar * br - ai * bi;
      bufIm[k] = ar * bi + ai * br;
    }
    this.inner.inverse(bufRe, bufIm);
    for (let k = 0; k < n; k++) {
      const cr = bufRe[k];
      const ci = bufIm[k];
      const wr = chirpRe[k];
      const wi = chirpIm[k];
      re[k] = cr * wr - ci * wi;
      im[k] = cr * wi + ci * wr;
    }
  }
}
