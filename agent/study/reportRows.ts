/**
 * A report flattened to one row per number (long format): what the CSV writer prints and what
 * spreadsheets, R and pandas read without reshaping. Overall rows have an empty subgroup.
 */
import type { MetricsReport, PairedReport, StudyEstimate, StudyPairedStats } from '../protocol';

export interface ReportRow {
  model: string;
  subgroupColumn: string;
  subgroupValue: string;
  /** Class for per-class numbers (true class for the confusion matrix); empty for overall numbers. */
  class: string;
  /** Predicted class, only for confusion-matrix cells. */
  predicted: string;
  metric: string;
  value: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  n: number | null;
  count: number | null;
  method: string;
  note: string;
}

interface Scope {
  model: string;
  subgroupColumn: string;
  subgroupValue: string;
}

function estimateRow(scope: Scope, cls: string, metric: string, e: StudyEstimate): ReportRow {
  return {
    ...scope,
    class: cls,
    predicted: '',
    metric,
    value: e.value,
    ciLow: e.ci ? e.ci[0] : null,
    ciHigh: e.ci ? e.ci[1] : null,
    n: e.n,
    count: e.count ?? null,
    method: e.method ?? '',
    note: e.note ?? '',
  };
}

function countRow(scope: Scope, metric: string, value: number, cls = '', predicted = ''): ReportRow {
  return {
    ...scope,
    class: cls,
    predicted,
    metric,
    value,
    ciLow: null,
    ciHigh: null,
    n: null,
    count: null,
    method: '',
    note: '',
  };
}

function oneReport(r: MetricsReport, scope: Scope): ReportRow[] {
  const out: ReportRow[] = [
    countRow(scope, 'rows', r.rows),
    countRow(scope, 'cases', r.n),
    countRow(scope, 'excluded_errored', r.excluded.errored),
    countRow(scope, 'excluded_unlabelled', r.excluded.unlabelled),
    countRow(scope, 'excluded_unknown_label', r.excluded.unknownLabel),
    countRow(scope, 'excluded_no_prediction', r.excluded.noPrediction),
    countRow(scope, 'excluded_unknown_prediction', r.excluded.unknownPrediction),
    estimateRow(scope, '', 'accuracy', r.accuracy),
    estimateRow(scope, '', 'accuracy_including_failures', r.accuracyIncludingFailures),
    estimateRow(scope, '', 'balanced_accuracy', r.balancedAccuracy),
    estimateRow(scope, '', 'macro_sensitivity', r.macro.sensitivity),
    estimateRow(scope, '', 'macro_specificity', r.macro.specificity),
    estimateRow(scope, '', 'macro_ppv', r.macro.ppv),
    estimateRow(scope, '', 'macro_npv', r.macro.npv),
    estimateRow(scope, '', 'macro_f1', r.macro.f1),
    estimateRow(scope, '', 'macro_auroc', r.macro.auroc),
  ];
  for (const c of r.classes) {
    out.push(countRow(scope, 'support', c.support, c.label));
    out.push(estimateRow(scope, c.label, 'sensitivity', c.sensitivity));
    out.push(estimateRow(scope, c.label, 'specificity', c.specificity));
    out.push(estimateRow(scope, c.label, 'ppv', c.ppv));
    out.push(estimateRow(scope, c.label, 'npv', c.npv));
    out.push(estimateRow(scope, c.label, 'f1', c.f1));
    if (c.auroc) out.push(estimateRow(scope, c.label, 'auroc', c.auroc));
  }
  r.confusion.forEach((row, i) =>
    row.forEach((v, j) => out.push(countRow(scope, 'confusion', v, r.labels[i], r.labels[j]))),
  );
  return out;
}

/** Rows of a metrics report and of each of its subgroups. */
export function metricsReportRows(r: MetricsReport, model = ''): ReportRow[] {
  const out = oneReport(r, { model, subgroupColumn: '', subgroupValue: '' });
  for (const table of r.subgroups) {
    for (const g of table.groups) {
      out.push(...oneReport(g.metrics, { model, subgroupColumn: table.column, subgroupValue: g.value }));
    }
  }
  return out;
}

function pairedRows(s: StudyPairedStats, scope: Scope): ReportRow[] {
  const m = s.mcnemar;
  const out: ReportRow[] = [
    countRow(scope, 'paired_cases', s.n),
    estimateRow(scope, '', 'agreement', s.agreement),
    estimateRow(scope, '', 'cohen_kappa', s.kappa),
    countRow(scope, 'mcnemar_a_only_correct', m.aOnly),
    countRow(scope, 'mcnemar_b_only_correct', m.bOnly),
    countRow(scope, 'mcnemar_both_correct', m.bothCorrect),
    countRow(scope, 'mcnemar_both_wrong', m.bothWrong),
    countRow(scope, 'mcnemar_exact_p', m.exactP),
    countRow(scope, 'mcnemar_chi_square', m.chiSquare),
    countRow(scope, 'mcnemar_chi_square_p', m.chiSquareP),
    estimateRow(scope, '', 'accuracy_difference', s.accuracyDifference),
  ];
  for (const a of s.auroc) {
    out.push(estimateRow(scope, a.label, 'auroc_difference', a.difference));
    if (a.p !== null) out.push(countRow(scope, 'auroc_difference_delong_p', a.p, a.label));
  }
  return out;
}

/** Rows of a paired report: each model's metrics (model column = its name), then the paired statistics. */
export function pairedReportRows(r: PairedReport): ReportRow[] {
  const [na, nb] = r.names;
  const out = [...metricsReportRows(r.a, na), ...metricsReportRows(r.b, nb)];
  const both = `${na} vs ${nb}`;
  out.push(...pairedRows(r.paired, { model: both, subgroupColumn: '', subgroupValue: '' }));
  for (const t of r.subgroups) {
    for (const g of t.groups) {
      out.push(...pairedRows(g.stats, { model: both, subgroupColumn: t.column, subgroupValue: g.value }));
    }
  }
  return out;
}
