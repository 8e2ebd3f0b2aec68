/**
 * Welch's averaged periodogram, the same estimate as scipy.signal.welch with its defaults:
 * periodic Hann window, 50 % overlap, nfft = segment length, constant detrend per segment,
 * one-sided, density scaling (unit²/Hz), mean over segments. Segments start at 0, step
 * (segment − overlap), and only complete segments are used (scipy: boundary=None, padded=False).
 *
 * `WelchAccumulator` gives the identical result for a signal pushed in chunks, so a spectrum
 * over hours of EEG needs memory for one chunk only. Segments holding a non-finite sample
 * (EDF+D gaps are NaN) are left out and counted.
 */
import { MedLabError } from '../../errors';
import { realFft, type RealFft } from './fft';
import { hann } from './windows';

export type Detrend = 'constant' | 'linear' | 'none';

export interface WelchOptions {
  /** Segment length in samples (scipy `nperseg`). Default: the window's length, else 256; `welch` caps it at the signal length. */
  segmentLength?: number;
  /** Samples shared by consecutive segments (`noverlap`). Default floor(segmentLength / 2). */
  overlap?: number;
  /** FFT length ≥ segmentLength (zero padding). Default segmentLength. */
  nfft?: number;
  /** Per-segment detrend before windowing. Default 'constant' (subtract the mean). */
  detrend?: Detrend;
  /** 'density': unit²/Hz (default); 'spectrum': unit² per bin. */
  scaling?: 'density' | 'spectrum';
  /** Window of segmentLength samples. Default periodic Hann. */
  window?: Float64Array;
}

export interface PowerSpectrum {
  /** Bin frequencies in Hz: k·fs/nfft, k = 0..floor(nfft/2). */
  frequencies: Float64Array;
  /** One-sided power spectral density (unit²/Hz) or power spectrum (unit²), per bin. */
  psd: Float64Array;
  /** Segments averaged. */
  segments: number;
  /** Segments skipped because they held a non-finite sample. */
  rejectedSegments: number;
}

interface ResolvedOptions {
  fs: number;
  segmentLength: number;
  step: number;
  nfft: number;
  detrend: Detrend;
  window: Float64Array;
  /** Factor applied to |X[k]|² for every bin k (one-sided doubling included). */
  scale: Float64Array;
}

function resolve(fs: number, opts: WelchOptions, segmentLength: number): ResolvedOptions {
  if (!(fs > 0) || !Number.isFinite(fs))
    throw new MedLabError('E_DSP', `sample rate must be > 0 Hz, got ${fs}`);
  if (!Number.isInteger(segmentLength) || segmentLength < 1) {
    throw new MedLabError('E_DSP', `Welch segment length must be a positive integer, got ${segmentLength}`);
  }
  const overlap = opts.overlap ?? Math.floor(segmentLength / 2);
  if (!Number.isInteger(overlap) || overlap < 0 || overlap >= segmentLength) {
    throw new MedLabError(
      'E_DSP',
      `Welch overlap must be an integer in [0, ${segmentLength}), got ${overlap}`,
    );
  }
  const nfft = opts.nfft ?? segmentLength;
  if (!Number.isInteger(nfft) || nfft < segmentLength) {
    throw new MedLabError('E_DSP', `nfft must be an integer ≥ segment length ${segmentLength}, got ${nfft}`);
  }
  const window = opts.window ?? hann(segmentLength, true);
  if (window.length !== segmentLength) {
    throw new MedLabError('E_DSP', `window has ${window.length} samples, segment has ${segmentLength}`);
  }
  let sumW = 0;
  let sumW2 = 0;
  for (const w of window) {
    sumW += w;
    sumW2 += w * w;
  }
  const base = (opts.scaling ?? 'density') === 'density' ? 1 / (fs * sumW2) : 1 / (sumW * sumW);
  const bins = Math.floor(nfft / 2) + 1;
  const scale = new Float64Array(bins).fill(2 * base);
  scale[0] = base;
  if (nfft % 2 === 0) scale[bins - 1] = base;
  return {
    fs,
    segmentLength,
    step: segmentLength - overlap,
    nfft,
    detrend: opts.detrend ?? 'constant',
    window,
    scale,
  };
}

/** Removes the mean (constant) or the least-squares line (linear) from seg in place. */
function detrendInPlace(seg: Float64Array, n: number, how: Detrend): void {
  if (how === 'none') return;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += seg[i];
  mean /= n;
  if (how === 'constant' || n < 2) {
    for (let i = 0; i < n; i++) seg[i] -= mean;
    return;
  }
  const tMean = (n - 1) / 2;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (i - tMean) * (seg[i] - mean);
    sxx += (i - tMean) * (i - tMean);
  }
  const slope = sxy / sxx;
  for (let i = 0; i < n; i++) seg[i] -= mean + slope * (i - tMean);
}

/** Streaming Welch estimate: push consecutive chunks of one signal, then read `result()`. */
export class WelchAccumulator {
  private readonly o: ResolvedOptions;
  private readonly fft: RealFft;
  private readonly seg: Float64Array;
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  private readonly sum: Float64Array;
  /** Samples from the next segment start onwards that did not yet fill a segment. */
  private tail = new Float64Array(0);
  private used = 0;
  private rejected = 0;

  /** `segmentLength` is required here: a stream has no length to cap it at. */
  constructor(fs: number, opts: WelchOptions & { segmentLength: number }) {
    this.o = resolve(fs, opts, opts.segmentLength);
    this.fft = realFft(this.o.nfft);
    this.seg = new Float64Array(this.o.nfft);
    this.re = new Float64Array(this.fft.bins);
    this.im = new Float64Array(this.fft.bins);
    this.sum = new Float64Array(this.fft.bins);
  }

  push(chunk: ArrayLike<number>): void {
    const data = new Float64Array(this.tail.length + chunk.length);
    data.set(this.tail);
    for (let i = 0; i < chunk.length; i++) data[this.tail.length + i] = chunk[i];
    const { segmentLength: n, step } = this.o;
    let start = 0;
    for (; start + n <= data.length; start += step) this.addSegment(data, start);
    this.tail = data.slice(Math.min(start, data.length));
    // A step longer than the segment (not allowed by resolve) would need skipping here.
  }

  private addSegment(data: Float64Array, start: number): void {
    const { segmentLength: n, window, scale, detrend } = this.o;
    const seg = this.seg;
    // NaN or ±Infinity turns the sum non-finite: one check for the whole segment.
    let sum = 0;
    for (let i = 0; i < n; i++) sum += data[start + i];
    if (!Number.isFinite(sum)) {
      this.rejected++;
      return;
    }
    if (detrend === 'linear') {
      seg.set(data.subarray(start, start + n));
      detrendInPlace(seg, n, detrend);
      for (let i = 0; i < n; i++) seg[i] *= window[i];
    } else {
      const mean = detrend === 'constant' ? sum / n : 0;
      for (let i = 0; i < n; i++) seg[i] = (data[start + i] - mean) * window[i];
    }
    this.fft.forward(seg, this.re, this.im);
    const { re, im } = this;
    for (let k = 0; k < this.sum.length; k++) this.sum[k] += (re[k] * re[k] + im[k] * im[k]) * scale[k];
    this.used++;
  }

  /** Mean over the segments seen so far (NaN everywhere when there were none). */
  result(): PowerSpectrum {
    const bins = this.sum.length;
    const frequencies = new Float64Array(bins);
    const psd = new Float64Array(bins);
    for (let k = 0; k < bins; k++) {
      frequencies[k] = (k * this.o.fs) / this.o.nfft;
      psd[k] = this.used ? this.sum[k] / this.used : NaN;
    }
    return { frequencies, psd, segments: this.used, rejectedSegments: this.rejected };
  }
}

/**
 * scipy.signal.welch(x, fs) with the options above. As scipy does, a segment length larger
 * than the signal is reduced to the signal length (and the overlap to half of it).
 */
export function welch(x: ArrayLike<number>, fs: number, opts: WelchOptions = {}): PowerSpectrum {
  if (x.length === 0) throw new MedLabError('E_DSP', 'cannot estimate a spectrum of an empty signal');
  let segmentLength = opts.segmentLength ?? opts.window?.length ?? 256;
  let overlap = opts.overlap;
  if (segmentLength > x.length) {
    segmentLength = x.length;
    overlap = undefined;
  }
  const acc = new WelchAccumulator(fs, { ...opts, segmentLength, overlap });
  acc.push(x);
  return acc.result();
}
