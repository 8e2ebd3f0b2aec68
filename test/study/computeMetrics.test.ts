/** What a researcher relies on in computeMetrics beyond the formulas: exclusions, subgroups, errors, determinism. */
import * as assert from 'node:assert/strict';
import { isMedLabError } from '../../agent/errors';
import { computeMetrics } from '../../agent/study/metrics';
import type { StudyRow } from '../../agent/study/studyRow';

const labels = ['covid', 'normal', 'pneumonia'];

/** 90 cases: 30 per class; the model is right on 24 of each class, and says "normal" otherwise (or "covid" for normal). */
function cohort(): StudyRow[] {
  const rows: StudyRow[] = [];
  labels.forEach((label, c) => {
    for (let i = 0; i < 30; i++) {
      const right = i < 24;
      const pred = right ? c : c === 1 ? 0 : 1;
      const p = [0.1, 0.1, 0.1];
      p[pred] = 0.8 - i / 100;
      rows.push({
        id: `${label}/${i}.png`,
        label,
        probabilities: p,
        subgroups: { source: i % 3 === 0 ? 'nih' : 'kermany', view: i % 2 ? 'PA' : 'AP' },
      });
    }
  });
  return rows;
}

function expectResultsError(f: () => unknown, field: string): void {
  assert.throws(f, (e: unknown) => isMedLabError(e) && e.code === 'E_RESULTS' && e.data.field === field);
}

describe('study: computeMetrics', () => {
  it('counts every left-out row by reason and keeps failures in "accuracy including failures"', () => {
    const rows: StudyRow[] = [
      ...cohort(),
      { label: 'covid', error: 'E_IMAGE_DECODE: truncated JPEG' },
      { label: 'covid', error: 'E_IMAGE_DECODE: truncated JPEG' },
      { label: null, probabilities: [0.2, 0.3, 0.5] },
      { label: '', prediction: 'normal' },
      { label: 'tuberculosis', prediction: 'normal' },
      { label: 'normal' },
      { label: 'normal', prediction: 'unsure' },
    ];
    const r = computeMetrics(rows, labels, { replicates: 50 });
    assert.equal(r.rows, 97);
    assert.equal(r.n, 90);
    assert.deepEqual(r.excluded, {
      errored: 2,
      unlabelled: 2,
      unknownLabel: 1,
      noPrediction: 1,
      unknownPrediction: 1,
      unknownLabels: { tuberculosis: 1 },
    });
    assert.equal(r.accuracy.count, 72);
    assert.equal(r.accuracy.n, 90);
    // 72 right of the 94 rows with a known label (2 errored + 2 without a valid prediction count as wrong).
    assert.equal(r.accuracyIncludingFailures.n, 94);
    assert.equal(r.accuracyIncludingFailures.count, 72);
    assert.match(r.warnings[0], /7 of 97 rows left out: 2 errored, 2 unlabelled, 1 with a label not among/);
  });

  it('every estimate carries n and a CI; the seeded bootstrap gives the same CI on every run', () => {
    const a = computeMetrics(cohort(), labels, { replicates: 300, seed: 5 });
    const b = computeMetrics(cohort(), labels, { replicates: 300, seed: 5 });
    const c = computeMetrics(cohort(), labels, { replicates: 300, seed: 6 });
    assert.deepEqual(a.macro.f1.ci, b.macro.f1.ci);
    assert.notDeepEqual(a.macro.f1.ci, c.macro.f1.ci);
    for (const e of [
      a.accuracy,
      a.balancedAccuracy,
      a.macro.f1,
      a.macro.auroc,
      ...a.classes.flatMap((k) => [k.sensitivity, k.f1, k.auroc!]),
    ]) {
      assert.ok(e.ci && e.ci[0] <= e.value! && e.value! <= e.ci[1], `CI around value: ${JSON.stringify(e)}`);
      assert.ok(e.n > 0);
    }
    assert.equal(a.classes[0].sensitivity.n, 30);
    assert.equal(a.classes[0].auroc!.positives, 30);
    assert.equal(a.classes[0].auroc!.negatives, 60);
  });

  it('reports per subgroup with n, flags small subgroups, and keeps missing values as "(missing)"', () => {
    const rows = cohort();
    delete (rows[3].subgroups as Record<string, string>).source;
    const r = computeMetrics(rows, labels, { by: ['source', 'view'], replicates: 20, minCases: 30 });
    const bySource = r.subgroups[0];
    assert.equal(bySource.column, 'source');
    assert.deepEqual(
      bySource.groups.map((g) => [g.value, g.n, g.small]),
      [
        ['kermany', 60, false],
        ['nih', 29, true],
        ['(missing)', 1, true],
      ],
    );
    assert.equal(
      bySource.groups.reduce((s, g) => s + g.n, 0),
      r.n,
    );
    assert.ok(bySource.groups[2].metrics.warnings.some((w) => /only 1 cases/.test(w)));
    assert.equal(r.subgroups[1].groups.length, 2);
    assert.deepEqual(bySource.groups[0].metrics.subgroups, []);
  });

  it('a class absent from a subgroup has undefined sensitivity and AUROC (null, with a warning), not 0', () => {
    const rows = cohort().filter((r) => r.label !== 'covid');
    const r = computeMetrics(rows, labels, { replicates: 20 });
    const covid = r.classes[0];
    assert.equal(covid.support, 0);
    assert.equal(covid.sensitivity.value, null);
    assert.equal(covid.auroc!.value, null);
    assert.equal(covid.auroc!.note, 'no positive cases');
    assert.deepEqual(r.macro.auroc.classes, ['normal', 'pneumonia']);
    assert.ok(r.warnings.some((w) => w.includes('no cases of "covid"')));
    assert.ok(r.warnings.some((w) => w.includes('macro AUROC averages normal, pneumonia only')));
  });

  it('uses the given prediction over the arg-max, and rows without probabilities get no AUROC', () => {
    const rows: StudyRow[] = [
      { label: 'covid', prediction: 'normal', probabilities: [0.9, 0.05, 0.05] },
      { label: 'normal', prediction: 'normal' },
    ];
    const r = computeMetrics(rows, labels, { replicates: 0 });
    assert.deepEqual(r.confusion[0], [0, 1, 0]);
    assert.equal(r.scored, 1);
    assert.ok(r.warnings.some((w) => w.includes('1 of 2 cases carry no probabilities')));
    assert.equal(r.balancedAccuracy.ci, null);
    assert.equal(r.balancedAccuracy.note, 'bootstrap disabled');
  });

  it('refuses malformed probabilities naming the row and field', () => {
    expectResultsError(
      () => computeMetrics([{ label: 'covid', probabilities: [0.5, 0.5] }], labels),
      'rows[0].probabilities',
    );
    expectResultsError(
      () => computeMetrics([{ label: 'covid' }, { label: 'covid', probabilities: [0.5, NaN, 0.1] }], labels),
      'rows[1].probabilities[1]',
    );
  });

  it('refuses bad labels and options with E_USAGE', () => {
    const usage = (f: () => unknown) =>
      assert.throws(f, (e: unknown) => isMedLabError(e) && e.code === 'E_USAGE');
    usage(() => computeMetrics([], ['only']));
    usage(() => computeMetrics([], ['a', 'a']));
    usage(() => computeMetrics([], labels, { confidence: 95 }));
    usage(() => computeMetrics([], labels, { replicates: -1 }));
  });

  it('an empty set gives n = 0 and undefined metrics, not an exception', () => {
    const r = computeMetrics([], labels);
    assert.equal(r.n, 0);
    assert.equal(r.accuracy.value, null);
    assert.equal(r.small, true);
  });

  it('thins ROC curves to about maxCurvePoints for drawing, keeping both ends', () => {
    const rows: StudyRow[] = Array.from({ length: 600 }, (_, i) => {
      const label = i % 2 ? 'covid' : 'normal';
      const s = ((i * 7919) % 600) / 600;
      return { label, probabilities: [s, 1 - s, 0] };
    });
    const r = computeMetrics(rows, labels, { replicates: 0, maxCurvePoints: 50 });
    const a = r.classes[0].auroc!;
    assert.ok(a.curvePoints > 100);
    assert.ok(a.curve.length <= 52, `${a.curve.length} points`);
    assert.deepEqual([a.curve[0].fpr, a.curve[0].tpr], [0, 0]);
    assert.deepEqual([a.curve.at(-1)!.fpr, a.curve.at(-1)!.tpr], [1, 1]);
  });
});

describe('study: computeMetrics and patient identifiers', () => {
  it('never splits by an identifier column (patient_id...), and says so', () => {
    const rows: StudyRow[] = [
      { label: 'covid', prediction: 'covid', subgroups: { patient_id: 'ieee8023_12', source: 'a' } },
      { label: 'normal', prediction: 'covid', subgroups: { patient_id: 'nih_00001', source: 'b' } },
    ];
    const r = computeMetrics(rows, labels, { by: ['patient_id', 'source'], replicates: 0 });
    assert.deepEqual(
      r.subgroups.map((t) => t.column),
      ['source'],
    );
    assert.ok(r.warnings.includes('not split by "patient_id": it holds patient identifiers'));
    assert.doesNotMatch(JSON.stringify(r), /ieee8023_12|nih_00001/);
  });
});
