/**
 * `openRecording(path)`: opens an EDF, EDF+C, EDF+D, BDF or BDF+ file read-only and returns a
 * `Recording`. Opening reads the header and the annotation-signal bytes only; `readSignals`
 * reads only the data records that overlap the window asked for, with positional reads.
 */
import * as fsp from 'node:fs/promises';
import { MedLabError, fromFsError } from '../../errors';
import type { EegAnnotation, EegFormat, EegRecordingInfo, EegSignalInfo, EegWarning } from '../../protocol';
import type { Recording } from '../recording';
import { scanAnnotations } from './annotationScan';
import { MAIN_HEADER_BYTES, parseMainHeader, parseSignalHeaders, type SignalHeader } from './header';
import { recordLayout, type RecordLayout } from './recordLayout';
import { recordTimeline, type RecordTimeline } from './recordTimeline';
import { decodeSamples, sampleBytes, scalingOf, type Scaling } from './sampleDecoder';
import { isoLocal, parseStartDateTime } from './startTime';

/**
 * Records are read in batches of about this many bytes: small enough to stay in the CPU cache
 * between the read and the decode (measured: 0.5-1 MB beats 4-16 MB by 1.3-2x on whole files).
 */
const BATCH_BYTES = 1 << 20;
/** Records larger than this are not read whole: only the samples each signal needs. */
const HUGE_RECORD_BYTES = 16 << 20;
/** A window may not ask for more samples than this in total (4 bytes each). */
export const MAX_WINDOW_SAMPLES = 1 << 28;
/** Any recording may be asked for this many samples at once, however short it is. */
const MIN_WINDOW_LIMIT = 1 << 22;

interface DataSignal {
  header: SignalHeader;
  byteOffset: number;
  rate: number;
  scale: Scaling;
}

export async function openRecording(path: string): Promise<Recording> {
  let fh: fsp.FileHandle;
  try {
    fh = await fsp.open(path, 'r');
  } catch (e) {
    throw fromFsError(e, path);
  }
  try {
    return await EdfRecording.open(path, fh);
  } catch (e) {
    await fh.close().catch(() => undefined);
    if (e instanceof MedLabError && !e.data.path) e.data.path = path;
    throw e instanceof MedLabError ? e : fromFsError(e, path);
  }
}

/** Opens `path`, runs `use`, and closes the recording whatever happens (one-shot CLI commands). */
export async function withRecording<T>(path: string, use: (rec: Recording) => Promise<T>): Promise<T> {
  const rec = await openRecording(path);
  try {
    return await use(rec);
  } finally {
    await rec.close();
  }
}

class EdfRecording implements Recording {
  private inFlight = 0;
  private closed = false;
  private drained: (() => void) | undefined;

  private constructor(
    readonly info: EegRecordingInfo,
    readonly annotations: readonly EegAnnotation[],
    private readonly fh: fsp.FileHandle,
    private readonly layout: RecordLayout,
    private readonly timeline: RecordTimeline,
    private readonly data: DataSignal[],
  ) {}

  static async open(path: string, fh: fsp.FileHandle): Promise<EdfRecording> {
    const stat = await fh.stat();
    if (!stat.isFile()) throw new MedLabError('E_IO', `not a regular file: ${path}`, { path });
    const size = stat.size;
    const warnings: EegWarning[] = [];

    const mainBuf = await readAt(fh, Math.min(MAIN_HEADER_BYTES, size), 0);
    const main = parseMainHeader(path, mainBuf, warnings);
    if (size < main.headerBytes) {
      throw new MedLabError(
        'E_EDF_HEADER',
        `header: file ends at byte ${size}, before the end of the ${main.headerBytes}-byte header it declares`,
        { path, field: 'header', offset: size },
      );
    }
    const headerBuf = await readAt(fh, main.headerBytes, 0);
    const headers = parseSignalHeaders(path, headerBuf, main, warnings);
    const layout = recordLayout(path, main, headers, size, warnings);
    const plus = main.plus !== undefined;
    const start = parseStartDateTime(
      path,
      main.startDate,
      main.startTimeOfDay,
      main.recording,
      plus,
      warnings,
    );

    const data: DataSignal[] = headers
      .filter((h) => !h.isAnnotation)
      .map((h) => ({
        header: h,
        byteOffset: layout.signalOffsets[h.index],
        rate: h.samplesPerRecord / main.recordDuration,
        scale: scalingOf(h),
      }));
    const scan = await scanAnnotations(fh.fd, main.headerBytes, headers, layout, warnings);
    const maxRate = Math.max(0, ...data.map((d) => d.rate));
    const timeline = recordTimeline(
      scan.recordStarts,
      main.recordDuration,
      main.plus === 'D',
      maxRate,
      warnings,
    );
    const annotations: EegAnnotation[] = scan.annotations
      .map((a) => ({ onset: a.onset - timeline.firstOffset, duration: a.duration, text: a.text }))
      .sort((a, b) => a.onset - b.onset);

    const format: EegFormat = `${main.kind}${main.plus ? `+${main.plus}` : ''}` as EegFormat;
    const signals: EegSignalInfo[] = data.map((d) => ({
      index: d.header.index,
      label: d.header.label,
      transducer: d.header.transducer,
      unit: d.header.unit,
      prefilter: d.header.prefilter,
      sampleRate: d.rate,
      samplesPerRecord: d.header.samplesPerRecord,
      sampleCount: d.header.samplesPerRecord * layout.recordCount,
      physicalMin: d.header.physicalMin,
      physicalMax: d.header.physicalMax,
      digitalMin: d.header.digitalMin,
      digitalMax: d.header.digitalMax,
    }));
    const info: EegRecordingInfo = {
      path,
      format,
      startTime: isoLocal(start, timeline.firstOffset),
      duration: timeline.duration,
      recordDuration: main.recordDuration,
      recordCount: layout.recordCount,
      headerBytes: main.headerBytes,
      signals,
      annotationCount: annotations.length,
      segments: timeline.segments,
      warnings,
      identifiers: { patient: main.patient, recording: main.recording },
    };
    return new EdfRecording(info, annotations, fh, layout, timeline, data);
  }

  async readSignals(signals: readonly number[], start: number, duration: number): Promise<Float32Array[]> {
    if (this.closed)
      throw new MedLabError('E_IO', `recording was closed: ${this.info.path}`, { path: this.info.path });
    for (const i of signals) {
      if (!Number.isInteger(i) || i < 0 || i >= this.data.length) {
        throw new MedLabError(
          'E_EEG_CHANNEL',
          `signal index ${i} does not exist (the recording has ${this.data.length} data signals)`,
          { path: this.info.path },
        );
      }
    }
    if (!Number.isFinite(start) || !Number.isFinite(duration) || duration < 0) {
      throw new MedLabError(
        'E_EEG_RANGE',
        `window start ${start} s, duration ${duration} s is not a valid time range`,
        {
          path: this.info.path,
        },
      );
    }
    const wanted = signals.map((i) => this.data[i]);
    const firsts = wanted.map((d) => Math.ceil(start * d.rate - 1e-6));
    const counts = wanted.map((d) => Math.round(duration * d.rate));
    const total = counts.reduce((a, b) => a + b, 0);
    // Bounded by what the file honestly spans (a header claiming absurd rates over no data
    // cannot make a window allocate gigabytes), with room for pages that run past the end.
    const spanned = wanted.reduce((a, d) => a + this.info.duration * d.rate, 0);
    const limit = Math.min(MAX_WINDOW_SAMPLES, Math.max(MIN_WINDOW_LIMIT, 2 * spanned));
    if (total > limit) {
      throw new MedLabError(
        'E_EEG_RANGE',
        `window of ${duration} s over ${signals.length} signals asks for ${total} samples; ` +
          `this recording allows at most ${Math.floor(limit)} at once`,
        { path: this.info.path },
      );
    }
    // Zeroed memory is free to allocate; fill() writes NaN only where no record lands.
    const out = counts.map((n) => new Float32Array(n));
    this.inFlight++;
    try {
      await this.fill(wanted, firsts, counts, out);
    } finally {
      this.inFlight--;
      if (this.inFlight === 0) this.drained?.();
    }
    return out;
  }

  /** Grid index (sample number from time 0 at the signal's rate) of the first sample of record r. */
  private gridStart(r: number, d: DataSignal): number {
    const starts = this.timeline.starts;
    return starts === undefined ? r * d.header.samplesPerRecord : Math.round(starts[r] * d.rate);
  }

  /** Records [from, to) that hold samples of grid range [n0, n0 + count) of signal d. */
  private recordRange(d: DataSignal, n0: number, count: number): [number, number] {
    const n = this.layout.recordCount;
    const spr = d.header.samplesPerRecord;
    if (count === 0 || n === 0) return [0, 0];
    if (this.timeline.starts === undefined) {
      const from = Math.max(0, Math.floor(n0 / spr));
      const to = Math.min(n, Math.floor((n0 + count - 1) / spr) + 1);
      return from < to ? [from, to] : [0, 0];
    }
    // First record whose end lies after n0, then every record that starts before the window ends.
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.gridStart(mid, d) + spr > n0) hi = mid;
      else lo = mid + 1;
    }
    let to = lo;
    while (to < n && this.gridStart(to, d) < n0 + count) to++;
    return lo < to ? [lo, to] : [0, 0];
  }

  private async fill(
    wanted: DataSignal[],
    firsts: number[],
    counts: number[],
    out: Float32Array[],
  ): Promise<void> {
    // Records are decoded in increasing time order per signal: everything between the end of
    // the previous record's samples and the start of the next one is a gap (NaN).
    const filled = wanted.map(() => 0);
    const place = (i: number, outAt: number, n: number) => {
      if (outAt > filled[i]) out[i].fill(NaN, filled[i], outAt);
      filled[i] = Math.max(filled[i], outAt + n);
    };
    await this.decodeRecords(wanted, firsts, counts, out, place);
    out.forEach((x, i) => {
      if (filled[i] < x.length) x.fill(NaN, filled[i]);
    });
  }

  private async decodeRecords(
    wanted: DataSignal[],
    firsts: number[],
    counts: number[],
    out: Float32Array[],
    place: (signal: number, outAt: number, n: number) => void,
  ): Promise<void> {
    let from = Infinity;
    let to = -Infinity;
    wanted.forEach((d, i) => {
      const [a, b] = this.recordRange(d, firsts[i], counts[i]);
      if (a < b) {
        from = Math.min(from, a);
        to = Math.max(to, b);
      }
    });
    if (!(from < to)) return;
    const { recordBytes } = this.layout;
    const headerBytes = this.info.headerBytes;
    if (recordBytes > HUGE_RECORD_BYTES) {
      // Huge records: read just the samples each signal needs from each record.
      for (let r = from; r < to; r++) {
        for (let i = 0; i < wanted.length; i++) {
          const span = this.spanIn(r, wanted[i], firsts[i], counts[i]);
          if (!span) continue;
          const { width } = this.layout;
          const at = headerBytes + r * recordBytes + wanted[i].byteOffset + span.k0 * width;
          const bytes = sampleBytes(await readAt(this.fh, (span.k1 - span.k0) * width, at, this.info.path));
          place(i, span.outAt, span.k1 - span.k0);
          decodeSamples(bytes, 0, span.k1 - span.k0, width, wanted[i].scale, out[i], span.outAt);
        }
      }
      return;
    }
    const perBatch = Math.max(1, Math.floor(BATCH_BYTES / recordBytes));
    // Two buffers: the next batch is read (in the I/O thread pool) while this one is decoded.
    const size = Math.min(perBatch, to - from) * recordBytes;
    const buffers = [new Uint8Array(size), to - from > perBatch ? new Uint8Array(size) : undefined];
    const readBatch = (r0: number, k: number) =>
      readInto(
        this.fh,
        buffers[k]!,
        Math.min(perBatch, to - r0) * recordBytes,
        headerBytes + r0 * recordBytes,
        this.info.path,
      );
    let pending: Promise<Uint8Array> | undefined = readBatch(from, 0);
    for (let r0 = from, k = 0; r0 < to; r0 += perBatch, k ^= 1) {
      const n = Math.min(perBatch, to - r0);
      const bytes = sampleBytes(await pending!);
      pending = r0 + perBatch < to ? readBatch(r0 + perBatch, k ^ 1) : undefined;
      // A failed prefetch is reported by the await of the next turn, never as an unhandled rejection.
      pending?.catch(() => undefined);
      // Record-major, like the file: the batch is read front to back while it is in cache.
      const width = this.layout.width;
      for (let r = r0; r < r0 + n; r++) {
        const base = (r - r0) * recordBytes;
        for (let i = 0; i < wanted.length; i++) {
          const d = wanted[i];
          const g = this.gridStart(r, d);
          const k0 = Math.max(0, firsts[i] - g);
          const k1 = Math.min(d.header.samplesPerRecord, firsts[i] + counts[i] - g);
          if (k0 >= k1) continue;
          place(i, g + k0 - firsts[i], k1 - k0);
          decodeSamples(
            bytes,
            base + d.byteOffset + k0 * width,
            k1 - k0,
            width,
            d.scale,
            out[i],
            g + k0 - firsts[i],
          );
        }
      }
    }
  }

  /** Samples [k0, k1) of record r that fall in the window, and where the first goes in the output. */
  private spanIn(
    r: number,
    d: DataSignal,
    n0: number,
    count: number,
  ): { k0: number; k1: number; outAt: number } | undefined {
    const g = this.gridStart(r, d);
    const k0 = Math.max(0, n0 - g);
    const k1 = Math.min(d.header.samplesPerRecord, n0 + count - g);
    return k0 < k1 ? { k0, k1, outAt: g + k0 - n0 } : undefined;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.inFlight > 0) await new Promise<void>((resolve) => (this.drained = resolve));
    await this.fh.close();
  }
}

async function readAt(
  fh: fsp.FileHandle,
  length: number,
  position: number,
  path?: string,
): Promise<Uint8Array> {
  return readInto(fh, new Uint8Array(length), length, position, path);
}

/** Reads exactly `length` bytes at `position` into buf[0..length) (the file may have shrunk). */
async function readInto(
  fh: fsp.FileHandle,
  buf: Uint8Array,
  length: number,
  position: number,
  path?: string,
): Promise<Uint8Array> {
  let done = 0;
  while (done < length) {
    const { bytesRead } = await fh.read(buf, done, length - done, position + done);
    if (bytesRead === 0) {
      throw new MedLabError(
        'E_EDF_DATA',
        `file ended at byte ${position + done} (it was shorter than when opened)`,
        {
          path,
          offset: position + done,
        },
      );
    }
    done += bytesRead;
  }
  return buf.subarray(0, length);
}
