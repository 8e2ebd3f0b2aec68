/**
 * `medlab watch DIR`: diagnoses the images already in a folder, then each image as it arrives or
 * changes, and keeps results.csv / results.json (and metrics.json) current. A file is taken once
 * its size has stopped changing (chokidar's awaitWriteFinish); one that is still unreadable becomes
 * an error row and is diagnosed again when it changes. Runs until cancelled (Ctrl-C).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { watch as chokidarWatch } from 'chokidar';
import { MedLabError, describeError, isMedLabError } from '../errors';
import type { XrayDiagnoseParams, XrayResultRow } from '../protocol';
import { silentContext, type RunContext } from '../runContext';
import { DEFAULT_BATCH_SIZE, defaultOutDir, resolveXrayModel, resultsDocument } from './batch';
import { kindFromContent, kindFromExtension } from './decode/decodeFile';
import { Diagnoser, type Outcome } from './diagnoser';
import { labelsFromCsv, labelsFromFolders, type Labelling } from './labels';
import { writeResults } from './results';
import { scanImages, type ScannedFile } from './scan';

export interface WatchParams extends Omit<XrayDiagnoseParams, 'maxRows' | 'progressToken'> {
  /** How long a file's size must stay the same before it is read (ms, default 1000). */
  settleMs?: number;
}

export interface WatchEvent {
  kind: 'diagnosed' | 'removed' | 'ready';
  row?: XrayResultRow;
  cached?: boolean;
  /** Images currently in the results. */
  total: number;
}

const METRICS_DELAY_MS = 10000;

const hidden = (rel: string) => rel.split('/').some((part) => part.startsWith('.'));

/** Watches until `ctx.signal` aborts; `onEvent` hears about every row written. */
export async function watchFolder(
  params: WatchParams,
  ctx: RunContext,
  onEvent: (e: WatchEvent) => void,
): Promise<void> {
  const model = await resolveXrayModel(params.model);
  const m = model.manifest;
  const initial = await scanImages(params.path, ctx);
  if (initial.single)
    throw new MedLabError('E_USAGE', `${params.path} is a file; watch takes a folder`, { field: 'path' });
  const root = initial.root;
  const outDir = params.out ? path.resolve(params.out) : defaultOutDir(root, m.id);
  const diagnoser = await Diagnoser.create(model, outDir, {
    batchSize: params.batchSize ?? DEFAULT_BATCH_SIZE,
    heatmaps: params.heatmaps === true,
  });
  const files = new Map<string, ScannedFile>();
  const rows = new Map<string, XrayResultRow>();
  const skipped = new Map<string, string>(initial.skipped.map((s) => [s.path, s.reason]));

  const label = async (list: ScannedFile[]): Promise<Labelling> =>
    params.labels ? labelsFromCsv(params.labels, root, list, m.labels) : labelsFromFolders(list, m.labels);
  let subgroupColumns = (await label([])).subgroupColumns;

  const rowOf = (file: ScannedFile, outcome: Outcome, labelling: Labelling): XrayResultRow => {
    const truth = labelling.byFile.get(file.rel);
    let prediction: string | null = null;
    if (outcome.probabilities) {
      const p = outcome.probabilities;
      prediction = m.labels[p.indexOf(Math.max(...p))];
    }
    return {
      path: file.rel,
      label: truth?.label ?? null,
      prediction,
      probabilities: outcome.probabilities
        ? Object.fromEntries(m.labels.map((l, i) => [l, outcome.probabilities![i]]))
        : null,
      error: outcome.error,
      subgroups: truth?.subgroups ?? Object.fromEntries(subgroupColumns.map((c) => [c, ''])),
      ...(outcome.heatmap ? { heatmap: outcome.heatmap } : {}),
    };
  };

  // results.csv/json follow every arrival; metrics.json (seconds on a large folder) once the
  // folder has been quiet for METRICS_DELAY_MS, and when the watch stops.
  let metricsTimer: NodeJS.Timeout | undefined;
  const writeAll = async (writeCtx: RunContext = ctx, metrics = false) => {
    const list = [...files.values()].sort((a, b) => (a.rel < b.rel ? -1 : 1));
    const ordered = list.map((f) => rows.get(f.rel));
    const labelling = await label(list);
    subgroupColumns = labelling.subgroupColumns;
    const done = ordered.filter((r): r is XrayResultRow => r !== undefined);
    const counts = {
      images: done.length,
      computed: 0,
      cached: 0,
      errors: done.filter((r) => r.error).length,
      skipped: skipped.size,
      labelled: done.filter((r) => r.label !== null).length,
    };
    const scan = {
      root,
      single: false,
      files: list,
      skipped: [...skipped].map(([p, reason]) => ({ path: p, reason })),
    };
    await writeResults(outDir, resultsDocument(model, scan, labelling, ordered, counts, true), writeCtx, {
      metrics,
    });
    if (metricsTimer) clearTimeout(metricsTimer);
    metricsTimer = metrics
      ? undefined
      : setTimeout(() => enqueue(() => writeAll(ctx, true)), METRICS_DELAY_MS);
  };

  const diagnoseFiles = async (list: ScannedFile[]) => {
    if (list.length === 0) return;
    const labelling = await label(list);
    subgroupColumns = labelling.subgroupColumns;
    for (const f of list) files.set(f.rel, f);
    await diagnoser.run(list, ctx, (index, outcome) => {
      const row = rowOf(list[index], outcome, labelling);
      rows.set(row.path, row);
      onEvent({ kind: 'diagnosed', row, cached: outcome.cached, total: rows.size });
    });
    await writeAll();
  };

  // One job at a time: the initial folder, then batches of arrivals.
  let chain: Promise<void> = Promise.resolve();
  let failure: unknown;
  const enqueue = (job: () => Promise<void>) => {
    chain = chain.then(job).catch((e: unknown) => {
      if (isMedLabError(e) && e.code === 'E_CANCELLED') return;
      failure ??= e;
      ctx.log(`watch: ${describeError(e)}`);
    });
  };
  enqueue(() => diagnoseFiles(initial.files));

  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    const rels = [...pending];
    pending.clear();
    enqueue(async () => {
      const list: ScannedFile[] = [];
      for (const rel of rels) {
        const abs = path.join(root, rel);
        try {
          const st = await fs.promises.stat(abs);
          if (!st.isFile()) continue;
          if (!kindFromExtension(rel)) {
            const head = Buffer.alloc(132);
            const fh = await fs.promises.open(abs, 'r');
            const { bytesRead } = await fh.read(head, 0, 132, 0).finally(() => fh.close());
            if (!kindFromContent(head.subarray(0, bytesRead))) {
              skipped.set(rel, 'not an image');
              continue;
            }
          }
          skipped.delete(rel);
          list.push({ rel, abs, size: st.size, mtimeMs: st.mtimeMs });
        } catch {
          // removed again before we got to it
        }
      }
      await diagnoseFiles(list);
    });
  };

  const watcher = chokidarWatch(root, {
    ignoreInitial: true,
    ignored: (p: string) => hidden(path.relative(root, p).split(path.sep).join('/')),
    awaitWriteFinish: { stabilityThreshold: params.settleMs ?? 1000, pollInterval: 100 },
  });
  const onFile = (abs: string) => {
    pending.add(path.relative(root, abs).split(path.sep).join('/'));
    timer ??= setTimeout(flush, 200);
  };
  watcher.on('add', onFile);
  watcher.on('change', onFile);
  watcher.on('unlink', (abs: string) => {
    const rel = path.relative(root, abs).split(path.sep).join('/');
    skipped.delete(rel);
    if (files.delete(rel)) {
      rows.delete(rel);
      onEvent({ kind: 'removed', total: rows.size });
      enqueue(() => writeAll());
    }
  });
  watcher.on('error', (e: unknown) => ctx.log(`watch: ${describeError(e)}`));
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  await chain;
  onEvent({ kind: 'ready', total: rows.size });

  await new Promise<void>((resolve) => {
    if (ctx.signal.aborted) resolve();
    else ctx.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  if (timer) clearTimeout(timer);
  await watcher.close();
  await chain;
  // Rows diagnosed before the stop are written even if the last job was cut short.
  if (metricsTimer) clearTimeout(metricsTimer);
  await writeAll(silentContext(), true);
  if (failure) throw failure;
}
