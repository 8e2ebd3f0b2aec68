/** Pure helpers of the report webview: row filtering, number formats, ROC and confusion geometry. */
import type { StudyEstimate, StudyRocPoint, XrayResultRow } from '../../agent/protocol';

export type RowFilter = 'all' | 'wrong' | 'right' | 'errors' | 'unlabelled';

export function rowStatus(r: XrayResultRow): 'error' | 'unlabelled' | 'right' | 'wrong' {
  if (r.error) return 'error';
  if (r.label === null) return 'unlabelled';
  return r.prediction === r.label ? 'right' : 'wrong';
}

/** Rows matching the filter and a case-insensitive text query on path, label and prediction. */
export function filterRows<T extends XrayResultRow>(
  rows: readonly T[],
  filter: RowFilter,
  query: string,
): T[] {
  const q = query.trim().toLowerCase();
  return rows.filter((r) => {
    const s = rowStatus(r);
    if (filter === 'errors' && s !== 'error') return false;
    if (filter === 'wrong' && s !== 'wrong') return false;
    if (filter === 'right' && s !== 'right') return false;
    if (filter === 'unlabelled' && s !== 'unlabelled') return false;
    if (!q) return true;
    return [r.path, r.label ?? '', r.prediction ?? ''].some((f) => f.toLowerCase().includes(q));
  });
}

export function formatNumber(v: number | null, digits = 3): string {
  return v === null || !Number.isFinite(v) ? '—' : v.toFixed(digits);
}

/** "0.912 [0.890, 0.931] n=300" — the n and CI travel with every number. */
export function formatEstimate(e: StudyEstimate | null | undefined, digits = 3): string {
  if (!e) return '—';
  const ci = e.ci ? ` [${e.ci[0].toFixed(digits)}, ${e.ci[1].toFixed(digits)}]` : '';
  return `${formatNumber(e.value, digits)}${ci} n=${e.n}`;
}

export function formatPercent(p: number): string {
  return `${(p * 100).toFixed(1)} %`;
}

/** Probabilities sorted from highest, as "label 97.1 %". */
export function probabilityList(probs: Record<string, number> | null): { label: string; p: number }[] {
  if (!probs) return [];
  return Object.entries(probs)
    .map(([label, p]) => ({ label, p }))
    .sort((a, b) => b.p - a.p);
}

/** SVG path of a ROC curve in a size x size box (y up). */
export function rocPath(curve: readonly StudyRocPoint[], size: number, pad: number): string {
  const span = size - 2 * pad;
  return curve
    .map(
      (pt, i) =>
        `${i === 0 ? 'M' : 'L'}${(pad + pt.fpr * span).toFixed(1)} ${(size - pad - pt.tpr * span).toFixed(1)}`,
    )
    .join(' ');
}

/** Row-normalised confusion matrix (each true class sums to 1; empty rows stay 0). */
export function confusionShares(confusion: readonly number[][]): number[][] {
  return confusion.map((row) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((v) => (total > 0 ? v / total : 0));
  });
}
