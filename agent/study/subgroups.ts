/** Splitting rows into subgroups by one column (source, view, sex, ...). */
import type { StudyRow } from './studyRow';

/** The value a row without the column is grouped under. */
export const MISSING_VALUE = '(missing)';

export interface RowGroup {
  value: string;
  /** Indices into the rows. */
  indices: number[];
}

/** Groups row indices by the value of `column`; groups in natural order ("2" before "10"), "(missing)" last. */
export function groupRows(rows: readonly StudyRow[], column: string): RowGroup[] {
  const groups = new Map<string, number[]>();
  rows.forEach((row, i) => {
    const raw = row.subgroups?.[column];
    const value = raw === undefined || raw === null || raw === '' ? MISSING_VALUE : String(raw);
    const list = groups.get(value);
    if (list) list.push(i);
    else groups.set(value, [i]);
  });
  const collator = new Intl.Collator('en', { numeric: true });
  return [...groups.entries()]
    .map(([value, indices]) => ({ value, indices }))
    .sort((a, b) =>
      a.value === MISSING_VALUE ? 1 : b.value === MISSING_VALUE ? -1 : collator.compare(a.value, b.value),
    );
}

/** Subgroup columns present in any row, in first-seen order. */
export function subgroupColumns(rows: readonly StudyRow[]): string[] {
  const seen = new Set<string>();
  for (const row of rows) for (const k of Object.keys(row.subgroups ?? {})) seen.add(k);
  return [...seen];
}
