/**
 * THE RECIPE (shared/data/eeg-clinical/ad-cn-adfsu/README.md): per 4-s epoch and channel, the
 * Welch PSD over 1–30 Hz divided by its sum. Steps 2–9 of the README, on signals already in
 * recipe channel order (step 1 is recipeChannels.ts):
 *  2. common average of the 19 channels subtracted at every sample;
 *  3. no filter;
 *  4. epochs of L = round(4·fs) samples from sample 0, non-overlapping, tail dropped;
 *  5. an epoch is dropped if it holds a non-finite sample, or if a channel has no power in the kept bins;
 *  6. Welch per epoch and channel: segments N = round(2·fs), step N/2, constant detrend,
 *     periodic Hann, nfft = N, mean of the segment periodograms;
 *  7. bins k·fs/N within 1.0–30.0 Hz inclusive (59 bins when 2·fs is an integer);
 *  8. each channel's kept bins divided by their sum;
 *  9. [epochs, 19, bins], computed in float64.
 * The Welch density scaling of dsp/welch.ts is a constant per bin here and cancels in step 8.
 */
import { MedLabError } from '../../errors';
import { welch } from '../dsp/welch';

export const RECIPE = {
  epochSeconds: 4,
  segmentSeconds: 2,
  minHz: 1,
  maxHz: 30,
} as const;

export interface RelativePsd {
  /** Row-major [epochs.length, channels, frequencies.length], float64. */
  values: Float64Array;
  channels: number;
  /** Frequencies of the kept bins in Hz. */
  frequencies: number[];
  /** Indices (from 0 at sample 0) of the epochs kept, in order; rows of `values`. */
  epochs: number[];
  /** Epoch length in samples (round(4·fs)). */
  epochLength: number;
}

/** Samples per epoch and per Welch segment, and the kept bin indices, for a sample rate. */
export function recipeGeometry(fs: number): {
  epochLength: number;
  segmentLength: number;
  bins: number[];
  frequencies: number[];
} {
  if (!(fs > 0) || !Number.isFinite(fs))
    throw new MedLabError('E_DSP', `sample rate must be > 0 Hz, got ${fs}`);
  const epochLength = Math.round(RECIPE.epochSeconds * fs);
  const segmentLength = Math.round(RECIPE.segmentSeconds * fs);
  if (segmentLength < 2)
    throw new MedLabError('E_DSP', `sample rate ${fs} Hz is too low for 2-s Welch segments`);
  const bins: number[] = [];
  const frequencies: number[] = [];
  for (let k = 0; k <= Math.floor(segmentLength / 2); k++) {
    const f = (k * fs) / segmentLength;
    if (f >= RECIPE.minHz - 1e-9 && f <= RECIPE.maxHz + 1e-9) {
      bins.push(k);
      frequencies.push(f);
    }
  }
  if (bins.length === 0) throw new MedLabError('E_DSP', `sample rate ${fs} Hz leaves no bin within 1–30 Hz`);
  return { epochLength, segmentLength, bins, frequencies };
}

/**
 * The recipe on `signals` (equal-length traces in recipe channel order, any unit) sampled at
 * `fs` Hz. `firstEpoch` numbers the epochs when the signals are a chunk of a longer recording
 * that starts on an epoch boundary.
 */
export function relativePsd(signals: readonly ArrayLike<number>[], fs: number, firstEpoch = 0): RelativePsd {
  const nCh = signals.length;
  if (nCh === 0) throw new MedLabError('E_EEG_CHANNEL', 'no channels given to the relative-PSD recipe');
  const n = Math.min(...signals.map((s) => s.length));
  const { epochLength, segmentLength, bins, frequencies } = recipeGeometry(fs);
  const nEpochs = Math.floor(n / epochLength);
  const rows: Float64Array[] = [];
  const epochs: number[] = [];
  const epoch = signals.map(() => new Float64Array(epochLength));
  for (let e = 0; e < nEpochs; e++) {
    const start = e * epochLength;
    let finite = true;
    for (let i = 0; i < epochLength && finite; i++) {
      let mean = 0;
      for (let c = 0; c < nCh; c++) {
        const v = signals[c][start + i];
        if (!Number.isFinite(v)) finite = false;
        mean += v;
      }
      mean /= nCh;
      for (let c = 0; c < nCh; c++) epoch[c][i] = signals[c][start + i] - mean;
    }
    if (!finite) continue;
    const row = new Float64Array(nCh * bins.length);
    let powered = true;
    for (let c = 0; c < nCh && powered; c++) {
      const { psd } = welch(epoch[c], fs, { segmentLength, overlap: (segmentLength / 2) | 0 });
      let sum = 0;
      for (const k of bins) sum += psd[k];
      if (!(sum > 0)) powered = false;
      bins.forEach((k, j) => (row[c * bins.length + j] = psd[k] / sum));
    }
    if (!powered) continue;
    rows.push(row);
    epochs.push(firstEpoch + e);
  }
  const values = new Float64Array(rows.length * nCh * bins.length);
  rows.forEach((r, i) => values.set(r, i * r.length));
  return { values, channels: nCh, frequencies, epochs, epochLength };
}
