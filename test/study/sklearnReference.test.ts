/**
 * agent/study against scikit-learn 1.2 / scipy 1.10 / numpy (values in test/fixtures/study_reference.json,
 * made by test/fixtures/make_study_reference.py on synthetic score sets with ties, imbalance and 3 classes).
 */
import * as assert from 'node:assert/strict';
import { delongComponents, delongInterval, delongVariance } from '../../agent/study/delong';
import { mcnemarChiSquare, mcnemarExactP } from '../../agent/study/mcnemar';
import { computeMetrics } from '../../agent/study/metrics';
import { comparePaired } from '../../agent/study/paired';
import { mulberry32 } from '../../agent/study/prng';
import { auroc, rocCurve } from '../../agent/study/roc';
import type { StudyRow } from '../../agent/study/studyRow';
import { wilsonInterval } from '../../agent/study/wilson';
import { chiSquareSf } from '../../agent/study/chiSquare';
import { close, reference, type ModelRef } from './reference';

function assertClose(actual: number | null | undefined, expected: number, what: string, tol = 1e-12): void {
  assert.ok(close(actual, expected, tol), `${what}: ${actual} vs ${expected}`);
}
function assertAllClose(
  actual: readonly (number | null)[],
  expected: readonly number[],
  what: string,
  tol = 1e-12,
) {
  assert.equal(actual.length, expected.length, `${what}: length`);
  actual.forEach((v, i) => assertClose(v, expected[i], `${what}[${i}]`, tol));
}

describe('study vs scikit-learn / scipy reference', () => {
  it(`fixture was made by sklearn ${reference.versions.sklearn}, scipy ${reference.versions.scipy}`, () => {
    assert.ok(reference.versions.sklearn && reference.binary.length === 3);
  });

  describe('binary score sets (ties, 5 % prevalence, continuous)', () => {
    for (const set of reference.binary) {
      const positive = set.truth.map((t) => t === 1);
      it(`${set.name}: roc_curve points and thresholds (drop_intermediate on and off)`, () => {
        const c = rocCurve(set.scores, positive)!;
        assertAllClose(c.fpr, set.roc.fpr, 'fpr');
        assertAllClose(c.tpr, set.roc.tpr, 'tpr');
        assert.equal(c.thresholds[0], null);
        assert.deepEqual(c.thresholds.slice(1), set.roc.thresholds);
        assert.equal(rocCurve(set.scores, positive, false)!.fpr.length, set.rocAllPoints);
      });
      it(`${set.name}: roc_auc_score and the O(mn) DeLong variance`, () => {
        assertClose(auroc(set.scores, positive), set.auroc, 'auroc');
        const comps = delongComponents(set.scores, positive)!;
        assertClose(comps.auc, set.auroc, 'DeLong auc');
        assertClose(delongVariance(comps), set.delong.variance, 'DeLong variance');
        assertAllClose(delongInterval(comps).ci!, set.delong.ci, 'DeLong CI');
      });
    }
  });

  describe('three classes (40/130/90), probabilities rounded to 2 decimals', () => {
    const mc = reference.multiclass;
    const rows = (m: ModelRef): StudyRow[] =>
      mc.truth.map((t, i) => ({ label: mc.labels[t], probabilities: m.probabilities[i] }));

    for (const key of ['a', 'b'] as const) {
      const m = mc[key];
      const report = computeMetrics(rows(m), mc.labels, {
        replicates: m.bootstrap.replicates,
        seed: m.bootstrap.seed,
        maxCurvePoints: 10000,
      });

      it(`model ${key}: confusion_matrix, accuracy, balanced accuracy`, () => {
        assert.deepEqual(report.confusion, m.confusion);
        assertClose(report.accuracy.value, m.accuracy, 'accuracy');
        assertClose(report.balancedAccuracy.value, m.balancedAccuracy, 'balanced accuracy');
        assert.equal(report.n, mc.truth.length);
      });

      it(`model ${key}: precision_recall_fscore_support, specificity, NPV, Wilson CIs`, () => {
        report.classes.forEach((c, i) => {
          assertClose(c.ppv.value, m.precision[i], `ppv ${c.label}`);
          assertClose(c.sensitivity.value, m.recall[i], `sensitivity ${c.label}`);
          assertClose(c.f1.value, m.f1[i], `f1 ${c.label}`);
          assert.equal(c.support, m.support[i]);
          assertClose(c.specificity.value, m.specificity[i], `specificity ${c.label}`);
          assertClose(c.npv.value, m.npv[i], `npv ${c.label}`);
          assertAllClose(c.sensitivity.ci!, m.classes[i].sensitivityWilson, `Wilson ${c.label}`);
        });
        assertClose(report.macro.f1.value, m.macroF1, 'macro F1');
      });

      it(`model ${key}: one-vs-rest roc_curve, roc_auc_score, DeLong CI, macro AUROC`, () => {
        report.classes.forEach((c, i) => {
          const ref = m.classes[i];
          assertClose(c.auroc!.value, ref.auroc, `auroc ${c.label}`);
          assertAllClose(c.auroc!.ci!, ref.delong.ci, `DeLong CI ${c.label}`);
          assertAllClose(
            c.auroc!.curve.map((p) => p.fpr),
            ref.roc.fpr,
            `fpr ${c.label}`,
          );
          assertAllClose(
            c.auroc!.curve.map((p) => p.tpr),
            ref.roc.tpr,
            `tpr ${c.label}`,
          );
          assert.deepEqual(
            c.auroc!.curve.slice(1).map((p) => p.threshold),
            ref.roc.thresholds,
          );
        });
        assertClose(report.macro.auroc.value, m.macroAuroc, 'macro AUROC');
      });

      it(`model ${key}: seeded stratified bootstrap equals sklearn on the same ${m.bootstrap.replicates} resamples`, () => {
        assertAllClose(report.balancedAccuracy.ci!, m.bootstrap.balancedAccuracy, 'balanced accuracy CI');
        assertAllClose(report.macro.f1.ci!, m.bootstrap.macroF1, 'macro F1 CI');
        assertAllClose(report.macro.auroc.ci!, m.bootstrap.macroAuroc, 'macro AUROC CI');
        report.classes.forEach((c, i) =>
          assertAllClose(c.f1.ci!, m.bootstrap.classF1[i], `F1 CI ${c.label}`),
        );
      });
    }

    it('mulberry32 draws the same numbers as the Python re-implementation', () => {
      const r = mulberry32(mc.a.bootstrap.seed);
      assert.deepEqual(
        Array.from({ length: 10 }, () => r()),
        mc.a.bootstrap.first10,
      );
    });

    it("paired: Cohen's kappa (sklearn) with the Fleiss-Cohen-Everitt CI, McNemar (scipy), paired DeLong, accuracy difference", () => {
      const p = comparePaired(rows(mc.a), rows(mc.b), mc.labels, {
        replicates: mc.accuracyDifference.replicates,
        seed: mc.accuracyDifference.seed,
      });
      assertClose(p.paired.kappa.value, mc.kappa.sklearn, 'kappa');
      assertAllClose(p.paired.kappa.ci!, mc.kappa.ci, 'kappa CI');
      assert.equal(p.paired.mcnemar.aOnly, mc.mcnemar.aOnly);
      assert.equal(p.paired.mcnemar.bOnly, mc.mcnemar.bOnly);
      assertClose(p.paired.mcnemar.exactP, mc.mcnemar.exactP, 'McNemar exact p', 1e-10);
      assertClose(p.paired.mcnemar.chiSquare, mc.mcnemar.chiSquare, 'McNemar chi-square');
      assertClose(p.paired.mcnemar.chiSquareP, mc.mcnemar.chiSquareP, 'McNemar chi-square p', 1e-11);
      p.paired.auroc.forEach((c, i) => {
        const ref = mc.pairedDelong[i];
        assertClose(c.difference.value, ref.difference, `AUROC difference ${c.label}`);
        assertClose(c.z, ref.z, `DeLong z ${c.label}`, 1e-10);
        assertClose(c.p, ref.p, `DeLong p ${c.label}`, 1e-10);
      });
      assertClose(p.paired.accuracyDifference.value, mc.accuracyDifference.value, 'accuracy difference');
      assertAllClose(p.paired.accuracyDifference.ci!, mc.accuracyDifference.ci, 'accuracy difference CI');
      assert.equal(p.paired.n, mc.truth.length);
      assert.equal(p.a.n, p.b.n);
    });
  });

  it('McNemar exact and corrected chi-square p-values equal scipy binomtest / chi2.sf', () => {
    for (const r of reference.mcnemar) {
      assertClose(mcnemarExactP(r.b, r.c), r.exactP, `exact ${r.b}/${r.c}`, 1e-10);
      assertClose(mcnemarChiSquare(r.b, r.c), r.chiSquare, `chi2 ${r.b}/${r.c}`);
      assertClose(chiSquareSf(mcnemarChiSquare(r.b, r.c), 1), r.chiSquareP, `chi2 p ${r.b}/${r.c}`, 1e-11);
    }
  });

  it('Wilson intervals equal the formula evaluated with scipy norm.ppf', () => {
    for (const [s, n, ci] of reference.wilson) assertAllClose(wilsonInterval(s, n)!, ci, `${s}/${n}`);
  });
});
