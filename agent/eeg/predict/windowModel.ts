/**
 * An `eeg-window` model over a recording: every selected EEG channel is scored window by
 * window (windowReader), then windows of the event label are merged into events. The
 * recording-level probabilities are the mean over all windows of all channels; the spread is
 * that of the event label (or the last label) over the windows.
 */
import { MedLabError } from '../../errors';
import type { ModelSession } from '../../models/runtime';
import type { EegPrediction } from '../../protocol';
import type { RunContext } from '../../runContext';
import { isEegDerivation, type MontagePlan } from '../dsp/montage';
import type { Recording } from '../recording';
import { batchProbabilities, columnMeans, spreadOf } from './batchScores';
import type { EegWindowPreprocessing } from './eegPreprocessing';
import { mergeEvents, type ScoredWindow } from './windowEvents';
import { readWindows } from './windowReader';

/** The derivations a window model scores: the named ones, else every EEG channel. */
export function windowChannels(plan: MontagePlan, named: boolean): MontagePlan {
  if (named) return plan;
  const eeg = plan.derivations.filter(isEegDerivation);
  if (eeg.length === 0) {
    throw new MedLabError(
      'E_EEG_CHANNEL',
      `no EEG channel in this recording (channels: ${plan.derivations.map((d) => d.label).join(', ')})`,
    );
  }
  return { ...plan, derivations: eeg };
}

/** Index of the label whose spread and events are reported. */
function focusLabel(session: ModelSession, spec: EegWindowPreprocessing): number {
  const m = session.manifest;
  const label = spec.events?.label ?? m.positiveLabel ?? m.labels[m.labels.length - 1];
  return m.labels.indexOf(label);
}

export async function predictWindows(
  recording: Recording,
  plan: MontagePlan,
  session: ModelSession,
  spec: EegWindowPreprocessing,
  ctx: RunContext,
): Promise<Omit<EegPrediction, 'model' | 'task' | 'labels'>> {
  const m = session.manifest;
  const k = m.labels.length;
  const windows: ScoredWindow[] = [];
  const all: Float32Array[] = [];
  const duration = spec.windowSamples / spec.sampleRate;
  await readWindows(recording, plan, spec, ctx, async (batch) => {
    const p = await batchProbabilities(session, batch.data, batch.starts.length, [1, spec.windowSamples]);
    all.push(p);
    batch.starts.forEach((start, w) =>
      windows.push({
        start,
        duration,
        channel: batch.channel,
        probabilities: Array.from(p.subarray(w * k, (w + 1) * k)),
      }),
    );
  });
  const notes = [
    `${windows.length} windows of ${duration.toFixed(2)} s (every ${(spec.hopSamples / spec.sampleRate).toFixed(2)} s) ` +
      `on ${plan.derivations.length} channel(s), each resampled to ${spec.sampleRate} Hz, band-passed and z-scored`,
    'recording probabilities: mean over all windows',
  ];
  if (windows.length === 0) {
    notes.push('no window could be scored (recording shorter than one window, or no finite samples)');
    return { probabilities: new Array<number>(k).fill(NaN), windows, events: [], notes };
  }
  const flat = new Float32Array(windows.length * k);
  let at = 0;
  for (const p of all) {
    flat.set(p, at);
    at += p.length;
  }
  const focus = focusLabel(session, spec);
  const events = spec.events ? mergeEvents(windows, focus, spec.events.label, spec.events.threshold) : [];
  if (spec.events) {
    const hits = windows.filter((w) => w.probabilities[focus] >= spec.events!.threshold).length;
    notes.push(
      `${hits} of ${windows.length} windows (${((100 * hits) / windows.length).toFixed(1)} %) reach ` +
        `${spec.events.label} >= ${spec.events.threshold}; ${events.length} merged event(s)`,
    );
  }
  return {
    probabilities: columnMeans(flat, k),
    windows,
    events,
    spread: spreadOf(windows.map((w) => w.probabilities[focus])),
    notes,
  };
}
