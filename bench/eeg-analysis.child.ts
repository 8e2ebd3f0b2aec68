/**
 * Child process of eeg-analysis.bench.ts, so that peak memory (maxRSS) is this job's alone.
 *   node --import tsx bench/eeg-analysis.child.ts read|bands|features FILE
 * Prints one JSON line: {ms, maxRssMB, ...}.
 */
import { openRecording } from '../agent/eeg/edf/edfRecording';
import { recordingFeatures } from '../agent/eeg/features/recordingFeatures';
import { computeBands } from '../agent/eeg/spectrum';

async function main(): Promise<void> {
  const [mode, file] = process.argv.slice(2);
  const rec = await openRecording(file);
  const idleMB = process.resourceUsage().maxRSS / 1024;
  const t0 = process.hrtime.bigint();
  let detail: Record<string, number | string> = {};
  if (mode === 'read') {
    // Baseline: every sample of the 19 EEG channels through the reader, in the same 2-min chunks.
    const eeg = rec.info.signals.map((_, i) => i).slice(0, 19);
    let samples = 0;
    for (let t = 0; t < rec.info.duration; t += 120) {
      const x = await rec.readSignals(eeg, t, Math.min(120, rec.info.duration - t));
      samples += x.reduce((a, s) => a + s.length, 0);
    }
    detail = { samples };
  } else if (mode === 'bands') {
    const b = await computeBands(rec, {});
    const o1 = b.channels.find((c) => c.label.includes('O1'))!;
    detail = { channels: b.channels.length, segments: b.segments[0], o1Alpha: o1.bands[2].relative };
  } else if (mode === 'features') {
    const f = await recordingFeatures(rec);
    detail = { epochs: f.epochs.length };
  } else throw new Error(`unknown mode ${mode}`);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  await rec.close();
  process.stdout.write(
    JSON.stringify({ ms, maxRssMB: process.resourceUsage().maxRSS / 1024, idleMB, ...detail }) + '\n',
  );
}

void main();
