/**
 * comparePaired: two models on the same labelled cases (e.g. the lab's DenseNet and a medical
 * LLM). Both get the full metrics on the cases both could score (side by side, same n), plus the
 * paired statistics: agreement and Cohen's kappa between them, McNemar on correctness, the
 * accuracy difference with a paired bootstrap CI, paired DeLong per class, the same per
 * subgroup, and the list of cases where they disagree.
 */
import { MedLabError, throwIfAborted } from '../errors';
import type {
  MetricsOptions,
  PairedReport,
  StudyAurocComparison,
  StudyDisagreement,
  StudyEstimate,
  StudyPairedStats,
} from '../protocol';
import type { RunContext } from '../runContext';
import { percentileInterval, stratifiedBootstrap } from './bootstrap';
import { checkLabels, excludedCount, selectCases, type Cases } from './cases';
import { proportion } from './classMetrics';
import { confusionMatrix } from './confusion';
import { delongComponents, pairedDelong } from './delong';
import { isIdentifierColumn, withoutIdentifiers } from './identifierColumns';
import { cohensKappa } from './kappa';
import { mcnemarTest } from './mcnemar';
import { computeMetrics, resolveOptions, type ResolvedOptions } from './metrics';
import type { StudyRow } from './studyRow';
import { groupRows } from './subgroups';

export interface PairedOptions extends MetricsOptions {
  /** Names of the two models for reports (default "A", "B"). */
  names?: [string, string];
}

/** Checks that the two row lists describe the same cases and returns one truth label per case. */
function pairRows(rowsA: readonly StudyRow[], rowsB: readonly StudyRow[]): (string | null)[] {
  if (rowsA.length !== rowsB.length) {
    throw new MedLabError(
      'E_RESULTS',
      `the two models have ${rowsA.length} and ${rowsB.length} rows; paired statistics need the same cases`,
      { detail: { a: rowsA.length, b: rowsB.length } },
    );
  }
  return rowsA.map((a, i) => {
    const b = rowsB[i];
    if (a.id !== undefined && b.id !== undefined && a.id !== b.id) {
      throw new MedLabError('E_RESULTS', `row ${i} is case "${a.id}" for model A but "${b.id}" for model B`, {
        field: `rows[${i}].id`,
      });
    }
    const la = a.label || null;
    const lb = b.label || null;
    if (la !== null && lb !== null && la !== lb) {
      throw new MedLabError('E_RESULTS', `row ${i} is labelled "${la}" for model A but "${lb}" for model B`, {
        field: `rows[${i}].label`,
      });
    }
    return la ?? lb;
  });
}

function coverage(cases: Cases, confidence: number) {
  let correct = 0;
  for (let i = 0; i < cases.truth.length; i++) if (cases.truth[i] === cases.pred[i]) correct++;
  return {
    excluded: cases.excluded,
    accuracyIncludingFailures: proportion(correct, cases.knownLabel, confidence),
  };
}

function accuracyDifference(a: Cases, b: Cases, k: number, o: ResolvedOptions): StudyEstimate {
  const n = a.truth.length;
  if (n === 0) return { value: null, ci: null, n, method: null, note: 'no paired cases' };
  const diff = Float64Array.from(a.truth, (t, i) => (a.pred[i] === t ? 1 : 0) - (b.pred[i] === t ? 1 : 0));
  const value = diff.reduce((s, v) => s + v, 0) / n;
  if (o.replicates === 0) return { value, ci: null, n, method: null, note: 'bootstrap disabled' };
  const strata: number[][] = Array.from({ length: k }, () => []);
  a.truth.forEach((t, i) => strata[t].push(i));
  const reps = stratifiedBootstrap(
    strata.filter((s) => s.length > 0),
    n,
    o,
    (w) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += w[i] * diff[i];
      return s / n;
    },
  );
  return { value, ci: percentileInterval(reps, o.confidence).ci, n, method: 'bootstrap' };
}

function aurocComparisons(
  a: Cases,
  b: Cases,
  labels: readonly string[],
  confidence: number,
): StudyAurocComparison[] {
  // Cases scored by both models (positions in the paired cases).
  const inB = new Map<number, number>();
  b.scored.forEach((caseIndex, s) => inB.set(caseIndex, s));
  const both: [number, number][] = [];
  a.scored.forEach((caseIndex, s) => {
    const sb = inB.get(caseIndex);
    if (sb !== undefined) both.push([s, sb]);
  });
  if (both.length === 0) return [];
  return labels.map((label, c) => {
    const positive = both.map(([s]) => a.truth[a.scored[s]] === c);
    const ca = delongComponents(
      both.map(([s]) => a.scores[c][s]),
      positive,
    );
    const cb = delongComponents(
      both.map(([, s]) => b.scores[c][s]),
      positive,
    );
    const n = both.length;
    if (!ca || !cb) {
      const note = positive.some(Boolean) ? 'no negative cases' : 'no positive cases';
      return {
        label,
        n,
        a: null,
        b: null,
        difference: { value: null, ci: null, n, method: null, note },
        z: null,
        p: null,
      };
    }
    const t = pairedDelong(ca, cb, confidence);
    const difference: StudyEstimate = { value: t.difference, ci: t.ci, n, method: t.ci ? 'delong' : null };
    if (t.note) difference.note = t.note;
    return { label, n, a: t.aucA, b: t.aucB, difference, z: t.z, p: t.p };
  });
}

/** The paired statistics on rows valid in both models (as selected by `selectCases`). */
function pairedStats(
  rowsA: readonly StudyRow[],
  rowsB: readonly StudyRow[],
  labels: readonly string[],
  o: ResolvedOptions,
): StudyPairedStats {
  const a = selectCases(rowsA, labels);
  const b = selectCases(rowsB, labels);
  const k = labels.length;
  const n = a.truth.length;
  const table = confusionMatrix(a.pred, b.pred, k);
  let agree = 0;
  for (let i = 0; i < k; i++) agree += table[i][i];
  return {
    n,
    agreement: proportion(agree, n, o.confidence),
    kappa: cohensKappa(table, o.confidence),
    mcnemar: mcnemarTest(
      Array.from(a.truth, (t, i) => a.pred[i] === t),
      Array.from(b.truth, (t, i) => b.pred[i] === t),
    ),
    accuracyDifference: accuracyDifference(a, b, k, o),
    auroc: aurocComparisons(a, b, labels, o.confidence),
  };
}

/**
 * Compares model A (rowsA) and model B (rowsB) on the same cases: row i of both lists is the same
 * case (ids, when both have them, must match; so must labels). `labels` orders both models'
 * probabilities.
 */
export function comparePaired(
  rowsA: readonly StudyRow[],
  rowsB: readonly StudyRow[],
  labels: readonly string[],
  options: PairedOptions = {},
  ctx?: RunContext,
): PairedReport {
  checkLabels(labels);
  const truth = pairRows(rowsA, rowsB);
  const withTruth = (r: StudyRow, i: number): StudyRow => ({ ...r, label: truth[i] });
  const allA = rowsA.map(withTruth);
  const allB = rowsB.map(withTruth);
  const o = resolveOptions(options);
  const casesA = selectCases(allA, labels);
  const casesB = selectCases(allB, labels);
  const validB = new Set(casesB.rowIndex);
  const paired = Array.from(casesA.rowIndex).filter((i) => validB.has(i));
  const pa = paired.map((i) => allA[i]);
  const pb = paired.map((i) => allB[i]);
  const metricsOptions: MetricsOptions = { ...options };
  const a = computeMetrics(pa, labels, metricsOptions, ctx);
  throwIfAborted(ctx?.signal, 'comparison');
  const b = computeMetrics(pb, labels, metricsOptions, ctx);
  const by = (options.by ?? []).filter((c) => !isIdentifierColumn(c));
  const subgroups = by.map((column) => ({
    column,
    groups: groupRows(pa, column).map(({ value, indices }) => {
      throwIfAborted(ctx?.signal, 'comparison');
      const stats = pairedStats(
        indices.map((i) => pa[i]),
        indices.map((i) => pb[i]),
        labels,
        o,
      );
      return { column, value, n: stats.n, small: stats.n < o.minCases, stats };
    }),
  }));
  const disagreements: StudyDisagreement[] = [];
  const caseOfA = new Map(Array.from(casesA.rowIndex, (r, c) => [r, c]));
  const caseOfB = new Map(Array.from(casesB.rowIndex, (r, c) => [r, c]));
  paired.forEach((rowIndex, p) => {
    const predA = labels[casesA.pred[caseOfA.get(rowIndex)!]];
    const predB = labels[casesB.pred[caseOfB.get(rowIndex)!]];
    if (predA === predB) return;
    const label = truth[rowIndex]!;
    const d: StudyDisagreement = {
      index: rowIndex,
      label,
      a: predA,
      b: predB,
      aCorrect: predA === label,
      bCorrect: predB === label,
    };
    const id = rowsA[rowIndex].id ?? rowsB[rowIndex].id;
    if (id !== undefined) d.id = id;
    const sg = withoutIdentifiers(pa[p].subgroups ?? pb[p].subgroups ?? {});
    if (Object.keys(sg).length) d.subgroups = sg;
    disagreements.push(d);
  });
  const warnings: string[] = [];
  if (paired.length < rowsA.length) {
    warnings.push(
      `${paired.length} of ${rowsA.length} rows are paired cases (usable for both models); ` +
        `left out for A: ${excludedCount(casesA.excluded)}, for B: ${excludedCount(casesB.excluded)} (see coverage)`,
    );
  }
  if (paired.length < o.minCases)
    warnings.push(`only ${paired.length} paired cases (< ${o.minCases}): the tests have little power`);
  return {
    labels: [...labels],
    confidence: o.confidence,
    names: options.names ?? ['A', 'B'],
    rows: rowsA.length,
    a,
    b,
    coverage: { a: coverage(casesA, o.confidence), b: coverage(casesB, o.confidence) },
    paired: pairedStats(pa, pb, labels, o),
    subgroups,
    disagreements,
    warnings,
  };
}
