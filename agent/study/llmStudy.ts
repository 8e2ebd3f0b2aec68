/**
 * The lab's study: its DenseNet against a vision language model (through Ollama) on the same
 * labelled chest X-rays. The DenseNet side is an ordinary diagnosis run (agent/xray, cached in
 * its usual folder); the LLM side asks the model about each image with a fixed prompt and a JSON
 * schema, caching every answer as it arrives (llmAnswerCache.ts), so an interrupted study
 * resumes without asking again. The report puts both models side by side on the paired cases
 * (agent/study/paired.ts: metrics with CIs, Cohen's kappa, McNemar, subgroups, disagreements).
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import type {
  StudyCompareParams,
  StudyCompareResult,
  StudyLlmAnswers,
  XrayResultRow,
  XrayResultsFile,
} from '../protocol';
import type { RunContext } from '../runContext';
import { MedLabError, cancelledError, describeError, fromFsError, isMedLabError } from '../errors';
import { resolveHost } from '../llm/connection';
import { listModels, ollamaStatus, requireCapability, showModel } from '../llm/models';
import { chooseNumCtx } from '../llm/contextWindow';
import {
  MAX_IMAGE_SIDE,
  classificationPrompt,
  classificationSchema,
  classifierKey,
  classifyImage,
  imageForModel,
  type ClassifierAnswer,
  type ClassifierSetup,
} from '../llm/classifier';
import { safeFileLabel } from '../llm/deidentify';
import { dicomIdentifiers } from '../llm/identifierSources';
import { decodeXray } from '../xray/decode/decodeFile';
import { isDicom } from '../xray/decode/dicom';
import { diagnose } from '../xray/batch';
import { metricSubgroups } from '../xray/results';
import { readXrayRun } from '../llm/promptContext';
import { scanImages, type ScannedFile } from '../xray/scan';
import { writeFileAtomic } from '../files/atomicWrite';
import { isIdentifierColumn, withoutIdentifiers } from './identifierColumns';
import { comparePaired } from './paired';
import { pairedCsv } from './reportCsv';
import { pairedHtml } from './reportHtml';
import { checkSubgroupColumns } from './runMetrics';
import type { StudyRow } from './studyRow';
import { LLM_CACHE_FILE, LlmAnswerCache, pathHash, type LlmCacheEntry } from './llmAnswerCache';
import {
  COMPARE_FORMAT,
  casesCsv,
  llmSetupHtml,
  type CompareCase,
  type CompareReportFile,
} from './llmCompareReport';

export const DEFAULT_STUDY_SEED = 42;
/** Consecutive Ollama failures after which the study stops (the server is likely gone). */
const MAX_CONSECUTIVE_FAILURES = 3;
/** Disagreements shown with a thumbnail in the HTML report. */
const MAX_THUMBNAILS = 200;
/** Errors that stop the study: nothing later can succeed. */
const FATAL = ['E_OLLAMA_DOWN', 'E_OLLAMA_MODEL', 'E_OLLAMA_CAPABILITY', 'E_PRIVACY', 'E_CANCELLED'];

function folderName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '_');
}

async function thumbnail(file: string): Promise<string | undefined> {
  try {
    const gray = await decodeXray(await fs.promises.readFile(file), file);
    const png = await sharp(Buffer.from(gray.data.buffer, gray.data.byteOffset, gray.data.byteLength), {
      raw: { width: gray.width, height: gray.height, channels: 1 },
    })
      .resize(128, 128, { fit: 'inside' })
      .png()
      .toBuffer();
    return `data:image/png;base64,${png.toString('base64')}`;
  } catch {
    return undefined;
  }
}

interface LlmOutcome extends ClassifierAnswer {
  cached: boolean;
}

/** Asks the LLM about each file (or takes the cached answer), in path order. */
async function answerAll(
  files: readonly ScannedFile[],
  setup: ClassifierSetup,
  cache: LlmAnswerCache,
  ctx: RunContext,
  done: (index: number, outcome: LlmOutcome) => void,
): Promise<void> {
  let failures = 0;
  for (let i = 0; i < files.length; i++) {
    if (ctx.signal.aborted) throw cancelledError('comparison');
    const f = files[i];
    const known = cache.unchanged(f.rel, f.size, f.mtimeMs);
    if (known) {
      done(i, { ...known, cached: true });
      continue;
    }
    let bytes: Buffer;
    try {
      bytes = await fs.promises.readFile(f.abs);
    } catch (e) {
      done(i, answerError(describeError(fromFsError(e, f.rel)), false));
      continue;
    }
    const content = crypto.createHash('sha256').update(bytes).digest('hex');
    const same = cache.withContent(content);
    const entry = (a: ClassifierAnswer): LlmCacheEntry => ({
      ...a,
      content,
      key: cache.key,
      pathHash: pathHash(f.rel),
      size: f.size,
      mtimeMs: f.mtimeMs,
    });
    if (same) {
      await cache.add([entry(same)]);
      done(i, { ...same, cached: true });
      continue;
    }
    let png: Uint8Array;
    try {
      png = await imageForModel(bytes, f.rel);
    } catch (e) {
      const a = answerError(describeError(e).replace(`${f.rel}: `, ''), false);
      await cache.add([entry(a)]); // the file's bytes decide this: no point asking again
      done(i, a);
      continue;
    }
    let answer: ClassifierAnswer;
    try {
      const identifiers = isDicom(bytes) ? dicomIdentifiers(bytes) : undefined;
      answer = await classifyImage({ ...setup, identifiers }, png, ctx.signal);
      failures = 0;
    } catch (e) {
      if (isMedLabError(e) && FATAL.includes(e.code)) throw e;
      if (++failures >= MAX_CONSECUTIVE_FAILURES) throw e;
      ctx.log(`comparison: ${describeError(e)}`);
      done(i, answerError(describeError(e), false)); // not cached: a rerun asks again
      continue;
    }
    await cache.add([entry(answer)]);
    done(i, { ...answer, cached: false });
  }
}

function answerError(message: string, cached: boolean): LlmOutcome {
  return { status: 'error', prediction: null, confidence: null, raw: '', error: message, cached };
}

function densenetRow(r: XrayResultRow, labels: readonly string[], id: string): StudyRow {
  return {
    id,
    label: r.label,
    prediction: r.prediction,
    probabilities: r.probabilities ? labels.map((l) => r.probabilities![l]) : null,
    error: r.error ? `${r.error.code}: ${r.error.message}` : null,
    subgroups: withoutIdentifiers(r.subgroups),
  };
}

export async function runLlmStudy(params: StudyCompareParams, ctx: RunContext): Promise<StudyCompareResult> {
  const started = Date.now();
  const host = resolveHost(params.host);
  if (host.warning) ctx.log(host.warning);
  const seed = params.seed ?? DEFAULT_STUDY_SEED;
  if (!Number.isInteger(seed))
    throw new MedLabError('E_USAGE', `seed must be an integer; got ${seed}`, { field: 'seed' });
  if (params.limit !== undefined && !(Number.isInteger(params.limit) && params.limit > 0)) {
    throw new MedLabError('E_USAGE', `limit must be a whole number above 0; got ${params.limit}`, {
      field: 'limit',
    });
  }

  // Everything that can refuse the study does so before any image is sent or diagnosed.
  ctx.progress({ message: `checking ${params.llm} on ${host.url}` });
  const status = await ollamaStatus(host, ctx.signal);
  if (!status.running) throw new MedLabError('E_OLLAMA_DOWN', status.message, { field: 'host' });
  const facts = await showModel(host, params.llm, ctx.signal);
  requireCapability(facts, 'vision', host, 'read X-ray images');
  const digest = (await listModels(host, { signal: ctx.signal })).models.find(
    (m) => m.name === params.llm,
  )?.digest;

  // DenseNet side: an ordinary (cached, resumable) diagnosis run.
  const scan = await scanImages(params.path, ctx);
  const densenetCtx: RunContext = {
    ...ctx,
    signal: ctx.signal,
    progress: (r) => ctx.progress({ ...r, message: `DenseNet: ${r.message ?? ''}` }),
  };
  const defaultOut = path.join(scan.root, '.medlab');
  const diagnosis = await diagnose(
    {
      path: params.path,
      labels: params.labels,
      model: params.model,
      ...(scan.single ? { out: path.join(params.out ?? defaultOut, 'densenet') } : {}),
      maxRows: 0,
    },
    densenetCtx,
  );
  if (!diagnosis.files.json) throw new MedLabError('E_INTERNAL', 'the diagnosis run wrote no results.json');
  const results: XrayResultsFile = await readXrayRun(diagnosis.files.json);
  const labels = results.labels;
  const outDir = path.resolve(
    params.out ?? path.join(defaultOut, `compare-${results.model.id}-vs-${folderName(params.llm)}`),
  );
  await fs.promises.mkdir(outDir, { recursive: true }).catch((e: unknown) => {
    throw fromFsError(e, outDir);
  });

  const byPath = new Map(results.rows.map((r) => [r.path, r]));
  const files = scan.files.filter((f) => byPath.has(f.rel)).slice(0, params.limit ?? Infinity);
  const columns = results.subgroupColumns.filter((c) => !isIdentifierColumn(c));
  const by = params.by ?? metricSubgroups(results).filter((c) => !isIdentifierColumn(c));
  checkSubgroupColumns(by, columns);

  // LLM side.
  const setup: ClassifierSetup = {
    host,
    model: params.llm,
    labels,
    seed,
    numCtx: chooseNumCtx(params.numCtx ?? 4096, facts.contextLength),
  };
  const cache = await LlmAnswerCache.open(
    path.join(outDir, LLM_CACHE_FILE),
    classifierKey(setup, digest ?? null),
  );
  const outcomes: (LlmOutcome | undefined)[] = new Array(files.length);
  const answers: StudyLlmAnswers = { valid: 0, invalid: 0, refused: 0, error: 0, cached: 0 };
  let finished = 0;
  const report = () =>
    ctx.progress({
      message: `${params.llm}: ${answers.valid} valid, ${answers.invalid} invalid, ${answers.refused} refused, ${answers.error} failed`,
      done: finished,
      total: files.length,
    });
  report();
  let interrupted: unknown;
  try {
    await answerAll(files, setup, cache, ctx, (i, o) => {
      outcomes[i] = o;
      answers[o.status]++;
      if (o.cached) answers.cached++;
      finished++;
      report();
    });
  } catch (e) {
    if (!(isMedLabError(e) && e.code === 'E_CANCELLED')) throw e;
    interrupted = e;
  }

  // Pair what was answered; write the report (also after an interruption: partial, marked so).
  const doneIdx = files.map((_, i) => i).filter((i) => outcomes[i] !== undefined);
  const ids = files.map((f) => safeFileLabel(f.rel));
  const cases: CompareCase[] = doneIdx.map((i) => {
    const r = byPath.get(files[i].rel)!;
    const o = outcomes[i]!;
    return {
      path: ids[i],
      label: r.label,
      subgroups: withoutIdentifiers(r.subgroups),
      densenet: {
        prediction: r.prediction,
        probabilities: r.probabilities ? labels.map((l) => r.probabilities![l]) : null,
        error: r.error ? `${r.error.code}: ${r.error.message}` : null,
      },
      llm: {
        status: o.status,
        prediction: o.prediction,
        confidence: o.confidence,
        raw: o.raw,
        error: o.error,
      },
    };
  });
  const rowsA = doneIdx.map((i) => densenetRow(byPath.get(files[i].rel)!, labels, ids[i]));
  const rowsB: StudyRow[] = doneIdx.map((i, k) => ({
    id: ids[i],
    label: rowsA[k].label,
    prediction: outcomes[i]!.prediction,
    probabilities: null,
    error: outcomes[i]!.status === 'valid' ? null : `${outcomes[i]!.status}: ${outcomes[i]!.error ?? ''}`,
    subgroups: rowsA[k].subgroups,
  }));
  const names: [string, string] = [results.model.id, params.llm];
  const paired = comparePaired(rowsA, rowsB, labels, { names, by }, interrupted ? undefined : ctx);
  const complete = !interrupted;
  if (!complete) paired.warnings.unshift(`interrupted: ${cases.length} of ${files.length} images compared`);
  paired.warnings.push(`${params.llm} gives no class probabilities: its AUROC is not defined.`);
  const doc: CompareReportFile = {
    format: COMPARE_FORMAT,
    version: 1,
    createdAt: new Date().toISOString(),
    complete,
    labels,
    densenet: {
      id: results.model.id,
      name: results.model.name,
      version: results.model.version,
      sha256: results.model.sha256,
    },
    llm: {
      model: params.llm,
      digest: digest ?? null,
      ollamaVersion: status.version,
      host: host.url,
      loopback: host.loopback,
      prompt: classificationPrompt(labels),
      schema: classificationSchema(labels),
      seed,
      temperature: 0,
      numCtx: setup.numCtx,
      maxImageSide: MAX_IMAGE_SIDE,
      answers,
    },
    report: paired,
    cases,
  };

  const thumbs = new Map<string, string>();
  const absById = new Map(doneIdx.map((i) => [ids[i], files[i].abs]));
  for (const d of paired.disagreements.slice(0, MAX_THUMBNAILS)) {
    const abs = d.id ? absById.get(d.id) : undefined;
    const t = abs ? await thumbnail(abs) : undefined;
    if (t && d.id) thumbs.set(d.id, t);
  }
  const html = pairedHtml(paired, {
    title: `MedLab comparison: ${names[0]} vs ${names[1]}`,
    source: `${safeFileLabel(scan.root)} — ${cases.length} images${complete ? '' : ' (interrupted)'}`,
    thumbnail: (id) => thumbs.get(id),
    maxDisagreements: MAX_THUMBNAILS,
  }).replace('</body>', `${llmSetupHtml(doc)}\n</body>`);
  const files_ = {
    json: path.join(outDir, 'compare.json'),
    csv: path.join(outDir, 'compare.csv'),
    cases: path.join(outDir, 'cases.csv'),
    html: path.join(outDir, 'compare.html'),
    answers: cache.file,
  };
  await writeFileAtomic(files_.json, JSON.stringify(doc, null, 2) + '\n');
  await writeFileAtomic(files_.csv, pairedCsv(paired));
  await writeFileAtomic(files_.cases, casesCsv(doc));
  await writeFileAtomic(files_.html, html);
  if (interrupted) {
    throw new MedLabError(
      'E_CANCELLED',
      `comparison cancelled after ${cases.length} of ${files.length} images; partial report in ${outDir}; run it again to resume`,
      { path: outDir },
    );
  }
  return {
    outDir,
    files: files_,
    complete,
    report: paired,
    densenet: {
      id: results.model.id,
      name: results.model.name,
      images: results.counts.images,
      computed: diagnosis.counts.computed,
      cached: diagnosis.counts.cached,
      errors: results.counts.errors,
    },
    llm: {
      model: params.llm,
      digest: digest ?? null,
      ollamaVersion: status.version,
      host: { ...host },
      answers,
    },
    seconds: (Date.now() - started) / 1000,
  };
}
