/**
 * `model.json` validation (docs/model-manifest.md). Every refusal names the offending field
 * (`input.shape[1]`, `preprocessing.resize.kernel`, ...) so a lab dropping in its own model can
 * fix the manifest from the message alone. Pure: no file access.
 */
import { MedLabError } from '../errors';
import type { ImagePreprocessing, ManifestValue, ModelManifest, OtherPreprocessing } from '../protocol';

export const IMAGE_TASKS = ['xray-classification'] as const;
/** EEG tasks are run (and their preprocessing validated) by agent/eeg/predict. */
export const EEG_TASK_PREFIX = 'eeg-';
export const DEFAULT_INTENDED_USE = 'Research only. Not for clinical use.';

const ID_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;
const SHA256_PATTERN = /^[0-9a-f]{64}$/;
const FITS = ['fill', 'cover', 'contain'] as const;
const KERNELS = ['nearest', 'linear', 'cubic', 'lanczos3'] as const;
const COLORS = ['grayscale', 'rgb'] as const;
const SCORE_TYPES = ['probabilities', 'logits'] as const;

type Json = ManifestValue;
type JsonObject = { [key: string]: Json };

class Fields {
  constructor(private readonly file: string) {}

  fail(field: string, message: string): never {
    throw new MedLabError('E_MODEL_MANIFEST', `${this.file}: ${field} ${message}`, {
      path: this.file,
      field,
    });
  }

  object(v: Json | undefined, field: string): JsonObject {
    if (v === undefined) this.fail(field, 'is missing');
    if (v === null || typeof v !== 'object' || Array.isArray(v)) this.fail(field, 'must be an object');
    return v;
  }

  string(v: Json | undefined, field: string): string {
    if (v === undefined) this.fail(field, 'is missing');
    if (typeof v !== 'string' || v.trim() === '') this.fail(field, 'must be a non-empty string');
    return v;
  }

  optionalString(v: Json | undefined, field: string): string | undefined {
    return v === undefined ? undefined : this.string(v, field);
  }

  number(v: Json | undefined, field: string): number {
    if (v === undefined) this.fail(field, 'is missing');
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(field, 'must be a finite number');
    return v;
  }

  positiveInt(v: Json | undefined, field: string): number {
    const n = this.number(v, field);
    if (!Number.isInteger(n) || n < 1) this.fail(field, `must be a positive integer (got ${n})`);
    return n;
  }

  choice<T extends string>(v: Json | undefined, field: string, choices: readonly T[], fallback?: T): T {
    if (v === undefined && fallback !== undefined) return fallback;
    const s = this.string(v, field);
    if (!(choices as readonly string[]).includes(s)) {
      this.fail(field, `must be one of ${choices.join(', ')} (got "${s}")`);
    }
    return s as T;
  }

  array(v: Json | undefined, field: string): Json[] {
    if (v === undefined) this.fail(field, 'is missing');
    if (!Array.isArray(v)) this.fail(field, 'must be an array');
    return v;
  }

  numbers(v: Json | undefined, field: string): number[] {
    return this.array(v, field).map((x, i) => this.number(x, `${field}[${i}]`));
  }
}

/**
 * Validates a parsed `model.json`. `file` is the manifest path (for messages). Returns the manifest
 * with defaults filled in.
 */
export function validateManifest(raw: unknown, file: string): ModelManifest {
  const f = new Fields(file);
  const m = f.object(raw as Json, '(manifest)');

  const id = f.string(m.id, 'id');
  if (!ID_PATTERN.test(id)) f.fail('id', `must match ${ID_PATTERN.source} (got "${id}")`);
  const task = f.string(m.task, 'task');
  if (!(IMAGE_TASKS as readonly string[]).includes(task) && !task.startsWith(EEG_TASK_PREFIX)) {
    f.fail(
      'task',
      `must be one of ${IMAGE_TASKS.join(', ')} or start with "${EEG_TASK_PREFIX}" (got "${task}")`,
    );
  }

  const modelFile = f.string(m.file, 'file');
  if (modelFile.includes('..') || modelFile.startsWith('/') || modelFile.includes('\\')) {
    f.fail('file', `must be a file name inside the model folder (got "${modelFile}")`);
  }
  const sha256 = f.string(m.sha256, 'sha256').toLowerCase();
  if (!SHA256_PATTERN.test(sha256)) f.fail('sha256', 'must be 64 hexadecimal digits');

  const labels = f.array(m.labels, 'labels').map((l, i) => f.string(l, `labels[${i}]`));
  if (labels.length < 2) f.fail('labels', `must list at least 2 classes (got ${labels.length})`);
  const seen = new Set<string>();
  labels.forEach((l, i) => {
    const key = l.toLowerCase();
    if (seen.has(key)) f.fail(`labels[${i}]`, `repeats "${l}" (labels are compared case-insensitively)`);
    seen.add(key);
  });
  const positiveLabel = f.optionalString(m.positiveLabel, 'positiveLabel');
  if (positiveLabel !== undefined && !labels.includes(positiveLabel)) {
    f.fail('positiveLabel', `"${positiveLabel}" is not one of labels (${labels.join(', ')})`);
  }

  const inp = f.object(m.input, 'input');
  const input = {
    name: f.string(inp.name, 'input.name'),
    shape: f.array(inp.shape, 'input.shape').map((d, i) => {
      const n = f.number(d, `input.shape[${i}]`);
      if (n !== -1 && !(Number.isInteger(n) && n >= 1)) {
        f.fail(`input.shape[${i}]`, `must be a positive integer or -1 for a dynamic size (got ${n})`);
      }
      return n;
    }),
    dtype: f.choice(inp.dtype, 'input.dtype', ['float32'] as const, 'float32'),
  };
  if (input.shape.length === 0) f.fail('input.shape', 'must have at least one dimension');

  const out = f.object(m.outputs, 'outputs');
  const outputs: ModelManifest['outputs'] = {
    scores: f.string(out.scores, 'outputs.scores'),
    scoreType: f.choice(out.scoreType, 'outputs.scoreType', SCORE_TYPES, 'probabilities'),
  };
  const cam = f.optionalString(out.cam, 'outputs.cam');
  if (cam !== undefined) outputs.cam = cam;
  const features = f.optionalString(out.features, 'outputs.features');
  if (features !== undefined) outputs.features = features;

  const pre = f.object(m.preprocessing, 'preprocessing');
  const kind = f.string(pre.kind, 'preprocessing.kind');
  let preprocessing: ImagePreprocessing | OtherPreprocessing;
  if (task.startsWith(EEG_TASK_PREFIX)) {
    preprocessing = { ...pre, kind };
  } else {
    if (kind !== 'image') f.fail('preprocessing.kind', `must be "image" for task ${task} (got "${kind}")`);
    preprocessing = validateImagePreprocessing(f, pre, input.shape);
  }

  const metrics = m.metrics === undefined ? {} : f.object(m.metrics, 'metrics');
  return {
    id,
    name: f.string(m.name, 'name'),
    version: f.string(m.version, 'version'),
    task,
    file: modelFile,
    sha256,
    labels,
    ...(positiveLabel !== undefined ? { positiveLabel } : {}),
    input,
    outputs,
    preprocessing,
    license: f.string(m.license, 'license'),
    trainingData: f.string(m.trainingData, 'trainingData'),
    intendedUse: f.optionalString(m.intendedUse, 'intendedUse') ?? DEFAULT_INTENDED_USE,
    metrics,
  };
}

function validateImagePreprocessing(f: Fields, pre: JsonObject, shape: number[]): ImagePreprocessing {
  const color = f.choice(pre.color, 'preprocessing.color', COLORS);
  const channels = color === 'rgb' ? 3 : 1;
  const r = f.object(pre.resize, 'preprocessing.resize');
  const resize: ImagePreprocessing['resize'] = {
    width: f.positiveInt(r.width, 'preprocessing.resize.width'),
    height: f.positiveInt(r.height, 'preprocessing.resize.height'),
    fit: f.choice(r.fit, 'preprocessing.resize.fit', FITS, 'fill'),
    kernel: f.choice(r.kernel, 'preprocessing.resize.kernel', KERNELS, 'lanczos3'),
  };
  const scale = f.number(pre.scale ?? 255, 'preprocessing.scale');
  if (!(scale > 0)) f.fail('preprocessing.scale', `must be greater than 0 (got ${scale})`);
  const mean = f.numbers(pre.mean ?? [0], 'preprocessing.mean');
  const std = f.numbers(pre.std ?? [1], 'preprocessing.std');
  for (const [name, values] of [
    ['mean', mean],
    ['std', std],
  ] as const) {
    if (values.length !== 1 && values.length !== channels) {
      f.fail(
        `preprocessing.${name}`,
        `must have 1 or ${channels} values for color "${color}" (got ${values.length})`,
      );
    }
  }
  std.forEach((s, i) => {
    if (!(s > 0)) f.fail(`preprocessing.std[${i}]`, `must be greater than 0 (got ${s})`);
  });

  // The image input is NCHW: the channel and spatial sizes must agree with the preprocessing.
  if (shape.length !== 4)
    f.fail('input.shape', `must be [N, C, H, W] for an image model (got [${shape.join(', ')}])`);
  const expect: [number, number, string][] = [
    [1, channels, `${channels} channel(s) for color "${color}"`],
    [2, resize.height, `preprocessing.resize.height ${resize.height}`],
    [3, resize.width, `preprocessing.resize.width ${resize.width}`],
  ];
  for (const [axis, value, why] of expect) {
    if (shape[axis] !== -1 && shape[axis] !== value) {
      f.fail(`input.shape[${axis}]`, `is ${shape[axis]} but ${why} gives ${value}`);
    }
  }
  return { kind: 'image', color, resize, scale, mean, std };
}

/** Per-channel value of a mean/std list that holds one value or one per channel. */
export function channelValue(values: number[], channel: number): number {
  return values.length === 1 ? values[0] : values[channel];
}

export function isImagePreprocessing(p: ModelManifest['preprocessing']): p is ImagePreprocessing {
  return p.kind === 'image';
}
