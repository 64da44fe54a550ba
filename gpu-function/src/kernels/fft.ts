// Complex FFT of any length over split Float64Arrays (re, im), in place.
//
// Written by hand because no maintained npm FFT does arbitrary (non power-of-two) sizes over
// typed arrays without WebAssembly or a native build: fft.js is radix-2/4 only, ndarray-fft is
// unmaintained. The working images are 512 x 384, 320 x 512, 344 x 512 ...: lengths of the form
// 8 * k. Lengths whose prime factors are all small use mixed-radix Cooley-Tukey (radix 4, 2 and a
// generic odd radix, iterative Stockham); a length with a prime factor above BLUESTEIN_PRIME uses Bluestein's chirp-z
// algorithm over a power-of-two FFT, so every length costs O(n log n).

// Measured crossover: a radix-23 stage costs about what Bluestein does at these lengths (344 = 8 * 43
// takes 56 us through Bluestein, 86 us through a radix-43 stage).
const BLUESTEIN_PRIME = 23;

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

/** Radices in the order the stages use them: 4s first, then 2, then odd primes ascending. */
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

/**
 * Iterative Stockham autosort FFT (no bit reversal, no recursion): stage s with radix R reads
 * x[j + r n / R], twiddles by W^{(j mod L) r / (L R)} (L = product of the earlier radices), does
 * an R-point DFT and writes y[(j div L) L R + (j mod L) + r L]. Ping-pongs between two buffers.
 */
class MixedRadixPlan extends BasePlan {
  private readonly radices: number[];
  /** Per stage: twiddles (L, R - 1) as interleaved cos / -sin, i.e. W^{k r / (L R)}. */
  private readonly stageTwiddles: Float64Array[];
  /** W_R^t for the generic radix DFTs, per distinct radix. */
  private readonly rootCos = new Map<number, Float64Array>();
  private readonly rootSin = new Map<number, Float64Array>();
  private readonly bufRe: Float64Array;
  private readonly bufIm: Float64Array;
  private readonly tmpRe: Float64Array;
  private readonly tmpIm: Float64Array;
  private readonly sumRe: Float64Array;
  private readonly sumIm: Float64Array;
  private readonly difRe: Float64Array;
  private readonly difIm: Float64Array;

  constructor(n: number, factors: number[]) {
    super(n);
    this.radices = factors;
    this.stageTwiddles = [];
    let L = 1;
    for (const R of factors) {
      const tw = new Float64Array(L * (R - 1) * 2);
      for (let k = 0; k < L; k++) {
        for (let r = 1; r < R; r++) {
          const angle = (-2 * Math.PI * k * r) / (L * R);
          tw[(k * (R - 1) + r - 1) * 2] = Math.cos(angle);
          tw[(k * (R - 1) + r - 1) * 2 + 1] = Math.sin(angle);
        }
      }
      this.stageTwiddles.push(tw);
      if (R !== 2 && R !== 4 && !this.rootCos.has(R)) {
        const c = new Float64Array(R);
        const si = new Float64Array(R);
        for (let t = 0; t < R; t++) {
          c[t] = Math.cos((-2 * Math.PI * t) / R);
          si[t] = Math.sin((-2 * Math.PI * t) / R);
        }
        this.rootCos.set(R, c);
        this.rootSin.set(R, si);
      }
      L *= R;
    }
    this.bufRe = new Float64Array(n);
    this.bufIm = new Float64Array(n);
    const maxRadix = Math.max(...factors, 1);
    this.tmpRe = new Float64Array(maxRadix);
    this.tmpIm = new Float64Array(maxRadix);
    this.sumRe = new Float64Array(maxRadix);
    this.sumIm = new Float64Array(maxRadix);
    this.difRe = new Float64Array(maxRadix);
    this.difIm = new Float64Array(maxRadix);
  }

  forward(re: Float64Array, im: Float64Array): void {
    const n = this.n;
    if (re.length !== n || im.length !== n) {
      throw new RangeError(`FFT plan of length ${n} got arrays of length ${re.length}/${im.length}`);
    }
    let xRe = re;
    let xIm = im;
    let yRe = this.bufRe;
    let yIm = this.bufIm;
    let L = 1;
    for (let s = 0; s < this.radices.length; s++) {
      const R = this.radices[s];
      const tw = this.stageTwiddles[s];
      const stride = n / R;
      if (R === 4) this.radix4(xRe, xIm, yRe, yIm, L, stride, tw);
      else if (R === 2) this.radix2(xRe, xIm, yRe, yIm, L, stride, tw);
      else if (R === 3) this.radix3(xRe, xIm, yRe, yIm, L, stride, tw);
      else this.radixGeneric(xRe, xIm, yRe, yIm, L, stride, R, tw);
      L *= R;
      const tRe = xRe;
      const tIm = xIm;
      xRe = yRe;
      xIm = yIm;
      yRe = tRe;
      yIm = tIm;
    }
    if (xRe !== re) {
      re.set(xRe);
      im.set(xIm);
    }
  }

  private radix2(
    xRe: Float64Array,
    xIm: Float64Array,
    yRe: Float64Array,
    yIm: Float64Array,
    L: number,
    stride: number,
    tw: Float64Array,
  ): void {
    for (let base = 0; base < stride; base += L) {
      for (let k = 0, j = base, out = base * 2; k < L; k++, j++, out++) {
        const ar = xRe[j];
        const ai = xIm[j];
        const br0 = xRe[j + stride];
        const bi0 = xIm[j + stride];
        const wr = tw[k * 2];
        const wi = tw[k * 2 + 1];
        const br = br0 * wr - bi0 * wi;
        const bi = br0 * wi + bi0 * wr;
        yRe[out] = ar + br;
        yIm[out] = ai + bi;
        yRe[out + L] = ar - br;
        yIm[out + L] = ai - bi;
      }
    }
  }

  private radix4(
    xRe: Float64Array,
    xIm: Float64Array,
    yRe: Float64Array,
    yIm: Float64Array,
    L: number,
    stride: number,
    tw: Float64Array,
  ): void {
    for (let base = 0; base < stride; base += L) {
      for (let k = 0, j = base, out = base * 4, t = 0; k < L; k++, j++, out++, t += 6) {
        const x0r = xRe[j];
        const x0i = xIm[j];
        let ar = xRe[j + stride];
        let ai = xIm[j + stride];
        const x1r = ar * tw[t] - ai * tw[t + 1];
        const x1i = ar * tw[t + 1] + ai * tw[t];
        ar = xRe[j + 2 * stride];
        ai = xIm[j + 2 * stride];
        const x2r = ar * tw[t + 2] - ai * tw[t + 3];
        const x2i = ar * tw[t + 3] + ai * tw[t + 2];
        ar = xRe[j + 3 * stride];
        ai = xIm[j + 3 * stride];
        const x3r = ar * tw[t + 4] - ai * tw[t + 5];
        const x3i = ar * tw[t + 5] + ai * tw[t + 4];
        const s02r = x0r + x2r;
        const s02i = x0i + x2i;
        const d02r = x0r - x2r;
        const d02i = x0i - x2i;
        const s13r = x1r + x3r;
        const s13i = x1i + x3i;
        // -i (x1 - x3)
        const d13r = x1i - x3i;
        const d13i = x3r - x1r;
        yRe[out] = s02r + s13r;
        yIm[out] = s02i + s13i;
        yRe[out + L] = d02r + d13r;
        yIm[out + L] = d02i + d13i;
        yRe[out + 2 * L] = s02r - s13r;
        yIm[out + 2 * L] = s02i - s13i;
        yRe[out + 3 * L] = d02r - d13r;
        yIm[out + 3 * L] = d02i - d13i;
      }
    }
  }

  /** Radix 3: y0 = a + b + c, y1,2 = a - (b + c) / 2 -+ i (sqrt(3) / 2) (b - c). */
  private radix3(
    xRe: Float64Array,
    xIm: Float64Array,
    yRe: Float64Array,
    yIm: Float64Array,
    L: number,
    stride: number,
    tw: Float64Array,
  ): void {
    const h = Math.sqrt(3) / 2;
    for (let base = 0; base < stride; base += L) {
      for (let k = 0, j = base, out = base * 3, t = 0; k < L; k++, j++, out++, t += 4) {
        const ar = xRe[j];
        const ai = xIm[j];
        let pr = xRe[j + stride];
        let pi = xIm[j + stride];
        const br = pr * tw[t] - pi * tw[t + 1];
        const bi = pr * tw[t + 1] + pi * tw[t];
        pr = xRe[j + 2 * stride];
        pi = xIm[j + 2 * stride];
        const cr = pr * tw[t + 2] - pi * tw[t + 3];
        const ci = pr * tw[t + 3] + pi * tw[t + 2];
        const sr = br + cr;
        const si = bi + ci;
        const mr = ar - 0.5 * sr;
        const mi = ai - 0.5 * si;
        // -i sqrt(3)/2 (b - c)
        const dr = h * (bi - ci);
        const di = -h * (br - cr);
        yRe[out] = ar + sr;
        yIm[out] = ai + si;
        yRe[out + L] = mr + dr;
        yIm[out + L] = mi + di;
        yRe[out + 2 * L] = mr - dr;
        yIm[out + 2 * L] = mi - di;
      }
    }
  }

  /**
   * Any odd radix R, pairing r with R - r: with s_r = a_r + a_{R-r}, d_r = a_r - a_{R-r} and
   * W^{rq} = c + i s, y_q = a_0 + sum (s_r c + i d_r s) and y_{R-q} = a_0 + sum (s_r c - i d_r s):
   * a quarter of the multiplications of the plain R-point DFT.
   */
  private radixGeneric(
    xRe: Float64Array,
    xIm: Float64Array,
    yRe: Float64Array,
    yIm: Float64Array,
    L: number,
    stride: number,
    R: number,
    tw: Float64Array,
  ): void {
    const tmpRe = this.tmpRe;
    const tmpIm = this.tmpIm;
    const rc = this.rootCos.get(R)!;
    const rs = this.rootSin.get(R)!;
    const half = (R - 1) >> 1;
    const sumRe = this.sumRe;
    const sumIm = this.sumIm;
    const difRe = this.difRe;
    const difIm = this.difIm;
    for (let base = 0; base < stride; base += L) {
      for (let k = 0, j = base, out = base * R; k < L; k++, j++, out++) {
        const a0r = xRe[j];
        const a0i = xIm[j];
        for (let r = 1; r < R; r++) {
          const t = (k * (R - 1) + r - 1) * 2;
          const ar = xRe[j + r * stride];
          const ai = xIm[j + r * stride];
          tmpRe[r] = ar * tw[t] - ai * tw[t + 1];
          tmpIm[r] = ar * tw[t + 1] + ai * tw[t];
        }
        let y0r = a0r;
        let y0i = a0i;
        for (let r = 1; r <= half; r++) {
          sumRe[r] = tmpRe[r] + tmpRe[R - r];
          sumIm[r] = tmpIm[r] + tmpIm[R - r];
          difRe[r] = tmpRe[r] - tmpRe[R - r];
          difIm[r] = tmpIm[r] - tmpIm[R - r];
          y0r += sumRe[r];
          y0i += sumIm[r];
        }
        yRe[out] = y0r;
        yIm[out] = y0i;
        for (let q = 1; q <= half; q++) {
          let cr = a0r;
          let ci = a0i;
          let sr = 0;
          let si = 0;
          for (let r = 1, t = q; r <= half; r++) {
            const c = rc[t];
            const sn = rs[t];
            cr += sumRe[r] * c;
            ci += sumIm[r] * c;
            sr += difRe[r] * sn;
            si += difIm[r] * sn;
            t += q;
            if (t >= R) t -= R;
          }
          // i * (sr + i si) = -si + i sr
          yRe[out + q * L] = cr - si;
          yIm[out + q * L] = ci + sr;
          yRe[out + (R - q) * L] = cr + si;
          yIm[out + (R - q) * L] = ci - sr;
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
