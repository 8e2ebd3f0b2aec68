/**
 * eeg-ad-screen: the agent reproduces its card from the shared data. The recipe features are
 * recomputed from ADFSU's signals.f32 by the agent's own relativePsd (not read from
 * features.f32), every fold model scores its held-out subjects, and the final model runs on the
 * EEGMAT recordings through the function behind `medlab eeg predict`. Within 0.01 of expected.json.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { eegPreprocessing, type EegFeaturesPreprocessing } from '../../agent/eeg/predict/eegPreprocessing';
import { predictEeg } from '../../agent/eeg/predict/predictEeg';
import { relativePsd } from '../../agent/eeg/features/relativePsd';
import { findModel } from '../../agent/models/registry';
import { silentContext } from '../../agent/runContext';
import { requireSharedData } from '../support/sharedData';
import { readExpected } from './predictSupport';
import { checkCondition, near, outOfFold, type EpochTable, type PsdExpected } from './predictPsdSupport';

const MODEL = 'eeg-ad-screen';

interface Expected extends PsdExpected {
  eegmat: Record<string, { epochs: number; probabilityAD: number; std: number }>;
}

function csvRows(file: string): Record<string, string>[] {
  const [head, ...lines] = fs.readFileSync(file, 'utf8').trim().split(/\r?\n/);
  const keys = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [keys[i], v])));
}

/** ADFSU epochs with features computed by the agent from the source signals. */
function adfsuTable(dir: string): EpochTable {
  const index = JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf8')) as {
    signals: { shape: [number, number, number]; sample_rate_hz: number };
  };
  const [nRec, nCh, nS] = index.signals.shape;
  const buf = fs.readFileSync(path.join(dir, 'signals.f32'));
  const signals = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length));
  const recordings = csvRows(path.join(dir, 'recordings.csv'));
  assert.equal(recordings.length, nRec);
  const epochs = csvRows(path.join(dir, 'epochs.csv'));
  const values: number[] = [];
  let bins = 0;
  const subject: string[] = [];
  const condition: string[] = [];
  const positive = new Map<string, boolean>();
  const perRecording = new Map<number, { values: Float64Array; epochs: number[] }>();
  for (let r = 0; r < nRec; r++) {
    const traces = Array.from({ length: nCh }, (_, c) =>
      signals.subarray((r * nCh + c) * nS, (r * nCh + c + 1) * nS),
    );
    const f = relativePsd(traces, index.signals.sample_rate_hz);
    bins = f.frequencies.length;
    perRecording.set(r, f);
  }
  for (const e of epochs) {
    const f = perRecording.get(Number(e.recording_row))!;
    const at = f.epochs.indexOf(Number(e.epoch_index));
    assert.ok(at >= 0, `epoch ${e.row} kept by the recipe`);
    values.push(...f.values.subarray(at * 19 * bins, (at + 1) * 19 * bins));
    subject.push(e.subject_id);
    condition.push(e.condition);
    positive.set(e.subject_id, e.group === 'A');
  }
  return { values: Float32Array.from(values), bins, subject, condition, positive };
}

describe('eeg predict: eeg-ad-screen reproduces its card', function () {
  this.timeout(15 * 60 * 1000);
  let adfsu = '';
  let eegmat = '';
  let expected: Expected;
  let spec: EegFeaturesPreprocessing;

  before(async function () {
    adfsu = requireSharedData(this, 'eeg-clinical', 'ad-cn-adfsu');
    eegmat = requireSharedData(this, 'eeg', 'eegmat');
    expected = readExpected<Expected>(MODEL);
    const entry = await findModel(MODEL);
    const pre = eegPreprocessing(entry.manifest, entry.manifestPath);
    assert.equal(pre.kind, 'eeg-features');
    spec = pre as EegFeaturesPreprocessing;
  });

  it('subject-wise cross-validated figures per condition, through the fold models', async () => {
    const table = adfsuTable(adfsu);
    const oof = await outOfFold(expected, spec, table, 'AD');
    for (const condition of ['EC', 'EO', 'all']) checkCondition(expected, table, oof, condition);
  });

  it('what the screen says on the EEGMAT recordings (healthy volunteers)', async () => {
    for (const [file, want] of Object.entries(expected.eegmat)) {
      const r = await predictEeg(path.join(eegmat, file), MODEL, silentContext());
      assert.equal(r.windows.length, want.epochs, `${file}: epochs`);
      near(r.probabilities[r.labels.indexOf('AD')], want.probabilityAD, `${file}: p(AD)`);
      near(r.spread!.std, want.std, `${file}: spread`);
    }
  });
});
