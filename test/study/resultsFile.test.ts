/** Reading results.json: the diagnosis-run format and plain {labels, rows}; invalid files name row and field. */
import * as assert from 'node:assert/strict';
import { isMedLabError } from '../../agent/errors';
import { parseResults } from '../../agent/study/resultsFile';

const labels = ['covid', 'normal', 'pneumonia'];
const row = (over: Record<string, unknown> = {}) => ({
  path: 'covid/1.png',
  label: 'covid',
  prediction: 'covid',
  probabilities: { covid: 0.7, normal: 0.2, pneumonia: 0.1 },
  error: null,
  subgroups: { source: 'ieee8023' },
  ...over,
});

function refused(json: unknown, field: string, message?: RegExp): void {
  assert.throws(
    () => parseResults(json, 'results.json'),
    (e: unknown) =>
      isMedLabError(e) &&
      e.code === 'E_RESULTS' &&
      e.data.field === field &&
      e.data.path === 'results.json' &&
      (!message || message.test(e.message)),
  );
}

describe('study: results file', () => {
  it('reads the diagnosis-run format into study rows', () => {
    const f = parseResults(
      {
        format: 'medlab-xray-results',
        version: 1,
        complete: false,
        model: { id: 'cxr', name: 'CXR' },
        labels,
        subgroupColumns: ['source', 'view'],
        rows: [
          row(),
          row({
            path: 'x.png',
            prediction: null,
            probabilities: null,
            error: { code: 'E_IMAGE_DECODE', message: 'bad' },
          }),
        ],
      },
      'results.json',
    );
    assert.deepEqual(f.rows[0], {
      id: 'covid/1.png',
      label: 'covid',
      prediction: 'covid',
      probabilities: [0.7, 0.2, 0.1],
      error: null,
      subgroups: { source: 'ieee8023' },
    });
    assert.equal(f.rows[1].error, 'E_IMAGE_DECODE: bad');
    assert.deepEqual(f.subgroupColumns, ['source', 'view']);
    assert.equal(f.complete, false);
    assert.deepEqual(f.model, { id: 'cxr', name: 'CXR' });
  });

  it('accepts probabilities as an array in label order', () => {
    const f = parseResults({ labels, rows: [row({ probabilities: [0.1, 0.2, 0.7] })] }, 'r.json');
    assert.deepEqual(f.rows[0].probabilities, [0.1, 0.2, 0.7]);
    assert.equal(f.complete, true);
  });

  it('refuses invalid files naming the field', () => {
    refused([], '(top level)');
    refused({ labels: ['covid'], rows: [] }, 'labels');
    refused({ labels: ['a', 'a'], rows: [] }, 'labels[1]', /repeats/);
    refused({ format: 'medlab-xray-results', version: 2, labels, rows: [] }, 'version');
    refused({ labels, rows: {} }, 'rows');
    refused({ labels, rows: [row(), 5] }, 'rows[1]');
    refused({ labels, rows: [row({ label: 3 })] }, 'rows[0].label');
    refused(
      { labels, rows: [row({ probabilities: [0.5, 0.5] })] },
      'rows[0].probabilities',
      /2 values for 3 labels/,
    );
    refused(
      { labels, rows: [row({ probabilities: { covid: 1, normal: 0 } })] },
      'rows[0].probabilities.pneumonia',
    );
    refused(
      { labels, rows: [row({ probabilities: { covid: 1, normal: 0, pneumonia: 0, tb: 0 } })] },
      'rows[0].probabilities.tb',
    );
    refused(
      { labels, rows: [row({ probabilities: { covid: 'x', normal: 0, pneumonia: 0 } })] },
      'rows[0].probabilities.covid',
    );
    refused({ labels, rows: [row({ probabilities: [0.1, null, 0.2] })] }, 'rows[0].probabilities[1]');
    refused({ labels, rows: [row({ prediction: 'tb' })] }, 'rows[0].prediction', /not one of the labels/);
    refused({ labels, rows: [row({ error: 42 })] }, 'rows[0].error');
    refused({ labels, rows: [row({ subgroups: { source: { a: 1 } } })] }, 'rows[0].subgroups.source');
  });
});
