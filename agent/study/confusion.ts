/** Confusion matrix and its one-vs-rest reduction. */

/**
 * matrix[i][j] = number of cases of true class i predicted as class j (the layout of sklearn's
 * confusion_matrix). With `weights`, case k counts weights[k] times (bootstrap multiplicities).
 */
export function confusionMatrix(
  truth: ArrayLike<number>,
  predicted: ArrayLike<number>,
  classCount: number,
  weights?: ArrayLike<number>,
): number[][] {
  const m = Array.from({ length: classCount }, () => new Array<number>(classCount).fill(0));
  for (let k = 0; k < truth.length; k++) m[truth[k]][predicted[k]] += weights ? weights[k] : 1;
  return m;
}

/** The 2×2 counts of one class against all others. */
export interface OneVsRestCounts {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

/** tp = m[c][c]; fn = rest of row c; fp = rest of column c; tn = everything else. */
export function oneVsRest(matrix: readonly (readonly number[])[], c: number): OneVsRestCounts {
  let total = 0;
  let row = 0;
  let col = 0;
  for (let i = 0; i < matrix.length; i++) {
    for (let j = 0; j < matrix.length; j++) total += matrix[i][j];
    row += matrix[c][i];
    col += matrix[i][c];
  }
  const tp = matrix[c][c];
  return { tp, fn: row - tp, fp: col - tp, tn: total - row - col + tp };
}

/** Sum of the diagonal (correct cases). */
export function trace(matrix: readonly (readonly number[])[]): number {
  let s = 0;
  for (let i = 0; i < matrix.length; i++) s += matrix[i][i];
  return s;
}

/** Sum of all cells. */
export function total(matrix: readonly (readonly number[])[]): number {
  let s = 0;
  for (const row of matrix) for (const v of row) s += v;
  return s;
}
