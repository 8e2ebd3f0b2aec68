/**
 * The relative-PSD recipe over a whole recording, the path every user file takes (and the
 * EEG models' training data too): recipe channels by name, samples read epoch-aligned in
 * chunks of about a minute (memory stays bounded for any file length), relativePsd per chunk.
 * Epochs are counted from time 0 of the recording on its time axis; with EDF+D, samples in
 * gaps are NaN, so an epoch that touches a gap is dropped (MNE would splice across the gap).
 */
import { throwIfAborted } from '../../errors';
import { silentContext, type RunContext } from '../../runContext';
import type { Recording } from '../recording';
import { matchRecipeChannels, type RecipeChannel } from './recipeChannels';
import { recipeGeometry, relativePsd } from './relativePsd';

/** Target seconds of signal read at once. */
const CHUNK_SECONDS = 60;

export interface RecordingFeatures {
  sampleRate: number;
  /** Samples per channel on the recording's time axis (gaps included). */
  sampleCount: number;
  channels: RecipeChannel[];
  frequencies: number[];
  /** Epoch length in seconds (round(4·fs) / fs). */
  epochSeconds: number;
  /** Epochs on the time axis (floor(sampleCount / epoch length)). */
  epochCount: number;
  /** Kept epoch indices; epoch e starts at e·epochSeconds. */
  epochs: number[];
  /** Row-major [epochs.length, 19, frequencies.length], float64. */
  values: Float64Array;
}

export async function recordingFeatures(
  recording: Recording,
  ctx: RunContext = silentContext(),
): Promise<RecordingFeatures> {
  const { info } = recording;
  const channels = matchRecipeChannels(info.signals, info.path);
  const fs = info.signals[channels[0].signal].sampleRate;
  const { epochLength, frequencies } = recipeGeometry(fs);
  const sampleCount = Math.round(info.duration * fs);
  const epochCount = Math.floor(sampleCount / epochLength);
  const perChunk = Math.max(1, Math.round((CHUNK_SECONDS * fs) / epochLength));
  const rows: Float64Array[] = [];
  const epochs: number[] = [];
  const positions = channels.map((c) => c.signal);
  for (let e0 = 0; e0 < epochCount; e0 += perChunk) {
    throwIfAborted(ctx.signal, 'feature extraction');
    const n = Math.min(perChunk, epochCount - e0);
    const data = await recording.readSignals(positions, (e0 * epochLength) / fs, (n * epochLength) / fs);
    const part = relativePsd(data, fs, e0);
    rows.push(part.values);
    epochs.push(...part.epochs);
    ctx.progress({ done: e0 + n, total: epochCount, message: 'relative PSD per epoch' });
  }
  const values = new Float64Array(rows.reduce((a, r) => a + r.length, 0));
  let at = 0;
  for (const r of rows) {
    values.set(r, at);
    at += r.length;
  }
  return {
    sampleRate: fs,
    sampleCount,
    channels,
    frequencies,
    epochSeconds: epochLength / fs,
    epochCount,
    epochs,
    values,
  };
}
