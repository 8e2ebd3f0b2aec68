/**
 * The files a diagnosis run leaves in its output folder: results.json (everything), results.csv
 * (one line per image), metrics.json (agent/study's metrics on the labelled rows). All are
 * written atomically. `readResults` loads a results.json back with its shape checked.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MedLabError } from '../errors';
import type { XrayResultRow, XrayResultsFile } from '../protocol';
import { silentContext, type RunContext } from '../runContext';
import { isIdentifierColumn } from '../study/identifierColumns';
import { runMetrics } from '../study/runMetrics';
import { writeFileAtomic } from '../files/atomicWrite';
import { csvLine } from './csv';
import { readJsonFile } from '../files/readJsonFile';

export const RESULTS_JSON = 'results.json';
export const RESULTS_CSV = 'results.csv';
export const METRICS_JSON = 'metrics.json';

/** Subgroups with more distinct values than this (patient ids, ages) are left out of metrics.json. */
export const MAX_SUBGROUP_VALUES = 20;

export function resultsCsv(file: XrayResultsFile): string {
  const { labels, subgroupColumns } = file;
  const header = [
    'path',
    'label',
    'prediction',
    ...labels.map((l) => `p_${l}`),
    'error_code',
    'error',
    ...subgroupColumns,
    'heatmap',
  ];
  const lines = [csvLine(header)];
  for (const r of file.rows) {
    lines.push(
      csvLine([
        r.path,
        r.label,
        r.prediction,
        ...labels.map((l) => (r.probabilities ? r.probabilities[l] : null)),
        r.error?.code,
        r.error?.message,
        ...subgroupColumns.map((c) => r.subgroups[c]),
        r.heatmap,
      ]),
    );
  }
  return lines.join('\n') + '\n';
}

/**
 * Subgroup columns worth a table in metrics.json: 2..MAX_SUBGROUP_VALUES distinct values among
 * labelled rows, never an identifier column (patient_id...). `medlab metrics --by` does others.
 */
export function metricSubgroups(file: XrayResultsFile): string[] {
  return file.subgroupColumns.filter((c) => {
    if (isIdentifierColumn(c)) return false;
    const values = new Set(file.rows.filter((r) => r.label !== null).map((r) => r.subgroups[c] ?? ''));
    return values.size >= 2 && values.size <= MAX_SUBGROUP_VALUES;
  });
}

/** Writes results.json and results.csv, and metrics.json when some rows are labelled. */
export async function writeResults(
  outDir: string,
  file: XrayResultsFile,
  ctx: RunContext = silentContext(),
  options: { metrics?: boolean } = {},
): Promise<{ json: string; csv: string; metrics: string | null }> {
  const json = path.join(outDir, RESULTS_JSON);
  const csv = path.join(outDir, RESULTS_CSV);
  await writeFileAtomic(json, JSON.stringify(file, null, 1) + '\n');
  await writeFileAtomic(csv, resultsCsv(file));
  const metrics = await writeMetrics(outDir, file, ctx, options.metrics ?? true);
  return { json, csv, metrics };
}

/**
 * metrics.json for results already written to `outDir` (removed when no row is labelled). With
 * `compute` false, an existing metrics.json is left as it is (watch mode refreshes it later).
 */
export async function writeMetrics(
  outDir: string,
  file: XrayResultsFile,
  ctx: RunContext,
  compute = true,
): Promise<string | null> {
  const metrics = path.join(outDir, METRICS_JSON);
  if (file.counts.labelled === 0) {
    await fs.promises.rm(metrics, { force: true });
    return null;
  }
  if (!compute) return fs.existsSync(metrics) ? metrics : null;
  await runMetrics(
    { results: path.join(outDir, RESULTS_JSON), by: metricSubgroups(file), jsonOut: metrics },
    ctx,
  );
  return metrics;
}

function invalid(file: string, message: string, field?: string): MedLabError {
  return new MedLabError('E_RESULTS', `${file}: ${message}`, { path: file, ...(field ? { field } : {}) });
}

function checkRow(file: string, labels: string[], r: XrayResultRow, i: number): void {
  const at = `rows[${i}]`;
  if (typeof r !== 'object' || r === null) throw invalid(file, `${at} is not an object`, at);
  if (typeof r.path !== 'string') throw invalid(file, `${at}.path must be a string`, `${at}.path`);
  if (r.label !== null && typeof r.label !== 'string')
    throw invalid(file, `${at}.label must be a string or null`, `${at}.label`);
  if (r.prediction !== null && typeof r.prediction !== 'string') {
    throw invalid(file, `${at}.prediction must be a string or null`, `${at}.prediction`);
  }
  if (r.probabilities !== null) {
    if (typeof r.probabilities !== 'object')
      throw invalid(file, `${at}.probabilities must be an object or null`, `${at}.probabilities`);
    for (const l of labels) {
      if (typeof r.probabilities[l] !== 'number') {
        throw invalid(file, `${at}.probabilities has no number for "${l}"`, `${at}.probabilities.${l}`);
      }
    }
  }
  if (typeof r.subgroups !== 'object' || r.subgroups === null)
    throw invalid(file, `${at}.subgroups must be an object`, `${at}.subgroups`);
}

/** Reads a results.json written by a diagnosis run; E_RESULTS names what is wrong. */
export async function readResults(file: string): Promise<XrayResultsFile> {
  const data = (await readJsonFile(file, 'E_RESULTS')) as XrayResultsFile;
  if (data?.format !== 'medlab-xray-results')
    throw invalid(file, 'format is not "medlab-xray-results"', 'format');
  if (data.version !== 1) throw invalid(file, `version ${String(data.version)} is not supported`, 'version');
  if (!Array.isArray(data.labels) || data.labels.some((l) => typeof l !== 'string')) {
    throw invalid(file, 'labels must be an array of strings', 'labels');
  }
  if (!Array.isArray(data.subgroupColumns))
    throw invalid(file, 'subgroupColumns must be an array', 'subgroupColumns');
  if (!Array.isArray(data.rows)) throw invalid(file, 'rows must be an array', 'rows');
  data.rows.forEach((r, i) => checkRow(file, data.labels, r, i));
  return data;
}
