/**
 * `medlab eeg predict` and `eeg/predict` end to end with a lab's own three-class window model
 * (written here: ONNX by hand, model.json, a generated EDF), and the shipped models' errors:
 * events follow the channel that changes, ECG is not scored, channel selection, typed refusals.
 */
import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { EegPrediction } from '../../agent/protocol';
import { EdfWriter } from '../../samples/edf/writer';
import { onnxModel } from '../models/support/onnxGraph';
import { runCli, startAgent, type AgentHandle } from '../support/agentProcess';

const WINDOW = 200;

/**
 * logits_k = w_k · mean((x[i+1] − x[i])²) + b_k over a z-scored window: high-frequency windows go
 * to "seizure", slow ones to "background" ("spike" stays in between).
 */
function highFrequencyClassifier(): Uint8Array {
  return onnxModel({
    initializers: [
      { name: 'diff', dims: [1, 1, 2], values: [-1, 1] },
      { name: 'w', dims: [1, 3], values: [-4, 0, 4] },
      { name: 'b', dims: [3], values: [2, 0, -2] },
    ],
    nodes: [
      { op: 'Conv', inputs: ['input', 'diff'], outputs: ['d'], attributes: { kernel_shape: [2] } },
      { op: 'Mul', inputs: ['d', 'd'], outputs: ['d2'] },
      { op: 'ReduceMean', inputs: ['d2'], outputs: ['hf3'], attributes: { axes: [1, 2], keepdims: 1 } },
      { op: 'Flatten', inputs: ['hf3'], outputs: ['hf'], attributes: { axis: 1 } },
      { op: 'Mul', inputs: ['hf', 'w'], outputs: ['scaled'] },
      { op: 'Add', inputs: ['scaled', 'b'], outputs: ['logits'] },
    ],
    inputs: [{ name: 'input', dims: ['n', 1, WINDOW] }],
    outputs: [{ name: 'logits', dims: ['n', 3] }],
  });
}

function writeModel(root: string): void {
  const dir = path.join(root, 'lab-hf-detector');
  fs.mkdirSync(dir, { recursive: true });
  const onnx = highFrequencyClassifier();
  fs.writeFileSync(path.join(dir, 'model.onnx'), onnx);
  const manifest = {
    id: 'lab-hf-detector',
    name: 'Three-class window test model',
    version: '0.0.1',
    task: 'eeg-window-classification',
    file: 'model.onnx',
    sha256: crypto.createHash('sha256').update(onnx).digest('hex'),
    labels: ['background', 'spike', 'seizure'],
    input: { name: 'input', shape: [-1, 1, WINDOW], dtype: 'float32' },
    outputs: { scores: 'logits', scoreType: 'logits' },
    preprocessing: {
      kind: 'eeg-window',
      sampleRate: 100,
      filter: { description: 'pass-through', sos: [[1, 0, 0, 1, 0, 0]] },
      windowSamples: WINDOW,
      hopSamples: 100,
      normalize: { kind: 'zscore', minStd: 1e-6 },
      events: { label: 'seizure', threshold: 0.5 },
    },
    license: 'MIT (test model)',
    trainingData: 'none: weights set by hand',
  };
  fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(manifest));
  fs.writeFileSync(path.join(dir, 'MODEL_CARD.md'), '# test model\nNot for clinical use.\n');
}

/** 60 s at 200 Hz: C3 slow then fast from 30 s, C4 slow throughout, ECG fast throughout. */
async function writeRecording(file: string): Promise<void> {
  const rate = 200;
  const w = await EdfWriter.create(file, {
    format: 'EDF+C',
    recordDuration: 1,
    signals: ['EEG C3-REF', 'EEG C4-REF', 'ECG'].map((label) => ({
      label,
      unit: 'uV',
      samplesPerRecord: rate,
      physicalMin: -3276.8,
      physicalMax: 3276.7,
    })),
    start: { year: 2024, month: 5, day: 6, hour: 7, minute: 8, second: 9 },
  });
  const t = Float64Array.from({ length: 60 * rate }, (_, i) => i / rate);
  const sine = (f: number, x: number) => 50 * Math.sin(2 * Math.PI * f * x);
  await w.writePhysical([
    Float32Array.from(t, (x) => sine(x < 30 ? 2 : 30, x)),
    Float32Array.from(t, (x) => sine(2, x)),
    Float32Array.from(t, (x) => sine(30, x)),
  ]);
  await w.close();
}

describe('eeg predict: CLI and RPC with a three-class window model', function () {
  this.timeout(180000);
  let dir = '';
  let models = '';
  let edf = '';
  let agent: AgentHandle | undefined;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medlab-predict-cli-'));
    models = path.join(dir, 'models');
    writeModel(models);
    edf = path.join(dir, 'rec.edf');
    await writeRecording(edf);
  });
  after(async () => {
    await agent?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('medlab eeg predict --json: windows per EEG channel, an event where C3 turns fast, ECG skipped', async () => {
    const r = await runCli([
      'eeg',
      'predict',
      edf,
      '--model',
      'lab-hf-detector',
      '--models',
      models,
      '--json',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const p = JSON.parse(r.stdout) as EegPrediction;
    assert.deepEqual(p.labels, ['background', 'spike', 'seizure']);
    assert.deepEqual([...new Set(p.windows.map((w) => w.channel))].sort(), ['EEG C3-REF', 'EEG C4-REF']);
    assert.ok(p.windows.every((w) => w.probabilities.length === 3));
    assert.ok(p.windows.every((w) => Math.abs(w.probabilities.reduce((a, b) => a + b, 0) - 1) < 1e-5));
    assert.equal(p.events.length, 1);
    const e = p.events[0];
    assert.deepEqual(e.channels, ['EEG C3-REF']);
    assert.equal(e.label, 'seizure');
    assert.ok(e.start >= 27 && e.start <= 30, `event starts at ${e.start}`);
    assert.ok(Math.abs(e.start + e.duration - 60) < 1e-6, `event ends at ${e.start + e.duration}`);
    assert.ok(e.probability > 0.99);
    // A quarter of all windows is fast: the recording mean of "seizure" sits near 0.25.
    assert.ok(Math.abs(p.probabilities[2] - 0.25) < 0.05, `p(seizure) ${p.probabilities[2]}`);
  });

  it('text output says research use only; a missing --model is a usage error', async () => {
    const r = await runCli(['eeg', 'predict', edf, '--model', 'lab-hf-detector', '--models', models]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /not for clinical use/);
    assert.match(r.stdout, /seizure/);
    const bad = await runCli(['eeg', 'predict', edf]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--model/);
  });

  it('eeg/predict over RPC: channel selection, and typed refusals naming the field', async () => {
    agent = startAgent();
    await agent.request('agent/configure', { modelsDirectory: models });
    const c4 = await agent.request('eeg/predict', { path: edf, model: 'lab-hf-detector', channels: ['C4'] });
    assert.ok(c4.windows.every((w) => w.channel === 'EEG C4-REF'));
    assert.equal(c4.events.length, 0);
    await assert.rejects(
      agent.request('eeg/predict', { path: edf, model: 'lab-hf-detector', channels: ['Pz'] }),
      (e: { data?: { code?: string } }) => e.data?.code === 'E_EEG_CHANNEL',
    );
    await assert.rejects(
      agent.request('eeg/predict', { path: edf, model: 'no-such-model' }),
      (e: { data?: { code?: string; field?: string } }) =>
        e.data?.code === 'E_NOT_FOUND' && e.data.field === 'model',
    );
    // The shipped AD screen needs the 19 recipe channels; this recording has two.
    await assert.rejects(
      agent.request('eeg/predict', { path: edf, model: 'eeg-ad-screen' }),
      (e: { data?: { code?: string } }) => e.data?.code === 'E_EEG_CHANNEL',
    );
    await assert.rejects(
      agent.request('eeg/predict', { path: edf, model: 'eeg-ad-screen', channels: ['C3'] }),
      (e: { data?: { code?: string; field?: string } }) =>
        e.data?.code === 'E_USAGE' && e.data.field === 'channels',
    );
  });
});
