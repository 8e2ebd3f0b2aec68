/**
 * Polyphase resampling, the same result as scipy.signal.resample_poly(x, up, down) with its
 * defaults: the signal is upsampled by `up`, low-pass filtered with a Kaiser-windowed
 * (β = 5) sinc FIR of 2·10·max(up, down) + 1 taps cut at 1/max(up, down) of Nyquist, and
 * downsampled by `down`; the signal is taken as zero outside its ends (padtype 'constant').
 * Output length: ceil(n · up / down). Polyphase (not FFT) so that no periodic wrap-around
 * joins the end of a window to its start and the cost is linear in the length.
 */
import { MedLabError } from '../../errors';
import { kaiser } from './windows';

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/**
 * Integer up/down factors for a rate change. Rates are taken to 1 mHz (EDF rates such as
 * 12.8 Hz are exact), then reduced by their greatest common divisor.
 */
export function resampleRatio(fsIn: number, fsOut: number): { up: number; down: number } {
  if (!(fsIn > 0) || !(fsOut > 0) || !Number.isFinite(fsIn) || !Number.isFinite(fsOut)) {
    throw new MedLabError('E_DSP', `sample rates must be > 0 Hz, got ${fsIn} -> ${fsOut}`);
  }
  const a = Math.round(fsOut * 1000);
  const b = Math.round(fsIn * 1000);
  const g = gcd(a, b);
  const up = a / g;
  const down = b / g;
  if (Math.max(up, down) > 100000) {
    throw new MedLabError(
      'E_DSP',
      `rate change ${fsIn} -> ${fsOut} Hz needs factors ${up}/${down}, too large`,
    );
  }
  return { up, down };
}

/**
 * scipy.signal.firwin(numtaps, cutoff) for a low-pass: windowed sinc with a symmetric window,
 * scaled to unit gain at DC. `cutoff` is relative to Nyquist (0..1).
 */
export function firLowpass(numtaps: number, cutoff: number, window: Float64Array): Float64Array {
  const h = new Float64Array(numtaps);
  const alpha = 0.5 * (numtaps - 1);
  let sum = 0;
  for (let i = 0; i < numtaps; i++) {
    const m = i - alpha;
    const arg = Math.PI * cutoff * m;
    h[i] = cutoff * (arg === 0 ? 1 : Math.sin(arg) / arg) * window[i];
    sum += h[i];
  }
  for (let i = 0; i < numtaps; i++) h[i] /= sum;
  return h;
}

const filterCache = new Map<string, Float64Array>();

function polyphaseFilter(up: number, down: number): Float64Array {
  const key = `${up}/${down}`;
  let h = filterCache.get(key);
  if (!h) {
    const maxRate = Math.max(up, down);
    const halfLen = 10 * maxRate;
    const taps = 2 * halfLen + 1;
    h = firLowpass(taps, 1 / maxRate, kaiser(taps, 5.0, false));
    for (let i = 0; i < taps; i++) h[i] *= up;
    if (filterCache.size > 16) filterCache.clear();
    filterCache.set(key, h);
  }
  return h;
}

/** Resamples x by up/down (integers ≥ 1). See the module comment for the exact definition. */
export function resamplePoly(x: ArrayLike<number>, up: number, down: number): Float64Array {
  if (!Number.isInteger(up) || !Number.isInteger(down) || up < 1 || down < 1) {
    throw new MedLabError('E_DSP', `resampling factors must be positive integers, got ${up}/${down}`);
  }
  const g = gcd(up, down);
  up /= g;
  down /= g;
  const n = x.length;
  if (up === 1 && down === 1) return Float64Array.from(x);
  const h = polyphaseFilter(up, down);
  const halfLen = (h.length - 1) / 2;
  const nOut = Math.ceil((n * up) / down);
  const y = new Float64Array(nOut);
  // Output j sits at upsampled index t = j·down; filter centre aligns h[halfLen] with t.
  for (let j = 0; j < nOut; j++) {
    const t = j * down + halfLen;
    // Contributions from x[i] at upsampled index i·up, with 0 ≤ t − i·up < h.length.
    const iMax = Math.min(n - 1, Math.floor(t / up));
    const iMin = Math.max(0, Math.ceil((t - h.length + 1) / up));
    let acc = 0;
    for (let i = iMin; i <= iMax; i++) acc += h[t - i * up] * x[i];
    y[j] = acc;
  }
  return y;
}

/** Resamples x from fsIn to fsOut Hz with resamplePoly and the factors of resampleRatio. */
export function resample(x: ArrayLike<number>, fsIn: number, fsOut: number): Float64Array {
  const { up, down } = resampleRatio(fsIn, fsOut);
  return resamplePoly(x, up, down);
}
