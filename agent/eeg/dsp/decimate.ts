/**
 * Min/max decimation for drawing: a trace of n samples shown in `columns` pixel columns keeps,
 * per column, the smallest and largest sample, so spikes survive any zoom level.
 * Column c covers samples [floor(c·n/columns), floor((c+1)·n/columns)); when there are more
 * columns than samples a column holds the sample under it. NaN samples (gaps) are ignored; a
 * column with no finite sample is NaN in both outputs, so the viewer can leave it blank.
 */
export interface MinMaxColumns {
  min: Float32Array;
  max: Float32Array;
}

export function minMaxColumns(data: ArrayLike<number>, columns: number): MinMaxColumns {
  if (!Number.isInteger(columns) || columns < 1)
    throw new RangeError(`columns must be a positive integer, got ${columns}`);
  const n = data.length;
  const min = new Float32Array(columns).fill(NaN);
  const max = new Float32Array(columns).fill(NaN);
  if (n === 0) return { min, max };
  for (let c = 0; c < columns; c++) {
    const from = Math.floor((c * n) / columns);
    const to = Math.max(from + 1, Math.floor(((c + 1) * n) / columns));
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = from; i < to && i < n; i++) {
      const v = data[i];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    // NaN fails both comparisons, so an all-NaN column keeps ±Infinity here.
    if (lo !== Infinity) {
      min[c] = lo;
      max[c] = hi;
    }
  }
  return { min, max };
}
