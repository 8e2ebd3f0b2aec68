/** Montages by 10-20 names, band powers (against scipy) and min/max decimation. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bandPowers } from '../../agent/eeg/dsp/bands';
import { minMaxColumns } from '../../agent/eeg/dsp/decimate';
import {
  applyMontage,
  commonAverage,
  parseElectrode,
  planMontage,
  selectDerivations,
  signalsOf,
} from '../../agent/eeg/dsp/montage';
import { welch } from '../../agent/eeg/dsp/welch';
import { isMedLabError } from '../../agent/errors';
import type { EegSignalInfo } from '../../agent/protocol';

function info(index: number, label: string, sampleRate = 256, unit = 'uV'): EegSignalInfo {
  return {
    index,
    label,
    transducer: '',
    unit,
    prefilter: '',
    sampleRate,
    samplesPerRecord: sampleRate,
    sampleCount: sampleRate,
    physicalMin: -1,
    physicalMax: 1,
    digitalMin: -1,
    digitalMax: 1,
  };
}

const SITES_OLD = 'Fp1 Fp2 F7 F3 Fz F4 F8 T3 C3 Cz C4 T4 T5 P3 Pz P4 T6 O1 O2'.split(' ');

describe('eeg dsp: 10-20 labels and montages', () => {
  it('reads electrode names from the labels EEG systems write', () => {
    const cases: [string, string | undefined, string | undefined][] = [
      ['EEG Fp1-REF', 'Fp1', 'Fp1'],
      ['FP1', 'Fp1', 'Fp1'],
      ['eeg t3-le', 'T7', 'T3'],
      ['EEG T6', 'P8', 'T6'],
      ['P8-A1', 'P8', 'P8'],
      ['O2 Ref', 'O2', 'O2'],
      ['EEG Cz-AVG', 'Cz', 'Cz'],
      ['Fp1-F7', undefined, undefined],
      ['ECG', undefined, undefined],
      ['EEG A2-A1', 'A2', 'A2'],
      ['Resp', undefined, undefined],
    ];
    for (const [label, site, written] of cases) {
      const e = parseElectrode(label);
      assert.equal(e?.site, site, label);
      assert.equal(e?.written, written, label);
    }
  });

  it('builds the double banana in the file’s own naming and skips pairs it lacks', () => {
    const signals = [...SITES_OLD.map((s, i) => info(i, `EEG ${s}-REF`)), info(19, 'ECG', 256, 'mV')];
    const plan = planMontage(signals, { kind: 'bipolar' });
    const labels = plan.derivations.map((d) => d.label);
    assert.deepEqual(labels.slice(0, 4), ['Fp1-F7', 'F7-T3', 'T3-T5', 'T5-O1']);
    assert.equal(labels.length, 18 + 1);
    assert.equal(labels[18], 'ECG');
    const partial = planMontage(signals.slice(1), { kind: 'bipolar' });
    assert.ok(!partial.derivations.some((d) => d.label.startsWith('Fp1')));
  });

  it('explicit bipolar pairs must exist', () => {
    const signals = SITES_OLD.map((s, i) => info(i, s));
    assert.throws(
      () => planMontage(signals, { kind: 'bipolar', pairs: [['Fp1', 'Oz']] }),
      (e: unknown) => isMedLabError(e) && e.code === 'E_EEG_CHANNEL' && /Oz/.test(e.message),
    );
    const plan = planMontage(signals, { kind: 'bipolar', pairs: [['T7', 'P7']] });
    assert.equal(plan.derivations[0].label, 'T3-T5');
  });

  it('subtracts the right signals: bipolar, average over finite values, referential as is', () => {
    const signals = [
      info(0, 'EEG Fp1-REF'),
      info(1, 'EEG F7-REF'),
      info(2, 'EEG O1-REF'),
      info(3, 'EEG A1-REF'),
    ];
    const data = new Map<number, Float64Array>([
      [0, Float64Array.from([1, 2, 3])],
      [1, Float64Array.from([10, 20, NaN])],
      [2, Float64Array.from([4, 4, 4])],
      [3, Float64Array.from([100, 100, 100])],
    ]);
    const bip = planMontage(signals, { kind: 'bipolar', pairs: [['Fp1', 'F7']] });
    assert.deepEqual([...applyMontage(bip, data)[0]], [-9, -18, NaN]);
    const avg = planMontage(signals, { kind: 'average' });
    // A1 is an ear reference: not a scalp channel, not part of the average.
    assert.deepEqual(avg.averageOf, [0, 1, 2]);
    assert.deepEqual(signalsOf(avg), [0, 1, 2]);
    const out = applyMontage(avg, data);
    assert.deepEqual(
      avg.derivations.map((d) => d.label),
      ['Fp1-AVG', 'F7-AVG', 'O1-AVG'],
    );
    assert.deepEqual([...out[0]], [1 - 5, 2 - 26 / 3, 3 - 3.5]);
    assert.deepEqual([...commonAverage([Float64Array.from([NaN]), Float64Array.from([NaN])])], [NaN]);
    const ref = planMontage(signals);
    assert.equal(ref.derivations.length, 4);
  });

  it('selects channels by label or electrode name and names an unknown one', () => {
    const signals = SITES_OLD.map((s, i) => info(i, `EEG ${s}-LE`));
    const plan = planMontage(signals, { kind: 'average' });
    const sel = selectDerivations(plan, ['o1', 'T7', 'Cz-AVG']);
    assert.deepEqual(
      sel.derivations.map((d) => d.label),
      ['O1-AVG', 'T3-AVG', 'Cz-AVG'],
    );
    assert.equal(sel.averageOf.length, 19);
    assert.throws(
      () => selectDerivations(plan, ['Oz']),
      (e: unknown) => isMedLabError(e) && e.code === 'E_EEG_CHANNEL' && /"Oz"/.test(e.message),
    );
  });
});

describe('eeg dsp: band powers', () => {
  it('equal scipy Welch + rectangle-rule sums over delta..gamma', () => {
    const ref = JSON.parse(
      fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'dsp_reference.json'), 'utf8'),
    ) as {
      fs: number;
      input: number[];
      bands: { segmentLength: number; absolute: Record<string, number>; relative: Record<string, number> };
    };
    const s = welch(ref.input, ref.fs, { segmentLength: ref.bands.segmentLength });
    const bands = bandPowers(s.frequencies, s.psd);
    assert.deepEqual(
      bands.map((b) => b.band),
      ['delta', 'theta', 'alpha', 'beta', 'gamma'],
    );
    for (const b of bands) {
      assert.ok(
        Math.abs(b.absolute - ref.bands.absolute[b.band]) <= 1e-9 * ref.bands.absolute[b.band],
        b.band,
      );
      assert.ok(Math.abs(b.relative - ref.bands.relative[b.band]) < 1e-12, b.band);
    }
  });

  it('put a 10 Hz rhythm in alpha', () => {
    const fs = 200;
    const x = Float64Array.from({ length: fs * 30 }, (_, i) => 50 * Math.sin((2 * Math.PI * 10 * i) / fs));
    const s = welch(x, fs, { segmentLength: 2 * fs });
    const alpha = bandPowers(s.frequencies, s.psd).find((b) => b.band === 'alpha')!;
    assert.ok(alpha.relative > 0.99);
    assert.ok(Math.abs(alpha.absolute - 1250) / 1250 < 0.01);
  });
});

describe('eeg dsp: min/max decimation', () => {
  it('keeps each column’s extremes, including a one-sample spike', () => {
    const x = new Float32Array(1000);
    x[537] = 99;
    x[12] = -5;
    const { min, max } = minMaxColumns(x, 10);
    assert.equal(max[5], 99);
    assert.equal(min[0], -5);
    assert.equal(max[4], 0);
  });

  it('is NaN-aware: gaps are skipped, an all-gap column is NaN', () => {
    const x = Float32Array.from([1, NaN, 3, NaN, NaN, NaN, 2, 8]);
    const { min, max } = minMaxColumns(x, 4);
    assert.deepEqual([...min], [1, 3, NaN, 2]);
    assert.deepEqual([...max], [1, 3, NaN, 8]);
  });

  it('with more columns than samples, each column shows the sample under it', () => {
    const { min, max } = minMaxColumns(Float32Array.from([1, 2]), 4);
    assert.deepEqual([...min], [1, 1, 2, 2]);
    assert.deepEqual([...max], [1, 1, 2, 2]);
  });
});
