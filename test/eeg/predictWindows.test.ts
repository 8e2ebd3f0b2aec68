/**
 * The eeg-window signal path: the agent's resampling, band-pass, windows and z-score equal the
 * training code's (fixture written by models/training/eeg/make_predict_fixture.py with scipy);
 * windows of a real EDF+D file stay inside its segments on per-segment grids; chunked reading
 * of a long recording gives the windows of one-piece processing; events merge as documented.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { EegWindowPreprocessing } from '../../agent/eeg/predict/eegPreprocessing';
import { mergeEvents } from '../../agent/eeg/predict/windowEvents';
import {
  CHUNK_SECONDS,
  finiteRuns,
  readWindows,
  type WindowBatch,
} from '../../agent/eeg/predict/windowReader';
import { filteredRun, windowStarts, zscoreWindows } from '../../agent/eeg/predict/windowSignal';
import { openRecording } from '../../agent/eeg/edf/edfRecording';
import { planMontage } from '../../agent/eeg/dsp/montage';
import { silentContext } from '../../agent/runContext';
import { EdfWriter } from '../../samples/edf/writer';

interface Fixture {
  fsIn: number;
  seconds: number;
  sampleRate: number;
  sos: number[][];
  padLength: number;
  windowSamples: number;
  hopSamples: number;
  resampledLength: number;
  starts: number[];
  stride: number;
  windows: number[][];
}

const fixture = JSON.parse(
  fs.readFileSync(path.join(__dirname, 'predictWindowFixture.json'), 'utf8'),
) as Fixture;

function spec(over: Partial<EegWindowPreprocessing> = {}): EegWindowPreprocessing {
  return {
    kind: 'eeg-window',
    sampleRate: fixture.sampleRate,
    sos: fixture.sos.map((r) => Float64Array.from(r)),
    padLength: fixture.padLength,
    windowSamples: fixture.windowSamples,
    hopSamples: fixture.hopSamples,
    minStd: 1e-6,
    ...over,
  };
}

function fixtureSignal(fsIn: number, seconds: number): Float64Array {
  const n = Math.round(fsIn * seconds);
  return Float64Array.from({ length: n }, (_, i) => {
    const t = i / fsIn;
    return (
      40 * Math.sin(2 * Math.PI * 3 * t) +
      20 * Math.sin(2 * Math.PI * 17 * t + 0.3) +
      15 * Math.sin(2 * Math.PI * 60 * t) +
      5 * t -
      30
    );
  });
}

async function writeEdf(
  file: string,
  format: 'EDF+C' | 'EDF+D',
  rate: number,
  records: { start: number; seconds: number }[],
  signal: (t: number) => number,
): Promise<void> {
  const w = await EdfWriter.create(file, {
    format,
    recordDuration: 1,
    signals: [
      { label: 'EEG Cz-REF', unit: 'uV', samplesPerRecord: rate, physicalMin: -3276.8, physicalMax: 3276.7 },
      { label: 'ECG', unit: 'mV', samplesPerRecord: rate, physicalMin: -5, physicalMax: 5 },
    ],
    start: { year: 2024, month: 1, day: 2, hour: 3, minute: 4, second: 5 },
  });
  for (const r of records) {
    const n = r.seconds * rate;
    const t = Array.from({ length: n }, (_, i) => r.start + i / rate);
    const starts = Array.from({ length: r.seconds }, (_, k) => r.start + k);
    await w.writePhysical(
      [Float32Array.from(t, signal), Float32Array.from(t, (x) => Math.sin(2 * Math.PI * x))],
      format === 'EDF+D' ? { recordStarts: starts } : undefined,
    );
  }
  await w.close();
}

describe('eeg predict: window signal path', function () {
  this.timeout(120000);
  let dir = '';
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medlab-predict-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('resample 500 -> 173.61 Hz, band-pass, windows and z-score equal the training code (scipy)', () => {
    const y = filteredRun(fixtureSignal(fixture.fsIn, fixture.seconds), fixture.fsIn, spec());
    assert.ok(y);
    assert.equal(y.length, fixture.resampledLength);
    const starts = windowStarts(y.length, fixture.windowSamples, fixture.hopSamples);
    assert.deepEqual(starts, fixture.starts);
    const w = zscoreWindows(y, starts, fixture.windowSamples, 1e-6);
    fixture.windows.forEach((row, k) =>
      row.forEach((v, j) => {
        const got = w[k * fixture.windowSamples + j * fixture.stride];
        assert.ok(Math.abs(got - v) < 1e-4, `window ${k} sample ${j * fixture.stride}: ${got} vs ${v}`);
      }),
    );
  });

  it('a flat or too-short run gives zeros or no window', () => {
    const flat = zscoreWindows(new Float64Array(2048).fill(7), [0, 512], 1024, 1e-6);
    assert.ok(flat.every((v) => v === 0));
    assert.equal(filteredRun(new Float64Array(500), 173.61, spec()), null);
    assert.deepEqual(finiteRuns([NaN, 1, 2, NaN, NaN, 3]), [
      [1, 3],
      [5, 6],
    ]);
  });

  it('EDF+D: windows lie inside each segment, on a grid from its first sample; ECG is not scored', async () => {
    const file = path.join(dir, 'gaps.edf');
    const rate = 200;
    await writeEdf(
      file,
      'EDF+D',
      rate,
      [
        { start: 0, seconds: 20 },
        { start: 31, seconds: 4 },
        { start: 40, seconds: 25 },
      ],
      (t) => 30 * Math.sin(2 * Math.PI * 6 * t),
    );
    const rec = await openRecording(file);
    try {
      const plan = planMontage(rec.info.signals);
      const eegOnly = { ...plan, derivations: plan.derivations.filter((d) => d.label.startsWith('EEG')) };
      const s = spec();
      const batches: WindowBatch[] = [];
      await readWindows(rec, eegOnly, s, silentContext(), async (b) => void batches.push(b));
      const starts = batches.flatMap((b) => b.starts);
      const span = s.windowSamples / s.sampleRate;
      const hop = s.hopSamples / s.sampleRate;
      assert.ok(batches.every((b) => b.channel === 'EEG Cz-REF'));
      for (const [a, b] of [
        [0, 20],
        [40, 65],
      ]) {
        const inside = starts.filter((t) => t >= a && t < b);
        assert.equal(
          inside.length,
          Math.floor(((b - a) * s.sampleRate - s.windowSamples) / s.hopSamples) + 1,
        );
        inside.forEach((t, k) => assert.ok(Math.abs(t - (a + k * hop)) < 1e-9));
        assert.ok(inside.every((t) => t + span <= b + 1e-9));
      }
      // The 4-s segment cannot hold a 5.9-s window.
      assert.equal(starts.filter((t) => t >= 31 && t < 35).length, 0);
    } finally {
      await rec.close();
    }
  });

  it('a recording longer than one chunk gives the windows of one-piece processing', async () => {
    const file = path.join(dir, 'long.edf');
    const rate = 100;
    const seconds = CHUNK_SECONDS + 150;
    const sig = (t: number) =>
      25 * Math.sin(2 * Math.PI * 9 * t) +
      10 * Math.sin(2 * Math.PI * 1.3 * t) +
      8 * Math.sin(2 * Math.PI * 0.07 * t * t);
    await writeEdf(file, 'EDF+C', rate, [{ start: 0, seconds }], sig);
    const rec = await openRecording(file);
    try {
      const plan = planMontage(rec.info.signals);
      const eegOnly = { ...plan, derivations: plan.derivations.slice(0, 1) };
      const s = spec();
      const batches: WindowBatch[] = [];
      await readWindows(rec, eegOnly, s, silentContext(), async (b) => void batches.push(b));
      const [whole] = await rec.readSignals([0], 0, seconds);
      const y = filteredRun(whole, rate, s)!;
      const starts = windowStarts(y.length, s.windowSamples, s.hopSamples);
      const ref = zscoreWindows(y, starts, s.windowSamples, s.minStd);
      const got = batches.flatMap((b) => b.starts);
      assert.equal(got.length, starts.length);
      let at = 0;
      let worst = 0;
      for (const b of batches) {
        for (let w = 0; w < b.starts.length; w++, at++) {
          assert.ok(Math.abs(b.starts[w] - (at * s.hopSamples) / s.sampleRate) < 1e-6);
          for (let i = 0; i < s.windowSamples; i++) {
            worst = Math.max(
              worst,
              Math.abs(b.data[w * s.windowSamples + i] - ref[at * s.windowSamples + i]),
            );
          }
        }
      }
      assert.ok(worst < 1e-3, `chunked vs one piece: max difference ${worst}`);
    } finally {
      await rec.close();
    }
  });

  it('events: per-channel windows at or above the threshold join, channels overlapping merge', () => {
    const w = (start: number, channel: string, p: number) => ({
      start,
      duration: 4,
      channel,
      probabilities: [1 - p, p],
    });
    const events = mergeEvents(
      [
        w(0, 'C3', 0.9),
        w(2, 'C3', 0.7),
        w(4, 'C3', 0.2),
        w(3, 'O1', 0.5),
        w(20, 'O1', 0.99),
        w(30, 'C3', 0.49),
      ],
      1,
      'seizure',
      0.5,
    );
    assert.deepEqual(events, [
      { start: 0, duration: 7, label: 'seizure', probability: 0.9, channels: ['C3', 'O1'] },
      { start: 20, duration: 4, label: 'seizure', probability: 0.99, channels: ['O1'] },
    ]);
  });
});
