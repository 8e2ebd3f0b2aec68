/**
 * Model windows of a whole recording for an `eeg-window` model, channel by channel, with
 * bounded memory: each contiguous segment (EDF+D has several) is read in chunks of
 * CHUNK_SECONDS plus MARGIN_SECONDS of real signal on each side, so that resampling and the
 * zero-phase filter see the same neighbourhood they would in one pass. A segment shorter than a
 * chunk is processed in one piece, exactly as training processed its segments.
 *
 * Windows sit on a grid per segment: start = first sample of the segment + k·hop (in model
 * samples). A chunk is read from a time where the input and model sample grids coincide (every
 * `down` input samples of the polyphase ratio, 100 s for 500 -> 173.61 Hz), so chunked windows
 * fall on the very samples of one-piece processing. Samples that are not finite (dropouts) split
 * a chunk into runs, each processed on its own (nearest-sample alignment); a window must lie
 * inside one run.
 */
import { throwIfAborted } from '../../errors';
import type { RunContext } from '../../runContext';
import type { MontagePlan } from '../dsp/montage';
import { resampleRatio } from '../dsp/resample';
import type { Recording } from '../recording';
import { readDerivations } from '../window';
import type { EegWindowPreprocessing } from './eegPreprocessing';
import { filteredRun, zscoreWindows } from './windowSignal';

export const CHUNK_SECONDS = 600;
export const MARGIN_SECONDS = 30;

export interface WindowBatch {
  channel: string;
  /** Start of each window in seconds from the recording start. */
  starts: number[];
  /** [starts.length × windowSamples] z-scored samples. */
  data: Float32Array;
}

/** Runs of finite samples in x: [begin, end) index pairs. */
export function finiteRuns(x: ArrayLike<number>): [number, number][] {
  const runs: [number, number][] = [];
  let begin = -1;
  for (let i = 0; i <= x.length; i++) {
    const ok = i < x.length && Number.isFinite(x[i]);
    if (ok && begin < 0) begin = i;
    if (!ok && begin >= 0) {
      runs.push([begin, i]);
      begin = -1;
    }
  }
  return runs;
}

interface Grid {
  /** Time of window 0 of this segment (its first sample). */
  origin: number;
  /** Seconds between windows. */
  hop: number;
}

/**
 * Windows of one derivation over one read chunk: `x` starts at time `t0` (its sample 0),
 * sampled at `rate`. Only windows whose start lies in [coreStart, coreEnd) are kept.
 */
function chunkWindows(
  x: Float64Array,
  t0: number,
  rate: number,
  spec: EegWindowPreprocessing,
  grid: Grid,
  coreStart: number,
  coreEnd: number,
): { starts: number[]; data: Float32Array } {
  const starts: number[] = [];
  const parts: Float32Array[] = [];
  const W = spec.windowSamples;
  for (const [b, e] of finiteRuns(x)) {
    const y = filteredRun(x.subarray(b, e), rate, spec);
    if (!y) continue;
    const runStart = t0 + b / rate;
    const idx: number[] = [];
    const kFirst = Math.max(0, Math.ceil((Math.max(coreStart, runStart) - grid.origin) / grid.hop - 1e-9));
    for (let k = kFirst; ; k++) {
      const t = grid.origin + k * grid.hop;
      if (t >= coreEnd - 1e-9) break;
      const j = Math.round((t - runStart) * spec.sampleRate);
      if (j < 0) continue;
      if (j + W > y.length) break;
      idx.push(j);
      starts.push(t);
    }
    if (idx.length) parts.push(zscoreWindows(y, idx, W, spec.minStd));
  }
  const data = new Float32Array(starts.length * W);
  let at = 0;
  for (const p of parts) {
    data.set(p, at);
    at += p.length;
  }
  return { starts, data };
}

/** First sample index at or after time t, as Recording.readSignals counts. */
function firstSampleTime(t: number, rate: number): number {
  return Math.ceil(t * rate - 1e-6) / rate;
}

/** Seconds between instants where the input and model sample grids coincide. */
function gridPeriod(rate: number, modelRate: number): number {
  if (rate === modelRate) return 1 / rate;
  return resampleRatio(rate, modelRate).down / rate;
}

/** Derivations grouped by sample rate (each group is read and resampled together). */
function byRate(plan: MontagePlan): MontagePlan[] {
  const groups = new Map<number, MontagePlan>();
  for (const d of plan.derivations) {
    const g = groups.get(d.sampleRate) ?? { derivations: [], averageOf: plan.averageOf };
    g.derivations.push(d);
    groups.set(d.sampleRate, g);
  }
  return [...groups.values()];
}

/**
 * Calls `onBatch` with the windows of every derivation of `plan`, chunk by chunk, in time
 * order within each chunk. Reports progress in seconds of recording processed.
 */
export async function readWindows(
  recording: Recording,
  plan: MontagePlan,
  spec: EegWindowPreprocessing,
  ctx: RunContext,
  onBatch: (batch: WindowBatch) => Promise<void>,
): Promise<void> {
  const { segments, duration } = recording.info;
  const hop = spec.hopSamples / spec.sampleRate;
  const span = spec.windowSamples / spec.sampleRate;
  const groups = byRate(plan);
  let done = 0;
  for (const seg of segments) {
    const segEnd = seg.start + seg.duration;
    for (let coreStart = seg.start; coreStart < segEnd - 1e-9; coreStart += CHUNK_SECONDS) {
      throwIfAborted(ctx.signal, 'EEG prediction');
      const coreEnd = Math.min(segEnd, coreStart + CHUNK_SECONDS);
      for (const group of groups) {
        const rate = group.derivations[0].sampleRate;
        const origin = firstSampleTime(seg.start, rate);
        const period = gridPeriod(rate, spec.sampleRate);
        let from = Math.max(seg.start, coreStart - MARGIN_SECONDS);
        // Back to the previous common grid point, when the grids meet at least every half chunk.
        if (period <= CHUNK_SECONDS / 2)
          from = Math.max(origin, origin + Math.floor((from - origin) / period + 1e-9) * period);
        const to = Math.min(segEnd, coreEnd + span + MARGIN_SECONDS);
        const traces = await readDerivations(recording, group, from, to - from);
        const grid = { origin, hop };
        for (const [i, d] of group.derivations.entries()) {
          const w = chunkWindows(
            traces[i],
            firstSampleTime(from, rate),
            rate,
            spec,
            grid,
            coreStart,
            coreEnd,
          );
          if (w.starts.length) await onBatch({ channel: d.label, ...w });
        }
      }
      done += coreEnd - coreStart;
      ctx.progress({ done: Math.round(done), total: Math.round(duration), message: 'seconds scored' });
    }
  }
}
