/**
 * `medlab eeg export`: physical samples of a time window as JSON or CSV, written in pieces so
 * memory stays bounded by the piece, not the export. JSON: {startTime, start, duration,
 * signals:[{label, unit, sampleRate, data}], annotations:[{onset, duration, text}]} with null
 * for samples in EDF+D gaps. CSV: a `time_s` column and one column per signal; rows are the
 * union of the signals' sample times (a cell is empty where its signal has no sample then);
 * rows where no signal has data (EDF+D gaps) are left out.
 */
import { MedLabError, throwIfAborted } from '../../errors';
import type { EegAnnotation } from '../../protocol';
import type { Recording } from '../recording';
import type { RunContext } from '../../runContext';

export interface ExportOptions {
  format: 'json' | 'csv';
  /** Seconds from the recording start (default 0). */
  start?: number;
  /** Seconds (default: to the end of the recording). */
  duration?: number;
  /** Indices into `info.signals`. */
  signals: number[];
}

/** Samples per signal read per piece. */
const PIECE_SAMPLES = 1 << 20;

/** Shortest decimal that reads back as the same float32 (7 significant digits usually do). */
export function float32Text(v: number): string {
  if (Number.isNaN(v)) return '';
  for (let p = 7; p < 9; p++) {
    const s = v.toPrecision(p);
    if (Math.fround(Number(s)) === v) return String(Number(s));
  }
  return String(Number(v.toPrecision(9)));
}

function csvCell(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function windowOf(rec: Recording, options: ExportOptions): { start: number; duration: number } {
  const start = options.start ?? 0;
  const duration = options.duration ?? Math.max(0, rec.info.duration - start);
  if (!Number.isFinite(start) || !Number.isFinite(duration) || duration < 0) {
    throw new MedLabError(
      'E_EEG_RANGE',
      `window start ${start} s, duration ${duration} s is not a valid time range`,
    );
  }
  return { start, duration };
}

/** Annotations that overlap [start, end). */
export function annotationsIn(all: readonly EegAnnotation[], start: number, end: number): EegAnnotation[] {
  return all.filter((a) => a.onset < end && (a.onset >= start || a.onset + a.duration > start));
}

export async function exportSignals(
  rec: Recording,
  options: ExportOptions,
  write: (text: string) => void,
  ctx: RunContext,
): Promise<void> {
  const { start, duration } = windowOf(rec, options);
  const openEnded = options.duration === undefined;
  if (options.format === 'json')
    await exportJson(rec, options.signals, start, duration, openEnded, write, ctx);
  else await exportCsv(rec, options.signals, start, duration, write, ctx);
}

async function exportJson(
  rec: Recording,
  signals: number[],
  start: number,
  duration: number,
  openEnded: boolean,
  write: (text: string) => void,
  ctx: RunContext,
): Promise<void> {
  write(
    `{"startTime":${JSON.stringify(rec.info.startTime)},"start":${start},"duration":${duration},"signals":[`,
  );
  for (let n = 0; n < signals.length; n++) {
    const s = rec.info.signals[signals[n]];
    write(
      `${n ? ',' : ''}{"label":${JSON.stringify(s.label)},"unit":${JSON.stringify(s.unit)},"sampleRate":${s.sampleRate},"data":[`,
    );
    const total = Math.round(duration * s.sampleRate);
    const first = Math.ceil(start * s.sampleRate - 1e-6);
    for (let done = 0; done < total;) {
      throwIfAborted(ctx.signal, 'export');
      const count = Math.min(PIECE_SAMPLES, total - done);
      const [x] = await rec.readSignals([signals[n]], (first + done) / s.sampleRate, count / s.sampleRate);
      const parts: string[] = new Array(x.length);
      for (let i = 0; i < x.length; i++) parts[i] = Number.isNaN(x[i]) ? 'null' : float32Text(x[i]);
      write((done ? ',' : '') + parts.join(','));
      done += count;
      ctx.progress({ message: `export ${s.label}`, done, total });
    }
    write(']}');
  }
  // Without --duration the export runs to the end: annotations past the data end come too.
  const end = openEnded ? Infinity : start + duration;
  const notes = annotationsIn(rec.annotations, start, end).map((a) => JSON.stringify(a));
  write(`],"annotations":[${notes.join(',')}]}\n`);
}

async function exportCsv(
  rec: Recording,
  signals: number[],
  start: number,
  duration: number,
  write: (text: string) => void,
  ctx: RunContext,
): Promise<void> {
  const infos = signals.map((i) => rec.info.signals[i]);
  write(
    ['time_s', ...infos.map((s) => csvCell(s.unit ? `${s.label} [${s.unit}]` : s.label))].join(',') + '\n',
  );
  if (infos.length === 0) return;
  const maxRate = Math.max(...infos.map((s) => s.sampleRate));
  const pieceSeconds = Math.max(PIECE_SAMPLES / maxRate / infos.length, 1 / maxRate);
  const firsts = infos.map((s) => Math.ceil(start * s.sampleRate - 1e-6));
  const totals = infos.map((s) => Math.round(duration * s.sampleRate));
  const next = infos.map(() => 0); // samples of each signal written so far
  const end = start + duration;
  for (let t0 = start; t0 < end; t0 += pieceSeconds) {
    throwIfAborted(ctx.signal, 'export');
    const t1 = Math.min(end, t0 + pieceSeconds);
    // Each signal's samples with times in [t0, t1), by sample index (no drift across pieces).
    const upto = infos.map((s, k) =>
      t1 >= end ? totals[k] : Math.min(totals[k], Math.ceil(t1 * s.sampleRate - 1e-6) - firsts[k]),
    );
    const data = await Promise.all(
      infos.map(async (s, k) => {
        const count = upto[k] - next[k];
        if (count <= 0) return new Float32Array(0);
        const [x] = await rec.readSignals(
          [signals[k]],
          (firsts[k] + next[k]) / s.sampleRate,
          count / s.sampleRate,
        );
        return x;
      }),
    );
    const pos = infos.map(() => 0);
    const rows: string[] = [];
    for (;;) {
      let t = Infinity;
      for (let k = 0; k < infos.length; k++) {
        if (pos[k] < data[k].length) t = Math.min(t, (firsts[k] + next[k] + pos[k]) / infos[k].sampleRate);
      }
      if (t === Infinity) break;
      const cells = [float64Time(t)];
      let any = false;
      for (let k = 0; k < infos.length; k++) {
        const tk = (firsts[k] + next[k] + pos[k]) / infos[k].sampleRate;
        if (pos[k] < data[k].length && Math.abs(tk - t) < 1e-9) {
          const v = data[k][pos[k]++];
          any ||= !Number.isNaN(v);
          cells.push(float32Text(v));
        } else cells.push('');
      }
      // Rows inside EDF+D gaps (or past the end) hold no sample at all: leave them out.
      if (any) rows.push(cells.join(','));
    }
    if (rows.length) write(rows.join('\n') + '\n');
    infos.forEach((_, k) => (next[k] += data[k].length));
    ctx.progress({
      message: 'export',
      done: Math.round((t1 - start) * 1000),
      total: Math.round(duration * 1000),
    });
  }
}

function float64Time(t: number): string {
  return String(Number(t.toFixed(9)));
}
