/** Small cases worked out on paper; the arithmetic is in the comments. */
import * as assert from 'node:assert/strict';
import {
  accuracy,
  balancedAccuracy,
  f1Score,
  npv,
  ppv,
  sensitivity,
  specificity,
} from '../../agent/study/classMetrics';
import { confusionMatrix, oneVsRest } from '../../agent/study/confusion';
import { delongComponents, delongInterval, delongVariance } from '../../agent/study/delong';
import { cohensKappa } from '../../agent/study/kappa';
import { mcnemarChiSquare, mcnemarExactP, mcnemarTest } from '../../agent/study/mcnemar';
import { auroc, rocCurve } from '../../agent/study/roc';
import { midranks } from '../../agent/study/ranks';
import { wilsonInterval } from '../../agent/study/wilson';

const near = (a: number | null | undefined, e: number, tol = 1e-12) =>
  assert.ok(a !== null && a !== undefined && Math.abs(a - e) <= tol, `${a} != ${e}`);

describe('study: hand-computed cases', () => {
  // truth [0,0,0,1,1,2], pred [0,0,1,1,2,2]:
  //            pred 0  1  2
  //   true 0      2  1  0
  //   true 1      0  1  1
  //   true 2      0  0  1
  const cm = confusionMatrix([0, 0, 0, 1, 1, 2], [0, 0, 1, 1, 2, 2], 3);

  it('confusion matrix rows are the truth, columns the prediction', () => {
    assert.deepEqual(cm, [
      [2, 1, 0],
      [0, 1, 1],
      [0, 0, 1],
    ]);
  });

  it('one-vs-rest counts and per-class metrics', () => {
    // class 0: TP 2, FN 1, FP 0, TN 3 -> sens 2/3, spec 3/3, PPV 2/2, NPV 3/4, F1 4/5
    const c0 = oneVsRest(cm, 0);
    assert.deepEqual(c0, { tp: 2, fn: 1, fp: 0, tn: 3 });
    near(sensitivity(c0).value, 2 / 3);
    assert.equal(sensitivity(c0).n, 3);
    near(specificity(c0).value, 1);
    near(ppv(c0).value, 1);
    near(npv(c0).value, 3 / 4);
    near(f1Score(c0), 0.8);
    // class 1: TP 1, FN 1, FP 1, TN 3 -> sens 1/2, spec 3/4, PPV 1/2, NPV 3/4, F1 2/4
    const c1 = oneVsRest(cm, 1);
    assert.deepEqual(c1, { tp: 1, fn: 1, fp: 1, tn: 3 });
    near(f1Score(c1), 0.5);
    // class 2: TP 1, FN 0, FP 1, TN 4 -> spec 4/5, PPV 1/2, NPV 4/4, F1 2/3
    const c2 = oneVsRest(cm, 2);
    near(specificity(c2).value, 0.8);
    near(npv(c2).value, 1);
    near(f1Score(c2), 2 / 3);
  });

  it('accuracy 4/6 and balanced accuracy (2/3 + 1/2 + 1)/3 = 13/18', () => {
    near(accuracy(cm).value, 4 / 6);
    assert.equal(accuracy(cm).n, 6);
    assert.equal(accuracy(cm).count, 4);
    near(balancedAccuracy(cm), 13 / 18);
  });

  it('an undefined metric is null with a reason, never 0', () => {
    // Nothing predicted as class 0: PPV = 0/0.
    const m = confusionMatrix([0, 1], [1, 1], 2);
    const e = ppv(oneVsRest(m, 0));
    assert.equal(e.value, null);
    assert.equal(e.ci, null);
    assert.equal(e.n, 0);
    assert.ok(e.note);
  });

  it('Wilson intervals: Newcombe (1998) table values and the 0/n, n/n ends', () => {
    // Newcombe 1998, Stat Med 17:857, Table I, method 3 (score): 81/263 -> 0.2553-0.3662, 15/148 -> 0.0624-0.1605,
    // 0/20 -> 0-0.1611, 1/29 -> 0.0061-0.1718.
    const r = (x: number) => Math.round(x * 10000) / 10000;
    assert.deepEqual(wilsonInterval(81, 263)!.map(r), [0.2553, 0.3662]);
    assert.deepEqual(wilsonInterval(15, 148)!.map(r), [0.0624, 0.1605]);
    assert.deepEqual(wilsonInterval(0, 20)!.map(r), [0, 0.1611]);
    assert.deepEqual(wilsonInterval(1, 29)!.map(r), [0.0061, 0.1718]);
    assert.equal(wilsonInterval(5, 5)![1], 1);
    assert.equal(wilsonInterval(0, 0), null);
  });

  // positives 0.9, 0.6, 0.4; negatives 0.7, 0.4, 0.2, 0.1.
  // Pairs won by the positive: 0.9 beats 4; 0.6 beats 3; 0.4 ties 0.4 (1/2) and beats 0.2 and 0.1 -> 2.5.
  // AUROC = (4 + 3 + 2.5) / 12 = 19/24.
  const scores = [0.9, 0.6, 0.4, 0.7, 0.4, 0.2, 0.1];
  const positive = [true, true, true, false, false, false, false];

  it('midranks give ties the mean rank', () => {
    assert.deepEqual(Array.from(midranks([0.9, 0.4, 0.4, 0.1])), [4, 2.5, 2.5, 1]);
  });

  it('AUROC counts a tie as one half', () => {
    near(auroc(scores, positive), 19 / 24);
  });

  it('ROC curve: tied scores move diagonally, drop_intermediate drops the straight run point', () => {
    // Distinct thresholds, descending, with cumulative (FP, TP):
    //   0.9 (0,1)  0.7 (1,1)  0.6 (1,2)  0.4 (2,3)  0.2 (3,3)  0.1 (4,3)
    // Second differences at 0.2: FP 2,3,4 -> 0 and TP 3,3,3 -> 0: dropped. All others kept.
    const c = rocCurve(scores, positive)!;
    assert.deepEqual(c.thresholds, [null, 0.9, 0.7, 0.6, 0.4, 0.1]);
    assert.deepEqual(c.fpr, [0, 0, 0.25, 0.25, 0.5, 1]);
    assert.deepEqual(
      c.tpr.map((v) => Math.round(v * 1e12) / 1e12),
      [0, 1 / 3, 1 / 3, 2 / 3, 1, 1].map((v) => Math.round(v * 1e12) / 1e12),
    );
    assert.equal(rocCurve(scores, positive, false)!.fpr.length, 7);
    // Trapezoids: 0.25·1/3 + 0.25·(2/3 + 1)/2 + 0.5·1 = 19/24, the same as the Mann-Whitney count.
    let area = 0;
    for (let i = 1; i < c.fpr.length; i++)
      area += ((c.fpr[i] - c.fpr[i - 1]) * (c.tpr[i] + c.tpr[i - 1])) / 2;
    near(area, 19 / 24);
  });

  it('DeLong variance: S10/m + S01/n = 1/27', () => {
    // V10 (negatives below each positive, ties 1/2, over 4) = [1, 3/4, 5/8]; mean 19/24.
    // V01 (positives above each negative, over 3) = [1/3, 5/6, 1, 1]; mean 19/24.
    // S10 = sum of squared deviations / 2 = (25 + 1 + 16)/576 / 2 = 7/192.
    // S01 = ((11/24)² + (1/24)² + 2·(5/24)²) / 3 = 172/576 / 3 = 43/432.
    // Var = (7/192)/3 + (43/432)/4 = 7/576 + 43/1728 = 64/1728 = 1/27.
    const comps = delongComponents(scores, positive)!;
    assert.deepEqual(Array.from(comps.v10), [1, 0.75, 0.625]);
    near(comps.v01[1], 5 / 6);
    near(comps.auc, 19 / 24);
    near(delongVariance(comps), 1 / 27);
    const ci = delongInterval(comps).ci!;
    near(ci[0], 19 / 24 - 1.959963984540054 * Math.sqrt(1 / 27), 1e-12);
    assert.equal(ci[1], 1, 'clipped at 1');
  });

  it('DeLong has no variance with a single positive, and a degenerate interval at perfect separation', () => {
    assert.equal(delongInterval(delongComponents([0.9, 0.1, 0.2], [true, false, false])!).ci, null);
    const perfect = delongInterval(delongComponents([0.9, 0.8, 0.1, 0.2], [true, true, false, false])!);
    assert.equal(perfect.auc, 1);
    assert.deepEqual(perfect.ci, [1, 1]);
    assert.match(perfect.note!, /separated/);
  });

  it("Cohen's kappa: table [[20,5],[10,15]] -> p_o 0.7, p_e 0.5, kappa 0.4", () => {
    // rows A: 25/25 -> .5/.5; columns B: 30/20 -> .6/.4; p_e = .5·.6 + .5·.4 = .5.
    const k = cohensKappa([
      [20, 5],
      [10, 15],
    ]);
    near(k.value, 0.4);
    assert.equal(k.n, 50);
    // perfect agreement has zero variance
    const perfect = cohensKappa([
      [10, 0],
      [0, 5],
    ]);
    assert.equal(perfect.value, 1);
    assert.deepEqual(perfect.ci, [1, 1]);
    assert.equal(cohensKappa([[7]]).value, null);
  });

  it('McNemar: b = 2, c = 9 -> exact p = 2·(1 + 11 + 55)/2048, chi-square (|2-9|-1)²/11 = 36/11', () => {
    near(mcnemarExactP(2, 9), 134 / 2048);
    near(mcnemarChiSquare(2, 9), 36 / 11);
    assert.equal(mcnemarExactP(0, 0), 1);
    assert.equal(mcnemarExactP(4, 4), 1);
    const t = mcnemarTest([true, true, false, false, true], [true, false, true, false, false]);
    assert.deepEqual([t.bothCorrect, t.aOnly, t.bOnly, t.bothWrong], [1, 2, 1, 1]);
  });
});
