/** Class scores of a classifier output: rows of probabilities, whatever the model emits. */

/** Softmax of each row of a [rows, classes] matrix (numerically stable). */
export function softmaxRows(values: Float32Array, classes: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let r = 0; r < values.length / classes; r++) {
    const o = r * classes;
    let max = -Infinity;
    for (let c = 0; c < classes; c++) max = Math.max(max, values[o + c]);
    let sum = 0;
    for (let c = 0; c < classes; c++) {
      const e = Math.exp(values[o + c] - max);
      out[o + c] = e;
      sum += e;
    }
    for (let c = 0; c < classes; c++) out[o + c] /= sum;
  }
  return out;
}

/** Probabilities per row: logits go through softmax, probabilities are taken as they are. */
export function probabilityRows(
  scores: Float32Array,
  classes: number,
  scoreType: 'probabilities' | 'logits',
): Float32Array {
  return scoreType === 'logits' ? softmaxRows(scores, classes) : scores;
}

/** Index of the largest value in row `r` (first one on ties). */
export function argmaxRow(values: Float32Array, classes: number, r: number): number {
  let best = 0;
  for (let c = 1; c < classes; c++) if (values[r * classes + c] > values[r * classes + best]) best = c;
  return best;
}
