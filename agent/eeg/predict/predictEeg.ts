/**
 * `eeg/predict` and `medlab eeg predict`: an EEG model (eeg-window or eeg-features, see
 * eegPreprocessing.ts) over one recording. The model is found and verified by the registry,
 * its EEG preprocessing validated here, and the recording opened through the shared cache.
 */
import { MedLabError } from '../../errors';
import { findModel } from '../../models/registry';
import { getModelSession } from '../../models/runtime';
import type { EegPrediction, MontageSpec } from '../../protocol';
import type { RunContext } from '../../runContext';
import { getRecording } from '../recordingCache';
import { montagePlan } from '../window';
import { eegPreprocessing, EEG_WINDOW_KIND } from './eegPreprocessing';
import { predictFeatures } from './featureModel';
import { predictWindows, windowChannels } from './windowModel';

export interface EegPredictOptions {
  /** Window models: channel labels or electrode names to score (default every EEG channel). */
  channels?: string[];
  /** Window models: montage of the scored channels (default referential, as recorded). */
  montage?: MontageSpec;
}

export async function predictEeg(
  path: string,
  modelId: string,
  ctx: RunContext,
  options: EegPredictOptions = {},
): Promise<EegPrediction> {
  const entry = await findModel(modelId);
  const m = entry.manifest;
  if (!m.task.startsWith('eeg-')) {
    throw new MedLabError('E_USAGE', `model ${m.id} is a ${m.task} model, not an EEG model`, {
      field: 'model',
    });
  }
  const spec = eegPreprocessing(m, entry.manifestPath);
  const recording = await getRecording(path);
  const session = await getModelSession(entry);
  const head = { model: m.id, task: m.task, labels: m.labels };
  if (spec.kind === EEG_WINDOW_KIND) {
    const named = (options.channels?.length ?? 0) > 0;
    const plan = windowChannels(montagePlan(recording, options.montage, options.channels), named);
    return { ...head, ...(await predictWindows(recording, plan, session, spec, ctx)) };
  }
  if (options.channels?.length || options.montage) {
    throw new MedLabError(
      'E_USAGE',
      `model ${m.id} reads the 19 recipe channels with their common average; channels and montage cannot be chosen`,
      { field: options.channels?.length ? 'channels' : 'montage' },
    );
  }
  return { ...head, ...(await predictFeatures(recording, session, spec, ctx)) };
}
