import * as assert from 'node:assert/strict';
import * as cp from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import { isMedLabError } from '../../agent/errors';
import type { XrayResultsFile } from '../../agent/protocol';
import { silentContext } from '../../agent/runContext';
import { configure, settings } from '../../agent/settings';
import { diagnose } from '../../agent/xray/batch';
import { parseCsv } from '../../agent/xray/csv';
import { GENERATED_PHRASE } from '../../agent/xray/decode/generatedMarker';
import { readResults } from '../../agent/xray/results';
import { REPO_ROOT, runCli } from '../support/agentProcess';
import { camClassifier } from '../models/support/onnxGraph';
import { TEST_CLASSIFIER, tempDir, writeModelFolder } from '../models/support/modelFolder';
import { writeDicom } from './support/dicomWriter';
import { classFolders, grayPixels, LEVEL, listFiles, writeImage } from './support/dataset';
import { pngWithText } from './support/imageFiles';

const MODEL = 'test-cam';

describe('batch diagnosis of a folder', () => {
  let models: string;
  const previous = settings().modelsDirectory;
  before(() => {
    models = tempDir();
    writeModelFolder(models, { id: MODEL });
    writeModelFolder(models, {
      id: 'test-logits',
      onnx: camClassifier({ ...TEST_CLASSIFIER, scoreType: 'logits' }),
      manifest: { outputs: { scores: 'logits', scoreType: 'logits', cam: 'cam' } },
    });
    configure({ modelsDirectory: models, threads: 1 });
  });
  after(() => configure({ modelsDirectory: previous ?? '' }));

  describe('labels from class sub-folders, bad files among good ones', () => {
    let data: string;
    let before0: string[];
    let first: Awaited<ReturnType<typeof diagnose>>;
    let results: XrayResultsFile;
    before(async () => {
      data = tempDir('medlab-data-');
      await classFolders(data, 4, { covid: 'Covid', normal: 'NORMAL', pneumonia: 'pneumonia' });
      const bad = path.join(data, 'bad');
      fs.mkdirSync(bad);
      fs.writeFileSync(path.join(bad, 'zero.png'), '');
      const jpeg = await sharp(grayPixels(100, 200, 200, 1), {
        raw: { width: 200, height: 200, channels: 1 },
      })
        .jpeg()
        .toBuffer();
      fs.writeFileSync(path.join(bad, 'truncated.jpg'), jpeg.subarray(0, jpeg.length >> 1));
      fs.writeFileSync(path.join(bad, 'garbage.dcm'), Buffer.alloc(300, 7));
      fs.writeFileSync(path.join(bad, 'renamed.dcm'), jpeg);
      const png = await sharp(grayPixels(100, 32, 32, 2), { raw: { width: 32, height: 32, channels: 1 } })
        .png()
        .toBuffer();
      fs.writeFileSync(
        path.join(bad, 'generated.png'),
        pngWithText(png, 'iTXt', 'Description', GENERATED_PHRASE),
      );
      // A DICOM without an extension is found by its signature.
      fs.writeFileSync(
        path.join(data, 'pneumonia', 'IM0001'),
        writeDicom({
          rows: 40,
          columns: 40,
          bitsAllocated: 8,
          pixels: grayPixels(LEVEL.pneumonia, 40, 40, 3),
        }),
      );
      fs.writeFileSync(path.join(data, 'notes.txt'), 'not an image');
      fs.writeFileSync(path.join(data, 'NORMAL', 'export.csv'), 'a,b\n');
      fs.writeFileSync(path.join(data, '.DS_Store'), 'hidden');
      before0 = listFiles(data);
      first = await diagnose({ path: data, model: MODEL, batchSize: 4 }, silentContext());
      results = await readResults(first.files.json);
    });

    it('writes one row per image, diagnoses the good ones and labels them from the folders', () => {
      assert.equal(first.outDir, path.join(data, '.medlab', MODEL));
      assert.equal(results.rows.length, 12 + 5 + 1);
      assert.equal(new Set(results.rows.map((r) => r.path)).size, results.rows.length);
      assert.equal(results.labelSource, 'folders');
      const good = results.rows.filter((r) => !r.path.startsWith('bad/'));
      assert.equal(good.length, 13);
      for (const r of good) {
        assert.equal(r.error, null, r.path);
        assert.ok(r.label && ['covid', 'normal', 'pneumonia'].includes(r.label), r.path);
        assert.equal(r.prediction, r.label, `${r.path}: ${JSON.stringify(r.probabilities)}`);
        const sum = Object.values(r.probabilities!).reduce((a, b) => a + b, 0);
        assert.ok(Math.abs(sum - 1) < 1e-5);
      }
      assert.equal(results.rows.find((r) => r.path === 'NORMAL/img_0000.png')?.label, 'normal');
      assert.equal(results.rows.find((r) => r.path === 'pneumonia/IM0001')?.prediction, 'pneumonia');
    });

    it('turns each bad file into one error row with its reason', () => {
      const error = (name: string) => results.rows.find((r) => r.path === `bad/${name}`)?.error;
      assert.equal(error('zero.png')?.code, 'E_IMAGE_DECODE');
      assert.match(error('zero.png')!.message, /empty file/);
      assert.equal(error('truncated.jpg')?.code, 'E_IMAGE_DECODE');
      assert.equal(error('garbage.dcm')?.code, 'E_DICOM');
      assert.match(error('renamed.dcm')!.message, /no "DICM" marker/);
      assert.equal(error('generated.png')?.code, 'E_GENERATED_IMAGE');
      for (const r of results.rows.filter((x) => x.error)) assert.equal(r.prediction, null);
      assert.equal(first.counts.errors, 5);
    });

    it('lists the skipped non-image files and writes nothing in the dataset but .medlab', () => {
      assert.deepEqual(results.skipped.map((s) => s.path).sort(), ['NORMAL/export.csv', 'notes.txt']);
      const now = listFiles(data).filter((f) => !f.startsWith('.medlab/'));
      assert.deepEqual(now, before0);
      const written = listFiles(path.join(data, '.medlab', MODEL));
      assert.deepEqual(written, ['cache.jsonl', 'metrics.json', 'results.csv', 'results.json']);
    });

    it('writes results.csv with a column per class and metrics.json over the labelled rows', () => {
      const { rows } = parseCsv(fs.readFileSync(first.files.csv, 'utf8'));
      assert.deepEqual(rows[0], [
        'path',
        'label',
        'prediction',
        'p_covid',
        'p_normal',
        'p_pneumonia',
        'error_code',
        'error',
        'heatmap',
      ]);
      assert.equal(rows.length, 1 + 18);
      const gen = rows.find((r) => r[0] === 'bad/generated.png')!;
      assert.equal(gen[6], 'E_GENERATED_IMAGE');
      const metrics = JSON.parse(fs.readFileSync(first.files.metrics!, 'utf8')) as {
        n: number;
        accuracy: { value: number };
      };
      assert.equal(metrics.n, 13);
      assert.equal(metrics.accuracy.value, 1);
    });

    it('repeats no work on a rerun and redoes only a changed file', async () => {
      const again = await diagnose({ path: data, model: MODEL }, silentContext());
      assert.equal(again.counts.computed, 0);
      assert.equal(again.counts.cached, 18);
      const before1 = await readResults(again.files.json);
      assert.deepEqual(
        before1.rows.map((r) => [r.path, r.prediction, r.error?.code]),
        results.rows.map((r) => [r.path, r.prediction, r.error?.code]),
      );
      await writeImage(path.join(data, 'Covid', 'img_0001.jpg'), 'pneumonia', 99);
      const changed = await diagnose({ path: data, model: MODEL }, silentContext());
      assert.equal(changed.counts.computed, 1);
      const row = (await readResults(changed.files.json)).rows.find((r) => r.path === 'Covid/img_0001.jpg')!;
      assert.equal(row.prediction, 'pneumonia');
      assert.equal(row.label, 'covid');
    });
  });

  describe('labels CSV', () => {
    let data: string;
    before(async () => {
      data = tempDir('medlab-data-');
      await classFolders(data, 2);
    });

    it('takes labels and subgroup columns from the CSV and lists rows without a file', async () => {
      const csv = path.join(data, 'labels.csv');
      fs.writeFileSync(
        csv,
        [
          'path,label,patient_id,site',
          'covid/img_0000.png,COVID,p1,north',
          '"covid/img_0001.jpg",covid,p2,south',
          'normal/img_0000.png,normal,p3,north',
          'pneumonia/img_0001.jpg,,p4,south',
          'gone/missing.png,normal,p5,north',
        ].join('\r\n'),
      );
      const r = await diagnose(
        { path: data, model: MODEL, labels: csv, out: path.join(data, '.medlab', 'csv-run') },
        silentContext(),
      );
      const res = await readResults(r.files.json);
      assert.equal(res.labelSource, 'csv');
      assert.deepEqual(res.subgroupColumns, ['patient_id', 'site']);
      assert.deepEqual(res.missing, ['gone/missing.png']);
      const row = res.rows.find((x) => x.path === 'covid/img_0000.png')!;
      assert.equal(row.label, 'covid');
      assert.deepEqual(row.subgroups, { patient_id: 'p1', site: 'north' });
      assert.equal(res.rows.find((x) => x.path === 'pneumonia/img_0001.jpg')!.label, null);
      assert.equal(res.rows.find((x) => x.path === 'normal/img_0001.jpg')!.label, null);
      assert.equal(res.counts.labelled, 3);
      const { rows } = parseCsv(fs.readFileSync(r.files.csv, 'utf8'));
      assert.deepEqual(rows[0].slice(-3), ['patient_id', 'site', 'heatmap']);
      const metrics = JSON.parse(fs.readFileSync(r.files.metrics!, 'utf8')) as {
        subgroups: { column: string }[];
      };
      assert.ok(!JSON.stringify(metrics).includes('"p1"'), 'patient ids stay out of metrics');
      assert.ok(metrics.subgroups.every((s) => s.column !== 'patient_id'));
    });

    it('refuses a label the model does not have, naming the line', async () => {
      const csv = path.join(data, 'bad-labels.csv');
      fs.writeFileSync(csv, 'path,label\ncovid/img_0000.png,covid\ncovid/img_0001.jpg,tuberculosis\n');
      await assert.rejects(
        diagnose({ path: data, model: MODEL, labels: csv }, silentContext()),
        (e: unknown) =>
          isMedLabError(e) && e.code === 'E_LABELS' && /line 3: label "tuberculosis"/.test(e.message),
      );
      fs.writeFileSync(csv, 'file,diagnosis\nx.png,covid\n');
      await assert.rejects(
        diagnose({ path: data, model: MODEL, labels: csv }, silentContext()),
        (e: unknown) => isMedLabError(e) && e.code === 'E_LABELS' && e.data.field === 'path',
      );
    });
  });

  describe('interrupted runs', () => {
    it('keeps every finished image when cancelled and resumes without repeating work', async () => {
      const data = tempDir('medlab-data-');
      await classFolders(data, 20);
      const controller = new AbortController();
      const ctx = silentContext(controller.signal);
      // Cancel once 10 images are in the cache (checked between batches).
      const cache = path.join(data, '.medlab', MODEL, 'cache.jsonl');
      const poll = setInterval(() => {
        if (fs.existsSync(cache) && fs.readFileSync(cache, 'utf8').split('\n').length > 10)
          controller.abort();
      }, 1);
      await assert.rejects(
        diagnose({ path: data, model: MODEL, batchSize: 2 }, ctx),
        (e: unknown) =>
          isMedLabError(e) && e.code === 'E_CANCELLED' && /run it again to resume/.test(e.message),
      );
      clearInterval(poll);
      const partial = await readResults(path.join(data, '.medlab', MODEL, 'results.json'));
      assert.equal(partial.complete, false);
      assert.ok(partial.rows.length >= 10 && partial.rows.length < 60, `${partial.rows.length} rows`);
      const resumed = await diagnose({ path: data, model: MODEL }, silentContext());
      const all = await readResults(resumed.files.json);
      assert.equal(all.complete, true);
      assert.equal(all.rows.length, 60);
      assert.equal(new Set(all.rows.map((r) => r.path)).size, 60);
      assert.ok(resumed.counts.cached >= partial.rows.length);
      assert.equal(resumed.counts.computed + resumed.counts.cached, 60);
    });

    it('loses no row and repeats no finished image after the process is killed', async function () {
      this.timeout(180000);
      const data = tempDir('medlab-data-');
      for (let i = 0; i < 240; i++) {
        const cls = (['covid', 'normal', 'pneumonia'] as const)[i % 3];
        await writeImage(path.join(data, cls, `k${String(i).padStart(3, '0')}.png`), cls, i, 320);
      }
      const cache = path.join(data, '.medlab', MODEL, 'cache.jsonl');
      const lines = () =>
        fs.existsSync(cache) ? fs.readFileSync(cache, 'utf8').split('\n').filter(Boolean).length : 0;
      /** Runs `medlab diagnose` and sends `signal` once 20 images are cached; resolves with its exit. */
      const interruptAt20 = async (signal: NodeJS.Signals) => {
        const child = cp.spawn(
          process.execPath,
          ['--import', 'tsx', path.join(REPO_ROOT, 'agent', 'cli', 'main.ts'), 'diagnose', data].concat([
            '--model',
            MODEL,
            '--models',
            models,
            '--batch',
            '1',
            '--threads',
            '1',
          ]),
          { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
        );
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        const exited = new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
        let at = -1;
        for (let t = 0; t < 1200 && child.exitCode === null; t++) {
          if (lines() >= 20) {
            child.kill(signal);
            at = lines();
            break;
          }
          await new Promise((r) => setTimeout(r, 25));
        }
        return { code: await exited, at, stderr };
      };

      const killedAt = (await interruptAt20('SIGKILL')).at;
      assert.ok(killedAt >= 20 && killedAt < 240, `killed after ${killedAt} cached images`);
      const resumed = await diagnose({ path: data, model: MODEL }, silentContext());
      const all = await readResults(resumed.files.json);
      assert.equal(all.rows.length, 240);
      assert.equal(new Set(all.rows.map((r) => r.path)).size, 240);
      assert.ok(all.rows.every((r) => r.error === null && r.prediction === r.label));
      assert.ok(
        resumed.counts.cached >= killedAt,
        `${resumed.counts.cached} cached, ${killedAt} before the kill`,
      );
      assert.ok(resumed.counts.computed <= 240 - killedAt);

      // Ctrl-C: the CLI finishes the batch in flight, writes partial results and exits 130.
      fs.rmSync(path.join(data, '.medlab'), { recursive: true });
      const { code, stderr } = await interruptAt20('SIGINT');
      assert.equal(code, 130, stderr);
      assert.match(stderr, /partial results in .*run it again to resume/);
      const partial = await readResults(path.join(data, '.medlab', MODEL, 'results.json'));
      assert.equal(partial.complete, false);
      assert.ok(partial.rows.length >= 20 && partial.rows.length < 240, `${partial.rows.length} rows`);
    });
  });

  describe('heat maps, single images, logits', () => {
    it('writes a PNG overlay per image under heatmaps/ and names it in the row', async () => {
      const data = tempDir('medlab-data-');
      await classFolders(data, 1);
      const r = await diagnose({ path: data, model: MODEL, heatmaps: true }, silentContext());
      const res = await readResults(r.files.json);
      assert.equal(r.files.heatmaps, path.join(r.outDir, 'heatmaps'));
      for (const row of res.rows) {
        assert.equal(row.heatmap, `heatmaps/${row.path}.png`);
        const meta = await sharp(path.join(r.outDir, row.heatmap!)).metadata();
        assert.equal(meta.format, 'png');
        assert.equal(meta.width, 48);
        assert.equal(meta.height, 56);
      }
      // Cached rows keep their heat maps; a deleted one is drawn again.
      fs.rmSync(path.join(r.outDir, res.rows[0].heatmap!));
      const again = await diagnose({ path: data, model: MODEL, heatmaps: true }, silentContext());
      assert.equal(again.counts.computed, 1);
      assert.ok(fs.existsSync(path.join(r.outDir, res.rows[0].heatmap!)));
    });

    it('diagnoses a single image without touching the folder results', async () => {
      const data = tempDir('medlab-data-');
      await classFolders(data, 1);
      const folder = await diagnose({ path: data, model: MODEL }, silentContext());
      const one = await diagnose(
        { path: path.join(data, 'covid', 'img_0000.png'), model: MODEL },
        silentContext(),
      );
      assert.equal(one.rows.length, 1);
      assert.equal(one.rows[0].prediction, 'covid');
      assert.equal(one.counts.cached, 1, 'the folder run already cached it');
      assert.equal(one.rows[0].path, 'covid/img_0000.png');
      assert.equal(one.rows[0].label, 'covid', 'the class folder of the dataset');
      assert.equal(one.outDir, path.join(folder.outDir, 'single', 'covid', 'img_0000.png'));
      assert.equal((await readResults(folder.files.json)).rows.length, 3);
    });

    it('applies softmax to a logits model', async () => {
      const data = tempDir('medlab-data-');
      await classFolders(data, 1);
      const r = await diagnose({ path: data, model: 'test-logits' }, silentContext());
      for (const row of r.rows) {
        const sum = Object.values(row.probabilities!).reduce((a, b) => a + b, 0);
        assert.ok(Math.abs(sum - 1) < 1e-5);
        assert.equal(row.prediction, row.label);
      }
    });
  });

  describe('medlab diagnose', () => {
    it('prints a summary for a folder and a prediction for one image; a broken image exits 1', async () => {
      const data = tempDir('medlab-data-');
      await classFolders(data, 1);
      fs.writeFileSync(path.join(data, 'broken.png'), 'nope');
      const folder = await runCli(['diagnose', data, '--model', MODEL, '--models', models]);
      assert.equal(folder.code, 0, folder.stderr);
      assert.match(folder.stdout, /4 images: 4 diagnosed, 0 from cache, 1 errors/);
      assert.match(folder.stdout, /error broken\.png: E_IMAGE_DECODE/);
      assert.match(folder.stdout, /accuracy 1\.000/);
      assert.match(folder.stdout, /not for clinical use/);
      const one = await runCli([
        'diagnose',
        path.join(data, 'normal', 'img_0000.png'),
        '--model',
        MODEL,
        '--models',
        models,
      ]);
      assert.equal(one.code, 0, one.stderr);
      assert.match(
        one.stdout,
        /img_0000\.png: normal \(covid 0\.\d+, normal 0\.\d+, pneumonia 0\.\d+\); label normal/,
      );
      const bad = await runCli([
        'diagnose',
        path.join(data, 'broken.png'),
        '--model',
        MODEL,
        '--models',
        models,
      ]);
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /broken\.png: E_IMAGE_DECODE/);
      const json = await runCli(['diagnose', data, '--model', MODEL, '--models', models, '--json']);
      const parsed = JSON.parse(json.stdout) as { counts: { cached: number } };
      assert.equal(parsed.counts.cached, 4);
    });
  });
});
