/**
 * The `study/metrics` job (RPC method and `medlab metrics`): read a results file (resultsFile.ts),
 * compute the metrics overall and per subgroup, and write the JSON/CSV/HTML reports atomically.
 */
import * as path from 'node:path';
import { isMedLabError, MedLabError } from '../errors';
import type { MetricsReport, StudyMetricsParams, StudyMetricsResult } from '../protocol';
import type { RunContext } from '../runContext';
import { writeFileAtomic } from '../files/atomicWrite';
import { isIdentifierColumn } from './identifierColumns';
import { computeMetrics } from './metrics';
import { metricsCsv } from './reportCsv';
import { metricsHtml } from './reportHtml';
import { readResults } from './resultsFile';

/** Refuses subgroup columns that the rows do not have, and identifier columns (E_PRIVACY). */
export function checkSubgroupColumns(by: readonly string[], available: readonly string[]): void {
  for (const column of by) {
    if (isIdentifierColumn(column)) {
      throw new MedLabError(
        'E_PRIVACY',
        `"${column}" looks like a patient identifier column: metrics are not split or reported by identifiers`,
        { field: 'by' },
      );
    }
    if (!available.includes(column)) {
      throw new MedLabError(
        'E_USAGE',
        `no subgroup column "${column}" in the results (available: ${available.filter((c) => !isIdentifierColumn(c)).join(', ') || 'none'})`,
        { field: 'by' },
      );
    }
  }
}

export async function runMetrics(params: StudyMetricsParams, ctx: RunContext): Promise<StudyMetricsResult> {
  if (typeof params.results !== 'string' || params.results === '') {
    throw new MedLabError('E_USAGE', 'results: the path of a results.json is required', { field: 'results' });
  }
  if (
    params.by !== undefined &&
    !(Array.isArray(params.by) && params.by.every((c) => typeof c === 'string'))
  ) {
    throw new MedLabError('E_USAGE', 'by must be a list of column names', { field: 'by' });
  }
  const file = path.resolve(params.results);
  const results = await readResults(file);
  const by = params.by ?? [];
  checkSubgroupColumns(by, results.subgroupColumns);
  ctx.progress({ message: `metrics of ${results.rows.length} rows` });
  let report: MetricsReport;
  try {
    report = computeMetrics(
      results.rows,
      results.labels,
      {
        by,
        confidence: params.confidence,
        replicates: params.replicates,
        seed: params.seed,
        minCases: params.minCases,
        maxCurvePoints: params.maxCurvePoints,
      },
      ctx,
    );
  } catch (e) {
    // Row errors from computeMetrics name the row and field; add the file.
    if (isMedLabError(e) && e.code === 'E_RESULTS' && !e.data.path) {
      throw new MedLabError(e.code, `${file}: ${e.message}`, { ...e.data, path: file });
    }
    throw e;
  }
  if (!results.complete) {
    report.warnings.unshift(
      'the results come from an interrupted run: only the images done so far are counted',
    );
  }
  const written: string[] = [];
  const title = results.model
    ? `MedLab metrics: ${results.model.name ?? results.model.id}`
    : 'MedLab metrics';
  const outputs: [string | undefined, () => string][] = [
    [params.jsonOut, () => JSON.stringify(report, null, 2) + '\n'],
    [params.csvOut, () => metricsCsv(report, results.model?.id ?? '')],
    [params.htmlOut, () => metricsHtml(report, { title, source: path.basename(file) })],
  ];
  for (const [out, render] of outputs) {
    if (!out) continue;
    const target = path.resolve(out);
    await writeFileAtomic(target, render());
    written.push(target);
  }
  return { report, written };
}
