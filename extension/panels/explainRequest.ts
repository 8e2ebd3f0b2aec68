/**
 * The extension point for "Explain" on a report row. The language-model part registers a command
 * with this id taking an ExplainDiagnosisRequest; the report panel calls it when present and says
 * so when it is not. Only structured results travel: no image bytes, no patient identifiers.
 */
import type { XrayResultRow } from '../../agent/protocol';

export const EXPLAIN_DIAGNOSIS_COMMAND = 'medlab.explainDiagnosis';

export interface ExplainDiagnosisRequest {
  /** Absolute dataset folder. */
  dataset: string;
  /** Absolute path of the image. */
  image: string;
  /** The row as the run wrote it (subgroups may hold identifiers: the receiver filters them). */
  row: XrayResultRow;
  model: string;
  labels: string[];
}
