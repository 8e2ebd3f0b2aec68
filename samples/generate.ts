/**
 * `npm run samples`: writes realistic synthetic recordings to samples/out/ (or the folder given
 * as argument) for the demo, the tests and anyone trying MedLab without patient data:
 * - eeg1020_alpha_artefacts.edf  EDF+C, 5 min, 19 x "EEG Fp1-REF" at 256 Hz + ECG, annotations;
 * - eeg1020_gaps.edf             EDF+D, three segments with gaps, "EEG T7-LE" (modern names);
 * - eeg1020_alpha.bdf            BDF+C, 1 min, 24-bit at 512 Hz, plain labels ("O1"), 60 Hz mains.
 * The signals (samples/synth/eeg1020.ts) and their timing (samples/synth/script.ts) come from a
 * seeded PRNG: every run writes the same bytes. index.json describes what each file holds.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import {
  EdfWriter,
  type EdfWriterAnnotation,
  type EdfWriterFormat,
  type EdfWriterSignal,
} from './edf/writer';
import { SITES_1020, SyntheticEeg } from './synth/eeg1020';
import { scriptAnnotations } from './synth/script';

export interface SampleFile {
  name: string;
  format: EdfWriterFormat;
  description: string;
  sampleRate: number;
  /** Seconds on the time axis (gaps included). */
  duration: number;
  /** Stretches of data, [start, end) seconds. */
  segments: [number, number][];
  labels: string[];
  annotations: number;
}

const MODERN: Record<string, string> = { T3: 'T7', T4: 'T8', T5: 'P7', T6: 'P8' };
const START = { year: 2024, month: 3, day: 14, hour: 9, minute: 30, second: 0 };

interface Spec {
  name: string;
  format: EdfWriterFormat;
  description: string;
  seed: number;
  sampleRate: number;
  lineHz: 50 | 60;
  label: (site: string) => string;
  eeg: Pick<EdfWriterSignal, 'unit' | 'physicalMin' | 'physicalMax'>;
  segments: [number, number][];
  extraAnnotations: EdfWriterAnnotation[];
}

const EDF_UV = { unit: 'uV', physicalMin: -3276.8, physicalMax: 3276.7 };
const BDF_UV = { unit: 'uV', physicalMin: -262144, physicalMax: 262143.96875 };

const SPECS: Spec[] = [
  {
    name: 'eeg1020_alpha_artefacts.edf',
    format: 'EDF+C',
    description:
      '5 min resting EEG: eyes closed/open every 30 s (posterior alpha), blinks, muscle bursts on T3/T4, ' +
      'an electrode pop on C3, 50 Hz mains (strongest at T6), ECG',
    seed: 1020,
    sampleRate: 256,
    lineHz: 50,
    label: (s) => `EEG ${s}-REF`,
    eeg: EDF_UV,
    segments: [[0, 300]],
    extraAnnotations: [{ onset: 0.5, text: 'Recording start – patient awake, électrodes vérifiées' }],
  },
  {
    name: 'eeg1020_gaps.edf',
    format: 'EDF+D',
    description:
      'EDF+D with two pauses (60-75 s and 135-150.5 s); modern 10-20 names with linked-ear reference',
    seed: 2024,
    sampleRate: 256,
    lineHz: 50,
    label: (s) => `EEG ${MODERN[s] ?? s}-LE`,
    eeg: EDF_UV,
    segments: [
      [0, 60],
      [75, 135],
      [150.5, 200.5],
    ],
    extraAnnotations: [
      { onset: 60, text: 'Recording paused' },
      { onset: 75, text: 'Recording resumed' },
      { onset: 135, text: 'Recording paused' },
      { onset: 150.5, text: 'Recording resumed' },
    ],
  },
  {
    name: 'eeg1020_alpha.bdf',
    format: 'BDF+C',
    description: '1 min, 24-bit BioSemi-style BDF+ at 512 Hz, plain electrode labels, 60 Hz mains',
    seed: 512,
    sampleRate: 512,
    lineHz: 60,
    label: (s) => s,
    eeg: BDF_UV,
    segments: [[0, 60]],
    extraAnnotations: [],
  },
];

/** Seconds per block written at once (whole 1-s records). */
const BLOCK_SECONDS = 10;

async function writeSample(dir: string, spec: Spec): Promise<SampleFile> {
  const fs_ = spec.sampleRate;
  const signals: EdfWriterSignal[] = [
    ...SITES_1020.map((s) => ({
      label: spec.label(s),
      samplesPerRecord: fs_,
      transducer: 'AgAgCl cup electrode',
      prefilter: 'HP:0.1Hz LP:100Hz',
      ...spec.eeg,
    })),
    {
      label: 'ECG',
      unit: 'mV',
      samplesPerRecord: fs_,
      physicalMin: -10,
      physicalMax: 10,
      transducer: 'AgAgCl electrode',
      prefilter: 'HP:0.5Hz LP:100Hz',
    },
  ];
  const file = path.join(dir, spec.name);
  const writer = await EdfWriter.create(file, {
    format: spec.format,
    recordDuration: 1,
    signals,
    start: START,
    patient: 'X X X MedLab_Synthetic',
    recording: `Startdate 14-MAR-2024 X X MedLab_samples_seed_${spec.seed}`,
    annotationBytesPerRecord: 240,
  });
  const eeg = new SyntheticEeg({ sampleRate: fs_, seed: spec.seed, lineHz: spec.lineHz });
  const annotations: EdfWriterAnnotation[] = [];
  try {
    for (const [k, [from, to]] of spec.segments.entries()) {
      // Notes about a pause (onset at a segment's end or inside the gap) go into its last block.
      const notesUntil = spec.segments[k + 1]?.[0] ?? Infinity;
      // Physiology goes on during a pause: generate the gap and drop it.
      if (eeg.time < from) eeg.next(Math.round((from - eeg.time) * fs_));
      for (let t = from; t < to; t += BLOCK_SECONDS) {
        const seconds = Math.min(BLOCK_SECONDS, to - t);
        const block = eeg.next(seconds * fs_);
        const notes = [
          ...scriptAnnotations(spec.seed, t, t + seconds),
          ...spec.extraAnnotations.filter(
            (a) => a.onset >= t && a.onset < (t + seconds >= to ? notesUntil : t + seconds),
          ),
        ].sort((a, b) => a.onset - b.onset);
        annotations.push(...notes);
        await writer.writePhysical([...block.eeg, block.ecg], {
          recordStarts: Array.from({ length: seconds }, (_, r) => t + r),
          annotations: notes,
        });
      }
    }
  } finally {
    await writer.close();
  }
  const last = spec.segments[spec.segments.length - 1];
  return {
    name: spec.name,
    format: spec.format,
    description: spec.description,
    sampleRate: fs_,
    duration: last[1],
    segments: spec.segments,
    labels: signals.map((s) => s.label),
    annotations: annotations.length,
  };
}

/** Writes every sample recording and index.json into `dir`; returns what was written. */
export async function generateSamples(dir: string, only?: readonly string[]): Promise<SampleFile[]> {
  await fs.mkdir(dir, { recursive: true });
  const files: SampleFile[] = [];
  for (const spec of SPECS) {
    if (only && !only.includes(spec.name)) continue;
    files.push(await writeSample(dir, spec));
  }
  if (!only) {
    const index = {
      generator: 'samples/generate.ts (npm run samples)',
      note: 'Synthetic recordings for trying MedLab; no patient data. Research software, not for clinical use.',
      files,
    };
    await fs.writeFile(path.join(dir, 'index.json'), JSON.stringify(index, null, 2) + '\n');
  }
  return files;
}

if (require.main === module) {
  const dir = path.resolve(process.argv[2] ?? path.join(__dirname, 'out'));
  generateSamples(dir).then(
    (files) => {
      for (const f of files)
        process.stdout.write(`${path.join(dir, f.name)}  ${f.format}  ${f.description}\n`);
    },
    (e: unknown) => {
      process.stderr.write(`samples: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
