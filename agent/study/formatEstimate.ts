/** How an estimate is written for people: "0.912 (0.884–0.935)"; an undefined one as "n/a". */
import type { MetricsReport, StudyEstimate } from '../protocol';

export function formatNumber(v: number | null | undefined, digits = 3): string {
  return v === null || v === undefined || !Number.isFinite(v) ? 'n/a' : v.toFixed(digits);
}

export function formatCi(ci: [number, number] | null, digits = 3): string {
  return ci ? `${ci[0].toFixed(digits)}–${ci[1].toFixed(digits)}` : 'no CI';
}

export function formatEstimate(e: StudyEstimate, digits = 3): string {
  if (e.value === null) return 'n/a';
  return `${e.value.toFixed(digits)} (${formatCi(e.ci, digits)})`;
}

/** p-values: three significant digits, "<1e-16" below double precision. */
export function formatP(p: number | null): string {
  if (p === null) return 'n/a';
  if (p < 1e-16) return '<1e-16';
  return p < 0.001 ? p.toExponential(2) : p.toFixed(3);
}

/** The overall numbers of a report, in the order every writer shows them. */
export function overallEstimates(r: MetricsReport): [string, StudyEstimate][] {
  return [
    ['accuracy', r.accuracy],
    ['accuracy, failed rows counted wrong', r.accuracyIncludingFailures],
    ['balanced accuracy', r.balancedAccuracy],
    ['macro sensitivity', r.macro.sensitivity],
    ['macro specificity', r.macro.specificity],
    ['macro PPV', r.macro.ppv],
    ['macro NPV', r.macro.npv],
    ['macro F1', r.macro.f1],
    [`macro AUROC (${r.macro.auroc.classes.join(', ') || 'none'})`, r.macro.auroc],
  ];
}
