/**
 * Discrete Fourier transforms of any length, in float64.
 *
 * - Powers of two: iterative radix-2 Cooley–Tukey.
 * - Other lengths: Bluestein's chirp-z algorithm on a power-of-two convolution, so a 2-s
 *   Welch segment at 500 Hz (N = 1000) costs about as much as N = 2048 and stays exact to
 *   ~1e-13 relative (EEG sample rates are rarely powers of two).
 * - Real input: an N-point real transform is done as an N/2-point complex one (N even).
 *
 * Sign convention as numpy.fft: X[k] = Σ x[n]·exp(−2πi·k·n/N). Inverses are unnormalised
 * (multiply by 1/N yourself), which keeps one formula per function.
 * Plans are cached per length; they hold only twiddle tables.
 */

/** In-place complex transform of fixed length. */
export interface ComplexFft {
  readonly size: number;
  /** Transforms (re, im) in place; `inverse` uses exp(+2πi·k·n/N) and does not divide by N. */
  transform(re: Float64Array, im: Float64Array, inverse?: boolean): void;
}

/** Real-input transform of fixed length N producing the N/2+1 non-negative-frequency bins. */
export interface RealFft {
  readonly size: number;
  /** Number of output bins: floor(N/2) + 1. */
  readonly bins: number;
  /** Reads input[offset .. offset+N) and writes bins 0..floor(N/2) into outRe/outIm. */
  forward(input: ArrayLike<number>, outRe: Float64Array, outIm: Float64Array, offset?: number): void;
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}

function nextPowerOfTwo(n: number): number {
  let m = 1;
  while (m < n) m *= 2;
  return m;
}

class Radix2Fft implements ComplexFft {
  readonly size: number;
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  private readonly reversed: Uint32Array;

  constructor(n: number) {
    this.size = n;
    const half = n >> 1;
    this.cos = new Float64Array(half);
    this.sin = new Float64Array(half);
    for (let k = 0; k < half; k++) {
      this.cos[k] = Math.cos((2 * Math.PI * k) / n);
      this.sin[k] = Math.sin((2 * Math.PI * k) / n);
    }
    this.reversed = new Uint32Array(n);
    let bits = 0;
    while (1 << bits < n) bits++;
    for (let i = 0; i < n; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.reversed[i] = r;
    }
  }

  transform(re: Float64Array, im: Float64Array, inverse = false): void {
    const n = this.size;
    const rev = this.reversed;
    for (let i = 0; i < n; i++) {
      const j = rev[i];
      if (j > i) {
        let t = re[i];
        re[i] = re[j];
        re[j] = t;
        t = im[i];
        im[i] = im[j];
        im[j] = t;
      }
    }
    const sign = inverse ? 1 : -1;
    for (let len = 2; len <= n; len *= 2) {
      const half = len >> 1;
      const step = n / len;
      for (let start = 0; start < n; start += len) {
        for (let k = 0; k < half; k++) {
          const wr = this.cos[k * step];
          const wi = sign * this.sin[k * step];
          const a = start + k;
          const b = a + half;
          const xr = re[b] * wr - im[b] * wi;
          const xi = re[b] * wi + im[b] * wr;
          re[b] = re[a] - xr;
          im[b] = im[a] - xi;
          re[a] += xr;
          im[a] += xi;
        }
      }
    }
  }
}

/** Bluestein: X[k] = w[k]·Σ (x[n]·w[n])·conj(w[k−n]) with w[n] = exp(−πi·n²/N). */
class BluesteinFft implements ComplexFft {
  readonly size: number;
  private readonly inner: Radix2Fft;
  private readonly chirpRe: Float64Array;
  private readonly chirpIm: Float64Array;
  private readonly kernelRe: Float64Array;
  private readonly kernelIm: Float64Array;
  private readonly workRe: Float64Array;
  private readonly workIm: Float64Array;

  constructor(n: number) {
    this.size = n;
    const m = nextPowerOfTwo(2 * n - 1);
    this.inner = new Radix2Fft(m);
    this.chirpRe = new Float64Array(n);
    this.chirpIm = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      // n² mod 2N keeps the angle small, so large k lose no precision.
      const angle = (Math.PI * ((k * k) % (2 * n))) / n;
      this.chirpRe[k] = Math.cos(angle);
      this.chirpIm[k] = -Math.sin(angle);
    }
    this.kernelRe = new Float64Array(m);
    this.kernelIm = new Float64Array(m);
    this.kernelRe[0] = this.chirpRe[0];
    this.kernelIm[0] = -this.chirpIm[0];
    for (let k = 1; k < n; k++) {
      this.kernelRe[k] = this.kernelRe[m - k] = this.chirpRe[k];
      this.kernelIm[k] = this.kernelIm[m - k] = -this.chirpIm[k];
    }
    this.inner.transform(this.kernelRe, this.kernelIm);
    this.workRe = new Float64Array(m);
    this.workIm = new Float64Array(m);
  }

  transform(re: Float64Array, im: Float64Array, inverse = false): void {
    const n = this.size;
    const m = this.inner.size;
    const wr = this.workRe;
    const wi = this.workIm;
    const cr = this.chirpRe;
    // The inverse transform is the forward one applied to the conjugate, conjugated.
    const s = inverse ? -1 : 1;
    for (let k = 0; k < n; k++) {
      const xr = re[k];
      const xi = s * im[k];
      wr[k] = xr * cr[k] - xi * this.chirpIm[k];
      wi[k] = xr * this.chirpIm[k] + xi * cr[k];
    }
    wr.fill(0, n);
    wi.fill(0, n);
    this.inner.transform(wr, wi);
    for (let k = 0; k < m; k++) {
      const ar = wr[k];
      const ai = wi[k];
      wr[k] = ar * this.kernelRe[k] - ai * this.kernelIm[k];
      wi[k] = ar * this.kernelIm[k] + ai * this.kernelRe[k];
    }
    this.inner.transform(wr, wi, true);
    for (let k = 0; k < n; k++) {
      const ar = wr[k] / m;
      const ai = wi[k] / m;
      re[k] = ar * cr[k] - ai * this.chirpIm[k];
      im[k] = s * (ar * this.chirpIm[k] + ai * cr[k]);
    }
  }
}

/** Real transform of even length N through one N/2-point complex transform. */
class PackedRealFft implements RealFft {
  readonly size: number;
  readonly bins: number;
  private readonly half: ComplexFft;
  private readonly zr: Float64Array;
  private readonly zi: Float64Array;
  private readonly twr: Float64Array;
  private readonly twi: Float64Array;

  constructor(n: number) {
    this.size = n;
    this.bins = n / 2 + 1;
    const h = n / 2;
    this.half = complexFft(h);
    this.zr = new Float64Array(h);
    this.zi = new Float64Array(h);
    this.twr = new Float64Array(h);
    this.twi = new Float64Array(h);
    for (let k = 0; k < h; k++) {
      this.twr[k] = Math.cos((2 * Math.PI * k) / n);
      this.twi[k] = -Math.sin((2 * Math.PI * k) / n);
    }
  }

  forward(input: ArrayLike<number>, outRe: Float64Array, outIm: Float64Array, offset = 0): void {
    const h = this.size / 2;
    const zr = this.zr;
    const zi = this.zi;
    for (let k = 0; k < h; k++) {
      zr[k] = input[offset + 2 * k];
      zi[k] = input[offset + 2 * k + 1];
    }
    this.half.transform(zr, zi);
    // Even part E[k] = (Z[k] + conj Z[h−k]) / 2, odd part O[k] = (Z[k] − conj Z[h−k]) / 2i,
    // X[k] = E[k] + exp(−2πik/N)·O[k].
    for (let k = 0; k <= h; k++) {
      const a = k % h;
      const b = (h - k) % h;
      const er = 0.5 * (zr[a] + zr[b]);
      const ei = 0.5 * (zi[a] - zi[b]);
      const or = 0.5 * (zi[a] + zi[b]);
      const oi = -0.5 * (zr[a] - zr[b]);
      const c = k < h ? this.twr[k] : -1;
      const s = k < h ? this.twi[k] : 0;
      outRe[k] = er + c * or - s * oi;
      outIm[k] = ei + c * oi + s * or;
    }
  }
}

/** Real transform of odd length through a full complex transform. */
class FullRealFft implements RealFft {
  readonly size: number;
  readonly bins: number;
  private readonly full: ComplexFft;
  private readonly re: Float64Array;
  private readonly im: Float64Array;

  constructor(n: number) {
    this.size = n;
    this.bins = Math.floor(n / 2) + 1;
    this.full = complexFft(n);
    this.re = new Float64Array(n);
    this.im = new Float64Array(n);
  }

  forward(input: ArrayLike<number>, outRe: Float64Array, outIm: Float64Array, offset = 0): void {
    for (let k = 0; k < this.size; k++) this.re[k] = input[offset + k];
    this.im.fill(0);
    this.full.transform(this.re, this.im);
    outRe.set(this.re.subarray(0, this.bins));
    outIm.set(this.im.subarray(0, this.bins));
  }
}

const complexPlans = new Map<number, ComplexFft>();
const realPlans = new Map<number, RealFft>();
const MAX_CACHED_PLANS = 32;

function remember<T>(cache: Map<number, T>, n: number, make: () => T): T {
  let plan = cache.get(n);
  if (!plan) {
    if (cache.size >= MAX_CACHED_PLANS) cache.delete(cache.keys().next().value as number);
    plan = make();
    cache.set(n, plan);
  }
  return plan;
}

function checkLength(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`FFT length must be a positive integer, got ${n}`);
}

/** A complex transform of length n (cached; its work buffers are shared, which is safe because transforms are synchronous). */
export function complexFft(n: number): ComplexFft {
  checkLength(n);
  return remember(complexPlans, n, () => {
    if (n === 1) return { size: 1, transform: () => undefined };
    return isPowerOfTwo(n) ? new Radix2Fft(n) : new BluesteinFft(n);
  });
}

/** A real-input transform of length n (cached). */
export function realFft(n: number): RealFft {
  checkLength(n);
  return remember(realPlans, n, () => (n % 2 === 0 && n >= 2 ? new PackedRealFft(n) : new FullRealFft(n)));
}

/**
 * Inverse of the real transform (numpy.fft.irfft with n given): from bins 0..floor(n/2) of a
 * Hermitian spectrum to n real samples, normalised by 1/n. Imaginary parts of bin 0 (and of
 * bin n/2 for even n) are ignored, as numpy does.
 */
export function inverseRealFft(re: ArrayLike<number>, im: ArrayLike<number>, n: number): Float64Array {
  checkLength(n);
  const fr = new Float64Array(n);
  const fi = new Float64Array(n);
  const bins = Math.floor(n / 2) + 1;
  for (let k = 0; k < bins && k < re.length; k++) {
    fr[k] = re[k];
    fi[k] = im[k];
  }
  fi[0] = 0;
  if (n % 2 === 0) fi[n / 2] = 0;
  for (let k = 1; k < bins; k++) {
    if (n - k >= bins) {
      fr[n - k] = fr[k];
      fi[n - k] = -fi[k];
    }
  }
  complexFft(n).transform(fr, fi, true);
  for (let k = 0; k < n; k++) fr[k] /= n;
  return fr;
}
