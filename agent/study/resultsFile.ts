/**
 * Reads a results file (results.json of a diagnosis run, `medlab-xray-results` version 1, or any
 * JSON with `labels` and `rows` in the same shape) into study rows. An invalid file is refused
 * with E_RESULTS naming the row and the field.
 *
 * Row fields: path (string), label (string | null), prediction (string | null), probabilities
 * (one number per label: an array in label order or an object keyed by label; null for an error
 * row), error (null, a string or {code, message}), subgroups (object of strings).
 */
import { MedLabError } from '../errors';
import type { StudyRow } from './studyRow';
import { readJsonFile } from '../files/readJsonFile';

export interface ResultsFile {
  labels: string[];
  rows: StudyRow[];
  /** Subgroup columns the file declares (or that its rows carry). */
  subgroupColumns: string[];
  /** Model that produced the rows, when the file says. */
  model?: { id: string; name?: string };
  /** False for an interrupted run. */
  complete: boolean;
}

const SUPPORTED_VERSION = 1;

function fail(file: string, field: string, message: string): MedLabError {
  return new MedLabError('E_RESULTS', `${file}: ${field} ${message}`, { path: file, field });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function optionalString(v: unknown, file: string, field: string): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw fail(file, field, `must be a string or null, got ${typeof v}`);
  return v;
}

function parseProbabilities(v: unknown, labels: string[], file: string, field: string): number[] | null {
  if (v === undefined || v === null) return null;
  let values: unknown[];
  if (Array.isArray(v)) {
    if (v.length !== labels.length)
      throw fail(file, field, `has ${v.length} values for ${labels.length} labels`);
    values = v;
  } else if (isObject(v)) {
    for (const key of Object.keys(v)) {
      if (!labels.includes(key))
        throw fail(file, `${field}.${key}`, `is not one of the labels (${labels.join(', ')})`);
    }
    values = labels.map((l) => {
      if (!(l in v)) throw fail(file, `${field}.${l}`, 'is missing');
      return v[l];
    });
  } else throw fail(file, field, 'must be an array or an object keyed by label');
  return values.map((x, c) => {
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      const where = Array.isArray(v) ? `${field}[${c}]` : `${field}.${labels[c]}`;
      throw fail(file, where, `must be a finite number, got ${JSON.stringify(x)}`);
    }
    return x;
  });
}

function parseError(v: unknown, file: string, field: string): string | null {
  if (v === undefined || v === null || v === false) return null;
  if (typeof v === 'string') return v || null;
  if (isObject(v) && typeof v.message === 'string')
    return typeof v.code === 'string' ? `${v.code}: ${v.message}` : v.message;
  throw fail(file, field, 'must be null, a string or {code, message}');
}

function parseSubgroups(v: unknown, file: string, field: string): Record<string, string> {
  if (v === undefined || v === null) return {};
  if (!isObject(v)) throw fail(file, field, 'must be an object of column: value');
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) {
    if (x === null || x === undefined) continue;
    if (typeof x !== 'string' && typeof x !== 'number' && typeof x !== 'boolean') {
      throw fail(file, `${field}.${k}`, 'must be a string');
    }
    out[k] = String(x);
  }
  return out;
}

function parseLabels(v: unknown, file: string): string[] {
  if (!Array.isArray(v) || v.length < 2) throw fail(file, 'labels', 'must list at least 2 labels');
  const seen = new Set<string>();
  v.forEach((l, i) => {
    if (typeof l !== 'string' || l === '') throw fail(file, `labels[${i}]`, 'must be a non-empty string');
    if (seen.has(l)) throw fail(file, `labels[${i}]`, `repeats "${l}"`);
    seen.add(l);
  });
  return v as string[];
}

/** Validates parsed JSON; `file` names the source in errors. */
export function parseResults(json: unknown, file: string): ResultsFile {
  if (!isObject(json)) throw fail(file, '(top level)', 'must be a JSON object with labels and rows');
  if (json.format === 'medlab-xray-results' && json.version !== SUPPORTED_VERSION) {
    throw fail(
      file,
      'version',
      `${JSON.stringify(json.version)} is not supported (this MedLab reads version 1)`,
    );
  }
  const labels = parseLabels(json.labels, file);
  if (!Array.isArray(json.rows)) throw fail(file, 'rows', 'must be an array');
  const rows: StudyRow[] = json.rows.map((r: unknown, i: number) => {
    const f = `rows[${i}]`;
    if (!isObject(r)) throw fail(file, f, 'must be an object');
    const row: StudyRow = {
      label: optionalString(r.label, file, `${f}.label`),
      prediction: optionalString(r.prediction, file, `${f}.prediction`),
      probabilities: parseProbabilities(r.probabilities, labels, file, `${f}.probabilities`),
      error: parseError(r.error, file, `${f}.error`),
      subgroups: parseSubgroups(r.subgroups, file, `${f}.subgroups`),
    };
    const path = optionalString(r.path ?? r.id, file, `${f}.path`);
    if (path !== null) row.id = path;
    if (row.prediction && !labels.includes(row.prediction) && !row.error) {
      throw fail(
        file,
        `${f}.prediction`,
        `"${row.prediction}" is not one of the labels (${labels.join(', ')})`,
      );
    }
    return row;
  });
  const declared = Array.isArray(json.subgroupColumns)
    ? json.subgroupColumns.filter((c): c is string => typeof c === 'string')
    : [];
  const seen = new Set(declared);
  for (const r of rows) for (const k of Object.keys(r.subgroups ?? {})) seen.add(k);
  const out: ResultsFile = { labels, rows, subgroupColumns: [...seen], complete: json.complete !== false };
  if (isObject(json.model) && typeof json.model.id === 'string') {
    out.model = { id: json.model.id };
    if (typeof json.model.name === 'string') out.model.name = json.model.name;
  }
  return out;
}

/** Reads and validates a results file. */
export async function readResults(file: string): Promise<ResultsFile> {
  return parseResults(await readJsonFile(file, 'E_RESULTS'), file);
}
