/**
 * Rows of the EEG Recordings view: one per EDF/BDF file, described from its header (eeg/open,
 * read by the agent) as duration, channels and sample rate. Pure formatting, unit-tested.
 */
import type { EegRecordingInfo } from '../../agent/protocol';

/** Case-insensitive EDF/BDF glob (VS Code globs match case-sensitively). */
export const EEG_GLOB = '**/*.{[eE][dD][fF],[bB][dD][fF]}';

export function isEegPath(p: string): boolean {
  return /\.(edf|bdf)$/i.test(p);
}

export type HeaderState =
  | { kind: 'pending' }
  | { kind: 'ok'; info: EegRecordingInfo }
  | { kind: 'error'; code: string; message: string };

export interface RecordingRow {
  path: string;
  label: string;
  description: string;
  tooltip: string;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  if (seconds < 120) return `${Number(seconds.toFixed(seconds < 10 ? 2 : 1))} s`;
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h} h ${String(m).padStart(2, '0')} min`;
  return `${m} min ${String(s).padStart(2, '0')} s`;
}

function formatRate(hz: number): string {
  return `${Number(hz.toFixed(hz < 10 ? 3 : 1))} Hz`;
}

/** "256 Hz" when all data signals share a rate, else "1–256 Hz". */
export function formatSampleRates(info: EegRecordingInfo): string {
  const rates = info.signals.map((s) => s.sampleRate).filter((r) => r > 0);
  if (rates.length === 0) return 'no data signals';
  const lo = Math.min(...rates);
  const hi = Math.max(...rates);
  return lo === hi ? formatRate(lo) : `${Number(lo.toFixed(3))}–${formatRate(hi)}`;
}

export function recordingRow(path: string, state: HeaderState, workspaceRelative: string): RecordingRow {
  const label = path.slice(path.replace(/\\/g, '/').lastIndexOf('/') + 1);
  const where = workspaceRelative.includes('/')
    ? workspaceRelative.slice(0, workspaceRelative.lastIndexOf('/'))
    : '';
  if (state.kind === 'pending')
    return { path, label, description: 'reading header…', tooltip: workspaceRelative };
  if (state.kind === 'error') {
    return {
      path,
      label,
      description: `unreadable: ${state.code}`,
      tooltip: `${workspaceRelative}\n${state.message}`,
    };
  }
  const { info } = state;
  const n = info.signals.length;
  const description = `${formatDuration(info.duration)} · ${n} ch · ${formatSampleRates(info)}`;
  // Patient / recording identifiers stay out of the tooltip: it can be screen-shared.
  const tooltip = [
    workspaceRelative,
    `${info.format}, started ${info.startTime.replace('T', ' ')}`,
    `${formatDuration(info.duration)} in ${info.recordCount} records of ${info.recordDuration} s`,
    `${n} data signals, ${formatSampleRates(info)}`,
    `${info.annotationCount} annotations${info.segments.length > 1 ? `, ${info.segments.length} segments (gaps)` : ''}`,
    ...info.warnings.map((w) => `warning: ${w.message}`),
  ].join('\n');
  return { path, label, description: where ? `${description} · ${where}` : description, tooltip };
}
