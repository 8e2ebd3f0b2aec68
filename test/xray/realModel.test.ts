/**
 * The shipped X-ray model on the real shared data: DICOM variants against their source images,
 * a labelled folder of real images with broken files among them. Skips (visibly) while the
 * model or the shared data is missing; under CI=true a missing model fails.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isImagePreprocessing } from '../../agent/models/manifest';
import { findModel, listModels } from '../../agent/models/registry';
import { getModelSession } from '../../agent/models/runtime';
import { silentContext } from '../../agent/runContext';
import { configure, settings } from '../../agent/settings';
import { diagnose, PREFERRED_XRAY_MODELS } from '../../agent/xray/batch';
import { decodeXray } from '../../agent/xray/decode/decodeFile';
import { preprocess } from '../../agent/xray/preprocess';
import { readResults } from '../../agent/xray/results';
import { requireSharedData } from '../support/sharedData';
import { tempDir } from '../models/support/modelFolder';

/** The shipped X-ray models, fastest first (the folder test uses the first one). */
async function shippedModels(ctx: Mocha.Context): Promise<string[]> {
  const installed = new Set((await listModels({ task: 'xray-classification' })).models.map((m) => m.id));
  const ids = [...PREFERRED_XRAY_MODELS].filter((m) => installed.has(m));
  if (ids.length) return ids;
  if (process.env.CI === 'true') throw new Error('no shipped X-ray model under CI');
  process.stderr.write(`      SKIPPED: none of ${PREFERRED_XRAY_MODELS.join(', ')} is installed\n`);
  ctx.skip();
  return [];
}

describe('shipped X-ray model on real images', function () {
  this.timeout(300000);
  let models: string[];
  let model: string;
  const previous = settings().modelsDirectory;
  before(async function () {
    configure({ modelsDirectory: '', threads: 2 });
    models = await shippedModels(this);
    model = models[0];
  });
  after(() => configure({ modelsDirectory: previous ?? '' }));

  it('gives each DICOM variant the prediction of its source image, with every shipped model', async function () {
    const dicoms = requireSharedData(this, 'xray-dicom');
    requireSharedData(this, 'xray');
    const manifest = JSON.parse(fs.readFileSync(path.join(dicoms, 'manifest.json'), 'utf8')) as {
      files: { file: string; source: string; decodable: boolean; is_dicom: boolean; exact: boolean }[];
    };
    // One folder of links: each variant next to its source (the shared folders stay untouched).
    const data = tempDir('medlab-dicom-');
    const variants = manifest.files.filter((f) => f.decodable && f.is_dicom);
    for (const f of variants) {
      fs.symlinkSync(path.join(dicoms, f.file), path.join(data, f.file));
      fs.symlinkSync(
        path.join(dicoms, '..', f.source),
        path.join(data, `${f.file}.source${path.extname(f.source)}`),
      );
    }
    for (const id of models) {
      const r = await diagnose({ path: data, model: id, out: `${data}-out-${id}` }, silentContext());
      const rows = new Map((await readResults(r.files.json)).rows.map((row) => [row.path, row]));
      for (const f of variants) {
        const dcm = rows.get(f.file)!;
        const src = rows.get(`${f.file}.source${path.extname(f.source)}`)!;
        assert.equal(dcm.error, null, `${f.file}: ${dcm.error?.message}`);
        assert.equal(src.error, null, f.source);
        assert.equal(dcm.prediction, src.prediction, `${id} ${f.file}`);
        const worst = Math.max(
          ...Object.keys(src.probabilities!).map((l) =>
            Math.abs(dcm.probabilities![l] - src.probabilities![l]),
          ),
        );
        // Lossless variants hold the source pixels exactly; the lossy JPEG variant differs by its
        // compression noise (up to 13 grey levels), which a model may feel a little.
        assert.ok(worst <= (f.exact ? 1e-3 : 2e-2), `${id} ${f.file}: probabilities differ by ${worst}`);
      }
    }
  });

  it('diagnoses a labelled folder of real images with broken files among them', async function () {
    const xray = requireSharedData(this, 'xray');
    const dicoms = requireSharedData(this, 'xray-dicom');
    const data = tempDir('medlab-real-');
    for (const cls of ['covid', 'normal', 'pneumonia']) {
      const dir = path.join(data, cls);
      fs.mkdirSync(dir);
      const files = fs.readdirSync(path.join(xray, 'images', cls)).sort();
      for (const f of files.filter((_, i) => i % Math.floor(files.length / 20) === 0).slice(0, 20)) {
        fs.symlinkSync(path.join(xray, 'images', cls, f), path.join(dir, f));
      }
    }
    const bad = path.join(data, 'bad');
    fs.mkdirSync(bad);
    const real = fs.readFileSync(path.join(xray, 'originals', 'normal', 'kermany_IM-0129-0001.jpeg'));
    fs.writeFileSync(path.join(bad, 'truncated.jpeg'), real.subarray(0, real.length >> 1));
    fs.writeFileSync(path.join(bad, 'empty.png'), '');
    fs.symlinkSync(path.join(dicoms, '07_broken_truncated_pixeldata.dcm'), path.join(bad, '07.dcm'));
    fs.symlinkSync(path.join(dicoms, '08_not_dicom_jpeg_renamed.dcm'), path.join(bad, '08.dcm'));
    fs.writeFileSync(path.join(data, 'README.txt'), 'not an image');

    const r = await diagnose({ path: data, model, out: `${data}-out`, heatmaps: true }, silentContext());
    const res = await readResults(r.files.json);
    assert.equal(res.rows.length, 64);
    assert.equal(res.counts.errors, 4);
    assert.deepEqual(
      res.rows.filter((row) => row.error).map((row) => [row.path, row.error!.code]),
      [
        ['bad/07.dcm', 'E_DICOM'],
        ['bad/08.dcm', 'E_DICOM'],
        ['bad/empty.png', 'E_IMAGE_DECODE'],
        ['bad/truncated.jpeg', 'E_IMAGE_DECODE'],
      ],
    );
    assert.deepEqual(
      res.skipped.map((s) => s.path),
      ['README.txt'],
    );
    const good = res.rows.filter((row) => !row.error);
    assert.equal(good.length, 60);
    assert.ok(
      good.every(
        (row) => row.label !== null && row.heatmap && fs.existsSync(path.join(r.outDir, row.heatmap)),
      ),
    );
    // The batch pipeline (fused decode+resize, batching, cache) gives the probabilities of the
    // plain path: full decode to grayscale, resize, normalise, one image at a time.
    const entry = await findModel(model);
    const session = await getModelSession(entry);
    const p = entry.manifest.preprocessing;
    assert.ok(isImagePreprocessing(p));
    for (const row of good.filter((_, i) => i % 6 === 0)) {
      const file = path.join(data, row.path);
      const tensor = await preprocess(await decodeXray(fs.readFileSync(file), file), p);
      const dims = [1, 1, p.resize.height, p.resize.width];
      const out = await session.run({ [entry.manifest.input.name]: { data: tensor, dims } }, [
        entry.manifest.outputs.scores,
      ]);
      entry.manifest.labels.forEach((l, k) => {
        assert.ok(
          Math.abs(out[entry.manifest.outputs.scores].data[k] - row.probabilities![l]) < 1e-5,
          `${row.path} ${l}`,
        );
      });
    }
    const metrics = JSON.parse(fs.readFileSync(r.files.metrics!, 'utf8')) as { n: number };
    assert.equal(metrics.n, 60);
  });
});
