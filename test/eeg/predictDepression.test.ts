/**
 * eeg-depression-screen: the agent reproduces its card from the shared EDF files. Features come
 * from the agent's own path (EDF reader, 10-20 channel matching, the relative-PSD recipe), the
 * fold models give the subject-wise cross-validated figures, and the final model's prediction
 * for every recording (through the function behind `medlab eeg predict`) matches expected.json.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { eegPreprocessing, type EegFeaturesPreprocessing } from '../../agent/eeg/predict/eegPreprocessing';
import { predictEeg } from '../../agent/eeg/predict/predictEeg';
import { recordingFeatures } from '../../agent/eeg/features/recordingFeatures';
import { getRecording } from '../../agent/eeg/recordingCache';
import { findModel } from '../../agent/models/registry';
import { silentContext } from '../../agent/runContext';
import { requireSharedData } from '../support/sharedData';
import { readExpected } from './predictSupport';
import { checkCondition, near, outOfFold, type EpochTable, type PsdExpected } from './predictPsdSupport';

const MODELS = ['eeg-depression-screen', 'eeg-depression-screen-mlp'];

interface Expected extends PsdExpected {
  recordings: Record<string, { group: string; epochs: number; probabilityMDD: number; std: number }>;
}

function subjects(dir: string): { file: string; subject: string; mdd: boolean }[] {
  const [head, ...lines] = fs.readFileSync(path.join(dir, 'subjects.csv'), 'utf8').trim().split(/\r?\n/);
  const keys = head.split(',');
  return lines.map((l) => {
    const row = Object.fromEntries(l.split(',').map((v, i) => [keys[i], v]));
    return { file: row.file, subject: row.subject_id, mdd: row.group === 'MDD' };
  });
}

/** The agent's features of every recording, once for both heads. */
async function agentTable(dir: string): Promise<EpochTable> {
  const values: number[] = [];
  const table: EpochTable = {
    values: new Float32Array(),
    bins: 0,
    subject: [],
    condition: [],
    positive: new Map(),
  };
  for (const s of subjects(dir)) {
    const f = await recordingFeatures(await getRecording(path.join(dir, s.file)));
    table.bins = f.frequencies.length;
    values.push(...f.values);
    for (let e = 0; e < f.epochs.length; e++) {
      table.subject.push(s.subject);
      table.condition.push('EC');
    }
    table.positive.set(s.subject, s.mdd);
  }
  table.values = Float32Array.from(values);
  return table;
}

describe('eeg predict: the depression screens reproduce their cards', function () {
  this.timeout(15 * 60 * 1000);
  let dir = '';
  let table: EpochTable | undefined;

  before(function () {
    dir = requireSharedData(this, 'eeg-clinical', 'depression');
  });

  // Both heads ship (their KAN-vs-MLP difference is not supported by its interval).
  for (const model of MODELS) {
    describe(model, () => {
      let expected: Expected;
      let spec: EegFeaturesPreprocessing;

      before(async () => {
        expected = readExpected<Expected>(model);
        const entry = await findModel(model);
        const pre = eegPreprocessing(entry.manifest, entry.manifestPath);
        assert.equal(pre.kind, 'eeg-features');
        spec = pre as EegFeaturesPreprocessing;
      });

      it('subject-wise cross-validated figures through the fold models, on features the agent computes', async () => {
        table ??= await agentTable(dir);
        const oof = await outOfFold(expected, spec, table, 'MDD');
        checkCondition(expected, table, oof, 'all');
      });

      it("the final model's prediction for every recording, with the per-epoch spread", async () => {
        const files = subjects(dir);
        assert.equal(Object.keys(expected.recordings).length, files.length);
        for (const s of files) {
          const want = expected.recordings[s.file];
          const r = await predictEeg(path.join(dir, s.file), model, silentContext());
          assert.equal(r.windows.length, want.epochs, `${s.file}: epochs`);
          near(r.probabilities[r.labels.indexOf('MDD')], want.probabilityMDD, `${s.file}: p(MDD)`);
          near(r.spread!.std, want.std, `${s.file}: spread`);
        }
      });
    });
  }
});
