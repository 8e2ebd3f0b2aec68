/** `medlab eeg info` and `medlab eeg export`: what an EDF/BDF recording holds, and its samples as JSON or CSV. */
import { withRecording } from '../../eeg/edf/edfRecording';
import { exportSignals } from '../../eeg/edf/signalExport';
import { selectSignals } from '../../eeg/edf/signalSelection';
import type { EegAnnotation, EegRecordingInfo } from '../../protocol';
import { optChoice, optList, optNumber } from '../args';
import type { CliIO, Command } from '../command';
import { MedLabError } from '../../errors';

function seconds(t: number): string {
  return `${Number(t.toFixed(6))} s`;
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map(
    (r) =>
      '  ' +
      r
        .map((cell, c) => cell.padEnd(widths[c]))
        .join('  ')
        .trimEnd(),
  );
}

/** Human summary; patient and recording identification are not printed (they stay in --json). */
function printInfo(info: EegRecordingInfo, annotations: readonly EegAnnotation[], io: CliIO): void {
  io.out(info.path);
  io.out(
    `${info.format}, start ${info.startTime}, duration ${seconds(info.duration)} ` +
      `(${info.recordCount} records of ${seconds(info.recordDuration)}), header ${info.headerBytes} bytes`,
  );
  if (info.segments.length > 1) {
    io.out(
      `segments (${info.segments.length}, gaps between them): ` +
        info.segments
          .map((s) => `${Number(s.start.toFixed(6))}-${Number((s.start + s.duration).toFixed(6))} s`)
          .join(', '),
    );
  }
  for (const w of info.warnings) {
    const where = [w.field, w.offset === undefined ? undefined : `byte ${w.offset}`]
      .filter(Boolean)
      .join(', ');
    io.out(`warning: ${w.message}${where && !w.message.includes(`byte ${w.offset}`) ? ` (${where})` : ''}`);
  }
  io.out(`signals (${info.signals.length}):`);
  if (info.signals.length) {
    const rows = [['#', 'label', 'unit', 'rate Hz', 'samples', 'duration s', 'physical range']];
    info.signals.forEach((s, i) =>
      rows.push([
        String(i),
        s.label,
        s.unit,
        String(Number(s.sampleRate.toFixed(6))),
        String(s.sampleCount),
        String(Number((s.sampleCount / s.sampleRate).toFixed(6))),
        `${s.physicalMin} .. ${s.physicalMax}`,
      ]),
    );
    for (const line of table(rows)) io.out(line);
  }
  io.out(`annotations (${annotations.length}):`);
  if (annotations.length) {
    const rows = [['onset s', 'duration s', 'text']];
    for (const a of annotations) rows.push([String(a.onset), a.duration ? String(a.duration) : '', a.text]);
    for (const line of table(rows)) io.out(line);
  }
}

const info: Command = {
  words: ['eeg', 'info'],
  summary: 'header, signals (label, unit, rate, samples, duration) and annotations of an EDF/BDF file',
  positionals: [{ name: 'FILE', description: 'EDF, EDF+C, EDF+D, BDF or BDF+ file' }],
  options: [],
  details:
    'With --json: {info: EegRecordingInfo, annotations: [{onset, duration, text}]}. Patient and recording\n' +
    'identification appear only in the JSON (info.identifiers), never in the human summary.',
  async run(args, io) {
    await withRecording(args.positionals[0], async (rec) => {
      if (io.json) io.out(JSON.stringify({ info: rec.info, annotations: rec.annotations }, null, 2));
      else printInfo(rec.info, rec.annotations, io);
    });
  },
};

const exportCommand: Command = {
  words: ['eeg', 'export'],
  summary: 'physical samples of a time window as JSON or CSV (in the file units)',
  positionals: [{ name: 'FILE', description: 'EDF, EDF+C, EDF+D, BDF or BDF+ file' }],
  options: [
    { name: 'format', type: 'string', valueName: 'json|csv', description: 'output format (default json)' },
    {
      name: 'start',
      type: 'number',
      valueName: 'S',
      description: 'window start, seconds from the recording start (default 0)',
    },
    {
      name: 'duration',
      type: 'number',
      valueName: 'D',
      description: 'window length in seconds (default: to the end)',
    },
    {
      name: 'channels',
      type: 'list',
      valueName: 'A,B',
      commaSeparated: true,
      description: 'signal labels (default: all data signals)',
    },
  ],
  details:
    'JSON: {startTime, start, duration, signals:[{label, unit, sampleRate, data:[...]}], annotations:[{onset, duration, text}]};\n' +
    'samples in EDF+D gaps are null. CSV: time_s then one column per signal; rows are the union of the\n' +
    "signals' sample times (empty cell where a signal has no sample), gap rows left out.\n" +
    'Example: medlab eeg export rec.edf --format csv --start 10 --duration 5 --channels "EEG Fp1,EEG Fp2"',
  async run(args, io) {
    const format = optChoice(args, 'format', ['json', 'csv'] as const) ?? 'json';
    const duration = optNumber(args, 'duration');
    if (duration !== undefined && !(duration >= 0)) {
      throw new MedLabError('E_USAGE', `--duration must not be negative; got ${duration}`, {
        field: 'duration',
      });
    }
    await withRecording(args.positionals[0], async (rec) => {
      const signals = selectSignals(rec.info, optList(args, 'channels'));
      await exportSignals(
        rec,
        { format, start: optNumber(args, 'start'), duration, signals },
        (text) => void process.stdout.write(text),
        io.ctx,
      );
    });
  },
};

export const eegCommands: Command[] = [info, exportCommand];
