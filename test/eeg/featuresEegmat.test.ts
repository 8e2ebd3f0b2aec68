/**
 * The recipe through the real EDF reader: every EEGMAT recording (500 Hz, Neurocom EDF+C) gives
 * the features that recipe.py (MNE + scipy) stored in eegmat_reference_features.json, to 1e-3
 * (the JSON is rounded to 6 decimals; the port agrees far closer).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { recordingFeatures } from '../../agent/eeg/features/recordingFeatures';
import { closeAllRecordings, getRecording } from '../../agent/eeg/recordingCache';
import { requireSharedData } from '../support/sharedData';

interface ReferenceFile {
  sfreq: number;
  n_samples: number;
  source_channel_names: string[];
  shape: [number, number, number];
  kept_epoch_indices: number[];
  freqs_hz: number[];
  features: number[][][];
}

describe('eeg features: EEGMAT recordings match eegmat_reference_features.json', function () {
  let reference: { files: Record<string, ReferenceFile> } = { files: {} };
  let eegmat = '';
  before(function () {
    const refPath = requireSharedData(this, 'eeg-clinical', 'ad-cn-adfsu', 'eegmat_reference_features.json');
    eegmat = requireSharedData(this, 'eeg', 'eegmat');
    reference = JSON.parse(fs.readFileSync(refPath, 'utf8')) as typeof reference;
  });
  after(() => closeAllRecordings());

  it('covers all six recordings', () => {
    assert.equal(Object.keys(reference.files).length, 6);
  });

  for (const name of [
    'Subject00_1',
    'Subject00_2',
    'Subject01_1',
    'Subject01_2',
    'Subject02_1',
    'Subject02_2',
  ]) {
    it(`${name}.edf`, async () => {
      const ref = reference.files[`${name}.edf`];
      const f = await recordingFeatures(await getRecording(path.join(eegmat, `${name}.edf`)));
      assert.equal(f.sampleRate, ref.sfreq);
      assert.equal(f.sampleCount, ref.n_samples);
      assert.deepEqual(
        f.channels.map((c) => c.label),
        ref.source_channel_names,
      );
      assert.deepEqual(f.epochs, ref.kept_epoch_indices);
      assert.deepEqual(f.frequencies, ref.freqs_hz);
      const [nEp, nCh, nBins] = ref.shape;
      assert.equal(f.values.length, nEp * nCh * nBins);
      let maxDiff = 0;
      for (let e = 0; e < nEp; e++) {
        for (let c = 0; c < nCh; c++) {
          for (let b = 0; b < nBins; b++) {
            const d = Math.abs(f.values[(e * nCh + c) * nBins + b] - ref.features[e][c][b]);
            if (d > maxDiff) maxDiff = d;
          }
        }
      }
      assert.ok(maxDiff < 1e-3, `max abs difference ${maxDiff}`);
      // The JSON holds 6 decimals: anything beyond rounding would be a recipe difference.
      assert.ok(maxDiff <= 5.1e-7, `max abs difference ${maxDiff} exceeds the reference's rounding`);
    });
  }
});
