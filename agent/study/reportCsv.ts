/** CSV of a metrics or paired report: one row per number (see reportRows.ts), RFC 4180 quoting. */
import type { MetricsReport, PairedReport } from '../protocol';
import { csvLine } from '../xray/csv';
import { metricsReportRows, pairedReportRows, type ReportRow } from './reportRows';

const HEADER = [
  'model',
  'subgroup_column',
  'subgroup_value',
  'class',
  'predicted',
  'metric',
  'value',
  'ci_low',
  'ci_high',
  'n',
  'count',
  'method',
  'note',
];

/** Twelve significant digits: exact enough for any table, free of binary noise (0.30000000000000004). */
function num(v: number | null): string {
  return v === null ? '' : String(Number(v.toPrecision(12)));
}

function toCsv(rows: ReportRow[]): string {
  const lines = [csvLine(HEADER)];
  for (const r of rows) {
    lines.push(
      csvLine([
        r.model,
        r.subgroupColumn,
        r.subgroupValue,
        r.class,
        r.predicted,
        r.metric,
        num(r.value),
        num(r.ciLow),
        num(r.ciHigh),
        num(r.n),
        num(r.count),
        r.method,
        r.note,
      ]),
    );
  }
  return lines.join('\n') + '\n';
}

export function metricsCsv(report: MetricsReport, model = ''): string {
  return toCsv(metricsReportRows(report, model));
}

export function pairedCsv(report: PairedReport): string {
  return toCsv(pairedReportRows(report));
}
