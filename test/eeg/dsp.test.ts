/**
 * The DSP building blocks against scipy.signal (test/fixtures/dsp_reference.json, written by
 * test/fixtures/make_dsp_reference.py with scipy 1.10).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { butterworth, type FilterKind, type Sos } from '../../agent/eeg/dsp/butterworth';
import { complexFft, inverseRealFft, realFft } from '../../agent/eeg/dsp/fft';
import { iirNotch, mainsNotch } from '../../agent/eeg/dsp/notch';
import { resamplePoly, resampleRatio } from '../../agent/eeg/dsp/resample';
import { sosMagnitude } from '../../agent/eeg/dsp/response';
import { sosfilt, sosfiltfilt, sosfiltZi } from '../../agent/eeg/dsp/sosfilt';
import { welch, WelchAccumulator, type Detrend } from '../../agent/eeg/dsp/welch';
import { isMedLabError } from '../../agent/errors';

interface Sampled {
  stride: number;
  length: number;
  values: number[];
}
interface Reference {
  fs: number;
  input: number[];
  filters: {
    name: string;
    zeroPhase: boolean;
    spec: {
      kind: FilterKind | 'notch' | 'mains';
      order?: number;
      cutoff?: number[];
      f0?: number;
      q?: number;
    };
    output: Sampled;
  }[];
  responses: {
    kind: FilterKind;
    order: number;
    cutoff: number[];
    fs: number;
    freqs: number[];
    magnitude: number[];
  }[];
  welch: {
    options: {
      nperseg?: number;
      noverlap?: number;
      nfft?: number;
      detrend?: Detrend;
      scaling?: 'density' | 'spectrum';
    };
    frequencies: number[];
    psd: number[];
  }[];
  resample: { up: number; down: number; output: Sampled }[];
}

const ref = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'dsp_reference.json'), 'utf8'),
) as Reference;

/** Max |a − b| relative to the largest |b| (the signal's scale). */
function relError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  assert.equal(actual.length, expected.length, 'length');
  let scale = 0;
  let err = 0;
  for (let i = 0; i < expected.length; i++) {
    scale = Math.max(scale, Math.abs(expected[i]));
    err = Math.max(err, Math.abs(actual[i] - expected[i]));
  }
  return err / scale;
}

function strided(y: Float64Array, s: Sampled): number[] {
  assert.equal(y.length, s.length, 'output length');
  const out: number[] = [];
  for (let i = 0; i < y.length; i += s.stride) out.push(y[i]);
  return out;
}

function design(spec: Reference['filters'][number]['spec'], fsHz: number): Sos {
  if (spec.kind === 'notch') return iirNotch(spec.f0!, fsHz, spec.q);
  if (spec.kind === 'mains') return mainsNotch(spec.f0!, fsHz, spec.q);
  const cut = spec.cutoff!;
  return butterworth(spec.order!, cut.length === 1 ? cut[0] : cut, spec.kind, fsHz);
}

describe('eeg dsp: FFT', () => {
  for (const n of [1, 2, 7, 16, 100, 256, 500, 1000]) {
    it(`real FFT of length ${n} equals the direct DFT and inverts`, () => {
      const x = Array.from({ length: n }, (_, i) => Math.sin(i * 0.37) + 0.5 * Math.cos(i * i * 0.01) + 0.1);
      const plan = realFft(n);
      const re = new Float64Array(plan.bins);
      const im = new Float64Array(plan.bins);
      plan.forward(x, re, im);
      let err = 0;
      let scale = 0;
      for (let k = 0; k < plan.bins; k++) {
        let a = 0;
        let b = 0;
        for (let j = 0; j < n; j++) {
          const ang = (2 * Math.PI * ((k * j) % n)) / n;
          a += x[j] * Math.cos(ang);
          b -= x[j] * Math.sin(ang);
        }
        err = Math.max(err, Math.abs(re[k] - a), Math.abs(im[k] - b));
        scale = Math.max(scale, Math.hypot(a, b));
      }
      assert.ok(err / scale < 1e-12, `error ${err / scale}`);
      const back = inverseRealFft(re, im, n);
      assert.ok(relError(back, x) < 1e-12);
    });
  }

  it('complex FFT of a non-power-of-two length round-trips', () => {
    const n = 300;
    const re = Float64Array.from({ length: n }, (_, i) => Math.sin(i));
    const im = Float64Array.from({ length: n }, (_, i) => Math.cos(3 * i));
    const r0 = re.slice();
    const i0 = im.slice();
    const plan = complexFft(n);
    plan.transform(re, im);
    plan.transform(re, im, true);
    assert.ok(
      relError(
        re.map((v) => v / n),
        r0,
      ) < 1e-12,
    );
    assert.ok(
      relError(
        im.map((v) => v / n),
        i0,
      ) < 1e-12,
    );
  });
});

describe('eeg dsp: filters match scipy.signal', () => {
  for (const f of ref.filters) {
    it(`${f.name} (${f.zeroPhase ? 'sosfiltfilt' : 'sosfilt with sosfilt_zi'})`, () => {
      const sos = design(f.spec, ref.fs);
      const y = f.zeroPhase
        ? sosfiltfilt(sos, ref.input)
        : sosfilt(
            sos,
            ref.input,
            sosfiltZi(sos).map((v) => v * ref.input[0]),
          );
      const e = relError(strided(y, f.output), f.output.values);
      assert.ok(e < 1e-6, `relative error ${e}`);
    });
  }

  for (const r of ref.responses) {
    it(`Butterworth ${r.kind} order ${r.order} at ${r.cutoff.join('-')} Hz has scipy's magnitude response`, () => {
      const sos = butterworth(r.order, r.cutoff.length === 1 ? r.cutoff[0] : r.cutoff, r.kind, r.fs);
      const mag = sosMagnitude(sos, r.freqs, r.fs);
      r.magnitude.forEach((m, i) => {
        assert.ok(Math.abs(mag[i] - m) <= 1e-9 + 1e-6 * m, `${r.freqs[i]} Hz: ${mag[i]} vs ${m}`);
      });
    });
  }

  it('a Butterworth low-pass is −3 dB at its corner and −6 dB there when run forward-backward', () => {
    const sos = butterworth(4, 40, 'lowpass', 500);
    const [atCorner] = sosMagnitude(sos, [40], 500);
    assert.ok(Math.abs(atCorner - Math.SQRT1_2) < 1e-9);
  });

  it('causal filtering in chunks with carried state equals one pass', () => {
    const sos = butterworth(4, [1, 30], 'bandpass', ref.fs);
    const whole = sosfilt(sos, ref.input);
    const state = new Float64Array(2 * sos.length);
    const a = sosfilt(sos, ref.input.slice(0, 200), state);
    const b = sosfilt(sos, ref.input.slice(200), state);
    assert.ok(relError([...a, ...b], whole) < 1e-12);
  });

  it('refuses impossible designs with E_DSP naming the problem', () => {
    const check = (fn: () => unknown, re: RegExp) =>
      assert.throws(fn, (e: unknown) => isMedLabError(e) && e.code === 'E_DSP' && re.test(e.message));
    check(() => butterworth(4, 130, 'lowpass', 256), /Nyquist/);
    check(() => butterworth(4, [30, 10], 'bandpass', 256), /increasing/);
    check(() => butterworth(0, 10, 'lowpass', 256), /order/);
    check(() => iirNotch(60, 100), /Nyquist/);
    check(() => sosfiltfilt(butterworth(4, 10, 'lowpass', 256), [1, 2, 3]), /too short/);
  });

  it('the mains notch removes 50 Hz and its harmonic but keeps alpha', () => {
    const fsHz = 500;
    const x = Array.from({ length: 5000 }, (_, i) => {
      const t = i / fsHz;
      return (
        Math.sin(2 * Math.PI * 10 * t) + Math.sin(2 * Math.PI * 50 * t) + Math.sin(2 * Math.PI * 100 * t)
      );
    });
    const y = sosfiltfilt(mainsNotch(50, fsHz), x);
    const mid = y.slice(1000, 4000);
    const alpha = mid.map((_, i) => Math.sin((2 * Math.PI * 10 * (i + 1000)) / fsHz));
    assert.ok(relError(mid, alpha) < 0.01, `residual ${relError(mid, alpha)}`);
  });
});

describe('eeg dsp: Welch PSD matches scipy.signal.welch', () => {
  for (const w of ref.welch) {
    it(`options ${JSON.stringify(w.options)}`, () => {
      const o = w.options;
      const s = welch(ref.input, ref.fs, {
        segmentLength: o.nperseg,
        overlap: o.noverlap,
        nfft: o.nfft,
        detrend: o.detrend,
        scaling: o.scaling,
      });
      assert.ok(relError(s.frequencies, w.frequencies) < 1e-12);
      const e = relError(s.psd, w.psd);
      assert.ok(e < 1e-9, `relative error ${e}`);
    });
  }

  it('chunked accumulation equals one pass, and NaN segments are left out', () => {
    const x = Float64Array.from({ length: 5000 }, (_, i) => Math.sin(i * 0.3) + Math.sin(i * 0.011 * i));
    const one = welch(x, 200, { segmentLength: 400 });
    const acc = new WelchAccumulator(200, { segmentLength: 400 });
    for (let i = 0; i < x.length; i += 333) acc.push(x.subarray(i, i + 333));
    const chunked = acc.result();
    assert.equal(chunked.segments, one.segments);
    assert.ok(relError(chunked.psd, one.psd) < 1e-12);

    const gap = x.slice();
    gap[2100] = NaN;
    const withGap = welch(gap, 200, { segmentLength: 400 });
    // Segments start every 200 samples; those covering sample 2100 start at 1800 and 2000.
    assert.equal(withGap.rejectedSegments, 2);
    assert.equal(withGap.segments, one.segments - 2);
    assert.ok(withGap.psd.every(Number.isFinite));
  });

  it('a 10 Hz sine of amplitude A has total power A²/2 in the density spectrum', () => {
    const fsHz = 256;
    const x = Array.from({ length: 256 * 20 }, (_, i) => 3 * Math.sin((2 * Math.PI * 10 * i) / fsHz));
    const s = welch(x, fsHz, { segmentLength: 512 });
    const df = s.frequencies[1];
    const total = s.psd.reduce((a, b) => a + b, 0) * df;
    assert.ok(Math.abs(total - 4.5) / 4.5 < 0.01, `total ${total}`);
    let peak = 0;
    s.psd.forEach((v, k) => (peak = v > s.psd[peak] ? k : peak));
    assert.equal(s.frequencies[peak], 10);
  });
});

describe('eeg dsp: polyphase resampling matches scipy.signal.resample_poly', () => {
  for (const r of ref.resample) {
    it(`up ${r.up} / down ${r.down}`, () => {
      const y = resamplePoly(ref.input, r.up, r.down);
      const e = relError(strided(y, r.output), r.output.values);
      assert.ok(e < 1e-9, `relative error ${e}`);
    });
  }

  it('derives reduced integer factors from sample rates', () => {
    assert.deepEqual(resampleRatio(500, 128), { up: 32, down: 125 });
    assert.deepEqual(resampleRatio(256, 128), { up: 1, down: 2 });
    assert.deepEqual(resampleRatio(12.8, 100), { up: 125, down: 16 });
  });
});
