/**
 * `xray/diagnose` / `medlab diagnose`: one image or a folder of any size, diagnosed with one model,
 * results written atomically to the output folder (default `<dataset>/.medlab/<model-id>/`).
 * Cancelling keeps every finished image (cache and partial results); the next run resumes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MedLabError, isMedLabError } from '../errors';
import { defaultModel, findModel, type ModelEntry } from '../models/registry';
import type {
  XrayCounts,
  XrayDiagnoseParams,
  XrayDiagnoseResult,
  XrayResultRow,
  XrayResultsFile,
} from '../protocol';
import { silentContext, type RunContext } from '../runContext';
import { CACHE_FILE } from './cache';
import { Diagnoser, HEATMAP_DIR } from './diagnoser';
import { labelsFromCsv, labelsFromFolders, type Labelling } from './labels';
import { writeResults } from './results';
import { scanImages, type ScanResult } from './scan';

export const XRAY_TASK = 'xray-classification';
/**
 * Used, in this order, when no model is named (setting medlab.xray.defaultModel / MEDLAB_XRAY_MODEL
 * first). The compact model is the shipped default: its metrics are close to DenseNet-121's and it
 * is far faster on a CPU (models/cxr-densenet-compact/MODEL_CARD.md).
 */
export const PREFERRED_XRAY_MODELS = ['cxr-densenet-compact', 'cxr-densenet121'];
export const DEFAULT_BATCH_SIZE = 8;
export const DEFAULT_MAX_ROWS = 1000;
export const SINGLE_DIR = 'single';

export async function resolveXrayModel(id?: string): Promise<ModelEntry> {
  const wanted = id || process.env.MEDLAB_XRAY_MODEL;
  const model = wanted ? await findModel(wanted) : await defaultModel(XRAY_TASK, PREFERRED_XRAY_MODELS);
  if (model.manifest.task !== XRAY_TASK) {
    throw new MedLabError(
      'E_USAGE',
      `model ${model.manifest.id} is a ${model.manifest.task} model, not ${XRAY_TASK}`,
      {
        field: 'model',
      },
    );
  }
  return model;
}

export function defaultOutDir(datasetRoot: string, modelId: string): string {
  return path.join(datasetRoot, '.medlab', modelId);
}

function countRows(
  rows: readonly (XrayResultRow | undefined)[],
  computed: number,
  cached: number,
  skipped: number,
): XrayCounts {
  let errors = 0;
  let labelled = 0;
  let images = 0;
  for (const r of rows) {
    if (!r) continue;
    images++;
    if (r.error) errors++;
    if (r.label !== null) labelled++;
  }
  return { images, computed, cached, errors, skipped, labelled };
}

/** The results.json document for the rows done so far. */
export function resultsDocument(
  model: ModelEntry,
  scan: ScanResult,
  labelling: Labelling,
  rows: readonly (XrayResultRow | undefined)[],
  counts: XrayCounts,
  complete: boolean,
): XrayResultsFile {
  const m = model.manifest;
  return {
    format: 'medlab-xray-results',
    version: 1,
    createdAt: new Date().toISOString(),
    complete,
    dataset: scan.single ? path.join(scan.root, scan.files[0].rel) : scan.root,
    model: { id: m.id, name: m.name, version: m.version, sha256: m.sha256, task: m.task },
    labels: m.labels,
    ...(m.positiveLabel ? { positiveLabel: m.positiveLabel } : {}),
    labelSource: labelling.source,
    subgroupColumns: labelling.subgroupColumns,
    counts,
    skipped: scan.skipped,
    missing: labelling.missing,
    rows: rows.filter((r): r is XrayResultRow => r !== undefined),
  };
}

/** How far up from a single image to look for a dataset that was diagnosed with the model. */
const MAX_DATASET_DEPTH = 12;

/**
 * A single image inside a folder that was already diagnosed with this model (an ancestor holds
 * `.medlab/<model-id>/`) is taken as part of that dataset: its cache, class-folder label and
 * heat map folder are the dataset's.
 */
async function withinDiagnosedDataset(scan: ScanResult, modelId: string): Promise<ScanResult> {
  const file = path.join(scan.root, scan.files[0].rel);
  let dir = scan.root;
  for (let i = 0; i < MAX_DATASET_DEPTH; i++) {
    if (fs.existsSync(path.join(defaultOutDir(dir, modelId), CACHE_FILE))) {
      const rel = path.relative(dir, file).split(path.sep).join('/');
      return { ...scan, root: dir, files: [{ ...scan.files[0], rel }] };
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return scan;
}

export async function diagnose(params: XrayDiagnoseParams, ctx: RunContext): Promise<XrayDiagnoseResult> {
  const started = Date.now();
  const model = await resolveXrayModel(params.model);
  const m = model.manifest;
  ctx.progress({ message: 'scanning' });
  let scan = await scanImages(params.path, ctx);
  if (scan.single && !params.out) scan = await withinDiagnosedDataset(scan, m.id);
  const labelling = params.labels
    ? await labelsFromCsv(params.labels, scan.root, scan.files, m.labels)
    : labelsFromFolders(scan.files, m.labels);
  // The cache and heat maps live in the output folder. A single image's results go to a folder of
  // their own unless `out` is given: the default folder's results belong to the whole dataset.
  const outDir = params.out ? path.resolve(params.out) : defaultOutDir(scan.root, m.id);
  const resultsDir = scan.single && !params.out ? path.join(outDir, SINGLE_DIR, scan.files[0].rel) : outDir;
  const diagnoser = await Diagnoser.create(model, outDir, {
    batchSize: params.batchSize ?? (Number(process.env.MEDLAB_XRAY_BATCH) || DEFAULT_BATCH_SIZE),
    heatmaps: params.heatmaps === true,
  });

  const total = scan.files.length;
  const rows: (XrayResultRow | undefined)[] = new Array(total);
  let computed = 0;
  let cached = 0;
  let errors = 0;
  let lastReport = 0;
  const runStarted = Date.now();
  const report = (force = false) => {
    const now = Date.now();
    if (!force && now - lastReport < 250) return;
    lastReport = now;
    const done = computed + cached;
    const rate = computed / Math.max(0.001, (now - runStarted) / 1000);
    ctx.progress({
      message: `diagnosing with ${m.id}: ${cached} cached, ${errors} errors, ${rate.toFixed(1)} images/s`,
      done,
      total,
    });
  };
  report(true);

  const write = async (complete: boolean, writeCtx: RunContext = ctx) => {
    const counts = countRows(rows, computed, cached, scan.skipped.length);
    const doc = resultsDocument(model, scan, labelling, rows, counts, complete);
    return { counts, files: await writeResults(resultsDir, doc, writeCtx) };
  };

  try {
    await diagnoser.run(scan.files, ctx, (index, outcome) => {
      const file = scan.files[index];
      const truth = labelling.byFile.get(file.rel);
      const probabilities = outcome.probabilities
        ? Object.fromEntries(m.labels.map((l, i) => [l, outcome.probabilities![i]]))
        : null;
      let prediction: string | null = null;
      if (outcome.probabilities) {
        let best = 0;
        outcome.probabilities.forEach((p, i) => {
          if (p > outcome.probabilities![best]) best = i;
        });
        prediction = m.labels[best];
      }
      rows[index] = {
        path: file.rel,
        label: truth?.label ?? null,
        prediction,
        probabilities,
        error: outcome.error,
        subgroups: truth?.subgroups ?? Object.fromEntries(labelling.subgroupColumns.map((c) => [c, ''])),
        ...(outcome.heatmap
          ? {
              heatmap: path
                .relative(resultsDir, path.join(outDir, outcome.heatmap))
                .split(path.sep)
                .join('/'),
            }
          : {}),
      };
      if (outcome.cached) cached++;
      else computed++;
      if (outcome.error) errors++;
      report();
    });
  } catch (e) {
    if (isMedLabError(e) && e.code === 'E_CANCELLED') {
      // The signal has fired: write what was done with a context that is not cancelled.
      const { counts } = await write(false, silentContext());
      throw new MedLabError(
        'E_CANCELLED',
        `diagnosis cancelled after ${counts.images} of ${total} images` +
          `; partial results in ${resultsDir}` +
          '; run it again to resume',
        { path: resultsDir },
      );
    }
    throw e;
  }
  const runSeconds = (Date.now() - runStarted) / 1000;
  const { inferenceMs, wallMs } = diagnoser.stats;
  const engineBusy = computed > 0 && wallMs > 0 ? Math.min(1, inferenceMs / wallMs) : null;
  if (engineBusy !== null) ctx.log(`xray: model busy ${(100 * engineBusy).toFixed(1)} % of the run`);
  report(true);
  await diagnoser.cache.compact();
  // Every image is done: the results are written even if a cancel arrives now.
  const { counts, files } = await write(true, { ...ctx, signal: new AbortController().signal });
  const seconds = (Date.now() - started) / 1000;
  const maxRows = params.maxRows ?? DEFAULT_MAX_ROWS;
  const done = rows.filter((r): r is XrayResultRow => r !== undefined);
  return {
    outDir: resultsDir,
    files: { ...files, heatmaps: params.heatmaps ? path.join(outDir, HEATMAP_DIR) : null },
    model: m.id,
    executionProvider: diagnoser.session.executionProvider,
    counts,
    seconds,
    imagesPerSecond: computed / Math.max(0.001, runSeconds),
    engineBusy,
    rows: done.slice(0, maxRows),
    rowsTruncated: done.length > maxRows,
  };
}
