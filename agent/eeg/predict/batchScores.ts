/** Class probabilities of a batch of EEG model inputs (windows or feature epochs). */
import { MedLabError } from '../../errors';
import type { ModelSession } from '../../models/runtime';
import { probabilityRows } from '../../models/scores';
import { quantileSorted } from '../../study/bootstrap';

/** Rows fed to onnxruntime at once. */
export const BATCH_ROWS = 256;

/**
 * Runs `rows` inputs of `rowShape` (the input shape without its batch axis) through the model,
 * BATCH_ROWS at a time. Returns probabilities [rows × labels].
 */
export async function batchProbabilities(
  session: ModelSession,
  data: Float32Array,
  rows: number,
  rowShape: number[],
): Promise<Float32Array> {
  const m = session.manifest;
  const k = m.labels.length;
  const rowSize = rowShape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(rows * k);
  for (let r0 = 0; r0 < rows; r0 += BATCH_ROWS) {
    const n = Math.min(BATCH_ROWS, rows - r0);
    const feed = { data: data.subarray(r0 * rowSize, (r0 + n) * rowSize), dims: [n, ...rowShape] };
    const res = await session.run({ [m.input.name]: feed }, [m.outputs.scores]);
    const scores = res[m.outputs.scores];
    if (scores.data.length !== n * k) {
      throw new MedLabError(
        'E_MODEL_RUNTIME',
        `model ${m.id}: output "${m.outputs.scores}" has shape [${scores.dims.join(', ')}]; expected [${n}, ${k}] (one score per label)`,
        { field: 'outputs.scores' },
      );
    }
    out.set(probabilityRows(scores.data, k, m.outputs.scoreType), r0 * k);
  }
  return out;
}

/** Mean of each column of a [rows × k] matrix. */
export function columnMeans(p: Float32Array, k: number): number[] {
  const rows = p.length / k;
  const sums = new Array<number>(k).fill(0);
  for (let r = 0; r < rows; r++) for (let c = 0; c < k; c++) sums[c] += p[r * k + c];
  return sums.map((s) => (rows ? s / rows : NaN));
}

/** Population standard deviation and quartiles (numpy's linear interpolation) of values. */
export function spreadOf(values: readonly number[]): { std: number; q25: number; q75: number } {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const std = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / n);
  const sorted = [...values].sort((a, b) => a - b);
  return { std, q25: quantileSorted(sorted, 0.25), q75: quantileSorted(sorted, 0.75) };
}
