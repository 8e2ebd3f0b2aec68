/**
 * One page of the viewer (`eeg/window`): the signals of [start, start + duration) through a
 * montage and the filters, optionally reduced to min/max pixel columns. Only the records that
 * overlap the window (plus filter padding) are read, so a page costs the same in any file size.
 */
import { MedLabError } from '../errors';
import type { EegSegment, EegWindow, EegWindowParams, FilterSpec, MontageSpec } from '../protocol';
import { encodeFloat32 } from '../wire';
import { minMaxColumns } from './dsp/decimate';
import {
  applyMontage,
  isEegDerivation,
  planMontage,
  selectDerivations,
  signalsOf,
  type Derivation,
  type MontagePlan,
} from './dsp/montage';
import { checkFilterSpec, filterPadSeconds, filterSections, filterTrace, hasFilters } from './filterChain';
import type { Recording } from './recording';

/** Montage plan for a recording, with the channel selection applied. */
export function montagePlan(
  recording: Recording,
  montage?: MontageSpec,
  channels?: readonly string[],
): MontagePlan {
  return selectDerivations(planMontage(recording.info.signals, montage), channels);
}

/** First sample index at or after time t for a rate, as Recording.readSignals counts. */
function firstSample(t: number, rate: number): number {
  return Math.ceil(t * rate - 1e-6);
}

/**
 * Derivation traces over [start, start + duration) in float64, montage and filters applied.
 * Filters see up to filterPadSeconds of real signal beyond each side (within the recording).
 * Length per derivation: round(duration · rate); NaN where there is no data.
 */
export async function readDerivations(
  recording: Recording,
  plan: MontagePlan,
  start: number,
  duration: number,
  filters?: FilterSpec,
): Promise<Float64Array[]> {
  checkFilterSpec(filters);
  const pad = filterPadSeconds(filters);
  const from = Math.max(0, start - pad);
  const to = Math.min(recording.info.duration, start + duration + pad);
  const readFrom = Math.min(from, start);
  const readDuration = Math.max(to, start + duration) - readFrom;
  const positions = signalsOf(plan);
  const raw = await recording.readSignals(positions, readFrom, readDuration);
  const byPosition = new Map<number, Float32Array>(positions.map((p, i) => [p, raw[i]]));
  const traces = applyMontage(plan, byPosition);
  return plan.derivations.map((d: Derivation, i) => {
    const x = traces[i];
    if (hasFilters(filters) && isEegDerivation(d)) {
      filterTrace(x, filterSections(filters!, d.sampleRate), filters!.zeroPhase !== false);
    }
    const offset = firstSample(start, d.sampleRate) - firstSample(readFrom, d.sampleRate);
    const count = Math.round(duration * d.sampleRate);
    const out = new Float64Array(count).fill(NaN);
    out.set(x.subarray(offset, Math.min(x.length, offset + count)));
    return out;
  });
}

/** The gaps between EDF+D segments that overlap [start, end). */
export function gapsIn(segments: readonly EegSegment[], start: number, end: number): EegSegment[] {
  const gaps: EegSegment[] = [];
  for (let i = 1; i < segments.length; i++) {
    const gapStart = segments[i - 1].start + segments[i - 1].duration;
    const gapEnd = segments[i].start;
    if (gapEnd - gapStart > 1e-9 && gapStart < end && gapEnd > start) {
      gaps.push({ start: gapStart, duration: gapEnd - gapStart });
    }
  }
  return gaps;
}

/** Checks a time window against the recording; E_EEG_RANGE names what is wrong. */
export function checkRange(recording: Recording, start: number, duration: number): void {
  const total = recording.info.duration;
  if (!Number.isFinite(start) || start < 0 || start >= total) {
    throw new MedLabError(
      'E_EEG_RANGE',
      `window start ${start} s lies outside the recording (0 to ${Number(total.toFixed(6))} s)`,
      { path: recording.info.path, field: 'start' },
    );
  }
  if (!Number.isFinite(duration) || !(duration > 0)) {
    throw new MedLabError('E_EEG_RANGE', `window duration must be > 0 s, got ${duration}`, {
      path: recording.info.path,
      field: 'duration',
    });
  }
}

/** `eeg/window` without the path: see EegWindowParams. */
export async function readWindow(
  recording: Recording,
  params: Omit<EegWindowParams, 'path'>,
): Promise<EegWindow> {
  const { start, duration, columns } = params;
  checkRange(recording, start, duration);
  if (columns !== undefined && !(Number.isInteger(columns) && columns >= 1 && columns <= 100000)) {
    throw new MedLabError('E_USAGE', `columns must be an integer from 1 to 100000, got ${columns}`, {
      field: 'columns',
    });
  }
  const plan = montagePlan(recording, params.montage, params.channels);
  const traces = await readDerivations(recording, plan, start, duration, params.filters);
  const end = start + duration;
  const decimated = columns !== undefined;
  return {
    start,
    duration,
    decimated,
    channels: plan.derivations.map((d, i) => {
      const base = { label: d.label, unit: d.unit, sampleRate: d.sampleRate };
      if (!decimated) return { ...base, data: encodeFloat32(Float32Array.from(traces[i])) };
      const { min, max } = minMaxColumns(traces[i], columns);
      return { ...base, data: encodeFloat32(min), max: encodeFloat32(max) };
    }),
    annotations: recording.annotations.filter((a) => a.onset < end && a.onset + a.duration >= start),
    gaps: gapsIn(recording.info.segments, start, end),
  };
}
