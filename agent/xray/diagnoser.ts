/**
 * The diagnosis engine: files in, one outcome per file out, with the inference engine kept busy.
 *
 * Decoding overlaps inference: up to `decodeAhead` files are read, hashed, decoded and
 * preprocessed (sharp and file reads run on libuv's thread pool) while the model runs on the
 * batch before. onnxruntime-node's `run` holds the JS thread, so work is started well ahead: the
 * thread-pool stages keep going during a run, and the next batch is ready when it returns.
 *
 * Every finished batch is appended to the result cache before its outcomes are reported, so a
 * kill loses at most the batch in flight. Unchanged files (path, size, mtime) and files whose
 * content was seen before are answered from the cache without decoding.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MedLabError, describeError, fromFsError, isMedLabError } from '../errors';
import { isImagePreprocessing } from '../models/manifest';
import type { ModelEntry } from '../models/registry';
import { getModelSession, type ModelSession } from '../models/runtime';
import { argmaxRow, probabilityRows } from '../models/scores';
import type { ErrorCode, ImagePreprocessing, XrayRowError } from '../protocol';
import type { RunContext } from '../runContext';
import { writeFileAtomic } from '../files/atomicWrite';
import { CACHE_FILE, ResultCache, type CacheEntry } from './cache';
import type { GrayImage } from './decode/grayImage';
import { camOf, overlayPng } from './heatmap';
import { prepareImage } from './prepare';
import { imageTensorSize, inputGeometry } from './preprocess';
import type { ScannedFile } from './scan';

/** Errors that depend only on the file's bytes: cached like results. Others (I/O) are retried. */
const CONTENT_ERRORS: readonly ErrorCode[] = ['E_IMAGE_DECODE', 'E_DICOM', 'E_GENERATED_IMAGE'];

export const HEATMAP_DIR = 'heatmaps';
const SYNC_READ_BYTES = 4 << 20;

export interface DiagnoserOptions {
  /** Images per inference call (clamped to a fixed batch dimension of the model). */
  batchSize: number;
  /** Files being read/decoded ahead of inference (default 3 x batch, at least 8). */
  decodeAhead?: number;
  heatmaps: boolean;
}

export interface Outcome {
  /** One per model label, or null for an error. */
  probabilities: number[] | null;
  error: XrayRowError | null;
  /** Relative to the output folder. */
  heatmap?: string;
  cached: boolean;
}

interface Prepared {
  index: number;
  file: ScannedFile;
  content: string;
  tensor: Float32Array;
  original?: GrayImage;
}

/** A row error without the path prefix the decoders put in messages (the row names the file). */
function rowError(e: unknown, rel: string): XrayRowError {
  const err = isMedLabError(e) ? e : new MedLabError('E_INTERNAL', describeError(e));
  const message = err.message.startsWith(`${rel}: `) ? err.message.slice(rel.length + 2) : err.message;
  return { code: err.code, message };
}

export class Diagnoser {
  readonly batchSize: number;
  /** Time spent inside the model and wall time of the last `run` (ms): how busy the engine was. */
  readonly stats = { inferenceMs: 0, wallMs: 0 };
  private readonly pre: ImagePreprocessing;
  private readonly fixedBatch: number | undefined;

  private constructor(
    readonly model: ModelEntry,
    readonly session: ModelSession,
    readonly cache: ResultCache,
    readonly outDir: string,
    private readonly options: DiagnoserOptions,
  ) {
    const p = model.manifest.preprocessing;
    if (!isImagePreprocessing(p)) {
      throw new MedLabError(
        'E_USAGE',
        `model ${model.manifest.id} is not an image model (task ${model.manifest.task})`,
        {
          field: 'model',
        },
      );
    }
    this.pre = p;
    const n = model.manifest.input.shape[0];
    this.fixedBatch = n > 0 ? n : undefined;
    this.batchSize = this.fixedBatch ?? Math.max(1, Math.floor(options.batchSize));
    if (options.heatmaps && !model.manifest.outputs.cam) {
      throw new MedLabError(
        'E_USAGE',
        `model ${model.manifest.id} has no class activation output (outputs.cam): no heat maps`,
        {
          field: 'heatmaps',
        },
      );
    }
  }

  static async create(model: ModelEntry, outDir: string, options: DiagnoserOptions): Promise<Diagnoser> {
    if (!isImagePreprocessing(model.manifest.preprocessing)) {
      throw new MedLabError(
        'E_USAGE',
        `model ${model.manifest.id} is not an image model (task ${model.manifest.task})`,
        {
          field: 'model',
        },
      );
    }
    const session = await getModelSession(model);
    await fs.promises.mkdir(outDir, { recursive: true }).catch((e: unknown) => {
      throw fromFsError(e, outDir);
    });
    const cache = await ResultCache.open(path.join(outDir, CACHE_FILE), model.manifest.sha256);
    return new Diagnoser(model, session, cache, outDir, options);
  }

  heatmapPath(rel: string): string {
    return `${HEATMAP_DIR}/${rel}.png`;
  }

  private cachedOutcome(entry: CacheEntry, rel: string): Outcome | undefined {
    const outcome: Outcome = { probabilities: entry.probabilities, error: entry.error, cached: true };
    if (this.options.heatmaps && entry.probabilities) {
      const heatmap = this.heatmapPath(rel);
      if (!fs.existsSync(path.join(this.outDir, heatmap))) return undefined; // redo to draw it
      outcome.heatmap = heatmap;
    }
    return outcome;
  }

  /**
   * Diagnoses `files`, calling `done(index, outcome)` once per file (in completion order). On
   * cancellation it stops starting work, lets the batch in flight finish and be cached, and
   * throws E_CANCELLED; files not reported were not done.
   */
  async run(
    files: readonly ScannedFile[],
    ctx: RunContext,
    done: (index: number, outcome: Outcome) => void,
  ): Promise<void> {
    const started = performance.now();
    this.stats.inferenceMs = 0;
    const size = imageTensorSize(this.pre);
    const ahead = Math.max(8, this.options.decodeAhead ?? 3 * this.batchSize);
    const ready: Prepared[] = [];
    const pendingCache: CacheEntry[] = [];
    let next = 0;
    let inFlight = 0;
    let failure: unknown;
    let wake: (() => void) | undefined;
    const notify = () => {
      const w = wake;
      wake = undefined;
      w?.();
    };

    const finish = (index: number, outcome: Outcome, entry?: CacheEntry) => {
      if (entry) pendingCache.push(entry);
      done(index, outcome);
    };

    const prepare = async (index: number, file: ScannedFile): Promise<void> => {
      let bytes: Buffer;
      try {
        // Small files are read synchronously: the decode then starts at once, so a whole
        // read-decode chain fits in one inference call (onnxruntime holds the JS thread while it
        // runs). Large ones (big DICOMs, slow shares) are read without blocking the agent.
        bytes =
          file.size <= SYNC_READ_BYTES ? fs.readFileSync(file.abs) : await fs.promises.readFile(file.abs);
      } catch (e) {
        finish(index, {
          probabilities: null,
          error: rowError(fromFsError(e, file.rel), file.rel),
          cached: false,
        });
        return;
      }
      const content = crypto.createHash('sha256').update(bytes).digest('hex');
      const known = this.cache.withContent(content);
      const reused = known && this.cachedOutcome(known, file.rel);
      if (known && reused) {
        finish(index, reused, { ...known, rel: file.rel, size: file.size, mtimeMs: file.mtimeMs });
        return;
      }
      const tensor = new Float32Array(size);
      try {
        const { original } = await prepareImage(bytes, file.rel, this.pre, tensor, 0, this.options.heatmaps);
        ready.push({ index, file, content, tensor, ...(original ? { original } : {}) });
      } catch (e) {
        const error = rowError(e, file.rel);
        const entry: CacheEntry | undefined = CONTENT_ERRORS.includes(error.code)
          ? {
              content,
              model: this.cache.model,
              probabilities: null,
              error,
              rel: file.rel,
              size: file.size,
              mtimeMs: file.mtimeMs,
            }
          : undefined;
        finish(index, { probabilities: null, error, cached: false }, entry);
      }
    };

    const fill = () => {
      while (!ctx.signal.aborted && next < files.length && inFlight + ready.length < ahead) {
        const index = next++;
        const file = files[index];
        const entry = this.cache.unchanged(file.rel, file.size, file.mtimeMs);
        const reused = entry && this.cachedOutcome(entry, file.rel);
        if (reused) {
          done(index, reused);
          continue;
        }
        inFlight++;
        prepare(index, file)
          .catch((e: unknown) => {
            failure ??= e;
          })
          .finally(() => {
            inFlight--;
            notify();
          });
      }
    };

    const flushCache = async () => {
      if (pendingCache.length) await this.cache.add(pendingCache.splice(0));
    };

    try {
      for (;;) {
        fill();
        if (failure) throw failure;
        const producing = !ctx.signal.aborted && (next < files.length || inFlight > 0);
        const full = ready.length >= this.batchSize;
        if (!ctx.signal.aborted && (full || (ready.length > 0 && !producing))) {
          const batch = ready.splice(0, this.batchSize);
          fill(); // keep the thread pool busy while the model runs
          await this.infer(batch, size, finish, ctx.log);
          await flushCache();
          continue;
        }
        if (ctx.signal.aborted ? inFlight === 0 : !producing) break;
        await new Promise<void>((resolve) => (wake = resolve));
      }
      await flushCache();
    } finally {
      // Let decodes in flight settle so nothing writes after we return.
      while (inFlight > 0) await new Promise<void>((resolve) => (wake = resolve));
      await flushCache().catch(() => undefined);
      this.stats.wallMs = performance.now() - started;
    }
    if (ctx.signal.aborted) throw new MedLabError('E_CANCELLED', 'diagnosis was cancelled');
  }

  private async infer(
    batch: Prepared[],
    size: number,
    finish: (index: number, outcome: Outcome, entry?: CacheEntry) => void,
    log: (message: string) => void,
  ): Promise<void> {
    const m = this.model.manifest;
    const n = this.fixedBatch ?? batch.length;
    const input = new Float32Array(n * size);
    batch.forEach((b, i) => input.set(b.tensor, i * size));
    const { width, height } = this.pre.resize;
    const dims = [n, this.pre.color === 'rgb' ? 3 : 1, height, width];
    const wanted = [m.outputs.scores, ...(this.options.heatmaps && m.outputs.cam ? [m.outputs.cam] : [])];
    let outputs: Awaited<ReturnType<ModelSession['run']>>;
    const t0 = performance.now();
    try {
      outputs = await this.session.run({ [m.input.name]: { data: input, dims } }, wanted);
      this.stats.inferenceMs += performance.now() - t0;
    } catch (e) {
      // The model failed on this batch: each image becomes an error row (not cached).
      for (const b of batch)
        finish(b.index, { probabilities: null, error: rowError(e, b.file.rel), cached: false });
      return;
    }
    const k = m.labels.length;
    const scores = outputs[m.outputs.scores];
    if (scores.data.length < batch.length * k) {
      throw new MedLabError(
        'E_MODEL_RUNTIME',
        `model ${m.id}: output ${m.outputs.scores} has ${scores.data.length} values for ${batch.length} images x ${k} labels`,
        {
          field: 'outputs.scores',
        },
      );
    }
    const probs = probabilityRows(scores.data, k, m.outputs.scoreType);
    for (const [i, b] of batch.entries()) {
      const probabilities = Array.from(probs.subarray(i * k, (i + 1) * k));
      const outcome: Outcome = { probabilities, error: null, cached: false };
      const cam = m.outputs.cam ? outputs[m.outputs.cam] : undefined;
      if (cam && b.original) {
        try {
          const predicted = argmaxRow(probs, k, i);
          const map = camOf(cam.data, cam.dims, i, predicted);
          const { png } = await overlayPng(
            b.original,
            map,
            inputGeometry(b.original, this.pre),
            this.pre.resize,
            {
              maxSide: 768,
            },
          );
          outcome.heatmap = this.heatmapPath(b.file.rel);
          await writeFileAtomic(path.join(this.outDir, outcome.heatmap), png);
        } catch (e) {
          // The diagnosis stands; only the picture is missing (and is retried on the next run).
          delete outcome.heatmap;
          log(`heat map for ${b.file.rel} not written: ${describeError(e)}`);
        }
      }
      const entry: CacheEntry = {
        content: b.content,
        model: this.cache.model,
        probabilities,
        error: null,
        rel: b.file.rel,
        size: b.file.size,
        mtimeMs: b.file.mtimeMs,
      };
      finish(b.index, outcome, entry);
    }
  }
}
