/** `medlab eeg bands` and `medlab eeg features`: band powers and the relative-PSD recipe of a recording. */
import * as fs from 'node:fs/promises';
import { withRecording } from '../../eeg/edf/edfRecording';
import { recordingFeatures, type RecordingFeatures } from '../../eeg/features/recordingFeatures';
import { computeBands } from '../../eeg/spectrum';
import { MedLabError, fromFsError } from '../../errors';
import type { FilterSpec, MontageSpec } from '../../protocol';
import { optChoice, optList, optNumber, optPositive, optString } from '../args';
import type { Command, ParsedArgs } from '../command';

function montageOption(args: ParsedArgs): MontageSpec | undefined {
  const kind = optChoice(args, 'montage', ['referential', 'average', 'bipolar'] as const);
  return kind ? { kind } : undefined;
}

function filterOptions(args: ParsedArgs): FilterSpec | undefined {
  const notch = optChoice(args, 'notch', ['50', '60'] as const);
  const spec: FilterSpec = {
    highpass: optPositive(args, 'highpass'),
    lowpass: optPositive(args, 'lowpass'),
    notch: notch ? (Number(notch) as 50 | 60) : undefined,
  };
  return spec.highpass || spec.lowpass || spec.notch ? spec : undefined;
}

const FILE = { name: 'FILE', description: 'EDF, EDF+C, EDF+D, BDF or BDF+ file' };

function fmt(v: number, digits = 4): string {
  if (!Number.isFinite(v)) return 'NaN';
  return Math.abs(v) >= 1e5 || (v !== 0 && Math.abs(v) < 1e-3)
    ? v.toExponential(digits - 1)
    : v.toFixed(digits - 1);
}

const bands: Command = {
  words: ['eeg', 'bands'],
  summary: 'absolute and relative band powers per channel (delta, theta, alpha, beta, gamma; Welch PSD)',
  positionals: [FILE],
  options: [
    { name: 'start', type: 'number', valueName: 'S', description: 'range start in seconds (default 0)' },
    {
      name: 'duration',
      type: 'number',
      valueName: 'D',
      description: 'range length in seconds (default: to the end)',
    },
    {
      name: 'channels',
      type: 'list',
      valueName: 'A,B',
      commaSeparated: true,
      description: 'channel labels or electrode names (default: every EEG channel)',
    },
    {
      name: 'montage',
      type: 'string',
      valueName: 'referential|average|bipolar',
      description: 'montage (default referential; bipolar = double banana)',
    },
    {
      name: 'highpass',
      type: 'number',
      valueName: 'HZ',
      description: 'high-pass corner (4th-order Butterworth)',
    },
    {
      name: 'lowpass',
      type: 'number',
      valueName: 'HZ',
      description: 'low-pass corner (4th-order Butterworth)',
    },
    { name: 'notch', type: 'string', valueName: '50|60', description: 'mains notch (and harmonics)' },
    {
      name: 'segment',
      type: 'number',
      valueName: 'S',
      description: 'Welch segment length in seconds (default 2)',
    },
  ],
  details:
    'Welch PSD (periodic Hann, 50 % overlap, density scaling) over the range, streamed in chunks so any file\n' +
    'size fits in memory. Bands: delta 1-4, theta 4-8, alpha 8-13, beta 13-30, gamma 30-45 Hz (low edge\n' +
    'included, high edge excluded). Absolute power in unit² (sum of PSD x bin width); relative = share of\n' +
    'the 1-45 Hz total. Segments holding a gap (EDF+D) are left out.\n' +
    'Example: medlab eeg bands rec.edf --montage average --start 60 --duration 120 --channels O1,O2',
  async run(args, io) {
    await withRecording(args.positionals[0], async (rec) => {
      const b = await computeBands(
        rec,
        {
          start: optNumber(args, 'start'),
          duration: optPositive(args, 'duration'),
          channels: optList(args, 'channels'),
          montage: montageOption(args),
          filters: filterOptions(args),
          segmentSeconds: optPositive(args, 'segment'),
        },
        io.ctx,
      );
      if (io.json) return io.out(JSON.stringify(b, null, 2));
      io.out(
        `${rec.info.path}: ${Number(b.start.toFixed(6))}-${Number((b.start + b.duration).toFixed(6))} s, ` +
          `absolute power in ${b.unit || 'unit²'} (relative % of 1-45 Hz)`,
      );
      const names = b.channels[0]?.bands.map((x) => `${x.band} ${x.low}-${x.high}`) ?? [];
      const rows = [['channel', ...names, 'segments']];
      b.channels.forEach((c, i) =>
        rows.push([
          c.label,
          ...c.bands.map((x) => `${fmt(x.absolute)} (${(100 * x.relative).toFixed(1)}%)`),
          String(b.segments[i]),
        ]),
      );
      const widths = rows[0].map((_, k) => Math.max(...rows.map((r) => r[k].length)));
      for (const r of rows)
        io.out(
          '  ' +
            r
              .map((cell, k) => cell.padEnd(widths[k]))
              .join('  ')
              .trimEnd(),
        );
    });
  },
};

function featuresJson(file: string, f: RecordingFeatures): object {
  const nCh = f.channels.length;
  const nBins = f.frequencies.length;
  return {
    recipe:
      'relative Welch PSD, 1-30 Hz, per 4-s epoch and channel (eeg-clinical/ad-cn-adfsu README, THE RECIPE)',
    file,
    sampleRate: f.sampleRate,
    sampleCount: f.sampleCount,
    epochSeconds: f.epochSeconds,
    epochCount: f.epochCount,
    keptEpochs: f.epochs,
    channels: f.channels,
    frequencies: f.frequencies,
    shape: [f.epochs.length, nCh, nBins],
    features: f.epochs.map((_, e) =>
      Array.from({ length: nCh }, (_, c) =>
        Array.from(f.values.subarray((e * nCh + c) * nBins, (e * nCh + c + 1) * nBins)),
      ),
    ),
  };
}

const features: Command = {
  words: ['eeg', 'features'],
  summary: 'the relative-PSD recipe: per 4-s epoch, 19 channels x 59 bins (1-30 Hz), and the channel mapping',
  positionals: [FILE],
  options: [
    {
      name: 'f32',
      type: 'string',
      valueName: 'PATH',
      description: 'also write the matrix as float32 little-endian [epochs, 19, bins] to PATH',
    },
  ],
  details:
    'Channels Fp1 Fp2 F7 F3 Fz F4 F8 T3 C3 Cz C4 T4 T5 P3 Pz P4 T6 O1 O2 are found by name ("EEG Fp1-REF",\n' +
    'T7/T8/P7/P8 for T3/T4/T5/T6); common average of the 19; 4-s epochs from 0; Welch with 2-s periodic-Hann\n' +
    'segments, 50 % overlap; bins 1.0-30.0 Hz; each channel divided by its sum. Epochs with a gap are dropped.\n' +
    'Text output: the mapping, then one tab-separated row per epoch and channel. --json: {sampleRate,\n' +
    'epochCount, keptEpochs, channels:[{name,label,signal}], frequencies, shape, features[epoch][channel][bin]}.',
  async run(args, io) {
    const file = args.positionals[0];
    await withRecording(file, async (rec) => {
      const f = await recordingFeatures(rec, io.ctx);
      const out = optString(args, 'f32');
      if (out !== undefined) {
        const buf = Buffer.from(Float32Array.from(f.values).buffer);
        try {
          await fs.writeFile(out, buf);
        } catch (e) {
          throw fromFsError(e, out);
        }
      }
      if (io.json) return io.out(JSON.stringify(featuresJson(file, f)));
      if (f.epochs.length === 0) {
        throw new MedLabError('E_EEG_RANGE', `no complete 4-s epoch without gaps in ${file}`, { path: file });
      }
      io.out(
        `${file}: ${f.sampleRate} Hz, ${f.epochs.length} of ${f.epochCount} epochs of ${f.epochSeconds} s kept, ` +
          `${f.channels.length} channels x ${f.frequencies.length} bins (${f.frequencies[0]}-${f.frequencies.at(-1)} Hz)`,
      );
      io.out('channels: ' + f.channels.map((c) => `${c.name}=${JSON.stringify(c.label)}`).join(' '));
      io.out(['epoch', 'start_s', 'channel', ...f.frequencies.map((hz) => `${hz}Hz`)].join('\t'));
      const nCh = f.channels.length;
      const nBins = f.frequencies.length;
      f.epochs.forEach((epoch, e) => {
        for (let c = 0; c < nCh; c++) {
          const row = f.values.subarray((e * nCh + c) * nBins, (e * nCh + c + 1) * nBins);
          io.out(
            [
              epoch,
              Number((epoch * f.epochSeconds).toFixed(6)),
              f.channels[c].name,
              ...Array.from(row, (v) => v.toFixed(6)),
            ].join('\t'),
          );
        }
      });
    });
  },
};

export const eegAnalysisCommands: Command[] = [bands, features];
