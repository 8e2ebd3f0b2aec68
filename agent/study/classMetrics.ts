/**
 * Per-class and overall classification metrics from counts. One formula per function; the
 * proportions carry their Wilson 95 % interval and their n (the denominator). Values are null
 * where the denominator is 0: an undefined metric is reported as undefined, never as 0.
 */
import type { StudyEstimate } from '../protocol';
import type { OneVsRestCounts } from './confusion';
import { trace, total } from './confusion';
import { wilsonInterval } from './wilson';

/** count / n with its Wilson interval. */
export function proportion(count: number, n: number, confidence: number): StudyEstimate {
  if (n === 0)
    return { value: null, ci: null, n: 0, count, method: null, note: 'no cases in the denominator' };
  return { value: count / n, ci: wilsonInterval(count, n, confidence), n, count, method: 'wilson' };
}

/** Sensitivity (recall, true-positive rate) = TP / (TP + FN). */
export function sensitivity(c: OneVsRestCounts, confidence = 0.95): StudyEstimate {
  return proportion(c.tp, c.tp + c.fn, confidence);
}

/** Specificity (true-negative rate) = TN / (TN + FP). */
export function specificity(c: OneVsRestCounts, confidence = 0.95): StudyEstimate {
  return proportion(c.tn, c.tn + c.fp, confidence);
}

/** Positive predictive value (precision) = TP / (TP + FP). */
export function ppv(c: OneVsRestCounts, confidence = 0.95): StudyEstimate {
  return proportion(c.tp, c.tp + c.fp, confidence);
}

/** Negative predictive value = TN / (TN + FN). */
export function npv(c: OneVsRestCounts, confidence = 0.95): StudyEstimate {
  return proportion(c.tn, c.tn + c.fn, confidence);
}

/** F1 = 2TP / (2TP + FP + FN), the harmonic mean of PPV and sensitivity; null when all three are 0. */
export function f1Score(c: OneVsRestCounts): number | null {
  const d = 2 * c.tp + c.fp + c.fn;
  return d === 0 ? null : (2 * c.tp) / d;
}

/** Accuracy = correct / all cases, with its Wilson interval. */
export function accuracy(matrix: readonly (readonly number[])[], confidence = 0.95): StudyEstimate {
  return proportion(trace(matrix), total(matrix), confidence);
}

/**
 * Balanced accuracy = mean sensitivity over the classes present in the truth (sklearn's
 * balanced_accuracy_score); null when there are no cases.
 */
export function balancedAccuracy(matrix: readonly (readonly number[])[]): number | null {
  let sum = 0;
  let k = 0;
  for (let i = 0; i < matrix.length; i++) {
    let row = 0;
    for (const v of matrix[i]) row += v;
    if (row > 0) {
      sum += matrix[i][i] / row;
      k++;
    }
  }
  return k === 0 ? null : sum / k;
}

/** Unweighted mean of the defined values (macro average); null when none is defined. */
export function macroAverage(values: readonly (number | null)[]): number | null {
  let sum = 0;
  let k = 0;
  for (const v of values) {
    if (v !== null) {
      sum += v;
      k++;
    }
  }
  return k === 0 ? null : sum / k;
}
