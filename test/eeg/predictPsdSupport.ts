/**
 * Reproduction of a relative-PSD screen's cross-validated figures by the agent: every fold model
 * scores the epochs of its held-out subjects; per repeat a subject's probability per condition is
 * the mean over its epochs; the pooled figure averages each subject over the repeats
 * (models/training/eeg/psd_study.py, summarize()).
 */
import * as assert from 'node:assert/strict';
import type { EegFeaturesPreprocessing } from '../../agent/eeg/predict/eegPreprocessing';
import { featureProbabilities } from '../../agent/eeg/predict/featureModel';
import { binaryFigures, foldSession, mean, type FoldFile } from './predictSupport';

export interface PsdExpected {
  model: string;
  cv: { folds: number; repeats: number; assignment: Record<string, number>[]; files: FoldFile[] };
  heldOut: Record<
    string,
    {
      pooled: {
        n: number;
        balancedAccuracy: number;
        auroc: number;
        sensitivity: number;
        specificity: number;
      };
      perRepeatMean: { balancedAccuracy: number; auroc: number; sensitivity: number; specificity: number };
    }
  >;
}

/** Epoch rows of a data set as the agent computed them, with their subject and condition. */
export interface EpochTable {
  /** Row-major [epochs, 19, bins]. */
  values: Float32Array;
  bins: number;
  subject: string[];
  condition: string[];
  /** Subject -> is the positive class. */
  positive: Map<string, boolean>;
}

export function near(actual: number, expected: number, what: string): void {
  assert.ok(
    Math.abs(actual - expected) <= 0.01,
    `${what}: agent ${actual.toFixed(4)}, card ${expected.toFixed(4)}`,
  );
}

/** Out-of-fold positive-class probability of every epoch, per repeat: [repeat][epoch]. */
export async function outOfFold(
  expected: PsdExpected,
  spec: EegFeaturesPreprocessing,
  table: EpochTable,
  positiveLabel: string,
): Promise<Float64Array[]> {
  const per = Array.from({ length: expected.cv.repeats }, () =>
    new Float64Array(table.subject.length).fill(NaN),
  );
  const rowSize = 19 * table.bins;
  for (const f of expected.cv.files) {
    const r = f.repeat ?? 0;
    const rows = table.subject.flatMap((s, i) => (expected.cv.assignment[r][s] === f.fold ? [i] : []));
    const data = new Float32Array(rows.length * rowSize);
    rows.forEach((row, j) =>
      data.set(table.values.subarray(row * rowSize, (row + 1) * rowSize), j * rowSize),
    );
    const session = await foldSession(expected.model, f);
    const k = session.manifest.labels.length;
    const pos = session.manifest.labels.indexOf(positiveLabel);
    const p = await featureProbabilities(session, spec, data, rows.length, table.bins);
    rows.forEach((row, j) => (per[r][row] = p[j * k + pos]));
  }
  for (const p of per) assert.ok(p.every(Number.isFinite), 'every epoch is held out once per repeat');
  return per;
}

/** Checks pooled and per-repeat figures of one condition ('all' = every epoch of a subject). */
export function checkCondition(
  expected: PsdExpected,
  table: EpochTable,
  oof: Float64Array[],
  condition: string,
): void {
  const subjects = [...new Set(table.subject)]
    .filter(
      (s) => condition === 'all' || table.subject.some((x, i) => x === s && table.condition[i] === condition),
    )
    .sort();
  const subjectMeans = (p: Float64Array) =>
    subjects.map((s) =>
      mean(
        table.subject.flatMap((x, i) =>
          x === s && (condition === 'all' || table.condition[i] === condition) ? [p[i]] : [],
        ),
      ),
    );
  const perRepeat = oof.map(subjectMeans);
  const y = subjects.map((s) => table.positive.get(s) === true);
  const pooled = subjects.map((_, j) => mean(perRepeat.map((r) => r[j])));
  const want = expected.heldOut[condition];
  assert.equal(subjects.length, want.pooled.n, `${condition}: subjects`);
  const got = binaryFigures(y, pooled);
  for (const key of ['balancedAccuracy', 'auroc', 'sensitivity', 'specificity'] as const) {
    near(got[key], want.pooled[key], `${condition} pooled ${key}`);
    near(
      mean(perRepeat.map((p) => binaryFigures(y, p)[key])),
      want.perRepeatMean[key],
      `${condition} per-repeat mean ${key}`,
    );
  }
}
