/** comparePaired and its report writers: what the comparison study relies on. */
import * as assert from 'node:assert/strict';
import { isMedLabError } from '../../agent/errors';
import { comparePaired } from '../../agent/study/paired';
import { pairedCsv } from '../../agent/study/reportCsv';
import { pairedHtml } from '../../agent/study/reportHtml';
import type { StudyRow } from '../../agent/study/studyRow';

const labels = ['covid', 'normal', 'pneumonia'];

/** 60 cases, 20 per class. A is right on 18 of each class, B on 14; B fails on two cases. */
function models(): { a: StudyRow[]; b: StudyRow[] } {
  const a: StudyRow[] = [];
  const b: StudyRow[] = [];
  labels.forEach((label, c) => {
    for (let i = 0; i < 20; i++) {
      const id = `images/${label}/${i}.jpeg`;
      const subgroups = { source: i < 10 ? 'nih' : 'kermany', patient_id: `nih_${c}${i}` };
      const wrong = (c + 1) % 3;
      const pa = [0.1, 0.1, 0.1];
      pa[i < 18 ? c : wrong] = 0.8 - i / 100;
      a.push({ id, label, probabilities: pa, subgroups });
      if (c === 2 && i >= 18) b.push({ id, label, error: 'E_OLLAMA: timeout', subgroups });
      else b.push({ id, label, prediction: labels[i < 14 ? c : wrong], subgroups });
    }
  });
  return { a, b };
}

const resultsError = (f: () => unknown, field?: string) =>
  assert.throws(
    f,
    (e: unknown) => isMedLabError(e) && e.code === 'E_RESULTS' && (!field || e.data.field === field),
  );

describe('study: comparePaired', () => {
  const { a, b } = models();
  const r = comparePaired(a, b, labels, {
    by: ['source', 'patient_id'],
    names: ['DenseNet', 'LLM'],
    replicates: 200,
  });

  it('compares both models on the same cases and shows what each failed on', () => {
    assert.equal(r.rows, 60);
    assert.equal(r.paired.n, 58);
    assert.equal(r.a.n, 58);
    assert.equal(r.b.n, 58);
    assert.equal(r.coverage.b.excluded.errored, 2);
    assert.equal(r.coverage.a.excluded.errored, 0);
    // B: 14 right of 20 per class, 2 failures among the 60 counted wrong -> 42/60.
    assert.equal(r.coverage.b.accuracyIncludingFailures.count, 42);
    assert.equal(r.coverage.b.accuracyIncludingFailures.n, 60);
    assert.ok(r.warnings[0].startsWith('58 of 60 rows are paired cases'));
  });

  it('McNemar counts: A right where B is wrong on the 4 extra per class (minus the 2 B failed on)', () => {
    // Per class: i < 14 both right, 14..17 only A right, 18..19 both wrong; pneumonia 18..19 are B failures.
    assert.deepEqual(
      [
        r.paired.mcnemar.bothCorrect,
        r.paired.mcnemar.aOnly,
        r.paired.mcnemar.bOnly,
        r.paired.mcnemar.bothWrong,
      ],
      [42, 12, 0, 4],
    );
    assert.ok(r.paired.mcnemar.exactP < 0.001);
    assert.ok(r.paired.accuracyDifference.value! > 0.2);
    assert.ok(r.paired.accuracyDifference.ci![0] > 0);
  });

  it('lists disagreements with ids and subgroups but no identifier columns', () => {
    assert.equal(r.disagreements.length, 12);
    const d = r.disagreements[0];
    assert.deepEqual(
      { id: d.id, label: d.label, a: d.a, b: d.b, aCorrect: d.aCorrect, bCorrect: d.bCorrect },
      {
        id: 'images/covid/14.jpeg',
        label: 'covid',
        a: 'covid',
        b: 'normal',
        aCorrect: true,
        bCorrect: false,
      },
    );
    assert.deepEqual(d.subgroups, { source: 'kermany' });
  });

  it('gives paired statistics per subgroup, and never per patient identifier', () => {
    assert.deepEqual(
      r.subgroups.map((t) => t.column),
      ['source'],
    );
    const groups = r.subgroups[0].groups;
    assert.deepEqual(
      groups.map((g) => [g.value, g.n]),
      [
        ['kermany', 28],
        ['nih', 30],
      ],
    );
    assert.ok(groups[0].small);
    assert.equal(r.a.subgroups[0].groups[0].n, 28);
    assert.doesNotMatch(JSON.stringify(r), /nih_\d/);
  });

  it('paired DeLong is left out when B gives no probabilities', () => {
    assert.deepEqual(r.paired.auroc, []);
    assert.equal(r.b.scored, 0);
  });

  it('refuses rows that are not the same cases', () => {
    resultsError(() => comparePaired(a, b.slice(1), labels));
    const swapped = b.map((row, i) => (i === 3 ? { ...row, id: 'images/other.jpeg' } : row));
    resultsError(() => comparePaired(a, swapped, labels), 'rows[3].id');
    const relabelled = b.map((row, i) => (i === 4 ? { ...row, label: 'normal' } : row));
    resultsError(() => comparePaired(a, relabelled, labels), 'rows[4].label');
  });

  it('writes an HTML report: banner, side by side, escaped text, only data: image thumbnails', () => {
    const page = pairedHtml(
      { ...r, names: ['DenseNet <v1>', 'LLM'] },
      {
        thumbnail: (id) =>
          id.endsWith('14.jpeg') ? 'data:image/png;base64,iVBORw0KGgo=' : 'javascript:alert(1)',
      },
    );
    assert.match(page, /Research software, not for clinical use/);
    assert.match(page, /DenseNet &lt;v1&gt;/);
    assert.doesNotMatch(page, /DenseNet <v1>/);
    assert.match(page, /<img class="thumb" alt="" src="data:image\/png;base64,iVBORw0KGgo=">/);
    assert.doesNotMatch(page, /javascript:|<script/);
    assert.match(page, /Disagreements \(12\)/);
    assert.match(page, /McNemar/);
  });

  it('writes every paired number to CSV in long format', () => {
    const lines = pairedCsv(r).trim().split('\n');
    const kappa = lines.find((l) => l.startsWith('DenseNet vs LLM,,,,,cohen_kappa,'));
    assert.ok(kappa, 'overall kappa row');
    assert.ok(lines.some((l) => l.startsWith('DenseNet vs LLM,source,nih,,,mcnemar_exact_p,')));
    assert.ok(lines.some((l) => l.startsWith('DenseNet,,,covid,,sensitivity,0.9,')));
  });
});
