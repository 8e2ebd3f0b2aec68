/**
 * The files of a DenseNet-versus-LLM comparison: compare.json (everything, including each raw
 * LLM answer), compare.csv (the paired report, one row per number), cases.csv (one row per
 * image with both models' outputs) and compare.html (the paired report with the disagreeing
 * images, plus how the LLM was asked). Paths are written with name-like parts withheld, and
 * identifier columns are never written.
 */
import * as fs from 'node:fs';
import type { PairedReport, StudyDisagreement, StudyLlmAnswers } from '../protocol';
import { MedLabError, fromFsError } from '../errors';
import type { AnswerStatus } from '../llm/classifier';
import { csvLine } from '../xray/csv';
import { escapeHtml as esc } from './escapeHtml';

export const COMPARE_FORMAT = 'medlab-llm-compare';

export interface CompareCase {
  /** Relative to the dataset, forward slashes, name-like parts withheld. */
  path: string;
  label: string | null;
  /** Non-identifying columns of the labels CSV. */
  subgroups: Record<string, string>;
  densenet: { prediction: string | null; probabilities: number[] | null; error: string | null };
  llm: {
    status: AnswerStatus;
    prediction: string | null;
    confidence: number | null;
    /** The model's text exactly as received. */
    raw: string;
    error: string | null;
  };
}

export interface CompareLlmSetup {
  model: string;
  digest: string | null;
  ollamaVersion: string | null;
  host: string;
  loopback: boolean;
  prompt: string;
  schema: Record<string, unknown>;
  seed: number;
  temperature: 0;
  numCtx: number;
  maxImageSide: number;
  answers: StudyLlmAnswers;
}

export interface CompareReportFile {
  format: typeof COMPARE_FORMAT;
  version: 1;
  createdAt: string;
  complete: boolean;
  labels: string[];
  densenet: { id: string; name: string; version: string; sha256: string };
  llm: CompareLlmSetup;
  report: PairedReport;
  cases: CompareCase[];
}

export async function readCompareReport(file: string): Promise<CompareReportFile> {
  let doc: CompareReportFile;
  try {
    doc = JSON.parse(await fs.promises.readFile(file, 'utf8')) as CompareReportFile;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code) throw fromFsError(e, file);
    throw new MedLabError('E_RESULTS', `${file}: not valid JSON (${(e as Error).message})`, { path: file });
  }
  if (doc?.format !== COMPARE_FORMAT || doc.version !== 1) {
    throw new MedLabError('E_RESULTS', `${file} is not a MedLab comparison report (${COMPARE_FORMAT} v1)`, {
      path: file,
      field: 'format',
    });
  }
  if (!Array.isArray(doc.cases) || !doc.report || !Array.isArray(doc.labels)) {
    throw new MedLabError('E_RESULTS', `${file}: cases, labels or report missing`, { path: file });
  }
  return doc;
}

/** One case seen as a (possible) disagreement, for explanations. */
export function compareCaseAsDisagreement(c: CompareCase, index: number): StudyDisagreement {
  const a = c.densenet.prediction ?? `(${c.densenet.error ? 'error' : 'none'})`;
  const b = c.llm.prediction ?? `(${c.llm.status})`;
  return {
    index,
    id: c.path,
    label: c.label ?? '(unlabelled)',
    a,
    b,
    aCorrect: c.label !== null && c.densenet.prediction === c.label,
    bCorrect: c.label !== null && c.llm.prediction === c.label,
    subgroups: c.subgroups,
  };
}

/** cases.csv: one row per image. */
export function casesCsv(doc: CompareReportFile): string {
  const columns = [...new Set(doc.cases.flatMap((c) => Object.keys(c.subgroups)))].sort();
  const lines = [
    csvLine([
      'path',
      'label',
      'densenet_prediction',
      ...doc.labels.map((l) => `densenet_p_${l}`),
      'densenet_error',
      'llm_status',
      'llm_prediction',
      'llm_confidence',
      'llm_error',
      'llm_raw',
      ...columns,
    ]),
  ];
  for (const c of doc.cases) {
    lines.push(
      csvLine([
        c.path,
        c.label,
        c.densenet.prediction,
        ...doc.labels.map((_, i) => c.densenet.probabilities?.[i] ?? null),
        c.densenet.error,
        c.llm.status,
        c.llm.prediction,
        c.llm.confidence,
        c.llm.error,
        c.llm.raw,
        ...columns.map((k) => c.subgroups[k]),
      ]),
    );
  }
  return lines.join('\n') + '\n';
}

/** The section the HTML report adds: how the LLM was asked and what became of its answers. */
export function llmSetupHtml(doc: CompareReportFile): string {
  const l = doc.llm;
  const a = l.answers;
  const rows: [string, string][] = [
    ['model', l.model],
    ['model digest', l.digest ?? 'unknown'],
    ['Ollama version', l.ollamaVersion ?? 'unknown'],
    ['host', `${l.host}${l.loopback ? ' (this machine)' : ' (NOT this machine: images left it)'}`],
    ['temperature / seed / num_ctx', `${l.temperature} / ${l.seed} / ${l.numCtx}`],
    [
      'image',
      `decoded to 8-bit grayscale, longest side ≤ ${l.maxImageSide} px, re-encoded PNG without metadata`,
    ],
    ['prompt', l.prompt],
    ['format (JSON schema)', JSON.stringify(l.schema)],
    [
      'answers',
      `${a.valid} valid, ${a.invalid} invalid, ${a.refused} refused, ${a.error} failed (${a.cached} from the cache); ` +
        'invalid, refused and failed answers count as wrong in "accuracy including failures" and are excluded from the paired cases',
    ],
  ];
  const failed = doc.cases.filter((c) => c.llm.status !== 'valid').slice(0, 50);
  const failedRows = failed
    .map(
      (c) =>
        `<tr><td>${esc(c.path)}</td><td>${esc(c.llm.status)}</td><td>${esc(c.llm.error ?? '')}</td><td><code>${esc(c.llm.raw.slice(0, 300))}</code></td></tr>`,
    )
    .join('');
  return [
    '<h2>How the language model was asked</h2>',
    `<table><tbody>${rows.map(([k, v]) => `<tr><td>${esc(k)}</td><td style="text-align:left">${esc(v)}</td></tr>`).join('')}</tbody></table>`,
    failed.length
      ? `<h3>Answers that were not valid (first ${failed.length}; all raw answers are in compare.json and cases.csv)</h3>` +
        `<table><thead><tr><th>case</th><th>status</th><th>why</th><th>raw answer</th></tr></thead><tbody>${failedRows}</tbody></table>`
      : '',
  ].join('\n');
}
