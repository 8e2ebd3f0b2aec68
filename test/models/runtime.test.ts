import * as assert from 'node:assert/strict';
import { isMedLabError } from '../../agent/errors';
import { cudaProviderLibrary, describeExecutionProvider } from '../../agent/models/executionProvider';
import { findModel } from '../../agent/models/registry';
import { getModelSession } from '../../agent/models/runtime';
import { configure, settings } from '../../agent/settings';
import { camClassifier } from './support/onnxGraph';
import { TEST_CLASSIFIER, tempDir, writeModelFolder } from './support/modelFolder';

const softmax = (v: number[]) => {
  const e = v.map((x) => Math.exp(x - Math.max(...v)));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
};

describe('model runtime (onnxruntime sessions)', () => {
  let root: string;
  const previous = settings().modelsDirectory;
  before(() => {
    root = tempDir();
    writeModelFolder(root, { id: 'rt-model' });
    writeModelFolder(root, {
      id: 'rt-fixed',
      onnx: camClassifier({ ...TEST_CLASSIFIER, batch: 2 }),
      manifest: { input: { name: 'input', shape: [2, 1, 32, 32] } },
    });
    writeModelFolder(root, {
      id: 'rt-wrong-output',
      manifest: { outputs: { scores: 'probabilities', cam: 'heat' } },
    });
    configure({ modelsDirectory: root });
  });
  after(() => configure({ modelsDirectory: previous ?? '' }));

  it('creates a session once and reuses it', async () => {
    const model = await findModel('rt-model');
    const a = await getModelSession(model, { executionProvider: 'cpu', threads: 1 });
    const b = await getModelSession(await findModel('rt-model'), { executionProvider: 'cpu', threads: 1 });
    assert.equal(a, b);
    assert.deepEqual(
      a.outputs.map((o) => o.name),
      ['probabilities', 'cam', 'features'],
    );
    assert.deepEqual(a.inputs[0].shape, ['n', 1, 32, 32]);
  });

  it('runs the model on a batch (task-agnostic feeds and outputs)', async () => {
    const session = await getModelSession(await findModel('rt-model'), {
      executionProvider: 'cpu',
      threads: 1,
    });
    const size = 32 * 32;
    const data = new Float32Array(2 * size);
    data.fill(-1, 0, size); // image 0: mean -1
    data.fill(0.5, size); // image 1: mean 0.5
    const out = await session.run({ input: { data, dims: [2, 1, 32, 32] } });
    assert.deepEqual(out.probabilities.dims, [2, 3]);
    assert.deepEqual(out.cam.dims, [2, 3, 32, 32]);
    for (const [i, mean] of [-1, 0.5].entries()) {
      const expected = softmax(TEST_CLASSIFIER.weights.map((w, k) => w * mean + TEST_CLASSIFIER.biases[k]));
      const got = Array.from(out.probabilities.data.subarray(i * 3, i * 3 + 3));
      got.forEach((p, k) => assert.ok(Math.abs(p - expected[k]) < 1e-6, `${p} vs ${expected[k]}`));
    }
    const only = await session.run({ input: { data, dims: [2, 1, 32, 32] } }, ['features']);
    assert.deepEqual(Object.keys(only), ['features']);
  });

  it('refuses feeds that do not match the declared input, naming it', async () => {
    const session = await getModelSession(await findModel('rt-model'), {
      executionProvider: 'cpu',
      threads: 1,
    });
    const bad = async (feeds: Parameters<typeof session.run>[0], pattern: RegExp) =>
      assert.rejects(
        session.run(feeds),
        (e: unknown) => isMedLabError(e) && e.code === 'E_MODEL_INPUT' && pattern.test(e.message),
      );
    await bad(
      { input: { data: new Float32Array(64 * 64), dims: [1, 1, 64, 64] } },
      /shape \[1, 1, 64, 64\]; expected \[-1, 1, 32, 32\]/,
    );
    await bad({ input: { data: new Float32Array(10), dims: [1, 1, 32, 32] } }, /holds 10 values/);
    await bad({ image: { data: new Float32Array(1024), dims: [1, 1, 32, 32] } }, /"image" is not an input/);
    await bad({}, /input "input" is missing/);
  });

  it('honours a fixed batch dimension', async () => {
    const session = await getModelSession(await findModel('rt-fixed'), {
      executionProvider: 'cpu',
      threads: 1,
    });
    await assert.rejects(
      session.run({ input: { data: new Float32Array(1024), dims: [1, 1, 32, 32] } }),
      /expected \[2, 1, 32, 32\]/,
    );
    const out = await session.run({ input: { data: new Float32Array(2048), dims: [2, 1, 32, 32] } });
    assert.deepEqual(out.probabilities.dims, [2, 3]);
  });

  it('refuses a manifest that names an output the graph lacks', async () => {
    await assert.rejects(
      getModelSession(await findModel('rt-wrong-output'), { executionProvider: 'cpu', threads: 1 }),
      (e: unknown) =>
        isMedLabError(e) &&
        e.code === 'E_MODEL_MANIFEST' &&
        e.data.field === 'outputs.cam' &&
        /probabilities, cam, features/.test(e.message),
    );
  });

  it('auto falls back to the CPU and says why; cuda without CUDA fails clearly', async function () {
    if (cudaProviderLibrary()) this.skip(); // this machine has the CUDA provider: the fallback is not observable
    const model = await findModel('rt-model');
    const session = await getModelSession(model, { executionProvider: 'auto', threads: 1 });
    assert.equal(session.executionProvider.active, 'cpu');
    assert.equal(session.executionProvider.requested, 'auto');
    assert.match(session.executionProvider.reason, /CUDA/);
    const info = await describeExecutionProvider({ ...settings(), executionProvider: 'auto' });
    assert.equal(info.active, 'cpu');
    await assert.rejects(
      getModelSession(model, { executionProvider: 'cuda', threads: 1 }),
      (e: unknown) => isMedLabError(e) && e.code === 'E_MODEL_RUNTIME' && /CUDA requested/.test(e.message),
    );
  });

  it('uses the thread count it is given', async () => {
    const session = await getModelSession(await findModel('rt-model'), {
      executionProvider: 'cpu',
      threads: 3,
    });
    assert.equal(session.executionProvider.threads, 3);
  });
});
