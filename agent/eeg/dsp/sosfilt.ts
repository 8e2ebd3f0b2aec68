/**
 * Running second-order sections over a signal, as scipy.signal.sosfilt / sosfilt_zi /
 * sosfiltfilt: transposed direct form II per section, float64 state.
 */
import { MedLabError } from '../../errors';
import type { Sos } from './butterworth';

/**
 * Causal filtering. `zi` (2 values per section, optional) is the initial state and is updated
 * in place to the final state, so consecutive chunks can be filtered as one signal.
 */
export function sosfilt(sos: Sos, x: ArrayLike<number>, zi?: Float64Array): Float64Array {
  const y = Float64Array.from(x);
  const state = zi ?? new Float64Array(2 * sos.length);
  if (state.length !== 2 * sos.length) {
    throw new MedLabError('E_DSP', `filter state has ${state.length} values, ${2 * sos.length} expected`);
  }
  for (let s = 0; s < sos.length; s++) {
    const [b0, b1, b2, , a1, a2] = sos[s];
    let z0 = state[2 * s];
    let z1 = state[2 * s + 1];
    for (let i = 0; i < y.length; i++) {
      const xi = y[i];
      const yi = b0 * xi + z0;
      z0 = b1 * xi - a1 * yi + z1;
      z1 = b2 * xi - a2 * yi;
      y[i] = yi;
    }
    state[2 * s] = z0;
    state[2 * s + 1] = z1;
  }
  return y;
}

/**
 * Steady-state initial conditions for a unit step (scipy.signal.sosfilt_zi): multiply by the
 * first sample to start a filter without an onset transient.
 */
export function sosfiltZi(sos: Sos): Float64Array {
  const zi = new Float64Array(2 * sos.length);
  let scale = 1;
  for (let s = 0; s < sos.length; s++) {
    const [b0, b1, b2, , a1, a2] = sos[s];
    // lfilter_zi for one biquad: solve (I − Aᵀ)·z = b[1:] − a[1:]·b0.
    const r0 = b1 - a1 * b0;
    const r1 = b2 - a2 * b0;
    const z0 = (r0 + r1) / (1 + a1 + a2);
    zi[2 * s] = scale * z0;
    zi[2 * s + 1] = scale * (r1 - a2 * z0);
    scale *= (b0 + b1 + b2) / (1 + a1 + a2);
  }
  return zi;
}

/** scipy's default pad length for sosfiltfilt: 3 × (2·sections + 1 − trivial sections). */
export function sosfiltfiltPadLength(sos: Sos): number {
  let zeroB2 = 0;
  let zeroA2 = 0;
  for (const row of sos) {
    if (row[2] === 0) zeroB2++;
    if (row[5] === 0) zeroA2++;
  }
  return 3 * (2 * sos.length + 1 - Math.min(zeroB2, zeroA2));
}

/**
 * Zero-phase forward-backward filtering (scipy.signal.sosfiltfilt, padtype 'odd'): the signal is
 * extended by `padLength` samples of odd reflection at each end, filtered forwards and backwards
 * from steady state, and the padding cut off. The magnitude response is squared (twice the
 * attenuation, −6 dB at a Butterworth corner) and the phase is zero.
 * `padLength` defaults to scipy's; it must be smaller than the signal length.
 */
export function sosfiltfilt(
  sos: Sos,
  x: ArrayLike<number>,
  padLength = sosfiltfiltPadLength(sos),
): Float64Array {
  const n = x.length;
  if (padLength >= n) {
    throw new MedLabError(
      'E_DSP',
      `signal of ${n} samples is too short for zero-phase filtering (needs more than ${padLength})`,
    );
  }
  const ext = new Float64Array(n + 2 * padLength);
  const first = x[0];
  const last = x[n - 1];
  for (let i = 0; i < padLength; i++) {
    ext[i] = 2 * first - x[padLength - i];
    ext[padLength + n + i] = 2 * last - x[n - 2 - i];
  }
  for (let i = 0; i < n; i++) ext[padLength + i] = x[i];
  const zi = sosfiltZi(sos);
  const fwdState = zi.map((v) => v * ext[0]);
  const forward = sosfilt(sos, ext, fwdState);
  forward.reverse();
  const backState = zi.map((v) => v * forward[0]);
  const backward = sosfilt(sos, forward, backState);
  backward.reverse();
  return backward.slice(padLength, padLength + n);
}
