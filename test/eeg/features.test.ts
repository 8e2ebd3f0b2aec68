/**
 * The relative-PSD recipe against its reference outputs:
 * - ADFSU: features.f32 recomputed from signals.f32 (float32 inputs) to 1e-5;
 * - channel matching by the recipe's rule, and its errors.
 * The EEGMAT check through the EDF reader is in features-eegmat.test.ts.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  matchRecipeChannels,
  recipeChannelName,
  RECIPE_CHANNELS,
} from '../../agent/eeg/features/recipeChannels';
import { recipeGeometry, relativePsd } from '../../agent/eeg/features/relativePsd';
import { isMedLabError } from '../../agent/errors';
import type { EegSignalInfo } from '../../agent/protocol';
import { requireSharedData } from '../support/sharedData';

function readF32(file: string): Float32Array {
  const buf = fs.readFileSync(file);
  return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
}

function signalInfo(index: number, label: string, sampleRate = 256): EegSignalInfo {
  return {
    index,
    label,
    transducer: '',
    unit: 'uV',
    prefilter: '',
    sampleRate,
    samplesPerRecord: sampleRate,
    sampleCount: sampleRate * 10,
    physicalMin: -3276.8,
    physicalMax: 3276.7,
    digitalMin: -32768,
    digitalMax: 32767,
  };
}

describe('eeg features: relative-PSD recipe reproduces ADFSU features.f32', function () {
  let dir = '';
  before(function () {
    dir = requireSharedData(this, 'eeg-clinical', 'ad-cn-adfsu');
  });

  it('every epoch of features.f32 from signals.f32 to 1e-5', () => {
    const index = JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf8')) as {
      signals: { shape: [number, number, number]; sample_rate_hz: number };
      features: { shape: [number, number, number]; freqs_hz: number[] };
      channels: string[];
    };
    assert.deepEqual(index.channels, [...RECIPE_CHANNELS]);
    const [nRec, nCh, nSamp] = index.signals.shape;
    const [nRows, , nBins] = index.features.shape;
    const signals = readF32(path.join(dir, 'signals.f32'));
    const features = readF32(path.join(dir, 'features.f32'));
    const rows = fs
      .readFileSync(path.join(dir, 'epochs.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    assert.equal(rows.length, nRows);
    const byRecording = new Map<number, ReturnType<typeof relativePsd>>();
    let maxDiff = 0;
    for (const r of rows) {
      const row = Number(r[0]);
      const rec = Number(r[4]);
      const epoch = Number(r[5]);
      let f = byRecording.get(rec);
      if (!f) {
        const chans = Array.from({ length: nCh }, (_, c) =>
          signals.subarray((rec * nCh + c) * nSamp, (rec * nCh + c + 1) * nSamp),
        );
        f = relativePsd(chans, index.signals.sample_rate_hz);
        assert.deepEqual(f.frequencies, index.features.freqs_hz);
        byRecording.set(rec, f);
      }
      const at = f.epochs.indexOf(epoch);
      assert.ok(at >= 0, `recording ${rec} epoch ${epoch} was dropped`);
      for (let i = 0; i < nCh * nBins; i++) {
        const d = Math.abs(f.values[at * nCh * nBins + i] - features[row * nCh * nBins + i]);
        if (d > maxDiff) maxDiff = d;
      }
    }
    assert.equal(byRecording.size, nRec);
    assert.ok(maxDiff < 1e-5, `max abs difference ${maxDiff}`);
  });
});

describe('eeg features: recipe details', () => {
  it('names channels by the recipe rule', () => {
    assert.equal(recipeChannelName('EEG Fp1-REF'), 'Fp1');
    assert.equal(recipeChannelName('FP1'), 'Fp1');
    assert.equal(recipeChannelName('EEG T7'), 'T3');
    assert.equal(recipeChannelName('eeg p8-LE'), 'T6');
    assert.equal(recipeChannelName('EEG O2 ref'), 'O2');
    assert.equal(recipeChannelName('EEG A2-A1'), undefined);
    assert.equal(recipeChannelName('ECG ECG'), undefined);
    assert.equal(recipeChannelName('Oz'), undefined);
  });

  it('maps 19 channels in recipe order whatever the file order and naming', () => {
    const modern = { T3: 'T7', T4: 'T8', T5: 'P7', T6: 'P8' } as Record<string, string>;
    const labels = [
      'ECG',
      ...[...RECIPE_CHANNELS].reverse().map((c) => `EEG ${modern[c] ?? c}-LE`),
      'EEG A2-A1',
    ];
    const m = matchRecipeChannels(labels.map((l, i) => signalInfo(i, l)));
    assert.deepEqual(
      m.map((c) => c.name),
      [...RECIPE_CHANNELS],
    );
    assert.equal(m[0].label, 'EEG Fp1-LE');
    assert.equal(m[0].signal, 19);
    assert.equal(m[7].label, 'EEG T7-LE');
  });

  it('refuses a recording that lacks recipe channels, naming them', () => {
    const labels = RECIPE_CHANNELS.filter((c) => c !== 'Cz' && c !== 'O2');
    assert.throws(
      () => matchRecipeChannels(labels.map((l, i) => signalInfo(i, l))),
      (e: unknown) => isMedLabError(e) && e.code === 'E_EEG_CHANNEL' && /Cz, O2/.test(e.message),
    );
  });

  it('keeps 59 bins of 0.5 Hz from 1 to 30 Hz at any rate with 2·fs integral', () => {
    for (const fs of [128, 200, 250, 256, 500, 512, 1000]) {
      const g = recipeGeometry(fs);
      assert.equal(g.frequencies.length, 59, `${fs} Hz`);
      assert.equal(g.frequencies[0], 1);
      assert.equal(g.frequencies[58], 30);
      assert.equal(g.epochLength, 4 * fs);
    }
  });

  it('drops epochs with a NaN sample and is scale-free and reference-free', () => {
    const fs = 128;
    const n = 4 * fs * 3 + 100;
    const make = (gain: number, offset: number) =>
      RECIPE_CHANNELS.map((_, c) =>
        Float64Array.from(
          { length: n },
          (_, i) =>
            gain * (Math.sin((2 * Math.PI * (5 + c) * i) / fs) + 0.3 * Math.sin(i * i * 1e-4 + c)) + offset,
        ),
      );
    const a = relativePsd(make(1, 0), fs);
    const b = relativePsd(make(1e-6, 40), fs);
    assert.deepEqual(a.epochs, [0, 1, 2]);
    for (let i = 0; i < a.values.length; i++) assert.ok(Math.abs(a.values[i] - b.values[i]) < 1e-9);
    // Each channel's spectrum sums to one.
    let sum = 0;
    for (let j = 0; j < 59; j++) sum += a.values[j];
    assert.ok(Math.abs(sum - 1) < 1e-12);
    const gap = make(1, 0);
    gap[5][4 * fs + 10] = NaN;
    const c = relativePsd(gap, fs);
    assert.deepEqual(c.epochs, [0, 2]);
    assert.deepEqual(c.values.subarray(0, 19 * 59), a.values.subarray(0, 19 * 59));
  });
});
