/**
 * The recipe through the EDF reader on all 54 depression-study recordings (256 Hz, "EEG Fp1-LE"
 * labels, some with extra A2-A1 / 23A-23R channels) against recipe.py (MNE + scipy), summarised
 * in test/fixtures/recipe_depression_reference.json by test/fixtures/make_recipe_reference.py.
 * The reader delivers float32 samples where MNE keeps float64: features agree to ~1e-8, hence
 * the tolerances.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openRecording } from '../../agent/eeg/edf/edfRecording';
import { recordingFeatures } from '../../agent/eeg/features/recordingFeatures';
import { requireSharedData } from '../support/sharedData';

interface Entry {
  sfreq: number;
  shape: [number, number, number];
  kept_epoch_indices: number[];
  source_channel_names: string[];
  weighted_sum: number;
  mean_over_epochs?: number[][];
}

const reference = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'recipe_depression_reference.json'), 'utf8'),
) as { files: Record<string, Entry> };

describe('eeg features: depression recordings match recipe.py', function () {
  this.timeout(120000);
  let dir = '';
  before(function () {
    dir = requireSharedData(this, 'eeg-clinical', 'depression', 'edf');
  });

  it('every file: channels, kept epochs and features (weighted sum to 1e-6, epoch means to 1e-7)', async () => {
    const names = fs.readdirSync(dir).filter((f) => f.endsWith('.edf'));
    assert.equal(names.length, Object.keys(reference.files).length);
    for (const name of names) {
      const ref = reference.files[name];
      const rec = await openRecording(path.join(dir, name));
      try {
        const f = await recordingFeatures(rec);
        assert.equal(f.sampleRate, ref.sfreq, name);
        assert.deepEqual(
          f.channels.map((c) => c.label),
          ref.source_channel_names,
          name,
        );
        assert.deepEqual(f.epochs, ref.kept_epoch_indices, name);
        assert.equal(f.values.length, ref.shape[0] * ref.shape[1] * ref.shape[2], name);
        let sum = 0;
        for (let i = 0; i < f.values.length; i++) sum += f.values[i] * Math.sin(1 + 0.7 * i);
        assert.ok(
          Math.abs(sum - ref.weighted_sum) < 1e-6 * Math.max(1, Math.abs(ref.weighted_sum)),
          `${name}: ${sum} vs ${ref.weighted_sum}`,
        );
        if (ref.mean_over_epochs) {
          const [nEp, nCh, nBins] = ref.shape;
          for (let c = 0; c < nCh; c++) {
            for (let b = 0; b < nBins; b++) {
              let m = 0;
              for (let e = 0; e < nEp; e++) m += f.values[(e * nCh + c) * nBins + b];
              assert.ok(Math.abs(m / nEp - ref.mean_over_epochs[c][b]) < 1e-7, `${name} ${c} ${b}`);
            }
          }
        }
      } finally {
        await rec.close();
      }
    }
  });
});
