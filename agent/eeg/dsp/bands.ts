/**
 * Absolute and relative power in the classical EEG bands from a power spectral density.
 * Absolute band power = Σ psd[k]·Δf over the bins with low ≤ f_k < high (rectangle rule,
 * unit²); relative = absolute / the sum over all the bands given (so the default bands'
 * relative powers sum to 1 over 1–45 Hz). Bands above Nyquist get only the bins that exist.
 */
import type { BandPower } from '../../protocol';

export interface Band {
  name: string;
  /** Lower edge in Hz, included. */
  low: number;
  /** Upper edge in Hz, excluded. */
  high: number;
}

/** delta 1–4, theta 4–8, alpha 8–13, beta 13–30, gamma 30–45 Hz. */
export const DEFAULT_BANDS: readonly Band[] = [
  { name: 'delta', low: 1, high: 4 },
  { name: 'theta', low: 4, high: 8 },
  { name: 'alpha', low: 8, high: 13 },
  { name: 'beta', low: 13, high: 30 },
  { name: 'gamma', low: 30, high: 45 },
];

/** Band powers of one channel's PSD (unit²/Hz at evenly spaced `frequencies` in Hz). */
export function bandPowers(
  frequencies: ArrayLike<number>,
  psd: ArrayLike<number>,
  bands: readonly Band[] = DEFAULT_BANDS,
): BandPower[] {
  const df = frequencies.length > 1 ? frequencies[1] - frequencies[0] : 0;
  const absolute = bands.map((b) => {
    let sum = 0;
    for (let k = 0; k < frequencies.length; k++) {
      // A tiny tolerance so that a bin exactly on an edge is not lost to rounding of k·fs/N.
      const f = frequencies[k];
      if (f >= b.low - 1e-9 && f < b.high - 1e-9) sum += psd[k];
    }
    return sum * df;
  });
  const total = absolute.reduce((a, b) => a + b, 0);
  return bands.map((b, i) => ({
    band: b.name,
    low: b.low,
    high: b.high,
    absolute: absolute[i],
    relative: total > 0 ? absolute[i] / total : NaN,
  }));
}
