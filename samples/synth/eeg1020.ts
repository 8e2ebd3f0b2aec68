/**
 * A synthetic 19-channel 10-20 EEG (µV) plus ECG (mV), generated in consecutive blocks so that
 * recordings of any length stream to disk. What each channel holds:
 * - background: 1/f-like noise (two AR(1) processes and white noise, ~9 µV RMS) per channel plus
 *   a component shared by all channels (which the average reference removes);
 * - alpha: ~10 Hz rhythm with waxing and waning, strongest at O1/O2, then P, T5/T6, C, weakest
 *   frontally; full size with eyes closed, a fifth with eyes open (script.ts), 0.5-s transitions;
 * - frontal-midline theta (6 Hz, Fz/Cz) and central beta (20 Hz, C3/C4) of a few µV;
 * - eye blinks: ~150 µV at Fp1/Fp2, falling off posteriorly (asymmetric rise/decay);
 * - muscle: broadband high-frequency bursts on T3/T4/F7/F8 during the script's muscle periods;
 * - electrode pop: a 250-µV step with 0.4-s decay on C3;
 * - mains interference at `lineHz` (2 µV, 6 µV at T6, a poorly attached electrode).
 */
import { deriveSeed, Prng } from './prng';
import { CYCLE_SECONDS, cyclesIn, EYES_OPEN_AT } from './script';

/** 10-20 sites in the usual EDF order (old names). */
// prettier-ignore
export const SITES_1020 = [
  'Fp1', 'Fp2', 'F7', 'F3', 'Fz', 'F4', 'F8', 'T3', 'C3', 'Cz',
  'C4', 'T4', 'T5', 'P3', 'Pz', 'P4', 'T6', 'O1', 'O2',
] as const;

export type Site = (typeof SITES_1020)[number];

// prettier-ignore
const ALPHA_GAIN: Record<Site, number> = {
  Fp1: 0.08, Fp2: 0.08, F7: 0.1, F3: 0.15, Fz: 0.15, F4: 0.15, F8: 0.1,
  T3: 0.2, C3: 0.3, Cz: 0.3, C4: 0.3, T4: 0.2,
  T5: 0.55, P3: 0.65, Pz: 0.7, P4: 0.65, T6: 0.55, O1: 1.0, O2: 1.0,
};
// prettier-ignore
const BLINK_GAIN: Record<Site, number> = {
  Fp1: 1.0, Fp2: 1.0, F7: 0.45, F3: 0.4, Fz: 0.35, F4: 0.4, F8: 0.45,
  T3: 0.1, C3: 0.12, Cz: 0.12, C4: 0.12, T4: 0.1,
  T5: 0.03, P3: 0.04, Pz: 0.04, P4: 0.04, T6: 0.03, O1: 0.02, O2: 0.02,
};
const MUSCLE_GAIN: Partial<Record<Site, number>> = { T3: 1, T4: 1, F7: 0.7, F8: 0.7, T5: 0.3, T6: 0.3 };

export interface SyntheticEegOptions {
  sampleRate: number;
  seed: number;
  /** Mains frequency (default 50 Hz). */
  lineHz?: 50 | 60;
  /** Peak alpha frequency in Hz (default 10). */
  alphaHz?: number;
  /** Eyes-closed alpha amplitude at O1/O2 in µV (default 40). */
  alphaUv?: number;
}

export interface EegBlock {
  /** One trace per SITES_1020 entry, µV. */
  eeg: Float32Array[];
  /** ECG lead, mV. */
  ecg: Float32Array;
}

function smoothStep(x: number): number {
  return x <= 0 ? 0 : x >= 1 ? 1 : x * x * (3 - 2 * x);
}

/** Eyes-closed weight (1 closed, 0 open) at time t, with 0.5-s transitions. */
function eyesClosed(t: number): number {
  const u = t % CYCLE_SECONDS;
  return 1 - smoothStep((u - EYES_OPEN_AT) / 0.5) + smoothStep((u - CYCLE_SECONDS + 0.5) / 0.5);
}

function blinkShape(dt: number): number {
  // Faster rise than decay, as an eyelid closing and reopening.
  const sd = dt < 0 ? 0.06 : 0.11;
  return Math.exp(-0.5 * (dt / sd) ** 2);
}

export class SyntheticEeg {
  readonly sampleRate: number;
  private readonly o: Required<SyntheticEegOptions>;
  private readonly rng: Prng[];
  private readonly shared: Prng;
  private readonly slow: Float64Array;
  private readonly fast: Float64Array;
  private readonly prevMuscle: Float64Array;
  private readonly linePhase: Float64Array;
  private sharedSlow = 0;
  private alphaPhase = 0;
  private sample = 0;

  constructor(options: SyntheticEegOptions) {
    this.o = { lineHz: 50, alphaHz: 10, alphaUv: 40, ...options };
    this.sampleRate = options.sampleRate;
    this.rng = SITES_1020.map((_, c) => new Prng(deriveSeed(options.seed, 1000 + c)));
    this.shared = new Prng(deriveSeed(options.seed, 999));
    this.slow = new Float64Array(SITES_1020.length);
    this.fast = new Float64Array(SITES_1020.length);
    this.prevMuscle = new Float64Array(SITES_1020.length);
    this.linePhase = Float64Array.from(SITES_1020, (_, c) => (c * 0.37) % (2 * Math.PI));
  }

  /** Seconds generated so far (the time of the next sample). */
  get time(): number {
    return this.sample / this.sampleRate;
  }

  /** The next n samples of every channel. */
  next(n: number): EegBlock {
    const fs = this.sampleRate;
    const t0 = this.time;
    const cycles = cyclesIn(this.o.seed, t0 - 1, t0 + n / fs + 1);
    const blinks = cycles.flatMap((c) => c.blinks).filter((b) => b > t0 - 1 && b < t0 + n / fs + 1);
    const eeg = SITES_1020.map(() => new Float32Array(n));
    const ecg = new Float32Array(n);
    // AR(1) coefficients for a ~1/f background at any sample rate (time constants 160 ms and 16 ms).
    const aSlow = Math.exp(-1 / (0.16 * fs));
    const aFast = Math.exp(-1 / (0.016 * fs));
    const gSlow = Math.sqrt(1 - aSlow * aSlow);
    const gFast = Math.sqrt(1 - aFast * aFast);
    const { alphaHz, alphaUv, lineHz } = this.o;
    for (let i = 0; i < n; i++) {
      const t = (this.sample + i) / fs;
      const closed = eyesClosed(t);
      const envelope = 0.7 + 0.3 * Math.sin((2 * Math.PI * t) / 7.3) * Math.sin((2 * Math.PI * t) / 2.9);
      const alphaAmp = alphaUv * envelope * (0.2 + 0.8 * closed);
      this.alphaPhase += (2 * Math.PI * (alphaHz + 0.25 * Math.sin((2 * Math.PI * t) / 11))) / fs;
      if (this.alphaPhase > 2 * Math.PI) this.alphaPhase -= 2 * Math.PI;
      this.sharedSlow = aSlow * this.sharedSlow + gSlow * this.shared.gaussian();
      let blink = 0;
      for (const b of blinks) if (Math.abs(t - b) < 0.8) blink += 150 * blinkShape(t - b);
      let muscleOn = 0;
      let pop = 0;
      for (const c of cycles) {
        if (c.muscle && t >= c.muscle[0] && t < c.muscle[1]) {
          muscleOn = smoothStep((t - c.muscle[0]) / 0.2) * smoothStep((c.muscle[1] - t) / 0.2);
        }
        if (c.pop !== undefined && t >= c.pop && t < c.pop + 4) pop = 250 * Math.exp(-(t - c.pop) / 0.4);
      }
      SITES_1020.forEach((site, c) => {
        const rng = this.rng[c];
        this.slow[c] = aSlow * this.slow[c] + gSlow * rng.gaussian();
        this.fast[c] = aFast * this.fast[c] + gFast * rng.gaussian();
        let v = 6 * this.slow[c] + 5 * this.fast[c] + 2.5 * rng.gaussian() + 4 * this.sharedSlow;
        // Small per-site phase lags make the alpha travel from occipital to frontal.
        v += ALPHA_GAIN[site] * alphaAmp * Math.sin(this.alphaPhase - 0.15 * (1 - ALPHA_GAIN[site]));
        if (site === 'Fz' || site === 'Cz') v += 4 * Math.sin(2 * Math.PI * 6 * t);
        if (site === 'C3' || site === 'C4') v += 3 * Math.sin(2 * Math.PI * 20 * t + c);
        v += BLINK_GAIN[site] * blink;
        const mg = MUSCLE_GAIN[site];
        if (mg && muscleOn > 0) {
          // First difference of white noise: power rising with frequency, as EMG.
          const w = rng.gaussian();
          v += 18 * mg * muscleOn * (w - this.prevMuscle[c]);
          this.prevMuscle[c] = w;
        }
        if (site === 'C3') v += pop;
        v += (site === 'T6' ? 6 : 2) * Math.sin(2 * Math.PI * lineHz * t + this.linePhase[c]);
        eeg[c][i] = v;
      });
      // ECG at 72 beats per minute: Q, R, S and T waves, mV.
      const beat = t % (60 / 72);
      ecg[i] =
        1.1 * Math.exp(-0.5 * ((beat - 0.2) / 0.012) ** 2) -
        0.15 * Math.exp(-0.5 * ((beat - 0.18) / 0.01) ** 2) -
        0.25 * Math.exp(-0.5 * ((beat - 0.225) / 0.012) ** 2) +
        0.3 * Math.exp(-0.5 * ((beat - 0.5) / 0.05) ** 2);
    }
    this.sample += n;
    return { eeg, ecg };
  }
}
