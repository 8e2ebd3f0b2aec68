/** Frequency response of second-order sections (scipy.signal.sosfreqz at given frequencies). */
import type { Sos } from './butterworth';

/** |H(f)| at each frequency in Hz for sample rate fs. */
export function sosMagnitude(sos: Sos, frequencies: readonly number[], fs: number): Float64Array {
  const out = new Float64Array(frequencies.length);
  frequencies.forEach((f, i) => {
    const w = (2 * Math.PI * f) / fs;
    // Each biquad: (b0 + b1 e^{-iw} + b2 e^{-2iw}) / (1 + a1 e^{-iw} + a2 e^{-2iw}).
    const c1 = Math.cos(w);
    const s1 = -Math.sin(w);
    const c2 = Math.cos(2 * w);
    const s2 = -Math.sin(2 * w);
    let mag = 1;
    for (const [b0, b1, b2, a0, a1, a2] of sos) {
      const nr = b0 + b1 * c1 + b2 * c2;
      const ni = b1 * s1 + b2 * s2;
      const dr = a0 + a1 * c1 + a2 * c2;
      const di = a1 * s1 + a2 * s2;
      mag *= Math.hypot(nr, ni) / Math.hypot(dr, di);
    }
    out[i] = mag;
  });
  return out;
}
