/**
 * Second-order IIR notch, scipy.signal.iirnotch(f0, Q, fs): zeros on the unit circle at f0,
 * −3 dB bandwidth f0/Q. Q = 30 removes 50 Hz mains in a ~1.7 Hz wide band.
 */
import { MedLabError } from '../../errors';
import type { Sos } from './butterworth';

export const DEFAULT_NOTCH_Q = 30;

export function iirNotch(f0: number, fs: number, q = DEFAULT_NOTCH_Q): Sos {
  if (!(f0 > 0 && f0 < fs / 2)) {
    throw new MedLabError('E_DSP', `notch at ${f0} Hz must lie below the Nyquist frequency ${fs / 2} Hz`);
  }
  if (!(q > 0)) throw new MedLabError('E_DSP', `notch quality factor must be > 0, got ${q}`);
  const w0 = (Math.PI * 2 * f0) / fs;
  const bw = w0 / q;
  // Gain at the band edges is 1/√2, so β = tan(bw/2)·√(1−gb²)/gb = tan(bw/2).
  const beta = Math.tan(bw / 2);
  const gain = 1 / (1 + beta);
  const cos = Math.cos(w0);
  return [Float64Array.from([gain, -2 * gain * cos, gain, 1, -2 * gain * cos, 2 * gain - 1])];
}

/**
 * Notches at f0 and its harmonics (2·f0, 3·f0, …) that lie below 95 % of Nyquist: mains
 * interference in EEG also shows at the harmonics the sample rate can represent.
 */
export function mainsNotch(f0: number, fs: number, q = DEFAULT_NOTCH_Q): Sos {
  if (!(f0 > 0 && f0 < fs / 2)) {
    throw new MedLabError('E_DSP', `notch at ${f0} Hz must lie below the Nyquist frequency ${fs / 2} Hz`);
  }
  const sections: Sos = [];
  for (let f = f0; f < 0.95 * (fs / 2); f += f0) sections.push(...iirNotch(f, fs, q));
  if (sections.length === 0) sections.push(...iirNotch(f0, fs, q));
  return sections;
}
