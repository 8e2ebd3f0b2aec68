/**
 * onnxruntime sessions: created once per (model file, provider, threads) and reused by every
 * caller. Task-agnostic: X-ray diagnosis and EEG prediction both go through `getModelSession`.
 *
 * Provider choice: `cpu` uses the CPU; `cuda` insists on CUDA (fails if it cannot start);
 * `auto` tries CUDA when onnxruntime-node has its CUDA provider and falls back to the CPU when
 * the session cannot be created (onnxruntime has no automatic fallback: it throws), recording
 * why so `agent/info` and the result say which provider runs and the reason.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as ort from 'onnxruntime-node';
import { MedLabError, describeError, fromFsError, isMedLabError } from '../errors';
import type { ExecutionProviderInfo, GraphValueInfo, ModelManifest } from '../protocol';
import { settings } from '../settings';
import { cudaProviderLibrary, defaultThreads, recordCudaFailure } from './executionProvider';
import type { ModelEntry } from './registry';

/** A dense float tensor as callers hand it over and get it back. */
export interface TensorData {
  data: Float32Array;
  dims: number[];
}

export interface ModelSession {
  readonly manifest: ModelManifest;
  readonly executionProvider: ExecutionProviderInfo;
  readonly inputs: GraphValueInfo[];
  readonly outputs: GraphValueInfo[];
  /**
   * Runs the model. Feeds are checked against the graph (names, rank, fixed sizes, element count)
   * before onnxruntime sees them; `outputNames` limits what is computed (default: all).
   */
  run(feeds: Record<string, TensorData>, outputNames?: string[]): Promise<Record<string, TensorData>>;
  /** Frees the native session (only clearSessionCache calls this: sessions are shared). */
  release(): Promise<void>;
}

export interface SessionOptions {
  executionProvider?: 'auto' | 'cuda' | 'cpu';
  /** Intra-op threads; 0 or absent = settings, else cores (max 8). */
  threads?: number;
}

const sessions = new Map<string, Promise<ModelSession>>();

function graphInfo(meta: readonly ort.InferenceSession.ValueMetadata[]): GraphValueInfo[] {
  return meta.map((m) =>
    m.isTensor
      ? {
          name: m.name,
          type: m.type,
          shape: m.shape.map((d) => (typeof d === 'number' && d >= 0 ? d : typeof d === 'string' ? d : -1)),
        }
      : { name: m.name, type: 'non-tensor', shape: [] },
  );
}

async function readVerified(entry: ModelEntry): Promise<Uint8Array> {
  let bytes: Buffer;
  try {
    bytes = await fs.promises.readFile(entry.filePath);
  } catch (e) {
    throw fromFsError(e, entry.filePath);
  }
  // Hash the very bytes that are loaded: a file swapped after the registry checked it is refused.
  const actual = crypto.createHash('sha256').update(bytes).digest('hex');
  if (actual !== entry.manifest.sha256) {
    throw new MedLabError(
      'E_MODEL_FILE',
      `${entry.filePath}: sha256 ${actual} differs from the manifest's sha256 ${entry.manifest.sha256}`,
      { path: entry.filePath, field: 'sha256', detail: { expected: entry.manifest.sha256, actual } },
    );
  }
  return bytes;
}

function firstLine(e: unknown): string {
  return describeError(e).split('\n')[0].trim().slice(0, 300);
}

/**
 * Options of every session MedLab creates (the benchmark's bare session uses them too).
 * Intra-op threads do not spin while idle: decoding runs beside inference, and spinning threads
 * would take the cores the decoders need (measured: faster end to end on a busy machine).
 */
export function baseSessionOptions(threads: number): ort.InferenceSession.SessionOptions {
  return {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3,
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  };
}

async function createSession(
  bytes: Uint8Array,
  requested: 'auto' | 'cuda' | 'cpu',
  threads: number,
): Promise<{ session: ort.InferenceSession; info: ExecutionProviderInfo }> {
  const base = baseSessionOptions(threads);
  const cpu = async (reason: string) => ({
    session: await ort.InferenceSession.create(bytes, { ...base, executionProviders: ['cpu'] }),
    info: { active: 'cpu' as const, requested, reason, threads },
  });
  if (requested === 'cpu') return cpu('CPU chosen in settings');
  const cudaMissing =
    process.platform !== 'linux' || process.arch !== 'x64'
      ? 'the CUDA provider of onnxruntime-node exists only for linux-x64'
      : cudaProviderLibrary()
        ? undefined
        : 'onnxruntime-node was installed without its CUDA provider (install with ONNXRUNTIME_NODE_INSTALL=cuda12)';
  if (cudaMissing && requested === 'auto') return cpu(cudaMissing);
  if (cudaMissing)
    throw new MedLabError('E_MODEL_RUNTIME', `CUDA requested but ${cudaMissing}`, {
      field: 'executionProvider',
    });
  try {
    const session = await ort.InferenceSession.create(bytes, {
      ...base,
      executionProviders: ['cuda', 'cpu'],
    });
    return { session, info: { active: 'cuda', requested, reason: 'CUDA session created', threads } };
  } catch (e) {
    const why = firstLine(e);
    recordCudaFailure(why);
    if (requested === 'cuda') {
      throw new MedLabError('E_MODEL_RUNTIME', `CUDA requested but the CUDA session failed: ${why}`, {
        field: 'executionProvider',
      });
    }
    return cpu(`CUDA session failed, using the CPU: ${why}`);
  }
}

/** Checks that the graph has what the manifest declares (names and the input's rank/sizes). */
function checkGraph(
  manifest: ModelManifest,
  file: string,
  inputs: GraphValueInfo[],
  outputs: GraphValueInfo[],
): void {
  const fail = (field: string, message: string): never => {
    throw new MedLabError('E_MODEL_MANIFEST', `${file}: ${field} ${message}`, { path: file, field });
  };
  const input = inputs.find((i) => i.name === manifest.input.name);
  if (!input)
    fail(
      'input.name',
      `"${manifest.input.name}" is not an input of the model (inputs: ${inputs.map((i) => i.name).join(', ')})`,
    );
  if (input && input.shape.length > 0) {
    if (input.shape.length !== manifest.input.shape.length) {
      fail(
        'input.shape',
        `has ${manifest.input.shape.length} dimensions but the model's input has ${input.shape.length} [${input.shape.join(', ')}]`,
      );
    }
    input.shape.forEach((d, i) => {
      const declared = manifest.input.shape[i];
      if (typeof d === 'number' && d > 0 && declared !== -1 && declared !== d) {
        fail(`input.shape[${i}]`, `is ${declared} but the model's input has ${d}`);
      }
    });
  }
  const names = outputs.map((o) => o.name);
  for (const [field, name] of Object.entries(manifest.outputs)) {
    if (field === 'scoreType' || name === undefined) continue;
    if (!names.includes(name))
      fail(`outputs.${field}`, `"${name}" is not an output of the model (outputs: ${names.join(', ')})`);
  }
}

function validateFeeds(
  manifest: ModelManifest,
  inputs: GraphValueInfo[],
  feeds: Record<string, TensorData>,
): void {
  const bad = (message: string, field: string): never => {
    throw new MedLabError('E_MODEL_INPUT', `model ${manifest.id}: ${message}`, { field });
  };
  for (const name of Object.keys(feeds)) {
    if (!inputs.some((i) => i.name === name))
      bad(`"${name}" is not an input (inputs: ${inputs.map((i) => i.name).join(', ')})`, name);
  }
  for (const input of inputs) {
    const feed = feeds[input.name];
    if (!feed) bad(`input "${input.name}" is missing`, input.name);
    const declared: (number | string)[] =
      input.name === manifest.input.name
        ? manifest.input.shape
        : input.shape.length
          ? input.shape
          : feed.dims;
    if (feed.dims.length !== declared.length) {
      bad(
        `input "${input.name}" has shape [${feed.dims.join(', ')}]; expected [${declared.join(', ')}]`,
        input.name,
      );
    }
    feed.dims.forEach((d, i) => {
      if (!Number.isInteger(d) || d < 1) bad(`input "${input.name}" dimension ${i} is ${d}`, input.name);
      const want = declared[i];
      if (typeof want === 'number' && want > 0 && want !== d) {
        bad(
          `input "${input.name}" has shape [${feed.dims.join(', ')}]; expected [${declared.join(', ')}]`,
          input.name,
        );
      }
    });
    const count = feed.dims.reduce((a, b) => a * b, 1);
    if (feed.data.length !== count) {
      bad(
        `input "${input.name}" holds ${feed.data.length} values but shape [${feed.dims.join(', ')}] needs ${count}`,
        input.name,
      );
    }
  }
}

function toTensorData(value: ort.OnnxValue, name: string): TensorData {
  const t = value as ort.Tensor;
  const dims = [...t.dims];
  if (t.data instanceof Float32Array) return { data: t.data, dims };
  if (t.type === 'string' || !ArrayBuffer.isView(t.data)) {
    throw new MedLabError('E_MODEL_RUNTIME', `output "${name}" is not numeric (${t.type})`, { field: name });
  }
  const src = t.data as unknown as ArrayLike<number | bigint>;
  const data = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) data[i] = Number(src[i]);
  return { data, dims };
}

async function openSession(
  entry: ModelEntry,
  requested: 'auto' | 'cuda' | 'cpu',
  threads: number,
): Promise<ModelSession> {
  const bytes = await readVerified(entry);
  let created: Awaited<ReturnType<typeof createSession>>;
  try {
    created = await createSession(bytes, requested, threads);
  } catch (e) {
    if (isMedLabError(e)) throw e;
    throw new MedLabError(
      'E_MODEL_RUNTIME',
      `${entry.filePath}: onnxruntime could not load the model: ${firstLine(e)}`,
      {
        path: entry.filePath,
      },
    );
  }
  const { session, info } = created;
  const inputs = graphInfo(session.inputMetadata);
  const outputs = graphInfo(session.outputMetadata);
  const manifest = entry.manifest;
  checkGraph(manifest, entry.manifestPath, inputs, outputs);
  return {
    manifest,
    executionProvider: info,
    inputs,
    outputs,
    release: () => session.release(),
    async run(feeds, outputNames) {
      validateFeeds(manifest, inputs, feeds);
      const ortFeeds: Record<string, ort.Tensor> = {};
      for (const [name, t] of Object.entries(feeds))
        ortFeeds[name] = new ort.Tensor('float32', t.data, t.dims);
      let results: ort.InferenceSession.ReturnType;
      try {
        results = outputNames ? await session.run(ortFeeds, outputNames) : await session.run(ortFeeds);
      } catch (e) {
        throw new MedLabError('E_MODEL_RUNTIME', `model ${manifest.id}: inference failed: ${firstLine(e)}`);
      }
      const out: Record<string, TensorData> = {};
      for (const [name, value] of Object.entries(results)) out[name] = toTensorData(value, name);
      return out;
    },
  };
}

/**
 * The shared session of a verified model (see registry.findModel). Sessions are cached; a model
 * file whose bytes no longer match the manifest gets a new (refused) load, not the old session.
 */
export function getModelSession(entry: ModelEntry, options: SessionOptions = {}): Promise<ModelSession> {
  const s = settings();
  const requested = options.executionProvider ?? s.executionProvider;
  const threads = options.threads || s.threads || defaultThreads();
  const key = [entry.filePath, requested, threads, JSON.stringify(entry.manifest)].join('\0');
  let pending = sessions.get(key);
  if (!pending) {
    pending = openSession(entry, requested, threads);
    sessions.set(key, pending);
    pending.catch(() => sessions.delete(key));
  }
  return pending;
}

/** Forgets cached sessions (tests, or after models were replaced). */
export function clearSessionCache(): void {
  for (const pending of sessions.values()) {
    void pending.then(
      (s) => s.release(),
      () => undefined,
    );
  }
  sessions.clear();
}
