/**
 * The two EEG preprocessing kinds of `model.json` (docs/model-manifest.md, "EEG models"):
 *
 * - `eeg-window`: every EEG channel on its own, resampled to `sampleRate`, band-passed with the
 *   manifest's second-order sections (zero-phase, odd padding, as scipy.signal.sosfiltfilt),
 *   cut into windows of `windowSamples` every `hopSamples`, each window z-scored. Input
 *   [n, 1, windowSamples]. Optional `events` merges windows of one label into events.
 * - `eeg-features`: THE RECIPE's relative PSD per 4-s epoch (agent/eeg/features), input
 *   [n, 19, bins]; the recording's result is the mean over its epochs.
 *
 * The manifest carries the filter coefficients themselves, so the agent runs exactly what
 * training ran without designing a filter. Every refusal names the field.
 */
import { MedLabError } from '../../errors';
import type { ManifestValue, ModelManifest } from '../../protocol';
import { sosfiltfiltPadLength } from '../dsp/sosfilt';
import { RECIPE_CHANNELS } from '../features/recipeChannels';
import { RECIPE } from '../features/relativePsd';

export const EEG_WINDOW_KIND = 'eeg-window';
export const EEG_FEATURES_KIND = 'eeg-features';
export const EEG_WINDOW_TASK = 'eeg-window-classification';
export const EEG_RECORDING_TASK = 'eeg-recording-classification';

export interface EegWindowPreprocessing {
  kind: typeof EEG_WINDOW_KIND;
  /** Rate the model sees (Hz); channels at other rates are resampled (polyphase). */
  sampleRate: number;
  /** Rows [b0, b1, b2, a0, a1, a2] with a0 = 1, applied forward then backward. */
  sos: Float64Array[];
  /** Odd-extension length at each end (scipy's default for these sections when omitted). */
  padLength: number;
  windowSamples: number;
  hopSamples: number;
  /** A window whose standard deviation is below this is fed as zeros. */
  minStd: number;
  events?: { label: string; threshold: number };
}

export interface EegFeaturesPreprocessing {
  kind: typeof EEG_FEATURES_KIND;
  recipe: 'relative-psd';
  channels: string[];
  bins: number;
}

export type EegPreprocessing = EegWindowPreprocessing | EegFeaturesPreprocessing;

type Obj = { [key: string]: ManifestValue };

function fail(file: string, field: string, message: string): never {
  throw new MedLabError('E_MODEL_MANIFEST', `${file}: ${field} ${message}`, { path: file, field });
}

function num(file: string, o: Obj, key: string, prefix: string, fallback?: number): number {
  const v = o[key];
  if (v === undefined && fallback !== undefined) return fallback;
  if (v === undefined) fail(file, `${prefix}.${key}`, 'is missing');
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(file, `${prefix}.${key}`, 'must be a finite number');
  return v;
}

function count(file: string, o: Obj, key: string, prefix: string): number {
  const v = num(file, o, key, prefix);
  if (!Number.isInteger(v) || v < 1) fail(file, `${prefix}.${key}`, `must be a positive integer (got ${v})`);
  return v;
}

function sections(file: string, v: ManifestValue | undefined, field: string): Float64Array[] {
  if (!Array.isArray(v) || v.length === 0)
    fail(file, field, 'must be a non-empty array of [b0, b1, b2, a0, a1, a2]');
  return v.map((row, i) => {
    if (!Array.isArray(row) || row.length !== 6) fail(file, `${field}[${i}]`, 'must hold 6 numbers');
    const r = Float64Array.from(row, (x, j) => {
      if (typeof x !== 'number' || !Number.isFinite(x))
        fail(file, `${field}[${i}][${j}]`, 'must be a finite number');
      return x;
    });
    if (r[3] !== 1) fail(file, `${field}[${i}][3]`, `(a0) must be 1 (got ${r[3]})`);
    // A biquad is stable when both poles lie inside the unit circle (Jury's conditions).
    if (!(Math.abs(r[5]) < 1 && Math.abs(r[4]) < 1 + r[5])) {
      fail(file, `${field}[${i}]`, 'is an unstable section (poles on or outside the unit circle)');
    }
    return r;
  });
}

function validateWindow(m: ModelManifest, pre: Obj, file: string): EegWindowPreprocessing {
  const p = 'preprocessing';
  if (m.task !== EEG_WINDOW_TASK)
    fail(file, 'task', `must be "${EEG_WINDOW_TASK}" for ${p}.kind "${EEG_WINDOW_KIND}"`);
  const sampleRate = num(file, pre, 'sampleRate', p);
  if (!(sampleRate > 0)) fail(file, `${p}.sampleRate`, `must be > 0 Hz (got ${sampleRate})`);
  if (pre.filter === null || typeof pre.filter !== 'object' || Array.isArray(pre.filter)) {
    fail(file, `${p}.filter`, 'must be an object with "sos" (second-order sections)');
  }
  const filter = pre.filter;
  const sos = sections(file, filter.sos, `${p}.filter.sos`);
  if (filter.zeroPhase !== undefined && filter.zeroPhase !== true) {
    fail(file, `${p}.filter.zeroPhase`, 'must be true (only forward-backward filtering is implemented)');
  }
  if (filter.padding !== undefined && filter.padding !== 'odd') {
    fail(file, `${p}.filter.padding`, `must be "odd" (got ${JSON.stringify(filter.padding)})`);
  }
  const padLength =
    filter.padLength === undefined
      ? sosfiltfiltPadLength(sos)
      : num(file, filter, 'padLength', `${p}.filter`);
  if (!Number.isInteger(padLength) || padLength < 0) {
    fail(file, `${p}.filter.padLength`, `must be an integer >= 0 (got ${padLength})`);
  }
  const windowSamples = count(file, pre, 'windowSamples', p);
  const hopSamples = count(file, pre, 'hopSamples', p);
  if (windowSamples <= padLength) {
    fail(file, `${p}.windowSamples`, `must exceed the filter's pad length ${padLength}`);
  }
  let minStd = 0;
  if (pre.normalize !== undefined) {
    const n = pre.normalize;
    if (n === null || typeof n !== 'object' || Array.isArray(n) || n.kind !== 'zscore') {
      fail(file, `${p}.normalize`, 'must be {"kind": "zscore", "minStd": number}');
    }
    minStd = num(file, n, 'minStd', `${p}.normalize`, 0);
    if (minStd < 0) fail(file, `${p}.normalize.minStd`, `must be >= 0 (got ${minStd})`);
  }
  const shape = m.input.shape;
  if (
    shape.length !== 3 ||
    (shape[1] !== -1 && shape[1] !== 1) ||
    (shape[2] !== -1 && shape[2] !== windowSamples)
  ) {
    fail(
      file,
      'input.shape',
      `must be [-1, 1, ${windowSamples}] for ${p}.windowSamples ${windowSamples} (got [${shape.join(', ')}])`,
    );
  }
  const out: EegWindowPreprocessing = {
    kind: EEG_WINDOW_KIND,
    sampleRate,
    sos,
    padLength,
    windowSamples,
    hopSamples,
    minStd,
  };
  if (pre.events !== undefined) {
    const e = pre.events;
    if (e === null || typeof e !== 'object' || Array.isArray(e))
      fail(file, `${p}.events`, 'must be an object {label, threshold}');
    const label = e.label;
    if (typeof label !== 'string' || !m.labels.includes(label)) {
      fail(
        file,
        `${p}.events.label`,
        `must be one of labels (${m.labels.join(', ')}) (got ${JSON.stringify(label)})`,
      );
    }
    const threshold = num(file, e, 'threshold', `${p}.events`);
    if (!(threshold > 0 && threshold <= 1))
      fail(file, `${p}.events.threshold`, `must be in (0, 1] (got ${threshold})`);
    out.events = { label, threshold };
  }
  return out;
}

function validateFeatures(m: ModelManifest, pre: Obj, file: string): EegFeaturesPreprocessing {
  const p = 'preprocessing';
  if (m.task !== EEG_RECORDING_TASK)
    fail(file, 'task', `must be "${EEG_RECORDING_TASK}" for ${p}.kind "${EEG_FEATURES_KIND}"`);
  if (pre.recipe !== 'relative-psd')
    fail(file, `${p}.recipe`, `must be "relative-psd" (got ${JSON.stringify(pre.recipe)})`);
  // The agent implements one recipe; a manifest that states other constants asks for another.
  const constants: [string, number][] = [
    ['epochSeconds', RECIPE.epochSeconds],
    ['welchSegmentSeconds', RECIPE.segmentSeconds],
    ['minHz', RECIPE.minHz],
    ['maxHz', RECIPE.maxHz],
  ];
  for (const [key, value] of constants) {
    const v = num(file, pre, key, p, value);
    if (v !== value)
      fail(file, `${p}.${key}`, `must be ${value}, the recipe the agent implements (got ${v})`);
  }
  const channels = pre.channels === undefined ? [...RECIPE_CHANNELS] : pre.channels;
  if (!Array.isArray(channels) || channels.join(',') !== RECIPE_CHANNELS.join(',')) {
    fail(file, `${p}.channels`, `must be the recipe's 19 channels in order (${RECIPE_CHANNELS.join(' ')})`);
  }
  const bins = count(file, pre, 'bins', p);
  const shape = m.input.shape;
  if (shape.length !== 3 || (shape[1] !== -1 && shape[1] !== 19) || (shape[2] !== -1 && shape[2] !== bins)) {
    fail(file, 'input.shape', `must be [-1, 19, ${bins}] for ${p}.bins ${bins} (got [${shape.join(', ')}])`);
  }
  if (pre.aggregation !== undefined && pre.aggregation !== 'mean') {
    fail(file, `${p}.aggregation`, `must be "mean" (got ${JSON.stringify(pre.aggregation)})`);
  }
  return { kind: EEG_FEATURES_KIND, recipe: 'relative-psd', channels: [...RECIPE_CHANNELS], bins };
}

/** Validates the EEG preprocessing of a manifest that the registry has already checked. */
export function eegPreprocessing(m: ModelManifest, file: string): EegPreprocessing {
  const pre = m.preprocessing as Obj;
  if (pre.kind === EEG_WINDOW_KIND) return validateWindow(m, pre, file);
  if (pre.kind === EEG_FEATURES_KIND) return validateFeatures(m, pre, file);
  return fail(
    file,
    'preprocessing.kind',
    `must be "${EEG_WINDOW_KIND}" or "${EEG_FEATURES_KIND}" for an EEG model (got ${JSON.stringify(pre.kind)})`,
  );
}
