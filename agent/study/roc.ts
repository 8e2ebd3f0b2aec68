/**
 * One-vs-rest ROC curves and the area under them.
 *
 * Semantics follow scikit-learn (roc_curve / roc_auc_score, checked against 1.2 in test/study):
 * - A case is called positive when score >= threshold. Thresholds are the distinct scores,
 *   descending; tied scores move the curve diagonally in one step (ties are never broken).
 * - drop_intermediate: a point is dropped when both the false- and the true-positive counts have
 *   zero second difference there (it lies on a straight run of equal steps, so the drawn curve
 *   and the area do not change). The first and last points are always kept.
 * - The curve starts at (0, 0) with a threshold above every score (sklearn 1.2 writes max+1,
 *   1.3+ writes inf; here it is null).
 * - AUROC is the Mann-Whitney probability P(score_pos > score_neg) + ½ P(equal), which equals the
 *   trapezoidal area under that curve.
 */
import type { StudyRocPoint } from '../protocol';
import { midranks } from './ranks';

export interface RocCurve {
  fpr: number[];
  tpr: number[];
  /** thresholds[0] is null: the start above every score. */
  thresholds: (number | null)[];
}

/** Counts positives and negatives; null unless both are present. */
function classCounts(positive: ArrayLike<boolean>): { pos: number; neg: number } | null {
  let pos = 0;
  for (let i = 0; i < positive.length; i++) if (positive[i]) pos++;
  const neg = positive.length - pos;
  return pos > 0 && neg > 0 ? { pos, neg } : null;
}

/** ROC curve of `scores` for the cases marked `positive`; null without both positives and negatives. */
export function rocCurve(
  scores: ArrayLike<number>,
  positive: ArrayLike<boolean>,
  dropIntermediate = true,
): RocCurve | null {
  const counts = classCounts(positive);
  if (!counts) return null;
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  const tps: number[] = [];
  const fps: number[] = [];
  const thr: number[] = [];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    if (positive[i]) tp++;
    else fp++;
    const last = k === order.length - 1;
    if (last || scores[order[k + 1]] !== scores[i]) {
      tps.push(tp);
      fps.push(fp);
      thr.push(scores[i]);
    }
  }
  let keep = tps.map((_, i) => i);
  if (dropIntermediate && tps.length > 2) {
    keep = keep.filter(
      (i) =>
        i === 0 ||
        i === tps.length - 1 ||
        fps[i + 1] - 2 * fps[i] + fps[i - 1] !== 0 ||
        tps[i + 1] - 2 * tps[i] + tps[i - 1] !== 0,
    );
  }
  const curve: RocCurve = { fpr: [0], tpr: [0], thresholds: [null] };
  for (const i of keep) {
    curve.fpr.push(fps[i] / counts.neg);
    curve.tpr.push(tps[i] / counts.pos);
    curve.thresholds.push(thr[i]);
  }
  return curve;
}

/** AUROC by the Mann-Whitney U statistic on midranks; null without both positives and negatives. */
export function auroc(scores: ArrayLike<number>, positive: ArrayLike<boolean>): number | null {
  const counts = classCounts(positive);
  if (!counts) return null;
  const ranks = midranks(scores);
  let rankSum = 0;
  for (let i = 0; i < ranks.length; i++) if (positive[i]) rankSum += ranks[i];
  return (rankSum - (counts.pos * (counts.pos + 1)) / 2) / (counts.pos * counts.neg);
}

/** Scores sorted once, so that weighted AUROCs (bootstrap replicates) cost O(n) each. */
export interface PreparedAuroc {
  /** Case indices by ascending score. */
  order: Int32Array;
  /** groupStart[g]..groupStart[g+1]-1 in `order` share one score. */
  groupStart: Int32Array;
  positive: ArrayLike<boolean>;
}

export function prepareAuroc(scores: ArrayLike<number>, positive: ArrayLike<boolean>): PreparedAuroc {
  const order = Int32Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  const starts: number[] = [];
  for (let k = 0; k < order.length; k++) {
    if (k === 0 || scores[order[k]] !== scores[order[k - 1]]) starts.push(k);
  }
  starts.push(order.length);
  return { order, groupStart: Int32Array.from(starts), positive };
}

/**
 * AUROC where case i counts weights[i] times (weights indexed by case, as drawn by the
 * bootstrap); null when the weighted positives or negatives are 0.
 */
export function weightedAuroc(prepared: PreparedAuroc, weights: ArrayLike<number>): number | null {
  const { order, groupStart, positive } = prepared;
  let negBelow = 0;
  let num = 0;
  let posTotal = 0;
  for (let g = 0; g + 1 < groupStart.length; g++) {
    let posW = 0;
    let negW = 0;
    for (let k = groupStart[g]; k < groupStart[g + 1]; k++) {
      const i = order[k];
      if (positive[i]) posW += weights[i];
      else negW += weights[i];
    }
    num += posW * (negBelow + 0.5 * negW);
    negBelow += negW;
    posTotal += posW;
  }
  return posTotal > 0 && negBelow > 0 ? num / (posTotal * negBelow) : null;
}

/** The curve as points, thinned for drawing: a point is kept when it moved at least 2/maxPoints (L1) from the last kept. */
export function curvePoints(curve: RocCurve, maxPoints: number): StudyRocPoint[] {
  const all = curve.fpr.map((fpr, i) => ({ fpr, tpr: curve.tpr[i], threshold: curve.thresholds[i] }));
  if (all.length <= maxPoints) return all;
  const step = 2 / Math.max(1, maxPoints - 1);
  const out = [all[0]];
  for (let i = 1; i < all.length - 1; i++) {
    const last = out[out.length - 1];
    if (Math.abs(all[i].fpr - last.fpr) + Math.abs(all[i].tpr - last.tpr) >= step) out.push(all[i]);
  }
  out.push(all[all.length - 1]);
  return out;
}
