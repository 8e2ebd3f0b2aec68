/**
 * Turns what the user attached (a result row, a recording, an EEG prediction, a comparison
 * study) into the facts a prompt may carry, and collects the identifiers of that material for
 * the privacy gate. The agent reads the files itself: a caller can point at material, never
 * hand over free text that would go to the model unchecked.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EegPrediction, LlmAttachment, MetricsReport, XrayResultsFile } from '../protocol';
import { MedLabError, isMedLabError } from '../errors';
import { findModel } from '../models/registry';
import { getRecording } from '../eeg/recordingCache';
import { METRICS_JSON } from '../xray/results';
import { defaultOutDir } from '../xray/batch';
import { parseResults } from '../study/resultsFile';
import { IdentifierSet } from './identifiers';
import {
  edfIdentifiers,
  fileNameIdentifiers,
  imageFileIdentifiers,
  rowIdentifiers,
} from './identifierSources';
import { rememberIdentifiers } from './deidentify';
import {
  eegPredictionFacts,
  eegRecordingFacts,
  modelCardLimits,
  studyFacts,
  xrayResultFacts,
  type HeatmapFacts,
} from './prompts';
import { summariseOverlay } from './heatmapSummary';
import { readCompareReport, compareCaseAsDisagreement } from '../study/llmCompareReport';
import { readJsonFile } from '../files/readJsonFile';

export interface PromptContext {
  kind: 'xray' | 'eeg' | 'study';
  /** Whitelisted facts, ready for a prompt. */
  facts: string;
  /** Identifiers of the material (already remembered for the session). */
  identifiers: IdentifierSet;
}

/** The limits stated by a model's card, or a line saying the card could not be read. */
export async function cardLimits(modelId: string): Promise<string[]> {
  try {
    const entry = await findModel(modelId);
    const card = entry.cardPath ? await fs.promises.readFile(entry.cardPath, 'utf8').catch(() => null) : null;
    return modelCardLimits(card, entry.manifest.intendedUse);
  } catch (e) {
    if (isMedLabError(e) && e.code === 'E_CANCELLED') throw e;
    return [`The model card of ${modelId} is not available on this machine; its limits are unknown here.`];
  }
}

async function readRunMetrics(resultsFile: string): Promise<MetricsReport | null> {
  const file = path.join(path.dirname(resultsFile), METRICS_JSON);
  try {
    const m = JSON.parse(await fs.promises.readFile(file, 'utf8')) as MetricsReport;
    return m && m.accuracy && Array.isArray(m.classes) ? m : null;
  } catch {
    return null;
  }
}

/** The summary of a row's heat-map overlay (relative to the run's output folder), if it has one. */
async function heatmapOf(outDir: string, rel: string | undefined): Promise<HeatmapFacts | null> {
  if (!rel) return null;
  const summary = await summariseOverlay(path.resolve(outDir, rel));
  return summary ? { summary } : null;
}

function rowOf<T>(rows: readonly T[], row: number, file: string): T {
  if (!Number.isInteger(row) || row < 0 || row >= rows.length) {
    throw new MedLabError('E_USAGE', `row ${row} is not in ${file} (it has rows 0–${rows.length - 1})`, {
      path: file,
      field: 'row',
    });
  }
  return rows[row];
}

/**
 * A diagnosis run's results.json, validated by the study reader (agent/study/resultsFile.ts) and
 * returned whole (paths, model record, dataset folder) for the LLM features.
 */
export async function readXrayRun(file: string): Promise<XrayResultsFile> {
  const json = await readJsonFile(file, 'E_RESULTS');
  parseResults(json, file);
  const run = json as XrayResultsFile;
  if (run.format !== 'medlab-xray-results' || typeof run.dataset !== 'string' || !run.model?.id) {
    throw new MedLabError('E_RESULTS', `${file} is not the results.json of a MedLab diagnosis run`, {
      path: file,
      field: 'format',
    });
  }
  return run;
}

/** The image of a results row on disk (the dataset is a folder, or the one image of the run). */
function imagePath(run: XrayResultsFile, rel: string): string {
  const isFile = fs.existsSync(run.dataset) && fs.statSync(run.dataset).isFile();
  return path.join(isFile ? path.dirname(run.dataset) : run.dataset, rel);
}

async function xrayContext(resultsFile: string, row: number): Promise<PromptContext> {
  const run = await readXrayRun(resultsFile);
  const r = rowOf(run.rows, row, resultsFile);
  const identifiers = rowIdentifiers(r.subgroups ?? {});
  const image = imagePath(run, r.path);
  identifiers.addAll(fs.existsSync(image) ? await imageFileIdentifiers(image) : fileNameIdentifiers(r.path));
  rememberIdentifiers(identifiers);
  const [metrics, limits, heatmap] = await Promise.all([
    readRunMetrics(resultsFile),
    cardLimits(run.model.id),
    heatmapOf(path.dirname(resultsFile), r.heatmap),
  ]);
  return { kind: 'xray', facts: xrayResultFacts(run, r, { metrics, limits, heatmap }), identifiers };
}

/** A row handed over by the report panel: the same facts, with the run's metrics when they are on disk. */
async function xrayRowContext(a: Extract<LlmAttachment, { kind: 'xray-row' }>): Promise<PromptContext> {
  const labels = a.labels;
  if (!Array.isArray(labels) || labels.length < 2 || !a.row || typeof a.row !== 'object') {
    throw new MedLabError('E_USAGE', 'an X-ray row needs its labels and the row', { field: 'target' });
  }
  const identifiers = rowIdentifiers(a.row.subgroups ?? {});
  const image = path.resolve(a.image);
  identifiers.addAll(fs.existsSync(image) ? await imageFileIdentifiers(image) : fileNameIdentifiers(image));
  rememberIdentifiers(identifiers);
  const outDir = defaultOutDir(path.resolve(a.dataset), a.model);
  const [metrics, limits, entry, heatmap] = await Promise.all([
    readRunMetrics(path.join(outDir, 'results.json')),
    cardLimits(a.model),
    findModel(a.model).catch(() => undefined),
    heatmapOf(outDir, a.row.heatmap),
  ]);
  const model = entry
    ? { id: a.model, name: entry.manifest.name, version: entry.manifest.version }
    : { id: a.model, name: a.model, version: 'unknown' };
  const facts = xrayResultFacts(
    { model: { ...model, sha256: '', task: 'xray-classification' }, labels },
    a.row,
    { metrics, limits, heatmap },
  );
  return { kind: 'xray', facts, identifiers };
}

async function recordingIdentifiers(file: string): Promise<{ ids: IdentifierSet; facts: string }> {
  const recording = await getRecording(file);
  const ids = edfIdentifiers(recording.info.identifiers);
  ids.addAll(fileNameIdentifiers(file));
  rememberIdentifiers(ids);
  return { ids, facts: eegRecordingFacts(recording.info) };
}

async function eegContext(file: string, prediction?: EegPrediction): Promise<PromptContext> {
  const { ids, facts } = await recordingIdentifiers(file);
  if (!prediction) return { kind: 'eeg', facts, identifiers: ids };
  const limits = await cardLimits(prediction.model);
  return { kind: 'eeg', facts: `${facts}\n${eegPredictionFacts(prediction, limits)}`, identifiers: ids };
}

async function studyContext(reportFile: string, row?: number): Promise<PromptContext> {
  const doc = await readCompareReport(reportFile);
  const identifiers = new IdentifierSet();
  for (const c of doc.cases) identifiers.addAll(fileNameIdentifiers(c.path));
  rememberIdentifiers(identifiers);
  const disagreement =
    row === undefined ? null : compareCaseAsDisagreement(rowOf(doc.cases, row, reportFile), row);
  const facts = studyFacts(doc.report, { answers: doc.llm.answers, disagreement });
  return { kind: 'study', facts, identifiers };
}

export async function loadAttachment(a: LlmAttachment): Promise<PromptContext> {
  switch (a.kind) {
    case 'xray-result':
      return xrayContext(path.resolve(a.results), a.row);
    case 'xray-row':
      return xrayRowContext(a);
    case 'eeg-recording':
      return eegContext(path.resolve(a.path));
    case 'eeg-prediction':
      return eegContext(path.resolve(a.path), a.prediction);
    case 'study':
      return studyContext(path.resolve(a.report), a.row);
    default:
      throw new MedLabError('E_USAGE', `unknown attachment kind "${(a as { kind: string }).kind}"`, {
        field: 'attachments',
      });
  }
}
