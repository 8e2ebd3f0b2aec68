import * as assert from 'node:assert/strict';
import { validateManifest } from '../../agent/models/manifest';
import { isMedLabError } from '../../agent/errors';
import { camClassifier } from './support/onnxGraph';
import { TEST_CLASSIFIER, testManifest } from './support/modelFolder';

const base = () => testManifest('lab-densenet', camClassifier(TEST_CLASSIFIER));

function refusal(change: (m: Record<string, unknown>) => void): { field?: string; message: string } {
  const m = JSON.parse(JSON.stringify(base())) as Record<string, unknown>;
  change(m);
  try {
    validateManifest(m, '/models/lab/model.json');
  } catch (e) {
    assert.ok(isMedLabError(e), String(e));
    assert.equal(e.code, 'E_MODEL_MANIFEST');
    return { field: e.data.field, message: e.message };
  }
  throw new Error('manifest was accepted');
}

describe('model manifest validation', () => {
  it('accepts a complete manifest and fills the defaults', () => {
    const m = base();
    delete m.intendedUse;
    delete m.metrics;
    const v = validateManifest(m, 'model.json');
    assert.equal(v.id, 'lab-densenet');
    assert.deepEqual(v.labels, ['covid', 'normal', 'pneumonia']);
    assert.match(v.intendedUse, /not for clinical use/i);
    assert.deepEqual(v.metrics, {});
    assert.equal(v.preprocessing.kind, 'image');
  });

  const cases: [string, (m: Record<string, unknown>) => void, string][] = [
    ['a missing id', (m) => delete m.id, 'id'],
    ['an id with capitals', (m) => (m.id = 'Lab Model'), 'id'],
    ['an unknown task', (m) => (m.task = 'ct-segmentation'), 'task'],
    ['a file outside the folder', (m) => (m.file = '../other/model.onnx'), 'file'],
    ['a short sha256', (m) => (m.sha256 = 'abc'), 'sha256'],
    ['a single label', (m) => (m.labels = ['covid']), 'labels'],
    ['labels repeated in another case', (m) => (m.labels = ['covid', 'Covid', 'normal']), 'labels[1]'],
    ['a positive label not among labels', (m) => (m.positiveLabel = 'tb'), 'positiveLabel'],
    [
      'a fractional input size',
      (m) => ((m.input as { shape: number[] }).shape = [-1, 1, 32.5, 32]),
      'input.shape[2]',
    ],
    [
      '3 channels for a grayscale model',
      (m) => ((m.input as { shape: number[] }).shape = [-1, 3, 32, 32]),
      'input.shape[1]',
    ],
    [
      'an input size that disagrees with the resize',
      (m) => ((m.input as { shape: number[] }).shape = [-1, 1, 64, 32]),
      'input.shape[2]',
    ],
    [
      'a missing scores output',
      (m) => delete (m.outputs as Record<string, unknown>).scores,
      'outputs.scores',
    ],
    [
      'an unknown score type',
      (m) => ((m.outputs as Record<string, unknown>).scoreType = 'odds'),
      'outputs.scoreType',
    ],
    [
      'an unknown resize kernel',
      (m) => ((m.preprocessing as { resize: Record<string, unknown> }).resize.kernel = 'bicubic'),
      'preprocessing.resize.kernel',
    ],
    [
      'an unknown fit',
      (m) => ((m.preprocessing as { resize: Record<string, unknown> }).resize.fit = 'stretch'),
      'preprocessing.resize.fit',
    ],
    ['a zero std', (m) => ((m.preprocessing as Record<string, unknown>).std = [0]), 'preprocessing.std[0]'],
    [
      'two means for a grayscale model',
      (m) => ((m.preprocessing as Record<string, unknown>).mean = [0.5, 0.5]),
      'preprocessing.mean',
    ],
    [
      'a non-image preprocessing for an X-ray task',
      (m) => ((m.preprocessing as Record<string, unknown>).kind = 'eeg-window'),
      'preprocessing.kind',
    ],
    ['a missing licence', (m) => delete m.license, 'license'],
    ['missing training data', (m) => delete m.trainingData, 'trainingData'],
  ];
  for (const [what, change, field] of cases) {
    it(`refuses ${what}, naming ${field}`, () => {
      const r = refusal(change);
      assert.equal(r.field, field);
      assert.ok(r.message.includes(field), r.message);
      assert.ok(r.message.includes('/models/lab/model.json'), r.message);
    });
  }

  it('accepts EEG tasks and leaves their preprocessing to the EEG code', () => {
    const m = base();
    m.task = 'eeg-window-classification';
    m.input = { name: 'input', shape: [-1, 19, 512], dtype: 'float32' };
    m.preprocessing = { kind: 'eeg-window', seconds: 2, channels: ['Fp1', 'Fp2'] };
    const v = validateManifest(m, 'model.json');
    assert.equal(v.task, 'eeg-window-classification');
    assert.deepEqual(v.preprocessing, { kind: 'eeg-window', seconds: 2, channels: ['Fp1', 'Fp2'] });
  });

  it('accepts an RGB model with per-channel normalisation', () => {
    const m = base();
    m.input = { name: 'input', shape: [-1, 3, 32, 32], dtype: 'float32' };
    m.preprocessing = {
      kind: 'image',
      color: 'rgb',
      resize: { width: 32, height: 32, fit: 'cover', kernel: 'cubic' },
      scale: 255,
      mean: [0.485, 0.456, 0.406],
      std: [0.229, 0.224, 0.225],
    };
    assert.equal(validateManifest(m, 'model.json').preprocessing.kind, 'image');
  });
});
