/** A metrics report as plain text for the terminal (`medlab metrics`). */
import type { MetricsReport, StudyEstimate } from '../protocol';
import { formatEstimate, overallEstimates } from './formatEstimate';

function pad(s: string, w: number): string {
  return s.length >= w ? s : s + ' '.repeat(w - s.length);
}

function columns(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) =>
    r
      .map((v, c) => pad(v, widths[c]))
      .join('  ')
      .trimEnd(),
  );
}

function line(name: string, e: StudyEstimate): string[] {
  return [name, formatEstimate(e), `n=${e.n}`, e.method ?? '', e.note ?? ''];
}

export function metricsText(r: MetricsReport, title: string): string {
  const pct = Math.round(r.confidence * 100);
  const e = r.excluded;
  const out: string[] = [
    `${title} — research software, not for clinical use`,
    `${r.rows} rows, ${r.n} cases (${r.scored} with probabilities); left out: ${e.errored} errored, ${e.unlabelled} unlabelled, ` +
      `${e.unknownLabel} unknown label, ${e.noPrediction + e.unknownPrediction} without a valid prediction`,
    `values with ${pct} % CI (Wilson for proportions, DeLong for AUROC, bootstrap ${r.bootstrap.replicates}× seed ${r.bootstrap.seed} otherwise)`,
    '',
    ...columns(overallEstimates(r).map(([name, e]) => line(name, e))),
    '',
    ...columns([
      ['class', 'support', 'sensitivity', 'specificity', 'PPV', 'NPV', 'F1', 'AUROC'],
      ...r.classes.map((c) => [
        c.label,
        String(c.support),
        formatEstimate(c.sensitivity),
        formatEstimate(c.specificity),
        formatEstimate(c.ppv),
        formatEstimate(c.npv),
        formatEstimate(c.f1),
        c.auroc ? formatEstimate(c.auroc) : 'n/a',
      ]),
    ]),
    '',
    'confusion matrix (rows true, columns predicted):',
    ...columns([['', ...r.labels], ...r.confusion.map((row, i) => [r.labels[i], ...row.map(String)])]).map(
      (l) => '  ' + l,
    ),
  ];
  for (const t of r.subgroups) {
    out.push('', `by ${t.column}:`);
    out.push(
      ...columns([
        [t.column, 'n', 'accuracy', 'balanced accuracy', 'macro AUROC', ''],
        ...t.groups.map((g) => [
          g.value,
          String(g.n),
          formatEstimate(g.metrics.accuracy),
          formatEstimate(g.metrics.balancedAccuracy),
          formatEstimate(g.metrics.macro.auroc),
          g.small ? `small (< ${r.minCases})` : '',
        ]),
      ]).map((l) => '  ' + l),
    );
  }
  if (r.warnings.length) out.push('', 'warnings:', ...r.warnings.map((w) => `  - ${w}`));
  return out.join('\n');
}
