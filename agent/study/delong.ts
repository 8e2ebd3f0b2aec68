/**
 * DeLong, DeLong & Clarke-Pearson (1988): the variance of an AUROC and the covariance of two
 * AUROCs measured on the same cases, from the structural components of the Mann-Whitney
 * statistic. Computed with midranks in O(n log n) (Sun & Xu 2014, "Fast implementation of
 * DeLong's algorithm"). The interval is AUC ± z·SE clipped to [0, 1], as in pROC's ci.auc.
 */
import { twoSidedNormalP, zForConfidence } from './normal';
import { midranks } from './ranks';

/** Structural components: v10[i] for each positive, v01[j] for each negative; auc is their mean. */
export interface DelongComponents {
  auc: number;
  /** Share of negatives scored below positive i (ties ½). */
  v10: Float64Array;
  /** Share of positives scored above negative j (ties ½). */
  v01: Float64Array;
}

/** Components of one score set; null without both positives and negatives. */
export function delongComponents(
  scores: ArrayLike<number>,
  positive: ArrayLike<boolean>,
): DelongComponents | null {
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < scores.length; i++) (positive[i] ? x : y).push(scores[i]);
  const m = x.length;
  const n = y.length;
  if (m === 0 || n === 0) return null;
  const tx = midranks(x);
  const ty = midranks(y);
  const tz = midranks([...x, ...y]);
  const v10 = new Float64Array(m);
  const v01 = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < m; i++) {
    v10[i] = (tz[i] - tx[i]) / n;
    sum += v10[i];
  }
  for (let j = 0; j < n; j++) v01[j] = 1 - (tz[m + j] - ty[j]) / m;
  return { auc: sum / m, v10, v01 };
}

function sampleCovariance(a: Float64Array, meanA: number, b: Float64Array, meanB: number): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - meanA) * (b[i] - meanB);
  return s / (a.length - 1);
}

/**
 * Cov(AUC_a, AUC_b) = S10/m + S01/n for two score sets on the same cases and the same positives
 * (a = b gives the variance). null when there are fewer than 2 positives or 2 negatives.
 */
export function delongCovariance(a: DelongComponents, b: DelongComponents): number | null {
  const m = a.v10.length;
  const n = a.v01.length;
  if (m < 2 || n < 2) return null;
  if (b.v10.length !== m || b.v01.length !== n)
    throw new RangeError('DeLong covariance needs the same cases');
  const s10 = sampleCovariance(a.v10, a.auc, b.v10, b.auc);
  const s01 = sampleCovariance(a.v01, a.auc, b.v01, b.auc);
  return s10 / m + s01 / n;
}

/** Var(AUC) by DeLong; null with fewer than 2 positives or 2 negatives. */
export function delongVariance(c: DelongComponents): number | null {
  return delongCovariance(c, c);
}

export interface DelongInterval {
  auc: number;
  se: number | null;
  ci: [number, number] | null;
  note?: string;
}

/** AUROC with its DeLong standard error and normal-approximation CI, clipped to [0, 1]. */
export function delongInterval(c: DelongComponents, confidence = 0.95): DelongInterval {
  const variance = delongVariance(c);
  if (variance === null) {
    return {
      auc: c.auc,
      se: null,
      ci: null,
      note: 'fewer than 2 positives or 2 negatives: no DeLong variance',
    };
  }
  const se = Math.sqrt(Math.max(0, variance));
  const z = zForConfidence(confidence);
  const out: DelongInterval = {
    auc: c.auc,
    se,
    ci: [Math.max(0, c.auc - z * se), Math.min(1, c.auc + z * se)],
  };
  if (se === 0)
    out.note = 'DeLong variance is 0 (the classes are completely separated): the interval is degenerate';
  return out;
}

export interface PairedDelong {
  aucA: number;
  aucB: number;
  /** aucA - aucB */
  difference: number;
  se: number | null;
  ci: [number, number] | null;
  z: number | null;
  /** Two-sided p-value of H0: AUC_a = AUC_b. */
  p: number | null;
  note?: string;
}

/** DeLong's test for two correlated AUROCs (two models scored on the same cases). */
export function pairedDelong(a: DelongComponents, b: DelongComponents, confidence = 0.95): PairedDelong {
  const difference = a.auc - b.auc;
  const va = delongVariance(a);
  const vb = delongVariance(b);
  const cov = delongCovariance(a, b);
  const base = { aucA: a.auc, aucB: b.auc, difference };
  if (va === null || vb === null || cov === null) {
    return { ...base, se: null, ci: null, z: null, p: null, note: 'fewer than 2 positives or 2 negatives' };
  }
  const variance = va + vb - 2 * cov;
  if (!(variance > 1e-15)) {
    return {
      ...base,
      se: 0,
      ci: [difference, difference],
      z: null,
      p: difference === 0 ? 1 : null,
      note: 'the variance of the difference is 0: no test possible',
    };
  }
  const se = Math.sqrt(variance);
  const z = difference / se;
  const zc = zForConfidence(confidence);
  return {
    ...base,
    se,
    ci: [Math.max(-1, difference - zc * se), Math.min(1, difference + zc * se)],
    z,
    p: twoSidedNormalP(z),
  };
}
