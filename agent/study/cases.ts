/**
 * From rows to the cases metrics rest on. Every row left out is counted by reason (errored,
 * unlabelled, unknown label, no or unknown prediction); malformed probabilities are an error
 * that names the row and field, never a silent drop.
 */
import { MedLabError } from '../errors';
import type { StudyExclusions } from '../protocol';
import { argmax, type StudyRow } from './studyRow';

export interface Cases {
  /** Index of each case's row in the rows given. */
  rowIndex: Int32Array;
  /** True class index per case. */
  truth: Int32Array;
  /** Predicted class index per case. */
  pred: Int32Array;
  /** Cases (indices into truth/pred) that carry probabilities. */
  scored: Int32Array;
  /** scores[c][s]: probability of class c for scored case s. */
  scores: Float64Array[];
  excluded: StudyExclusions;
  /** Rows whose label is one of the labels (the denominator of accuracy including failures). */
  knownLabel: number;
}

/** Checks the label list: at least two, unique, non-empty. */
export function checkLabels(labels: readonly string[]): void {
  if (labels.length < 2)
    throw new MedLabError('E_USAGE', `metrics need at least 2 labels, got ${labels.length}`);
  const seen = new Set<string>();
  for (const l of labels) {
    if (typeof l !== 'string' || l === '')
      throw new MedLabError('E_USAGE', 'labels must be non-empty strings');
    if (seen.has(l)) throw new MedLabError('E_USAGE', `label "${l}" is listed twice`);
    seen.add(l);
  }
}

function emptyExclusions(): StudyExclusions {
  return {
    errored: 0,
    unlabelled: 0,
    unknownLabel: 0,
    noPrediction: 0,
    unknownPrediction: 0,
    unknownLabels: {},
  };
}

/** Total of the exclusion counts. */
export function excludedCount(e: StudyExclusions): number {
  return e.errored + e.unlabelled + e.unknownLabel + e.noPrediction + e.unknownPrediction;
}

function checkProbabilities(p: unknown, k: number, i: number): readonly number[] {
  const field = `rows[${i}].probabilities`;
  if (!Array.isArray(p))
    throw new MedLabError('E_RESULTS', `${field} must be an array of ${k} numbers`, { field });
  if (p.length !== k) {
    throw new MedLabError('E_RESULTS', `${field} has ${p.length} values for ${k} labels`, {
      field,
      detail: { expected: k, actual: p.length },
    });
  }
  for (let c = 0; c < k; c++) {
    if (typeof p[c] !== 'number' || !Number.isFinite(p[c])) {
      throw new MedLabError('E_RESULTS', `${field}[${c}] is not a finite number`, {
        field: `${field}[${c}]`,
      });
    }
  }
  return p as number[];
}

export function selectCases(rows: readonly StudyRow[], labels: readonly string[]): Cases {
  const k = labels.length;
  const index = new Map(labels.map((l, i) => [l, i]));
  const excluded = emptyExclusions();
  const rowIndex: number[] = [];
  const truth: number[] = [];
  const pred: number[] = [];
  const scored: number[] = [];
  const scoreRows: (readonly number[])[] = [];
  let knownLabel = 0;
  rows.forEach((row, i) => {
    const probabilities =
      row.probabilities === undefined || row.probabilities === null
        ? null
        : checkProbabilities(row.probabilities, k, i);
    const label = row.label ?? '';
    const t = index.get(label);
    if (t !== undefined) knownLabel++;
    if (row.error) {
      excluded.errored++;
      return;
    }
    if (label === '') {
      excluded.unlabelled++;
      return;
    }
    if (t === undefined) {
      excluded.unknownLabel++;
      excluded.unknownLabels[label] = (excluded.unknownLabels[label] ?? 0) + 1;
      return;
    }
    let p: number | undefined;
    if (row.prediction !== undefined && row.prediction !== null && row.prediction !== '') {
      p = index.get(row.prediction);
      if (p === undefined) {
        excluded.unknownPrediction++;
        return;
      }
    } else if (probabilities) p = argmax(probabilities);
    else {
      excluded.noPrediction++;
      return;
    }
    if (probabilities) {
      scored.push(truth.length);
      scoreRows.push(probabilities);
    }
    rowIndex.push(i);
    truth.push(t);
    pred.push(p);
  });
  const scores = labels.map((_, c) => Float64Array.from(scoreRows, (s) => s[c]));
  return {
    rowIndex: Int32Array.from(rowIndex),
    truth: Int32Array.from(truth),
    pred: Int32Array.from(pred),
    scored: Int32Array.from(scored),
    scores,
    excluded,
    knownLabel,
  };
}
