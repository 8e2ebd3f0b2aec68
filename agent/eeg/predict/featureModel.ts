/**
 * An `eeg-features` model over a recording: THE RECIPE's relative PSD per 4-s epoch (the same
 * code as `medlab eeg features`), one probability row per epoch, and the recording's result as
 * the mean over its epochs with the spread of the positive (or last) label.
 */
import { MedLabError } from '../../errors';
import type { ModelSession } from '../../models/runtime';
import type { EegPrediction } from '../../protocol';
import type { RunContext } from '../../runContext';
import { recordingFeatures } from '../features/recordingFeatures';
import type { Recording } from '../recording';
import { batchProbabilities, columnMeans, spreadOf } from './batchScores';
import type { EegFeaturesPreprocessing } from './eegPreprocessing';

/** Per-epoch probabilities of recipe features (shared by predictions and the CI tests). */
export async function featureProbabilities(
  session: ModelSession,
  spec: EegFeaturesPreprocessing,
  values: Float64Array | Float32Array,
  epochs: number,
  bins: number,
  path?: string,
): Promise<Float32Array> {
  if (bins !== spec.bins) {
    throw new MedLabError(
      'E_MODEL_INPUT',
      `model ${session.manifest.id} takes ${spec.bins} frequency bins per channel, but this recording's ` +
        `sample rate gives ${bins} (the recipe keeps 1-30 Hz in 0.5-Hz steps only when 2·rate is an integer)`,
      { path, field: 'preprocessing.bins' },
    );
  }
  const data = values instanceof Float32Array ? values : Float32Array.from(values);
  return batchProbabilities(session, data, epochs, [spec.channels.length, bins]);
}

export async function predictFeatures(
  recording: Recording,
  session: ModelSession,
  spec: EegFeaturesPreprocessing,
  ctx: RunContext,
): Promise<Omit<EegPrediction, 'model' | 'task' | 'labels'>> {
  const m = session.manifest;
  const k = m.labels.length;
  const f = await recordingFeatures(recording, ctx);
  const n = f.epochs.length;
  if (n === 0) {
    throw new MedLabError(
      'E_EEG_RANGE',
      `no complete ${f.epochSeconds}-s epoch without gaps in ${recording.info.path}`,
      {
        path: recording.info.path,
      },
    );
  }
  const p = await featureProbabilities(session, spec, f.values, n, f.frequencies.length, recording.info.path);
  const focus = m.labels.indexOf(m.positiveLabel ?? m.labels[k - 1]);
  const windows = f.epochs.map((e, i) => ({
    start: e * f.epochSeconds,
    duration: f.epochSeconds,
    probabilities: Array.from(p.subarray(i * k, (i + 1) * k)),
  }));
  return {
    probabilities: columnMeans(p, k),
    windows,
    events: [],
    spread: spreadOf(windows.map((w) => w.probabilities[focus])),
    notes: [
      `${n} of ${f.epochCount} epochs of ${f.epochSeconds} s scored (relative PSD, 19 channels: ` +
        f.channels.map((c) => c.label).join(', ') +
        ')',
      'recording probabilities: mean over epochs; spread: over epochs, of ' + m.labels[focus],
    ],
  };
}
