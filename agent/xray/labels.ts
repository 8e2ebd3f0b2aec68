/**
 * Ground truth for a dataset, from one of two places:
 * - class sub-folders: the nearest folder (below the dataset root) whose name matches one of the
 *   model's labels, case-insensitively (`Covid/`, `NORMAL/`);
 * - a labels CSV `path,label[,patient_id,...]` (header row required; paths relative to the CSV's
 *   folder or to the dataset root, or absolute). Every other column becomes a subgroup.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MedLabError, fromFsError } from '../errors';
import { parseCsv } from './csv';
import type { ScannedFile } from './scan';

export interface FileLabel {
  label: string | null;
  subgroups: Record<string, string>;
}

export interface Labelling {
  source: 'folders' | 'csv' | 'none';
  subgroupColumns: string[];
  /** By relative path. Files not in the map are unlabelled. */
  byFile: Map<string, FileLabel>;
  /** CSV rows whose file is not among the dataset's images. */
  missing: string[];
}

function canonicalLabels(labels: readonly string[]): Map<string, string> {
  return new Map(labels.map((l) => [l.toLowerCase(), l]));
}

export function labelsFromFolders(files: readonly ScannedFile[], labels: readonly string[]): Labelling {
  const canon = canonicalLabels(labels);
  const byFile = new Map<string, FileLabel>();
  for (const f of files) {
    const folders = f.rel.split('/').slice(0, -1);
    for (let i = folders.length - 1; i >= 0; i--) {
      const label = canon.get(folders[i].toLowerCase());
      if (label) {
        byFile.set(f.rel, { label, subgroups: {} });
        break;
      }
    }
  }
  return { source: byFile.size ? 'folders' : 'none', subgroupColumns: [], byFile, missing: [] };
}

export async function labelsFromCsv(
  csvPath: string,
  root: string,
  files: readonly ScannedFile[],
  labels: readonly string[],
): Promise<Labelling> {
  const file = path.resolve(csvPath);
  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch (e) {
    throw fromFsError(e, file);
  }
  const { rows, lines } = parseCsv(text);
  const fail = (message: string, line?: number, field?: string): never => {
    throw new MedLabError('E_LABELS', `${file}${line ? ` line ${line}` : ''}: ${message}`, {
      path: file,
      ...(field ? { field } : {}),
      ...(line ? { detail: { line } } : {}),
    });
  };
  if (rows.length === 0) fail('empty file (a header "path,label" is required)');
  const header = rows[0].map((h) => h.trim());
  const lower = header.map((h) => h.toLowerCase());
  const pathCol = lower.indexOf('path');
  const labelCol = lower.indexOf('label');
  if (pathCol < 0) fail(`no "path" column in the header (${header.join(', ')})`, lines[0], 'path');
  if (labelCol < 0) fail(`no "label" column in the header (${header.join(', ')})`, lines[0], 'label');
  header.forEach((h, i) => {
    if (h === '') fail(`column ${i + 1} of the header has no name`, lines[0]);
    if (lower.indexOf(h.toLowerCase()) !== i) fail(`column "${h}" appears twice in the header`, lines[0], h);
  });
  const subgroupCols = header
    .map((h, i) => [h, i] as const)
    .filter(([, i]) => i !== pathCol && i !== labelCol);

  const byAbs = new Map(files.map((f) => [path.normalize(f.abs), f.rel]));
  const csvDir = path.dirname(file);
  const canon = canonicalLabels(labels);
  const byFile = new Map<string, FileLabel>();
  const firstLine = new Map<string, number>();
  const missing: string[] = [];
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r];
    const line = lines[r];
    if (row.length !== header.length) fail(`${row.length} fields, the header has ${header.length}`, line);
    const p = row[pathCol].trim();
    if (p === '') fail('empty path', line, 'path');
    const candidates = path.isAbsolute(p) ? [p] : [path.join(csvDir, p), path.join(root, p)];
    const rel = candidates.map((c) => byAbs.get(path.normalize(c))).find((x) => x !== undefined);
    if (rel === undefined) {
      missing.push(p);
      continue;
    }
    if (firstLine.has(rel))
      fail(`"${p}" is listed again (first on line ${firstLine.get(rel)})`, line, 'path');
    firstLine.set(rel, line);
    const raw = row[labelCol].trim();
    let label: string | null = null;
    if (raw !== '') {
      label = canon.get(raw.toLowerCase()) ?? null;
      if (label === null)
        fail(`label "${raw}" is not one of the model's labels (${labels.join(', ')})`, line, 'label');
    }
    const subgroups: Record<string, string> = {};
    for (const [name, i] of subgroupCols) subgroups[name] = row[i].trim();
    byFile.set(rel, { label, subgroups });
  }
  return { source: 'csv', subgroupColumns: subgroupCols.map(([h]) => h), byFile, missing };
}
