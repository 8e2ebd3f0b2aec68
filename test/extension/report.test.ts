import { strict as assert } from 'node:assert';
import type { XrayResultRow } from '../../agent/protocol';
import {
  datasetFolderOf,
  labelsCsvFor,
  isBrowserImage,
  parseResultsFile,
  subgroupColumnsOf,
} from '../../extension/panels/reportModel';
import {
  confusionShares,
  filterRows,
  formatEstimate,
  probabilityList,
  rocPath,
  rowStatus,
} from '../../webview/report/reportView';

const row = (
  path: string,
  label: string | null,
  prediction: string | null,
  subgroups: Record<string, string> = {},
): XrayResultRow => ({
  path,
  label,
  prediction,
  probabilities: prediction ? { [prediction]: 0.8, other: 0.2 } : null,
  error: prediction ? null : { code: 'E_IMAGE_DECODE', message: 'truncated PNG' },
  subgroups,
});

describe('extension: diagnosis report', () => {
  it('picks subgroup columns with a handful of values and never identifiers', () => {
    const rows = Array.from({ length: 40 }, (_, i) =>
      row(`images/x/${i}.png`, 'covid', 'covid', {
        patient_id: `p${i}`,
        source: ['kermany', 'nih', 'ieee8023'][i % 3],
        sex: ['F', 'M'][i % 2],
        age: String(20 + (i % 9)),
        view: 'PA',
        finding: ['viral', 'bacterial'][i % 2],
      }),
    );
    assert.deepEqual(subgroupColumnsOf(rows), ['sex', 'source']);
  });

  it('finds the dataset folder of a run, whatever was diagnosed', () => {
    assert.equal(datasetFolderOf('/ws/xray/images', false, '/ws/xray/images/.medlab/cxr'), '/ws/xray/images');
    assert.equal(
      datasetFolderOf('/ws/xray/images/covid/a.png', true, '/ws/xray/images/covid/.medlab/cxr'),
      '/ws/xray/images/covid',
    );
    assert.equal(datasetFolderOf('/ws/set', false, '/tmp/out'), '/ws/set');
    assert.equal(datasetFolderOf('/ws/set/a.dcm', true, '/tmp/out'), '/ws/set');
  });

  it('uses the nearest labels.csv at or above the diagnosed folder, inside the workspace', async () => {
    const files = new Set(['/ws/xray/labels.csv', '/labels.csv']);
    const exists = async (f: string) => files.has(f);
    assert.equal(await labelsCsvFor('/ws/xray/images/covid', '/ws', exists), '/ws/xray/labels.csv');
    assert.equal(await labelsCsvFor('/ws/xray', '/ws', exists), '/ws/xray/labels.csv');
    assert.equal(
      await labelsCsvFor('/ws/other', '/ws', exists),
      undefined,
      'never above the workspace folder',
    );
    assert.equal(
      await labelsCsvFor('/elsewhere/set', undefined, exists),
      undefined,
      'outside a workspace: only its own folder',
    );
  });

  it('shows thumbnails only for formats a browser decodes', () => {
    assert.ok(isBrowserImage('a/b.JPG') && isBrowserImage('x.png'));
    assert.ok(!isBrowserImage('x.dcm') && !isBrowserImage('x.tiff'));
  });

  it('reads a results.json and says what is wrong with a foreign file', () => {
    const good = JSON.stringify({
      format: 'medlab-xray-results',
      version: 1,
      rows: [],
      labels: ['a'],
      model: { id: 'm' },
      counts: {},
      dataset: '/ws/d',
    });
    assert.equal(parseResultsFile(good, 'r.json').model.id, 'm');
    assert.throws(
      () => parseResultsFile('{"rows": []}', '/ws/r.json'),
      /\/ws\/r\.json is not a MedLab results file/,
    );
    assert.throws(() => parseResultsFile('{', '/ws/r.json'), /not JSON/);
  });

  it('filters rows by outcome and text', () => {
    const rows = [
      row('covid/1.png', 'covid', 'covid'),
      row('normal/2.png', 'normal', 'covid'),
      row('normal/3.png', 'normal', null),
      row('u/4.png', null, 'normal'),
    ];
    assert.deepEqual(rows.map(rowStatus), ['right', 'wrong', 'error', 'unlabelled']);
    assert.deepEqual(
      filterRows(rows, 'wrong', '').map((r) => r.path),
      ['normal/2.png'],
    );
    assert.deepEqual(
      filterRows(rows, 'all', 'NORMAL').map((r) => r.path),
      ['normal/2.png', 'normal/3.png', 'u/4.png'],
    );
    assert.deepEqual(filterRows(rows, 'errors', '').length, 1);
  });

  it('formats every estimate with its interval and n, and draws ROC and confusion', () => {
    assert.equal(
      formatEstimate({ value: 0.9123, ci: [0.85, 0.95], n: 120, method: 'wilson' }),
      '0.912 [0.850, 0.950] n=120',
    );
    assert.equal(formatEstimate({ value: null, ci: null, n: 0, method: null }), '— n=0');
    assert.deepEqual(
      probabilityList({ a: 0.1, b: 0.7, c: 0.2 }).map((p) => p.label),
      ['b', 'c', 'a'],
    );
    assert.equal(
      rocPath(
        [
          { fpr: 0, tpr: 0, threshold: null },
          { fpr: 0, tpr: 1, threshold: 0.5 },
          { fpr: 1, tpr: 1, threshold: 0 },
        ],
        100,
        10,
      ),
      'M10.0 90.0 L10.0 10.0 L90.0 10.0',
    );
    assert.deepEqual(
      confusionShares([
        [3, 1],
        [0, 0],
      ]),
      [
        [0.75, 0.25],
        [0, 0],
      ],
    );
  });
});
