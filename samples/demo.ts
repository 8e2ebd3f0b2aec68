/**
 * `npm run demo`: the main job end to end, as a researcher would run it from a terminal.
 * 1. generates synthetic 10-20 recordings (samples/out/);
 * 2. reads one (header, annotations), computes its band powers, runs the seizure detector on it;
 * 3. diagnoses the shared chest X-ray set with the default DenseNet and reports metrics on the
 *    held-out test split (the split rule of ../shared/data/xray/README.md), per source and
 *    population, as CSV/JSON/HTML.
 * Every step is a `medlab` command, printed before it runs, so the demo doubles as a tutorial.
 * Research software, not for clinical use.
 */
import * as cp from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { csvLine, parseCsv } from '../agent/xray/csv';

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'samples', 'out');
const SHARED = path.resolve(process.env.MEDLAB_SHARED_DATA ?? path.join(ROOT, '..', 'shared', 'data'));
const CLI = path.join(ROOT, 'bin', 'medlab.cjs');

function medlab(args: string[], opts: { json?: boolean } = {}): string {
  const shown = args
    .map((a) => (a.startsWith(ROOT) ? path.relative(ROOT, a) : a))
    .map((a) => (/\s/.test(a) ? JSON.stringify(a) : a));
  process.stdout.write(`\n$ medlab ${shown.join(' ')}\n`);
  const r = cp.spawnSync(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 28,
  });
  if (!opts.json) process.stdout.write(r.stdout);
  if (r.status !== 0) throw new Error(`medlab ${args[0]} failed (exit ${r.status})`);
  return r.stdout;
}

/** The data README's patient-level split: sha256(patient_id) % 100 → train < 70 ≤ val < 85 ≤ test. */
function split(patientId: string): 'train' | 'val' | 'test' {
  const b = parseInt(createHash('sha256').update(patientId, 'utf8').digest('hex').slice(0, 8), 16) % 100;
  return b < 70 ? 'train' : b < 85 ? 'val' : 'test';
}

/** Labels CSV of the test split with absolute paths, and the subgroup columns researchers report. */
function testSplitLabels(xrayDir: string, dest: string): number {
  const [cols, ...rows] = parseCsv(fs.readFileSync(path.join(xrayDir, 'labels.csv'), 'utf8')).rows;
  const at = (name: string) => cols.indexOf(name);
  const keep = ['source', 'population', 'view'];
  const lines = [csvLine(['path', 'label', 'patient_id', ...keep])];
  for (const f of rows) {
    if (f[at('original')] === '1' || split(f[at('patient_id')]) !== 'test') continue;
    lines.push(
      [
        path.join(xrayDir, f[at('path')]),
        f[at('label')],
        f[at('patient_id')],
        ...keep.map((k) => f[at(k)]),
      ].join(','),
    );
  }
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.writeFileSync(dest, lines.join('\n') + '\n');
  return lines.length - 1;
}

function main(): void {
  console.log('MedLab demo — research software, not for clinical use.');
  const g = cp.spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'samples', 'generate.ts'), OUT],
    { cwd: ROOT, stdio: 'inherit' },
  );
  if (g.status !== 0) throw new Error('sample generation failed');

  medlab(['info']);
  const models = JSON.parse(medlab(['models', '--json'], { json: true })) as {
    models: { id: string; task: string; name: string }[];
  };
  for (const m of models.models) console.log(`  ${m.id.padEnd(28)} ${m.task.padEnd(30)} ${m.name}`);

  const edf = path.join(OUT, 'eeg1020_alpha_artefacts.edf');
  medlab(['eeg', 'info', edf]);
  medlab(['eeg', 'bands', edf, '--start', '0', '--duration', '30']);
  const seizure = models.models.find((m) => m.task === 'eeg-window-classification');
  if (seizure) medlab(['eeg', 'predict', edf, '--model', seizure.id]);

  const xray = path.join(SHARED, 'xray');
  if (!fs.existsSync(path.join(xray, 'labels.csv'))) {
    console.log(`\nSkipping the X-ray part: ${xray} not found (set MEDLAB_SHARED_DATA to the data folder).`);
    return;
  }
  const demoDir = path.join(OUT, 'xray-demo');
  const labels = path.join(demoDir, 'test-split-labels.csv');
  const n = testSplitLabels(xray, labels);
  console.log(
    `\nLabelled test split: ${n} images (metrics use these only; the other images are diagnosed unlabelled).`,
  );
  medlab(['diagnose', path.join(xray, 'images'), '--labels', labels, '--out', demoDir]);
  medlab([
    'metrics',
    path.join(demoDir, 'results.json'),
    '--by',
    'source,population',
    '--html',
    path.join(demoDir, 'report.html'),
    '--csv',
    path.join(demoDir, 'metrics.csv'),
  ]);
  console.log(
    `\nReport: ${path.relative(ROOT, path.join(demoDir, 'report.html'))} · results: ${path.relative(ROOT, path.join(demoDir, 'results.csv'))}`,
  );
  console.log('Run it again: every image comes from the cache, nothing is recomputed.');
}

main();
