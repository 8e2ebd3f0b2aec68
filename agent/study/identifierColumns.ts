/**
 * Subgroup columns that hold patient identifiers (patient_id, name, MRN, accession number,
 * birth date...). Metrics are never split by them and their values never reach a report.
 */

const IDENTIFIER = /patient|subject|person|mrn|accession|name|birth|dob|ssn|uid|(^|_)id$/i;

export function isIdentifierColumn(column: string): boolean {
  return IDENTIFIER.test(column);
}

/** The columns without identifier columns (for anything that is written or shown). */
export function withoutIdentifiers(subgroups: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(subgroups)) if (!isIdentifierColumn(k)) out[k] = v;
  return out;
}
