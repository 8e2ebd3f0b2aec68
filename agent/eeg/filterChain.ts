/**
 * The viewer's filter settings (FilterSpec: high-pass, low-pass, mains notch, zero phase) as
 * second-order sections for one sample rate, and their application to a trace with NaN gaps.
 * High- and low-pass are 4th-order Butterworth (MNE's default IIR), notch is scipy's iirnotch
 * (Q 30) at the mains frequency and its harmonics. Zero phase (default) runs forward-backward
 * (sosfiltfilt, odd padding); causal runs forward from steady state (sosfilt with sosfilt_zi).
 * A corner the channel's rate cannot represent (at or above its Nyquist frequency) is skipped
 * for that channel: such a channel carries nothing there to remove.
 */
import { MedLabError } from '../errors';
import type { FilterSpec } from '../protocol';
import { butterworth, type Sos } from './dsp/butterworth';
import { mainsNotch } from './dsp/notch';
import { sosfilt, sosfiltfilt, sosfiltfiltPadLength, sosfiltZi } from './dsp/sosfilt';

export const FILTER_ORDER = 4;

/** Throws E_DSP for settings that cannot work at any rate. */
export function checkFilterSpec(spec: FilterSpec | undefined): void {
  if (!spec) return;
  const { highpass, lowpass, notch } = spec;
  if (highpass !== undefined && !(highpass > 0 && Number.isFinite(highpass))) {
    throw new MedLabError('E_DSP', `high-pass corner must be a positive frequency in Hz, got ${highpass}`, {
      field: 'highpass',
    });
  }
  if (lowpass !== undefined && !(lowpass > 0 && Number.isFinite(lowpass))) {
    throw new MedLabError('E_DSP', `low-pass corner must be a positive frequency in Hz, got ${lowpass}`, {
      field: 'lowpass',
    });
  }
  if (highpass !== undefined && lowpass !== undefined && !(highpass < lowpass)) {
    throw new MedLabError('E_DSP', `high-pass ${highpass} Hz must lie below low-pass ${lowpass} Hz`, {
      field: 'highpass',
    });
  }
  if (notch !== undefined && notch !== 50 && notch !== 60) {
    throw new MedLabError('E_DSP', `notch must be 50 or 60 Hz, got ${String(notch)}`, { field: 'notch' });
  }
}

export function hasFilters(spec: FilterSpec | undefined): boolean {
  return (
    spec !== undefined &&
    (spec.highpass !== undefined || spec.lowpass !== undefined || spec.notch !== undefined)
  );
}

const designs = new Map<string, Sos>();

/** Sections for `spec` at `fs` Hz (cached), leaving out the corners at or above Nyquist. */
export function filterSections(spec: FilterSpec, fs: number): Sos {
  const key = `${fs}|${spec.highpass}|${spec.lowpass}|${spec.notch}`;
  let sos = designs.get(key);
  if (!sos) {
    const nyquist = fs / 2;
    const hp = spec.highpass !== undefined && spec.highpass < nyquist ? spec.highpass : undefined;
    const lp = spec.lowpass !== undefined && spec.lowpass < nyquist ? spec.lowpass : undefined;
    sos = [];
    if (hp !== undefined && lp !== undefined)
      sos.push(...butterworth(FILTER_ORDER, [hp, lp], 'bandpass', fs));
    else if (hp !== undefined) sos.push(...butterworth(FILTER_ORDER, hp, 'highpass', fs));
    else if (lp !== undefined) sos.push(...butterworth(FILTER_ORDER, lp, 'lowpass', fs));
    if (spec.notch !== undefined && spec.notch < nyquist) sos.push(...mainsNotch(spec.notch, fs));
    if (designs.size > 64) designs.clear();
    designs.set(key, sos);
  }
  return sos;
}

/**
 * Seconds of real signal to read beyond each side of a window so that filter start-up does not
 * show: about five time constants of the lowest corner, 1 to 20 s.
 */
export function filterPadSeconds(spec: FilterSpec | undefined): number {
  if (!hasFilters(spec)) return 0;
  const lowest = Math.min(spec!.highpass ?? Infinity, spec!.lowpass ?? Infinity, spec!.notch ? 1 : Infinity);
  return Math.min(20, Math.max(1, 5 / lowest));
}

/**
 * Filters x in place, each finite run separately (NaN gaps stay NaN and do not smear).
 * Runs shorter than the filter's default padding are padded with what they have.
 */
export function filterTrace(x: Float64Array, sos: Sos, zeroPhase = true): void {
  if (sos.length === 0) return;
  const pad = sosfiltfiltPadLength(sos);
  const zi = sosfiltZi(sos);
  let i = 0;
  while (i < x.length) {
    while (i < x.length && !Number.isFinite(x[i])) i++;
    let j = i;
    while (j < x.length && Number.isFinite(x[j])) j++;
    const n = j - i;
    if (n >= 2) {
      const run = x.subarray(i, j);
      const y = zeroPhase
        ? sosfiltfilt(sos, run, Math.min(pad, n - 1))
        : sosfilt(
            sos,
            run,
            zi.map((v) => v * run[0]),
          );
      run.set(y);
    }
    i = j;
  }
}
