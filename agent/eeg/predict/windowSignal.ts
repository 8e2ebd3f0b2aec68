/**
 * The signal path of `eeg-window` models for one contiguous run of one channel, exactly as
 * training did it (models/training/eeg/eegprep.py): resample to the model's rate (polyphase,
 * as scipy.signal.resample_poly), zero-phase band-pass with the manifest's sections (as
 * scipy.signal.sosfiltfilt, odd padding), windows every `hopSamples` from the run's first
 * sample, each window minus its mean and divided by its population standard deviation.
 */
import { resample } from '../dsp/resample';
import { sosfiltfilt } from '../dsp/sosfilt';
import type { EegWindowPreprocessing } from './eegPreprocessing';

/** Resampled and band-passed run; null when too short to filter or to hold one window. */
export function filteredRun(
  samples: ArrayLike<number>,
  sampleRate: number,
  spec: EegWindowPreprocessing,
): Float64Array | null {
  const x =
    sampleRate === spec.sampleRate
      ? Float64Array.from(samples)
      : resample(samples, sampleRate, spec.sampleRate);
  if (x.length < spec.windowSamples || x.length <= spec.padLength) return null;
  return sosfiltfilt(spec.sos, x, spec.padLength);
}

/** Start indices k·hop of every window that fits in n samples. */
export function windowStarts(n: number, windowSamples: number, hopSamples: number): number[] {
  const starts: number[] = [];
  for (let s = 0; s + windowSamples <= n; s += hopSamples) starts.push(s);
  return starts;
}

/**
 * Windows of `x` at `starts`, z-scored in float64 and stored as float32 rows
 * ([starts.length × windowSamples]). A window with standard deviation below `minStd` is zeros.
 */
export function zscoreWindows(
  x: Float64Array,
  starts: readonly number[],
  windowSamples: number,
  minStd: number,
): Float32Array {
  const out = new Float32Array(starts.length * windowSamples);
  starts.forEach((s, w) => {
    let mean = 0;
    for (let i = 0; i < windowSamples; i++) mean += x[s + i];
    mean /= windowSamples;
    let ss = 0;
    for (let i = 0; i < windowSamples; i++) ss += (x[s + i] - mean) ** 2;
    const sd = Math.sqrt(ss / windowSamples);
    if (!(sd >= minStd) || sd === 0) return;
    const row = out.subarray(w * windowSamples, (w + 1) * windowSamples);
    for (let i = 0; i < windowSamples; i++) row[i] = (x[s + i] - mean) / sd;
  });
  return out;
}
