/**
 * A long synthetic recording for benchmarks (band powers over a ~2 GB file, reader throughput):
 * EDF+C, 19 x "EEG <site>-REF" + ECG at 256 Hz, 1-s records, with the script's annotations.
 * Two distinct 60-s cycles of samples/synth/eeg1020.ts are generated once and repeated, so a
 * 2 GB file is written at disk speed; its spectra are those of the two cycles.
 *
 *   const f = await writeLargeRecording(path.join(os.tmpdir(), 'big.edf'), { targetBytes: 2e9 });
 */
import { EdfWriter, type EdfWriterAnnotation, type EdfWriterSignal } from './edf/writer';
import { SITES_1020, SyntheticEeg } from './synth/eeg1020';
import { CYCLE_SECONDS, scriptAnnotations } from './synth/script';

export interface LargeRecordingOptions {
  /** Approximate file size in bytes (default 2 GB). */
  targetBytes?: number;
  seed?: number;
  sampleRate?: number;
}

export interface LargeRecording {
  path: string;
  bytes: number;
  records: number;
  /** Seconds of signal. */
  duration: number;
}

export async function writeLargeRecording(
  file: string,
  options: LargeRecordingOptions = {},
): Promise<LargeRecording> {
  const { targetBytes = 2e9, seed = 7, sampleRate = 256 } = options;
  const eegRange = {
    unit: 'uV',
    physicalMin: -3276.8,
    physicalMax: 3276.7,
    digitalMin: -32768,
    digitalMax: 32767,
  };
  const signals: EdfWriterSignal[] = [
    ...SITES_1020.map((s) => ({ label: `EEG ${s}-REF`, samplesPerRecord: sampleRate, ...eegRange })),
    { label: 'ECG', unit: 'mV', samplesPerRecord: sampleRate, physicalMin: -10, physicalMax: 10 },
  ];
  const annotationBytes = 120;
  const recordBytes = (signals.length * sampleRate + annotationBytes / 2) * 2;
  const block = 2 * CYCLE_SECONDS;
  const blocks = Math.max(1, Math.round(targetBytes / (recordBytes * block)));

  // Digital samples of two cycles, converted once (same rule as EdfWriter.writePhysical).
  const gen = new SyntheticEeg({ sampleRate, seed });
  const physical = gen.next(block * sampleRate);
  const digital = [...physical.eeg, physical.ecg].map((x, i) => {
    const s = signals[i];
    const gain = (s.physicalMax - s.physicalMin) / 65535;
    const out = new Int16Array(x.length);
    for (let k = 0; k < x.length; k++) {
      const d = Math.round((x[k] - s.physicalMin) / gain) - 32768;
      out[k] = d < -32768 ? -32768 : d > 32767 ? 32767 : d;
    }
    return out;
  });
  const notes = scriptAnnotations(seed, 0, block);

  const writer = await EdfWriter.create(file, {
    format: 'EDF+C',
    recordDuration: 1,
    signals,
    start: { year: 2024, month: 1, day: 1, hour: 8, minute: 0, second: 0 },
    annotationBytesPerRecord: annotationBytes,
  });
  try {
    for (let b = 0; b < blocks; b++) {
      const annotations: EdfWriterAnnotation[] = notes.map((a) => ({ ...a, onset: a.onset + b * block }));
      await writer.writeDigital(digital, { annotations });
    }
  } finally {
    await writer.close();
  }
  const records = blocks * block;
  return {
    path: file,
    bytes: 256 * (signals.length + 2) + records * recordBytes,
    records,
    duration: records,
  };
}
