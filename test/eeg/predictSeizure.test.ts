/**
 * eeg-seizure-bonn: the agent reproduces its card from the shared data. The five fold models
 * score their held-out Bonn segments through the agent's window path (band-pass with the
 * manifest's sections, windows, z-score, onnxruntime), and the final model's alarm rate on the
 * EEGMAT recordings (healthy volunteers, no seizures) is measured through `medlab eeg predict`'s
 * own function, reader and resampler included. Both within 0.01 of expected.json.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { eegPreprocessing, type EegWindowPreprocessing } from '../../agent/eeg/predict/eegPreprocessing';
import { batchProbabilities } from '../../agent/eeg/predict/batchScores';
import { predictEeg } from '../../agent/eeg/predict/predictEeg';
import { filteredRun, windowStarts, zscoreWindows } from '../../agent/eeg/predict/windowSignal';
import { findModel } from '../../agent/models/registry';
import { silentContext } from '../../agent/runContext';
import { requireSharedData } from '../support/sharedData';
import { binaryFigures, foldSession, readExpected, type FoldFile } from './predictSupport';

const MODEL = 'eeg-seizure-bonn';
const SETS = ['Z', 'O', 'N', 'F', 'S'] as const;
const ROW = 4097;

interface Figures {
  accuracy: number;
  sensitivity: number;
  specificity: number;
}

interface Expected {
  sampleRate: number;
  folds: { assignment: number[]; files: FoldFile[] };
  heldOut: { window: Figures & { n: number }; segment: Figures & { n: number } };
  eegmat: Record<string, { windows: number; alarmFraction: number; events: number }>;
}

function readSet(dir: string, set: string): Float64Array[] {
  const buf = fs.readFileSync(path.join(dir, `${set}.i16`));
  const all = new Int16Array(buf.buffer, buf.byteOffset, buf.length / 2);
  return Array.from({ length: all.length / ROW }, (_, r) =>
    Float64Array.from(all.subarray(r * ROW, (r + 1) * ROW)),
  );
}

function near(actual: number, expected: number, what: string): void {
  assert.ok(
    Math.abs(actual - expected) <= 0.01,
    `${what}: agent ${actual.toFixed(4)}, card ${expected.toFixed(4)}`,
  );
}

describe('eeg predict: eeg-seizure-bonn reproduces its card', function () {
  this.timeout(15 * 60 * 1000);
  let bonn = '';
  let eegmat = '';
  let expected: Expected;
  let spec: EegWindowPreprocessing;

  before(async function () {
    bonn = requireSharedData(this, 'eeg-clinical', 'bonn');
    eegmat = requireSharedData(this, 'eeg', 'eegmat');
    expected = readExpected<Expected>(MODEL);
    const entry = await findModel(MODEL);
    const pre = eegPreprocessing(entry.manifest, entry.manifestPath);
    assert.equal(pre.kind, 'eeg-window');
    spec = pre as EegWindowPreprocessing;
  });

  it('5-fold held-out accuracy, sensitivity and specificity (windows and segments)', async () => {
    const segments = SETS.flatMap((s) => readSet(bonn, s).map((x) => ({ x, seizure: s === 'S' })));
    assert.equal(segments.length, expected.folds.assignment.length);
    const winY: boolean[] = [];
    const winP: number[] = [];
    const segY: boolean[] = [];
    const segP: number[] = [];
    const k = 2;
    for (const f of expected.folds.files) {
      const session = await foldSession(MODEL, f);
      const seizure = session.manifest.labels.indexOf('seizure');
      for (const [i, seg] of segments.entries()) {
        if (expected.folds.assignment[i] !== f.fold) continue;
        const y = filteredRun(seg.x, expected.sampleRate, spec);
        assert.ok(y);
        const starts = windowStarts(y.length, spec.windowSamples, spec.hopSamples);
        const data = zscoreWindows(y, starts, spec.windowSamples, spec.minStd);
        const p = await batchProbabilities(session, data, starts.length, [1, spec.windowSamples]);
        const ps = starts.map((_, w) => p[w * k + seizure]);
        ps.forEach((v) => {
          winY.push(seg.seizure);
          winP.push(v);
        });
        segY.push(seg.seizure);
        segP.push(ps.reduce((a, b) => a + b, 0) / ps.length);
      }
    }
    assert.equal(winP.length, expected.heldOut.window.n);
    assert.equal(segP.length, expected.heldOut.segment.n);
    for (const [name, y, p] of [
      ['window', winY, winP],
      ['segment', segY, segP],
    ] as const) {
      const got = binaryFigures(y, p);
      const want = expected.heldOut[name];
      near(got.accuracy, want.accuracy, `${name} accuracy`);
      near(got.sensitivity, want.sensitivity, `${name} sensitivity`);
      near(got.specificity, want.specificity, `${name} specificity`);
    }
  });

  it('alarm rate on the EEGMAT recordings (healthy volunteers) through eeg predict', async () => {
    for (const [file, want] of Object.entries(expected.eegmat)) {
      const r = await predictEeg(path.join(eegmat, file), MODEL, silentContext());
      const seizure = r.labels.indexOf('seizure');
      const alarms = r.windows.filter((w) => w.probabilities[seizure] >= 0.5).length;
      assert.equal(r.windows.length, want.windows, `${file}: windows`);
      near(alarms / r.windows.length, want.alarmFraction, `${file}: alarm fraction`);
    }
  });
});
