/**
 * A small, fast EDF/EDF+/BDF/BDF+ writer for generated recordings (samples, benchmarks, test
 * fixtures). Streams blocks of records to disk; EDF+/BDF+ files get an annotation signal with a
 * time-keeping TAL per record (EDF+D: the record start times the caller gives) and the caller's
 * annotations. The record count is written into the header on close.
 *
 *   const w = await EdfWriter.create('out.edf', { format: 'EDF+C', recordDuration: 1, signals, start });
 *   await w.writePhysical([eeg, ecg]);            // n records worth of samples per signal
 *   await w.close();
 */
import * as fsp from 'node:fs/promises';

export type EdfWriterFormat = 'EDF' | 'EDF+C' | 'EDF+D' | 'BDF' | 'BDF+C' | 'BDF+D';

export interface EdfWriterSignal {
  label: string;
  unit: string;
  samplesPerRecord: number;
  physicalMin: number;
  physicalMax: number;
  /** Defaults: the full range of the sample width (-32768..32767 or -8388608..8388607). */
  digitalMin?: number;
  digitalMax?: number;
  transducer?: string;
  prefilter?: string;
}

export interface EdfWriterAnnotation {
  /** Seconds from the header start time. */
  onset: number;
  duration?: number;
  text: string;
}

export interface EdfWriterSpec {
  format: EdfWriterFormat;
  /** Seconds per data record. */
  recordDuration: number;
  signals: EdfWriterSignal[];
  /** Local start date and time (whole seconds are written; use record starts for sub-seconds). */
  start: { year: number; month: number; day: number; hour: number; minute: number; second: number };
  /** Header fields as written (ASCII). EDF+ defaults follow the spec's 'X' placeholders. */
  patient?: string;
  recording?: string;
  /** Bytes of the annotation signal per record (EDF+/BDF+ only; default 120). */
  annotationBytesPerRecord?: number;
}

export interface BlockOptions {
  /** EDF+/BDF+: start of each record of this block in seconds from the header start time. */
  recordStarts?: number[];
  /** Annotations to store (in this block's records, as space allows; the rest in later ones). */
  annotations?: EdfWriterAnnotation[];
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

function field(text: string, width: number): string {
  if (text.length > width) throw new Error(`"${text}" does not fit a ${width}-character header field`);
  return text.padEnd(width, ' ');
}

/** Shortest decimal text of n that fits `width` characters (header numbers are 8 wide). */
function numberText(n: number, width = 8): string {
  let s = String(n);
  if (s.length <= width) return s;
  for (let digits = width; digits > 0; digits--) {
    s = String(Number(n.toPrecision(digits)));
    if (s.length <= width) return s;
  }
  throw new Error(`${n} does not fit an ${width}-character header field`);
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/** Timestamp text for a TAL: sign, then at most 9 decimals, without trailing zeros. */
function talTime(t: number): string {
  const s = Math.abs(t)
    .toFixed(9)
    .replace(/\.?0+$/, '');
  return (t < 0 ? '-' : '+') + s;
}

export function encodeTal(a: EdfWriterAnnotation): Buffer {
  const head =
    a.duration !== undefined && a.duration > 0
      ? `${talTime(a.onset)}\x15${talTime(a.duration).slice(1)}`
      : talTime(a.onset);
  return Buffer.concat([
    Buffer.from(`${head}\x14`, 'latin1'),
    Buffer.from(a.text, 'utf8'),
    Buffer.from([0x14, 0]),
  ]);
}

export class EdfWriter {
  private records = 0;
  private readonly pending: EdfWriterAnnotation[] = [];
  private readonly width: 2 | 3;
  private readonly plus: boolean;
  private readonly annotationSamples: number;
  private readonly recordBytes: number;
  private readonly headerBytes: number;

  private constructor(
    private readonly fh: fsp.FileHandle,
    private readonly spec: EdfWriterSpec,
  ) {
    this.width = spec.format.startsWith('BDF') ? 3 : 2;
    this.plus = spec.format.includes('+');
    const annotationBytes = spec.annotationBytesPerRecord ?? 120;
    this.annotationSamples = this.plus ? Math.ceil(annotationBytes / this.width) : 0;
    this.recordBytes =
      spec.signals.reduce((a, s) => a + s.samplesPerRecord, 0) * this.width +
      this.annotationSamples * this.width;
    this.headerBytes = 256 * (spec.signals.length + (this.plus ? 1 : 0) + 1);
  }

  static async create(path: string, spec: EdfWriterSpec): Promise<EdfWriter> {
    const fh = await fsp.open(path, 'w');
    const w = new EdfWriter(fh, spec);
    await fh.write(w.header(-1), 0, w.headerBytes, 0);
    return w;
  }

  /** The header with `recordCount` records (-1 while writing). */
  header(recordCount: number): Buffer {
    const { spec, width } = this;
    const bdf = width === 3;
    const st = spec.start;
    const date = `${two(st.day)}-${MONTHS[st.month - 1]}-${st.year}`;
    const signals: Required<EdfWriterSignal>[] = spec.signals.map((s) => ({
      transducer: '',
      prefilter: '',
      digitalMin: bdf ? -8388608 : -32768,
      digitalMax: bdf ? 8388607 : 32767,
      ...s,
    }));
    if (this.plus) {
      signals.push({
        label: bdf ? 'BDF Annotations' : 'EDF Annotations',
        unit: '',
        samplesPerRecord: this.annotationSamples,
        physicalMin: -1,
        physicalMax: 1,
        digitalMin: bdf ? -8388608 : -32768,
        digitalMax: bdf ? 8388607 : 32767,
        transducer: '',
        prefilter: '',
      });
    }
    const reserved = this.plus ? spec.format : bdf ? '24BIT' : '';
    const main =
      field(bdf ? 'xBIOSEMI' : '0', 8) +
      field(spec.patient ?? (this.plus ? 'X X X X' : ''), 80) +
      field(spec.recording ?? (this.plus ? `Startdate ${date} X X MedLab` : ''), 80) +
      `${two(st.day)}.${two(st.month)}.${two(st.year % 100)}` +
      `${two(st.hour)}.${two(st.minute)}.${two(st.second)}` +
      field(String(this.headerBytes), 8) +
      field(reserved, 44) +
      field(String(recordCount), 8) +
      field(numberText(spec.recordDuration), 8) +
      field(String(signals.length), 4);
    const cols: [keyof Required<EdfWriterSignal>, number][] = [
      ['label', 16],
      ['transducer', 80],
      ['unit', 8],
      ['physicalMin', 8],
      ['physicalMax', 8],
      ['digitalMin', 8],
      ['digitalMax', 8],
      ['prefilter', 80],
      ['samplesPerRecord', 8],
    ];
    let text = main;
    for (const [key, w] of cols) {
      for (const s of signals) {
        const v = s[key];
        text += field(typeof v === 'number' ? numberText(v, w) : v, w);
      }
    }
    text += ' '.repeat(32 * signals.length);
    const buf = Buffer.from(text, 'latin1');
    if (bdf) buf[0] = 0xff;
    return buf;
  }

  /** Appends whole records from physical values (clipped to the physical range). */
  async writePhysical(samples: readonly Float32Array[], options: BlockOptions = {}): Promise<void> {
    const digital = samples.map((x, i) => {
      const s = this.spec.signals[i];
      const dMin = s.digitalMin ?? (this.width === 3 ? -8388608 : -32768);
      const dMax = s.digitalMax ?? (this.width === 3 ? 8388607 : 32767);
      const gain = (s.physicalMax - s.physicalMin) / (dMax - dMin);
      const out = new Int32Array(x.length);
      for (let k = 0; k < x.length; k++) {
        const d = Math.round((x[k] - s.physicalMin) / gain) + dMin;
        out[k] = d < dMin ? dMin : d > dMax ? dMax : d;
      }
      return out;
    });
    await this.writeDigital(digital, options);
  }

  /** Appends whole records from digital values (each signal holds n * samplesPerRecord values). */
  async writeDigital(
    samples: readonly (Int32Array | Int16Array)[],
    options: BlockOptions = {},
  ): Promise<void> {
    const { spec, width } = this;
    if (samples.length !== spec.signals.length) throw new Error(`expected ${spec.signals.length} signals`);
    const n = samples[0] ? samples[0].length / spec.signals[0].samplesPerRecord : 0;
    samples.forEach((x, i) => {
      if (x.length !== n * spec.signals[i].samplesPerRecord || !Number.isInteger(n)) {
        throw new Error(`signal ${i} must hold a whole number of records (${n} records)`);
      }
    });
    if (options.annotations?.length && !this.plus) {
      throw new Error(`${spec.format} has no annotation signal; use ${spec.format}+C or +D for annotations`);
    }
    if (options.annotations) this.pending.push(...options.annotations);
    const buf = Buffer.allocUnsafe(n * this.recordBytes);
    let p = 0;
    for (let r = 0; r < n; r++) {
      for (let i = 0; i < samples.length; i++) {
        const x = samples[i];
        const spr = spec.signals[i].samplesPerRecord;
        const from = r * spr;
        if (width === 2) {
          for (let k = from; k < from + spr; k++, p += 2) {
            const v = x[k];
            buf[p] = v & 0xff;
            buf[p + 1] = (v >> 8) & 0xff;
          }
        } else {
          for (let k = from; k < from + spr; k++, p += 3) {
            const v = x[k];
            buf[p] = v & 0xff;
            buf[p + 1] = (v >> 8) & 0xff;
            buf[p + 2] = (v >> 16) & 0xff;
          }
        }
      }
      if (this.plus) {
        const start = options.recordStarts?.[r] ?? (this.records + r) * spec.recordDuration;
        p = this.writeAnnotationBlock(buf, p, start);
      }
    }
    await this.fh.write(buf, 0, buf.length, this.headerBytes + this.records * this.recordBytes);
    this.records += n;
  }

  /** Time-keeping TAL, then as many pending annotations as fit; the rest is NUL. */
  private writeAnnotationBlock(buf: Buffer, p: number, recordStart: number): number {
    const end = p + this.annotationSamples * this.width;
    const keep = Buffer.from(`${talTime(recordStart)}\x14\x14\x00`, 'latin1');
    if (keep.length > end - p) throw new Error('annotation signal too small for the time-keeping TAL');
    p += keep.copy(buf, p);
    while (this.pending.length) {
      const tal = encodeTal(this.pending[0]);
      if (tal.length > end - p) break;
      p += tal.copy(buf, p);
      this.pending.shift();
    }
    buf.fill(0, p, end);
    return end;
  }

  /** Writes the record count into the header and closes the file. */
  async close(): Promise<void> {
    try {
      if (this.pending.length) {
        throw new Error(`${this.pending.length} annotations did not fit; raise annotationBytesPerRecord`);
      }
      await this.fh.write(Buffer.from(field(String(this.records), 8), 'latin1'), 0, 8, 236);
    } finally {
      await this.fh.close();
    }
  }
}

/** Writes a whole small file at once from physical values. */
export async function writeEdf(
  path: string,
  spec: EdfWriterSpec,
  samples: readonly Float32Array[],
  options: BlockOptions = {},
): Promise<void> {
  const w = await EdfWriter.create(path, spec);
  try {
    await w.writePhysical(samples, options);
  } finally {
    await w.close();
  }
}
