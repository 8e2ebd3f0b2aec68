/** `medlab eeg predict FILE --model ID`: an EEG model over one recording. */
import { predictEeg } from '../../eeg/predict/predictEeg';
import { MedLabError } from '../../errors';
import type { EegPrediction } from '../../protocol';
import { optChoice, optFlag, optList, optString } from '../args';
import type { Command } from '../command';

function pct(p: number): string {
  return Number.isFinite(p) ? `${(100 * p).toFixed(1)} %` : 'n/a';
}

function textLines(file: string, r: EegPrediction, allWindows: boolean): string[] {
  const lines = [
    `${file}: model ${r.model} (${r.task}) — research use only, not for clinical use`,
    `recording: ${r.labels.map((l, i) => `${l} ${pct(r.probabilities[i])}`).join(', ')}`,
  ];
  if (r.spread) {
    lines.push(
      `spread over ${r.windows.length} ${r.task === 'eeg-recording-classification' ? 'epochs' : 'windows'}: ` +
        `sd ${r.spread.std.toFixed(3)}, quartiles ${r.spread.q25.toFixed(3)}-${r.spread.q75.toFixed(3)}`,
    );
  }
  for (const n of r.notes) lines.push(`note: ${n}`);
  if (r.events.length) lines.push(`events (${r.events.length}):`);
  for (const e of r.events) {
    lines.push(
      `  ${e.start.toFixed(2)}-${(e.start + e.duration).toFixed(2)} s  ${e.label}  max ${e.probability.toFixed(3)}` +
        (e.channels?.length ? `  channels ${e.channels.join(', ')}` : ''),
    );
  }
  const shown = allWindows ? r.windows : r.windows.slice(0, 20);
  if (shown.length) {
    lines.push(['start_s', 'duration_s', 'channel', ...r.labels].join('\t'));
    for (const w of shown) {
      lines.push(
        [
          w.start.toFixed(3),
          w.duration.toFixed(3),
          w.channel ?? '',
          ...w.probabilities.map((p) => p.toFixed(4)),
        ].join('\t'),
      );
    }
    if (shown.length < r.windows.length)
      lines.push(`... ${r.windows.length - shown.length} more (--all-windows, or --json)`);
  }
  return lines;
}

const predict: Command = {
  words: ['eeg', 'predict'],
  summary: 'run an EEG model over a recording: per-window/epoch probabilities, the recording result, events',
  positionals: [{ name: 'FILE', description: 'EDF, EDF+C, EDF+D, BDF or BDF+ file' }],
  options: [
    { name: 'model', type: 'string', valueName: 'ID', description: 'EEG model id (see medlab models)' },
    {
      name: 'channels',
      type: 'list',
      valueName: 'A,B',
      commaSeparated: true,
      description: 'window models: channels to score (default every EEG channel)',
    },
    {
      name: 'montage',
      type: 'string',
      valueName: 'referential|average|bipolar',
      description: 'window models: montage of the scored channels (default referential)',
    },
    { name: 'all-windows', type: 'boolean', description: 'text output: list every window, not the first 20' },
  ],
  details:
    'Window models (eeg-window: e.g. eeg-seizure-bonn) score each EEG channel alone: resampled to the\n' +
    "model's rate, band-passed, cut into windows, z-scored; windows of the event label are merged into\n" +
    'events. Feature models (eeg-features: e.g. eeg-ad-screen) score the relative-PSD recipe per 4-s\n' +
    'epoch; the recording result is the mean over epochs, with the spread. Research use only.\n' +
    'Example: medlab eeg predict rec.edf --model eeg-seizure-bonn --json',
  async run(args, io) {
    const file = args.positionals[0];
    const model = optString(args, 'model');
    if (!model)
      throw new MedLabError('E_USAGE', '--model ID is required (see medlab models)', { field: 'model' });
    const montage = optChoice(args, 'montage', ['referential', 'average', 'bipolar'] as const);
    const result = await predictEeg(file, model, io.ctx, {
      channels: optList(args, 'channels'),
      montage: montage ? { kind: montage } : undefined,
    });
    if (io.json) return io.out(JSON.stringify(result));
    for (const line of textLines(file, result, optFlag(args, 'all-windows'))) io.out(line);
  },
};

export const eegPredictCommands: Command[] = [predict];
