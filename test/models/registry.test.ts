import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMedLabError } from '../../agent/errors';
import { findModel, listModels } from '../../agent/models/registry';
import { configure, settings } from '../../agent/settings';
import { runCli } from '../support/agentProcess';
import { tempDir, writeModelFolder } from './support/modelFolder';

describe('model registry', () => {
  let root: string;
  const previous = settings().modelsDirectory;
  before(() => {
    root = tempDir();
    writeModelFolder(root, { id: 'good-model' });
    writeModelFolder(root, { id: 'no-card', card: null });
    writeModelFolder(root, {
      id: 'bad-kernel',
      manifest: {
        preprocessing: {
          kind: 'image',
          color: 'grayscale',
          resize: { width: 32, height: 32, kernel: 'bicubic' },
        },
      },
    });
    const altered = writeModelFolder(root, { id: 'altered' });
    fs.appendFileSync(path.join(altered, 'model.onnx'), Buffer.from([0]));
    const missing = writeModelFolder(root, { id: 'missing-file' });
    fs.rmSync(path.join(missing, 'model.onnx'));
    fs.mkdirSync(path.join(root, 'not-a-model'));
    fs.mkdirSync(path.join(root, 'broken-json'));
    fs.writeFileSync(path.join(root, 'broken-json', 'model.json'), '{"id": "broken-json",');
    configure({ modelsDirectory: root });
  });
  after(() => configure({ modelsDirectory: previous ?? '' }));

  it('lists usable models and refuses the others with the field at fault', async () => {
    const list = await listModels();
    assert.ok(list.directories.includes(root));
    const ids = list.models.map((m) => m.id);
    assert.ok(ids.includes('good-model') && ids.includes('no-card'));
    for (const bad of ['bad-kernel', 'altered', 'missing-file', 'broken-json'])
      assert.ok(!ids.includes(bad), bad);
    const good = list.models.find((m) => m.id === 'good-model')!;
    assert.equal(good.origin, 'user');
    assert.equal(good.verified, true);
    assert.equal(good.hasHeatmaps, true);
    assert.equal(list.models.find((m) => m.id === 'no-card')!.hasCard, false);

    const problem = (dir: string) => list.problems.find((p) => p.directory === path.join(root, dir));
    assert.equal(problem('bad-kernel')?.field, 'preprocessing.resize.kernel');
    assert.equal(problem('bad-kernel')?.code, 'E_MODEL_MANIFEST');
    assert.equal(problem('altered')?.code, 'E_MODEL_FILE');
    assert.equal(problem('altered')?.field, 'sha256');
    assert.equal(problem('missing-file')?.field, 'file');
    assert.equal(problem('broken-json')?.code, 'E_MODEL_MANIFEST');
    assert.equal(problem('not-a-model'), undefined);
  });

  it('finds a model by id and says why another cannot be used', async () => {
    assert.equal((await findModel('good-model')).manifest.id, 'good-model');
    await assert.rejects(
      findModel('altered'),
      (e: unknown) => isMedLabError(e) && e.code === 'E_MODEL_FILE' && /differs/.test(e.message),
    );
    await assert.rejects(
      findModel('bad-kernel'),
      (e: unknown) => isMedLabError(e) && e.data.field === 'preprocessing.resize.kernel',
    );
    await assert.rejects(
      findModel('nothing-here'),
      (e: unknown) => isMedLabError(e) && e.code === 'E_NOT_FOUND' && /good-model/.test(e.message),
    );
  });

  it('notices a model file replaced after it was checked', async () => {
    const dir = writeModelFolder(root, { id: 'replaced-later' });
    await findModel('replaced-later');
    const file = path.join(dir, 'model.onnx');
    const bytes = fs.readFileSync(file);
    bytes[bytes.length - 1] ^= 1;
    fs.writeFileSync(file, bytes);
    fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
    await assert.rejects(
      findModel('replaced-later'),
      (e: unknown) => isMedLabError(e) && e.code === 'E_MODEL_FILE',
    );
  });

  it('medlab models lists them, and models show prints the card', async () => {
    const list = await runCli(['models', '--models', root, '--json']);
    assert.equal(list.code, 0, list.stderr);
    const parsed = JSON.parse(list.stdout) as { models: { id: string }[]; problems: { field?: string }[] };
    assert.ok(parsed.models.some((m) => m.id === 'good-model'));
    assert.ok(parsed.problems.some((p) => p.field === 'preprocessing.resize.kernel'));
    const text = await runCli(['models', '--models', root]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /good-model/);
    assert.match(text.stdout, /bad-kernel.*preprocessing\.resize\.kernel/s);
    const show = await runCli(['models', 'show', 'good-model', '--models', root]);
    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout, /covid, normal, pneumonia/);
    assert.match(show.stdout, /Not for clinical use/i);
    const refused = await runCli(['models', 'show', 'altered', '--models', root]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /sha256/);
  });
});
