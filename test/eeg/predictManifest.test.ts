/** The EEG preprocessing kinds of model.json: valid manifests pass, each mistake names its field. */
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MedLabError } from '../../agent/errors';
import { eegPreprocessing } from '../../agent/eeg/predict/eegPreprocessing';
import { validateManifest } from '../../agent/models/manifest';
import { listModels } from '../../agent/models/registry';
import { configure, settings } from '../../agent/settings';

const SOS = [
  [0.0699, 0.1398, 0.0699, 1, -0.1467, 0.0461],
  [1, -2, 1, 1, -1.9861, 0.9864],
];

function windowManifest(pre: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): unknown {
  return {
    id: 'test-window',
    name: 'window model',
    version: '1',
    task: 'eeg-window-classification',
    file: 'model.onnx',
    sha256: 'a'.repeat(64),
    labels: ['background', 'spike', 'seizure'],
    input: { name: 'input', shape: [-1, 1, 256], dtype: 'float32' },
    outputs: { scores: 'probabilities', scoreType: 'probabilities' },
    preprocessing: {
      kind: 'eeg-window',
      sampleRate: 128,
      filter: { sos: SOS, zeroPhase: true, padding: 'odd' },
      windowSamples: 256,
      hopSamples: 128,
      normalize: { kind: 'zscore', minStd: 1e-6 },
      events: { label: 'seizure', threshold: 0.6 },
      ...pre,
    },
    license: 'MIT',
    trainingData: 'none',
    ...extra,
  };
}

function featuresManifest(pre: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): unknown {
  return {
    ...(windowManifest() as object),
    id: 'test-features',
    task: 'eeg-recording-classification',
    labels: ['healthy', 'AD', 'FTD'],
    input: { name: 'input', shape: [-1, 19, 59], dtype: 'float32' },
    preprocessing: { kind: 'eeg-features', recipe: 'relative-psd', bins: 59, ...pre },
    ...extra,
  };
}

function check(raw: unknown) {
  return eegPreprocessing(validateManifest(raw, 'model.json'), 'model.json');
}

function refusedAt(raw: unknown, field: string): void {
  assert.throws(
    () => check(raw),
    (e: unknown) => e instanceof MedLabError && e.code === 'E_MODEL_MANIFEST' && e.data.field === field,
    `expected a refusal naming ${field}`,
  );
}

describe('EEG model manifests (eeg-window, eeg-features)', () => {
  it('accepts a three-class window model and fills the default pad length', () => {
    const p = check(windowManifest());
    assert.equal(p.kind, 'eeg-window');
    if (p.kind !== 'eeg-window') return;
    assert.equal(p.padLength, 15); // scipy: 3 * (2 * 2 sections + 1)
    assert.deepEqual(p.events, { label: 'seizure', threshold: 0.6 });
    assert.equal(p.sos.length, 2);
  });

  it('accepts a three-class feature model (no two-class assumption)', () => {
    const p = check(featuresManifest());
    assert.equal(p.kind, 'eeg-features');
    if (p.kind === 'eeg-features') assert.equal(p.channels.length, 19);
  });

  it('names the field of each window-model mistake', () => {
    refusedAt(windowManifest({ sampleRate: -1 }), 'preprocessing.sampleRate');
    refusedAt(windowManifest({ filter: { sos: [[1, 0, 0, 2, 0, 0]] } }), 'preprocessing.filter.sos[0][3]');
    refusedAt(windowManifest({ filter: { sos: [[1, 0, 0, 1, 0, 1.5]] } }), 'preprocessing.filter.sos[0]');
    refusedAt(windowManifest({ filter: { sos: [[1, 0, 0]] } }), 'preprocessing.filter.sos[0]');
    refusedAt(windowManifest({ filter: { sos: SOS, zeroPhase: false } }), 'preprocessing.filter.zeroPhase');
    refusedAt(windowManifest({ filter: { sos: SOS, padding: 'even' } }), 'preprocessing.filter.padding');
    refusedAt(windowManifest({ windowSamples: 2.5 }), 'preprocessing.windowSamples');
    refusedAt(windowManifest({ hopSamples: 0 }), 'preprocessing.hopSamples');
    refusedAt(windowManifest({ normalize: { kind: 'minmax' } }), 'preprocessing.normalize');
    refusedAt(
      windowManifest({ events: { label: 'artefact', threshold: 0.5 } }),
      'preprocessing.events.label',
    );
    refusedAt(
      windowManifest({ events: { label: 'seizure', threshold: 1.5 } }),
      'preprocessing.events.threshold',
    );
    refusedAt(windowManifest({ windowSamples: 512 }), 'input.shape');
    refusedAt(windowManifest({}, { task: 'eeg-recording-classification' }), 'task');
  });

  it('names the field of each feature-model mistake', () => {
    refusedAt(featuresManifest({ recipe: 'absolute-psd' }), 'preprocessing.recipe');
    refusedAt(featuresManifest({ epochSeconds: 2 }), 'preprocessing.epochSeconds');
    refusedAt(featuresManifest({ maxHz: 45 }), 'preprocessing.maxHz');
    refusedAt(featuresManifest({ channels: ['Fp1', 'Fp2'] }), 'preprocessing.channels');
    refusedAt(featuresManifest({ bins: 60 }), 'input.shape');
    refusedAt(featuresManifest({ aggregation: 'max' }), 'preprocessing.aggregation');
    refusedAt(featuresManifest({ kind: 'eeg-spectrogram' }), 'preprocessing.kind');
  });
});

describe('registry: EEG manifests are checked when listed', () => {
  it('a model folder with invalid EEG preprocessing is refused by medlab models, naming the field', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'medlab-eeg-registry-'));
    const dir = path.join(root, 'bad-window');
    fs.mkdirSync(dir);
    const bytes = Buffer.from('not really onnx');
    fs.writeFileSync(path.join(dir, 'model.onnx'), bytes);
    const manifest = windowManifest(
      { hopSamples: 0 },
      { sha256: createHash('sha256').update(bytes).digest('hex') },
    );
    fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(manifest));
    const previous = settings().modelsDirectory;
    configure({ modelsDirectory: root });
    try {
      const list = await listModels();
      assert.ok(!list.models.some((m) => m.id === 'test-window'), 'the bad model is not offered');
      const problem = list.problems.find((p) => p.directory === dir);
      assert.equal(problem?.code, 'E_MODEL_MANIFEST');
      assert.equal(problem?.field, 'preprocessing.hopSamples');
    } finally {
      configure({ modelsDirectory: previous ?? '' });
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
