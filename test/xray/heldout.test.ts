/**
 * Each shipped X-ray model's card, reproduced by the agent: the held-out test images listed in
 * the model's heldout.json run through the real pipeline (decoding, preprocessing, ONNX), and
 * the probabilities and the card's metrics (model.json `metrics`) come out the same. This is what
 * ties the ONNX file, the manifest and the agent's preprocessing to the training run.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { listModels } from '../../agent/models/registry';
import { silentContext } from '../../agent/runContext';
import { configure, settings } from '../../agent/settings';
import { computeMetrics } from '../../agent/study/metrics';
import { diagnose } from '../../agent/xray/batch';
import { readResults } from '../../agent/xray/results';
import { requireSharedData } from '../support/sharedData';
import { tempDir } from '../models/support/modelFolder';

interface Heldout {
  labels: string[];
  items: { path: string; label: string; source: string; population: string; probabilities: number[] }[];
}

interface CardMetrics {
  macroAuroc: { value: number };
  covidSensitivity: { value: number };
  accuracy: { value: number };
  adultCovidVsRestAuroc: { value: number };
  perSourceAccuracy: Record<string, number>;
}

describe('shipped X-ray models reproduce their cards on the held-out split', function () {
  this.timeout(900_000);
  const previous = settings().modelsDirectory;
  after(() => configure({ modelsDirectory: previous ?? '' }));

  it('finds the shipped models with a heldout.json', async function () {
    configure({ modelsDirectory: '' });
    const models = (await listModels({ task: 'xray-classification' })).models;
    const withHeldout = models.filter((m) => fs.existsSync(path.join(m.directory, 'heldout.json')));
    assert.ok(
      withHeldout.length >= 1,
      `X-ray models with heldout.json: ${withHeldout.map((m) => m.id).join(', ')}`,
    );
  });

  for (const id of ['cxr-densenet-compact', 'cxr-densenet121']) {
    it(`${id}: probabilities within 1e-4 and card metrics within 0.01`, async function () {
      const xray = requireSharedData(this, 'xray');
      configure({ modelsDirectory: '', threads: 2 });
      const model = (await listModels({ task: 'xray-classification' })).models.find((m) => m.id === id);
      if (!model) {
        if (process.env.CI === 'true') throw new Error(`${id} is not installed`);
        this.skip();
      }
      const heldout = JSON.parse(
        fs.readFileSync(path.join(model.directory, 'heldout.json'), 'utf8'),
      ) as Heldout;
      const card = (
        JSON.parse(fs.readFileSync(path.join(model.directory, 'model.json'), 'utf8')) as {
          metrics: CardMetrics;
        }
      ).metrics;
      // A folder of links to the test images (the shared folder stays untouched) and its labels CSV.
      const data = tempDir('medlab-heldout-');
      const csv = ['path,label,source,population'];
      heldout.items.forEach((item, i) => {
        const name = `${String(i).padStart(4, '0')}${path.extname(item.path)}`;
        fs.symlinkSync(path.join(xray, item.path), path.join(data, name));
        csv.push([name, item.label, item.source, item.population].join(','));
      });
      fs.writeFileSync(path.join(data, 'labels.csv'), csv.join('\n') + '\n');
      const out = path.join(tempDir('medlab-heldout-out-'), id);
      await diagnose({ path: data, model: id, labels: path.join(data, 'labels.csv'), out }, silentContext());
      const results = await readResults(path.join(out, 'results.json'));
      assert.equal(results.rows.length, heldout.items.length);
      assert.deepEqual(results.labels, heldout.labels);

      let worst = 0;
      const byName = new Map(results.rows.map((r) => [r.path, r]));
      heldout.items.forEach((item, i) => {
        const row = byName.get(`${String(i).padStart(4, '0')}${path.extname(item.path)}`);
        assert.ok(row?.probabilities, `no probabilities for ${item.path}: ${row?.error?.message}`);
        heldout.labels.forEach(
          (l, k) => (worst = Math.max(worst, Math.abs(row.probabilities![l] - item.probabilities[k]))),
        );
      });
      assert.ok(worst < 1e-4, `largest probability difference ${worst}`);

      const rows = results.rows.map((r) => ({
        label: r.label,
        prediction: r.prediction,
        probabilities: heldout.labels.map((l) => r.probabilities![l]),
        subgroups: r.subgroups,
      }));
      const report = computeMetrics(rows, heldout.labels, { by: ['source', 'population'], replicates: 0 });
      const covid = report.classes.find((c) => c.label === 'covid')!;
      const near = (what: string, got: number | null | undefined, want: number) =>
        assert.ok(
          got !== null && got !== undefined && Math.abs(got - want) <= 0.01,
          `${what}: agent ${got}, card ${want}`,
        );
      near('macro AUROC', report.macro.auroc.value, card.macroAuroc.value);
      near('COVID sensitivity', covid.sensitivity.value, card.covidSensitivity.value);
      near('accuracy', report.accuracy.value, card.accuracy.value);
      const bySource = report.subgroups.find((t) => t.column === 'source')!;
      for (const [source, acc] of Object.entries(card.perSourceAccuracy)) {
        near(
          `accuracy on ${source}`,
          bySource.groups.find((g) => g.value === source)?.metrics.accuracy.value,
          acc,
        );
      }
      const adult = report.subgroups
        .find((t) => t.column === 'population')!
        .groups.find((g) => g.value === 'adult')!;
      near(
        'adult COVID-vs-rest AUROC',
        adult.metrics.classes.find((c) => c.label === 'covid')?.auroc?.value,
        card.adultCovidVsRestAuroc.value,
      );
    });
  }
});
