/**
 * `eeg/spectrum` and `eeg/bands`: Welch PSD per derivation over a time range (default: the
 * whole recording), streamed in chunks of about two minutes so that memory stays bounded for
 * any file size (a 2 GB recording never sits in memory). Chunks are whole data records long,
 * so every signal's chunk holds an integral number of samples and chunk after chunk is exactly
 * the continuous signal; the Welch accumulator carries segments across chunk borders.
 * With filters, each chunk is filtered with real signal padding on both sides (as a viewer page).
 */
import { MedLabError, throwIfAborted } from '../errors';
import type { EegBands, EegSpectrumParams } from '../protocol';
import { silentContext, type RunContext } from '../runContext';
import { bandPowers, DEFAULT_BANDS, type Band } from './dsp/bands';
import { isEegDerivation, type MontagePlan } from './dsp/montage';
import { WelchAccumulator, type PowerSpectrum } from './dsp/welch';
import type { Recording } from './recording';
import { checkRange, montagePlan, readDerivations } from './window';

/** Seconds of signal per chunk (rounded up to whole records). */
const CHUNK_SECONDS = 120;
export const DEFAULT_SEGMENT_SECONDS = 2;

export interface ChannelSpectrum extends PowerSpectrum {
  label: string;
  /** Unit of the samples (the PSD is in unit²/Hz). */
  unit: string;
  sampleRate: number;
}

export interface SpectrumResult {
  start: number;
  duration: number;
  segmentSeconds: number;
  channels: ChannelSpectrum[];
}

/** Derivations of the request: the named ones, or else every EEG derivation of the montage. */
function spectrumPlan(recording: Recording, params: Omit<EegSpectrumParams, 'path'>): MontagePlan {
  const plan = montagePlan(recording, params.montage, params.channels);
  if (params.channels?.length) return plan;
  const eeg = plan.derivations.filter(isEegDerivation);
  if (eeg.length === 0) {
    throw new MedLabError(
      'E_EEG_CHANNEL',
      'the recording has no EEG channel; name channels with "channels"',
      {
        path: recording.info.path,
      },
    );
  }
  return { ...plan, derivations: eeg };
}

/** Welch spectra of the derivations over the requested range. */
export async function computeSpectrum(
  recording: Recording,
  params: Omit<EegSpectrumParams, 'path'>,
  ctx: RunContext = silentContext(),
): Promise<SpectrumResult> {
  const start = params.start ?? 0;
  const duration = params.duration ?? recording.info.duration - start;
  checkRange(recording, start, duration);
  const segmentSeconds = params.segmentSeconds ?? DEFAULT_SEGMENT_SECONDS;
  if (!(segmentSeconds > 0) || !Number.isFinite(segmentSeconds)) {
    throw new MedLabError('E_DSP', `Welch segment length must be > 0 s, got ${segmentSeconds}`, {
      field: 'segmentSeconds',
    });
  }
  const plan = spectrumPlan(recording, params);
  const accumulators = plan.derivations.map((d) => {
    const segmentLength = Math.round(segmentSeconds * d.sampleRate);
    if (segmentLength < 2) {
      throw new MedLabError(
        'E_DSP',
        `${d.label}: a ${segmentSeconds}-s segment at ${d.sampleRate} Hz is under 2 samples`,
      );
    }
    return new WelchAccumulator(d.sampleRate, { segmentLength });
  });
  const record = recording.info.recordDuration > 0 ? recording.info.recordDuration : 1;
  const chunk = record * Math.max(1, Math.ceil(CHUNK_SECONDS / record));
  const end = start + duration;
  const total = Math.ceil(duration / chunk);
  for (let i = 0; i < total; i++) {
    throwIfAborted(ctx.signal, 'spectrum');
    const t0 = start + i * chunk;
    const len = Math.min(chunk, end - t0);
    const traces = await readDerivations(recording, plan, t0, len, params.filters);
    traces.forEach((x, c) => accumulators[c].push(x));
    ctx.progress({ done: i + 1, total, message: 'Welch spectrum' });
  }
  return {
    start,
    duration,
    segmentSeconds,
    channels: plan.derivations.map((d, c) => ({
      label: d.label,
      unit: d.unit,
      sampleRate: d.sampleRate,
      ...accumulators[c].result(),
    })),
  };
}

/** Power unit of a sample unit: "uV" -> "uV²". */
export function powerUnit(unit: string): string {
  return unit ? `${unit}²` : '';
}

/** Absolute (unit²) and relative band powers per derivation (`eeg/bands`). */
export async function computeBands(
  recording: Recording,
  params: Omit<EegSpectrumParams, 'path'>,
  ctx: RunContext = silentContext(),
  bands: readonly Band[] = DEFAULT_BANDS,
): Promise<EegBands & { start: number; duration: number; segments: number[] }> {
  const s = await computeSpectrum(recording, params, ctx);
  const units = new Set(s.channels.map((c) => powerUnit(c.unit)));
  return {
    unit: units.size === 1 ? [...units][0] : 'mixed',
    start: s.start,
    duration: s.duration,
    segments: s.channels.map((c) => c.segments),
    channels: s.channels.map((c) => ({
      label: c.label,
      unit: powerUnit(c.unit),
      bands: bandPowers(c.frequencies, c.psd, bands),
    })),
  };
}
