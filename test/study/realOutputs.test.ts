/**
 * agent/study on the scores of a real diagnosis run (cxr-densenet-compact on the 512-image
 * patient-level test split of the shared chest X-ray set) against scikit-learn: overall, per
 * source / population / view, and the seeded bootstrap. Fixture: test/fixtures/study_real_outputs.json.
 */
import * as assert from 'node:assert/strict';
import type { MetricsReport, StudyRocPoint } from '../../agent/protocol';
import { computeMetrics } from '../../agent/study/metrics';
import type { StudyRow } from '../../agent/study/studyRow';
import { close, realOutputs, reference, type RealMetricsRef } from './reference';

function check(report: MetricsReport, ref: RealMetricsRef, where: string): void {
  const eq = (a: number | null | undefined, e: number, what: string) =>
    assert.ok(close(a, e), `${where} ${what}: ${a} vs ${e}`);
  assert.equal(report.n, ref.n, `${where} n`);
  assert.deepEqual(report.confusion, ref.confusion, `${where} confusion`);
  eq(report.accuracy.value, ref.accuracy, 'accuracy');
  eq(report.balancedAccuracy.value, ref.balancedAccuracy, 'balanced accuracy');
  report.classes.forEach((c, i) => {
    if (c.support > 0) eq(c.sensitivity.value, ref.recall[i], `sensitivity ${c.label}`);
    else assert.equal(c.sensitivity.value, null);
    if (c.support > 0 || c.predicted > 0) eq(c.f1.value, ref.f1[i], `F1 ${c.label}`);
    const r = ref.classes[i];
    if (!r) {
      assert.equal(c.auroc!.value, null, `${where} AUROC ${c.label} undefined`);
      return;
    }
    eq(c.auroc!.value, r.auroc, `AUROC ${c.label}`);
    if (r.delong.ci) {
      eq(c.auroc!.ci![0], r.delong.ci[0], `DeLong low ${c.label}`);
      eq(c.auroc!.ci![1], r.delong.ci[1], `DeLong high ${c.label}`);
    } else assert.equal(c.auroc!.ci, null, `${where} no DeLong CI for ${c.label}`);
    assert.equal(c.auroc!.curvePoints, r.curvePoints, `${where} ROC points ${c.label}`);
    const sum = (f: (p: StudyRocPoint) => number) => c.auroc!.curve.reduce((s, p) => s + f(p), 0);
    assert.ok(
      close(
        sum((p) => p.fpr),
        r.curveSums[0],
        1e-9,
      ),
      `${where} fpr ${c.label}`,
    );
    assert.ok(
      close(
        sum((p) => p.tpr),
        r.curveSums[1],
        1e-9,
      ),
      `${where} tpr ${c.label}`,
    );
    assert.ok(
      close(
        sum((p) => p.threshold ?? 0),
        r.curveSums[2],
        1e-9,
      ),
      `${where} thresholds ${c.label}`,
    );
  });
  if (ref.macroAuroc === null) assert.equal(report.macro.auroc.value, null);
  else eq(report.macro.auroc.value, ref.macroAuroc, 'macro AUROC');
}

describe('study on real model outputs vs scikit-learn', () => {
  const real = realOutputs;
  const ref = reference.real;

  before(function () {
    if (!real || !ref) {
      if (process.env.CI === 'true') throw new Error('test/fixtures/study_real_outputs.json missing');
      this.skip();
    }
  });

  const report = () => {
    const rows: StudyRow[] = real!.truth.map((t, i) => ({
      label: real!.labels[t],
      probabilities: real!.probabilities[i],
      subgroups: Object.fromEntries(Object.entries(real!.subgroups).map(([c, v]) => [c, v[i]])),
    }));
    return computeMetrics(rows, real!.labels, {
      by: Object.keys(real!.subgroups),
      replicates: ref!.bootstrap.replicates,
      seed: ref!.bootstrap.seed,
      maxCurvePoints: 100000,
    });
  };

  it('overall: confusion, accuracy, sensitivity, F1, one-vs-rest AUROC with DeLong CI, ROC curves', () => {
    const r = report();
    check(r, ref!, 'overall');
    assert.equal(r.n, 512);
  });

  it('the seeded bootstrap intervals equal sklearn on the same resamples', () => {
    const r = report();
    const b = ref!.bootstrap;
    for (const [ours, theirs, what] of [
      [r.balancedAccuracy.ci!, b.balancedAccuracy, 'balanced accuracy'],
      [r.macro.f1.ci!, b.macroF1, 'macro F1'],
      [r.macro.auroc.ci!, b.macroAuroc, 'macro AUROC'],
    ] as const) {
      assert.ok(close(ours[0], theirs[0]) && close(ours[1], theirs[1]), `${what}: ${ours} vs ${theirs}`);
    }
  });

  it('every subgroup (source, population, view) matches, including classes absent from a subgroup', () => {
    const r = report();
    assert.equal(r.subgroups.length, 3);
    for (const table of r.subgroups) {
      const refs = ref!.subgroups[table.column];
      assert.deepEqual(
        table.groups.map((g) => g.value).sort(),
        Object.keys(refs).sort(),
        `${table.column} values`,
      );
      for (const g of table.groups) check(g.metrics, refs[g.value], `${table.column}=${g.value}`);
    }
  });
});
