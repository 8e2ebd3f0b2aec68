/**
 * computeMetrics: the numbers a paper reports for one model on labelled cases, each with its n
 * and a confidence interval, overall and per subgroup.
 *
 * - Proportions (accuracy, sensitivity, specificity, PPV, NPV): Wilson score interval.
 * - AUROC per class (one-vs-rest on that class's probability): DeLong interval.
 * - F1, balanced accuracy and the macro averages: stratified percentile bootstrap with a fixed
 *   seed (the same numbers on every run and machine).
 */
import { MedLabError, throwIfAborted } from '../errors';
import type {
  MetricsOptions,
  MetricsReport,
  StudyAuroc,
  StudyClassMetrics,
  StudyEstimate,
  StudySubgroupTable,
} from '../protocol';
import type { RunContext } from '../runContext';
import { percentileInterval, stratifiedBootstrap } from './bootstrap';
import { checkLabels, excludedCount, selectCases, type Cases } from './cases';
import {
  accuracy,
  balancedAccuracy,
  f1Score,
  macroAverage,
  npv,
  ppv,
  proportion,
  sensitivity,
  specificity,
} from './classMetrics';
import { confusionMatrix, oneVsRest, type OneVsRestCounts } from './confusion';
import { delongComponents, delongInterval } from './delong';
import { curvePoints, prepareAuroc, rocCurve, weightedAuroc, type PreparedAuroc } from './roc';
import type { StudyRow } from './studyRow';
import { isIdentifierColumn } from './identifierColumns';
import { groupRows } from './subgroups';

export type ResolvedOptions = Required<Omit<MetricsOptions, 'by'>> & { by: string[] };

export const METRICS_DEFAULTS: Readonly<ResolvedOptions> = {
  by: [],
  confidence: 0.95,
  replicates: 2000,
  seed: 20250101,
  minCases: 30,
  maxCurvePoints: 200,
};

/** Options with defaults filled in, checked (E_USAGE naming the option). */
export function resolveOptions(options: MetricsOptions): ResolvedOptions {
  const o: ResolvedOptions = { ...METRICS_DEFAULTS, by: [] };
  for (const [k, v] of Object.entries(options)) if (v !== undefined) (o as Record<string, unknown>)[k] = v;
  if (!(o.confidence > 0 && o.confidence < 1)) {
    throw new MedLabError('E_USAGE', `confidence must lie between 0 and 1; got ${o.confidence}`, {
      field: 'confidence',
    });
  }
  if (!Number.isInteger(o.replicates) || o.replicates < 0) {
    throw new MedLabError('E_USAGE', `replicates must be a whole number >= 0; got ${o.replicates}`, {
      field: 'replicates',
    });
  }
  if (!Number.isInteger(o.seed)) {
    throw new MedLabError('E_USAGE', `seed must be an integer; got ${o.seed}`, { field: 'seed' });
  }
  if (!(o.maxCurvePoints >= 2)) {
    throw new MedLabError('E_USAGE', `maxCurvePoints must be at least 2; got ${o.maxCurvePoints}`, {
      field: 'maxCurvePoints',
    });
  }
  return o;
}

/** Bootstrap statistics, in this slot order. */
const SLOT = { balanced: 0, sens: 1, spec: 2, ppv: 3, npv: 4, f1: 5, auroc: 6, classF1: 7 } as const;

function ovrValues(
  counts: OneVsRestCounts[],
): Record<'sens' | 'spec' | 'ppv' | 'npv' | 'f1', (number | null)[]> {
  const ratio = (a: number, b: number) => (b === 0 ? null : a / b);
  return {
    sens: counts.map((c) => ratio(c.tp, c.tp + c.fn)),
    spec: counts.map((c) => ratio(c.tn, c.tn + c.fp)),
    ppv: counts.map((c) => ratio(c.tp, c.tp + c.fp)),
    npv: counts.map((c) => ratio(c.tn, c.tn + c.fn)),
    f1: counts.map(f1Score),
  };
}

/** All statistics that get a bootstrap interval, from one (weighted) confusion matrix and AUROCs. */
function statistics(matrix: number[][], aurocs: (number | null)[]): (number | null)[] {
  const counts = matrix.map((_, c) => oneVsRest(matrix, c));
  const v = ovrValues(counts);
  return [
    balancedAccuracy(matrix),
    macroAverage(v.sens),
    macroAverage(v.spec),
    macroAverage(v.ppv),
    macroAverage(v.npv),
    macroAverage(v.f1),
    macroAverage(aurocs),
    ...v.f1,
  ];
}

interface AurocPlan {
  prepared: PreparedAuroc[];
  /** Classes whose AUROC is defined on the full data (the macro average is over these). */
  defined: number[];
}

function runBootstrap(cases: Cases, k: number, plan: AurocPlan, o: ResolvedOptions): (number | null)[][] {
  if (o.replicates === 0 || cases.truth.length === 0) return [];
  const strata: number[][] = Array.from({ length: k }, () => []);
  cases.truth.forEach((t, i) => strata[t].push(i));
  const scoredWeights = new Float64Array(cases.scored.length);
  return stratifiedBootstrap(
    strata.filter((s) => s.length > 0),
    cases.truth.length,
    o,
    (w) => {
      const matrix = confusionMatrix(cases.truth, cases.pred, k, w);
      for (let s = 0; s < cases.scored.length; s++) scoredWeights[s] = w[cases.scored[s]];
      const aurocs = plan.defined.map((c) => weightedAuroc(plan.prepared[c], scoredWeights));
      return statistics(matrix, aurocs);
    },
  );
}

function bootstrapEstimate(
  value: number | null,
  replicates: (number | null)[][],
  slot: number,
  n: number,
  o: ResolvedOptions,
): StudyEstimate {
  if (value === null) return { value, ci: null, n, method: null, note: 'undefined on these cases' };
  if (replicates.length === 0) return { value, ci: null, n, method: null, note: 'bootstrap disabled' };
  const { ci, used } = percentileInterval(
    replicates.map((r) => r[slot]),
    o.confidence,
  );
  const e: StudyEstimate = { value, ci, n, method: 'bootstrap' };
  if (used < replicates.length) e.note = `defined in ${used} of ${replicates.length} bootstrap replicates`;
  return e;
}

function classAuroc(cases: Cases, c: number, o: ResolvedOptions): StudyAuroc | null {
  const n = cases.scored.length;
  if (n === 0) return null;
  const positive = Array.from(cases.scored, (s) => cases.truth[s] === c);
  const positives = positive.filter(Boolean).length;
  const negatives = n - positives;
  const comps = delongComponents(cases.scores[c], positive);
  const curve = rocCurve(cases.scores[c], positive);
  if (!comps || !curve) {
    return {
      value: null,
      ci: null,
      n,
      method: null,
      note: positives === 0 ? 'no positive cases' : 'no negative cases',
      positives,
      negatives,
      se: null,
      curve: [],
      curvePoints: 0,
    };
  }
  const d = delongInterval(comps, o.confidence);
  const out: StudyAuroc = {
    value: d.auc,
    ci: d.ci,
    n,
    method: 'delong',
    positives,
    negatives,
    se: d.se,
    curve: curvePoints(curve, o.maxCurvePoints),
    curvePoints: curve.fpr.length,
  };
  if (d.note) out.note = d.note;
  return out;
}

function warningsFor(report: Omit<MetricsReport, 'warnings' | 'subgroups'>, o: ResolvedOptions): string[] {
  const w: string[] = [];
  const e = report.excluded;
  const left = excludedCount(e);
  if (left > 0) {
    const parts = [
      e.errored && `${e.errored} errored`,
      e.unlabelled && `${e.unlabelled} unlabelled`,
      e.unknownLabel && `${e.unknownLabel} with a label not among ${report.labels.join(', ')}`,
      e.noPrediction && `${e.noPrediction} without prediction`,
      e.unknownPrediction && `${e.unknownPrediction} with a prediction not among the labels`,
    ].filter(Boolean);
    w.push(`${left} of ${report.rows} rows left out: ${parts.join(', ')}`);
  }
  if (report.small) w.push(`only ${report.n} cases (< ${o.minCases}): estimates are unstable`);
  for (const c of report.classes) {
    if (c.support === 0 && report.n > 0)
      w.push(`no cases of "${c.label}": its sensitivity and AUROC are undefined`);
  }
  if (report.scored > 0 && report.scored < report.n) {
    w.push(
      `${report.n - report.scored} of ${report.n} cases carry no probabilities: AUROCs rest on ${report.scored}`,
    );
  }
  if (report.scored === 0 && report.n > 0) w.push('no case carries probabilities: no ROC curves or AUROC');
  const macro = report.macro.auroc;
  if (report.scored > 0 && macro.classes.length > 0 && macro.classes.length < report.labels.length) {
    w.push(`macro AUROC averages ${macro.classes.join(', ')} only (the others are undefined here)`);
  }
  return w;
}

/**
 * Metrics of one model on `rows`. `labels` is the model's label order (the order of
 * `probabilities`). Subgroup columns in `options.by` get the same metrics per value.
 */
export function computeMetrics(
  rows: readonly StudyRow[],
  labels: readonly string[],
  options: MetricsOptions = {},
  ctx?: RunContext,
): MetricsReport {
  checkLabels(labels);
  const o = resolveOptions(options);
  throwIfAborted(ctx?.signal, 'metrics');
  const k = labels.length;
  const cases = selectCases(rows, labels);
  const n = cases.truth.length;
  const matrix = confusionMatrix(cases.truth, cases.pred, k);
  const counts = matrix.map((_, c) => oneVsRest(matrix, c));
  const aurocs = labels.map((_, c) => classAuroc(cases, c, o));
  const plan: AurocPlan = {
    prepared: labels.map((_, c) =>
      prepareAuroc(
        cases.scores[c],
        Array.from(cases.scored, (s) => cases.truth[s] === c),
      ),
    ),
    defined: aurocs.flatMap((a, c) => (a && a.value !== null ? [c] : [])),
  };
  const full = statistics(
    matrix,
    plan.defined.map((c) => aurocs[c]!.value),
  );
  const reps = runBootstrap(cases, k, plan, o);
  const boot = (slot: number, nn = n) => bootstrapEstimate(full[slot], reps, slot, nn, o);
  const classes: StudyClassMetrics[] = labels.map((label, c) => ({
    label,
    support: counts[c].tp + counts[c].fn,
    predicted: counts[c].tp + counts[c].fp,
    ...counts[c],
    sensitivity: sensitivity(counts[c], o.confidence),
    specificity: specificity(counts[c], o.confidence),
    ppv: ppv(counts[c], o.confidence),
    npv: npv(counts[c], o.confidence),
    f1: boot(SLOT.classF1 + c),
    auroc: aurocs[c],
  }));
  const correct = matrix.reduce((s, row, i) => s + row[i], 0);
  const base = {
    labels: [...labels],
    confidence: o.confidence,
    rows: rows.length,
    n,
    excluded: cases.excluded,
    scored: cases.scored.length,
    accuracy: accuracy(matrix, o.confidence),
    accuracyIncludingFailures: proportion(correct, cases.knownLabel, o.confidence),
    balancedAccuracy: boot(SLOT.balanced),
    macro: {
      sensitivity: boot(SLOT.sens),
      specificity: boot(SLOT.spec),
      ppv: boot(SLOT.ppv),
      npv: boot(SLOT.npv),
      f1: boot(SLOT.f1),
      auroc: { ...boot(SLOT.auroc, cases.scored.length), classes: plan.defined.map((c) => labels[c]) },
    },
    confusion: matrix,
    classes,
    bootstrap: { replicates: o.replicates, seed: o.seed, stratified: true as const },
    minCases: o.minCases,
    small: n < o.minCases,
  };
  const report: MetricsReport = { ...base, warnings: warningsFor(base, o), subgroups: [] };
  for (const column of o.by.filter(isIdentifierColumn)) {
    report.warnings.push(`not split by "${column}": it holds patient identifiers`);
  }
  report.subgroups = o.by
    .filter((c) => !isIdentifierColumn(c))
    .map((column) => subgroupTable(rows, labels, column, o, ctx));
  return report;
}

function subgroupTable(
  rows: readonly StudyRow[],
  labels: readonly string[],
  column: string,
  o: ResolvedOptions,
  ctx?: RunContext,
): StudySubgroupTable {
  const groups = groupRows(rows, column).map(({ value, indices }, g, all) => {
    throwIfAborted(ctx?.signal, 'metrics');
    ctx?.progress({ message: `subgroups by ${column}: ${value}`, done: g, total: all.length });
    const metrics = computeMetrics(
      indices.map((i) => rows[i]),
      labels,
      { ...o, by: [] },
    );
    return { column, value, rows: indices.length, n: metrics.n, small: metrics.small, metrics };
  });
  return { column, groups };
}
