/** `medlab metrics` and the `study/metrics` RPC method on a results.json in the diagnosis-run format. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli, startAgent } from '../support/agentProcess';
import { reference } from './reference';

const mc = reference.multiclass;

/** A results.json as a diagnosis run writes it (probabilities keyed by label, error objects). */
function resultsJson(): object {
  const rows: object[] = mc.truth.map((t, i) => ({
    path: `images/${mc.labels[t]}/${i}.jpeg`,
    label: mc.labels[t],
    prediction: mc.labels[mc.a.prediction[i]],
    probabilities: Object.fromEntries(mc.labels.map((l, c) => [l, mc.a.probabilities[i][c]])),
    error: null,
    subgroups: { source: i % 4 === 0 ? 'nih <b>' : 'kermany', patient_id: `kermany_person${i}` },
  }));
  rows.push(
    {
      path: 'images/covid/broken.jpeg',
      label: 'covid',
      prediction: null,
      probabilities: null,
      error: { code: 'E_IMAGE_DECODE', message: 'truncated' },
      subgroups: { source: 'nih <b>' },
    },
    {
      path: 'images/unlabelled.jpeg',
      label: null,
      prediction: 'normal',
      probabilities: { covid: 0.1, normal: 0.8, pneumonia: 0.1 },
      error: null,
      subgroups: {},
    },
  );
  return {
    format: 'medlab-xray-results',
    version: 1,
    complete: true,
    model: {
      id: 'test-model',
      name: 'Test <model>',
      version: '1',
      sha256: '0'.repeat(64),
      task: 'xray-classification',
    },
    labels: mc.labels,
    subgroupColumns: ['source', 'patient_id'],
    rows,
  };
}

describe('study: medlab metrics and study/metrics', function () {
  this.timeout(120000);
  let dir: string;
  let file: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medlab-metrics-'));
    file = path.join(dir, 'results.json');
    fs.writeFileSync(file, JSON.stringify(resultsJson()));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints the metrics and writes HTML, CSV and JSON reports', async () => {
    const html = path.join(dir, 'out', 'report.html');
    const csv = path.join(dir, 'out', 'metrics.csv');
    const json = path.join(dir, 'out', 'metrics.json');
    const r = await runCli([
      'metrics',
      file,
      '--by',
      'source',
      '--html',
      html,
      '--csv',
      csv,
      '--save',
      json,
      '--replicates',
      '200',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /not for clinical use/);
    assert.match(r.stdout, new RegExp(`accuracy\\s+${mc.a.accuracy.toFixed(3)} \\(`));
    assert.match(r.stdout, /262 rows, 260 cases/);
    assert.match(r.stdout, /by source:/);

    const page = fs.readFileSync(html, 'utf8');
    assert.match(page, /Research software, not for clinical use/);
    assert.match(page, /Content-Security-Policy/);
    assert.doesNotMatch(page, /<script|<link|src="http|href="http|url\(/i);
    assert.match(page, /<svg[^>]*>/);
    assert.match(page, /nih &lt;b&gt;/, 'subgroup values are escaped');
    assert.match(page, /Test &lt;model&gt;/);
    assert.doesNotMatch(page, /kermany_person/, 'no patient identifier in the report');

    const lines = fs.readFileSync(csv, 'utf8').trim().split('\n');
    assert.equal(
      lines[0],
      'model,subgroup_column,subgroup_value,class,predicted,metric,value,ci_low,ci_high,n,count,method,note',
    );
    const acc = lines.find((l) => l.startsWith('test-model,,,,,accuracy,'))!.split(',');
    assert.equal(Number(acc[6]).toFixed(10), mc.a.accuracy.toFixed(10));
    assert.equal(acc[9], '260');
    assert.ok(lines.some((l) => l.startsWith('test-model,source,nih <b>,covid,,sensitivity,')));
    assert.doesNotMatch(lines.join('\n'), /kermany_person/);

    const saved = JSON.parse(fs.readFileSync(json, 'utf8'));
    assert.equal(saved.n, 260);
    assert.equal(saved.excluded.errored, 1);
    assert.equal(saved.excluded.unlabelled, 1);
    assert.deepEqual(
      saved.subgroups[0].groups.map((g: { value: string }) => g.value),
      ['kermany', 'nih <b>', '(missing)'],
    );
  });

  it('--json prints one JSON document', async () => {
    const r = await runCli(['metrics', file, '--json', '--replicates', '50']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.report.n, 260);
    assert.deepEqual(out.written, []);
  });

  it('refuses an invalid file naming the row and field (E_RESULTS, exit 1)', async () => {
    const bad = resultsJson() as { rows: { probabilities: unknown }[] };
    bad.rows[2].probabilities = { covid: 0.2, normal: 0.8 };
    const badFile = path.join(dir, 'bad.json');
    fs.writeFileSync(badFile, JSON.stringify(bad));
    const r = await runCli(['metrics', badFile]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /rows\[2\]\.probabilities\.pneumonia is missing/);
  });

  it('refuses to split by a patient identifier, and names the available columns for an unknown one', async () => {
    const id = await runCli(['metrics', file, '--by', 'patient_id']);
    assert.equal(id.code, 1);
    assert.match(id.stderr, /patient identifier/);
    const unknown = await runCli(['metrics', file, '--by', 'hospital']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /available: source\)/);
  });

  it('serves study/metrics over JSON-RPC', async () => {
    const agent = startAgent();
    try {
      const res = await agent.request('study/metrics', { results: file, by: ['source'], replicates: 100 });
      assert.equal(res.report.n, 260);
      assert.equal(res.report.subgroups[0].column, 'source');
      assert.ok(Math.abs(res.report.macro.auroc.value! - mc.a.macroAuroc) < 1e-12);
      await assert.rejects(
        agent.request('study/metrics', { results: '' }),
        (e: { data?: { code?: string; field?: string } }) =>
          e.data?.code === 'E_USAGE' && e.data.field === 'results',
      );
      await assert.rejects(
        agent.request('study/metrics', { results: path.join(dir, 'missing.json') }),
        (e: { data?: { code?: string } }) => e.data?.code === 'E_NOT_FOUND',
      );
    } finally {
      await agent.stop();
    }
  });
});
