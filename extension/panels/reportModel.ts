/**
 * Pure pieces of the diagnosis report: where the dataset lies, which subgroup columns are worth a
 * table, which files a browser can show, and reading a results.json written by a run.
 */
import type { XrayResultRow, XrayResultsFile } from '../../agent/protocol';

/** Columns that identify a case rather than group cases (never a subgroup table). */
const IDENTIFIER_COLUMNS = /(^|_)(id|patient|name|mrn|accession|file|path|original|finding)($|_)/i;

/**
 * Subgroup columns for the metrics: present on the rows, between 2 and `maxGroups` distinct
 * values, not an identifier (patient_id has as many values as patients) and not a continuous
 * number (age).
 */
export function subgroupColumnsOf(rows: readonly XrayResultRow[], maxGroups = 12): string[] {
  const values = new Map<string, Set<string>>();
  for (const r of rows) {
    for (const [k, v] of Object.entries(r.subgroups ?? {})) {
      if (IDENTIFIER_COLUMNS.test(k)) continue;
      let set = values.get(k);
      if (!set) values.set(k, (set = new Set()));
      if (set.size <= maxGroups) set.add(v);
    }
  }
  // A numeric column with many values (age, a score) is a measurement, not a grouping.
  const continuous = (set: Set<string>): boolean =>
    set.size > 4 && [...set].every((v) => v === '' || Number.isFinite(Number(v)));
  return [...values.entries()]
    .filter(([, set]) => set.size >= 2 && set.size <= maxGroups && !continuous(set))
    .map(([k]) => k)
    .sort();
}

const join = (...parts: string[]): string => parts.join('/').replace(/\/+/g, '/');
const parent = (p: string): string => p.replace(/\/+$/, '').replace(/\/[^/]*$/, '') || '/';

/**
 * The folder row paths are relative to: `<dataset>` of the default `<dataset>/.medlab/<model>/`
 * output folder, else the diagnosed folder (or the folder of a diagnosed file).
 */
export function datasetFolderOf(target: string, targetIsFile: boolean, outDir: string): string {
  const out = outDir.replace(/\\/g, '/').replace(/\/+$/, '');
  if (/\/\.medlab\/[^/]+$/.test(out)) return parent(parent(out));
  const t = target.replace(/\\/g, '/');
  return targetIsFile ? parent(t) : t.replace(/\/+$/, '');
}

export function resolveRowPath(dataset: string, rowPath: string): string {
  return join(dataset, rowPath);
}

/** Formats Chromium decodes in an <img>: others (DICOM, TIFF) get no thumbnail. */
export function isBrowserImage(path: string): boolean {
  return /\.(png|jpe?g|webp|bmp|gif)$/i.test(path);
}

/** Checks the parts of results.json the report reads; a clear error names what is wrong. */
export function parseResultsFile(text: string, where: string): XrayResultsFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new Error(`${where} is not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  const r = data as Partial<XrayResultsFile> | null;
  if (!r || r.format !== 'medlab-xray-results')
    throw new Error(`${where} is not a MedLab results file (format field)`);
  if (!Array.isArray(r.rows)) throw new Error(`${where}: rows missing`);
  if (!Array.isArray(r.labels)) throw new Error(`${where}: labels missing`);
  if (!r.model || typeof r.model.id !== 'string') throw new Error(`${where}: model missing`);
  if (!r.counts || typeof r.dataset !== 'string') throw new Error(`${where}: counts or dataset missing`);
  return r as XrayResultsFile;
}

/**
 * The labels CSV a diagnosis should use: `labels.csv` in the diagnosed folder (or the folder of a
 * diagnosed file) or the nearest one above it, not climbing above `stopAt` (the workspace folder).
 * Its extra columns (source, sex, view, ...) become the report's subgroups.
 */
export async function labelsCsvFor(
  folder: string,
  stopAt: string | undefined,
  exists: (file: string) => Promise<boolean>,
): Promise<string | undefined> {
  const stop = stopAt?.replace(/\\/g, '/').replace(/\/+$/, '');
  for (let dir = folder.replace(/\\/g, '/').replace(/\/+$/, ''); ; dir = parent(dir)) {
    const candidate = join(dir, 'labels.csv');
    if (await exists(candidate)) return candidate;
    if (dir === stop || stop === undefined || parent(dir) === dir || !dir.startsWith(stop)) return undefined;
  }
}
