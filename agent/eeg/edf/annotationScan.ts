/**
 * Reads only the annotation-signal bytes of every data record and turns their TALs into
 * annotations and per-record start times (the time-keeping TAL that opens the first annotation
 * signal of each record). Small files are read in whole-record batches; in big files each
 * record costs one small positional read of its annotation block, so opening a 2 GB file reads
 * kilobytes per second of recording, not the signals.
 */
import * as fs from 'node:fs';
import { MedLabError } from '../../errors';
import type { EegWarning } from '../../protocol';
import type { SignalHeader } from './header';
import type { RecordLayout } from './recordLayout';
import { parseTals } from './tal';

export interface RawAnnotation {
  /** Seconds from the header start time (as written in the TAL). */
  onset: number;
  duration: number;
  text: string;
}

export interface AnnotationScan {
  /** Time-keeping onset of each record (NaN where the record has none). */
  recordStarts: Float64Array;
  annotations: RawAnnotation[];
}

/** Below this many data bytes, or when annotations fill a quarter of each record, read whole records. */
const WHOLE_READ_LIMIT = 64 << 20;
const BATCH_BYTES = 4 << 20;
/** Records between yields to the event loop (keeps the agent answering while a big file opens). */
const YIELD_EVERY = 2048;

export async function scanAnnotations(
  fd: number,
  headerBytes: number,
  signals: readonly SignalHeader[],
  layout: RecordLayout,
  warnings: EegWarning[],
): Promise<AnnotationScan> {
  const { recordBytes, recordCount, signalOffsets, width } = layout;
  const recordStarts = new Float64Array(recordCount).fill(NaN);
  const annotations: RawAnnotation[] = [];
  const annot = signals.filter((s) => s.isAnnotation);
  if (annot.length === 0 || recordCount === 0) return { recordStarts, annotations };

  const blockFrom = Math.min(...annot.map((s) => signalOffsets[s.index]));
  const blockTo = Math.max(...annot.map((s) => signalOffsets[s.index] + s.samplesPerRecord * width));
  const blockBytes = blockTo - blockFrom;
  const wholeRecords = recordCount * recordBytes <= WHOLE_READ_LIMIT || blockBytes * 4 >= recordBytes;
  const stride = wholeRecords ? recordBytes : blockBytes;
  const perBatch = wholeRecords ? Math.max(1, Math.floor(BATCH_BYTES / recordBytes)) : 1;
  const buf = Buffer.allocUnsafeSlow(perBatch * stride);
  const problems = new Map<string, number>();
  let firstProblemRecord = -1;
  let lastYield = 0;

  for (let r0 = 0; r0 < recordCount; r0 += perBatch) {
    const n = Math.min(perBatch, recordCount - r0);
    if (wholeRecords) readFully(fd, buf, n * recordBytes, headerBytes + r0 * recordBytes);
    for (let i = 0; i < n; i++) {
      const r = r0 + i;
      let base: number;
      if (wholeRecords) base = i * recordBytes;
      else {
        readFully(fd, buf, blockBytes, headerBytes + r * recordBytes + blockFrom);
        base = -blockFrom;
      }
      annot.forEach((s, k) => {
        const at = base + signalOffsets[s.index];
        const parsed = parseTals(buf.subarray(at, at + s.samplesPerRecord * width));
        for (const p of parsed.problems) {
          problems.set(p, (problems.get(p) ?? 0) + 1);
          if (firstProblemRecord < 0) firstProblemRecord = r;
        }
        parsed.tals.forEach((tal, t) => {
          let texts = tal.texts;
          if (k === 0 && t === 0 && texts[0] === '') {
            recordStarts[r] = tal.onset;
            texts = texts.slice(1);
          }
          for (const text of texts) {
            if (text !== '') annotations.push({ onset: tal.onset, duration: tal.duration ?? 0, text });
          }
        });
      });
    }
    if (r0 - lastYield >= YIELD_EVERY) {
      lastYield = r0;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  for (const [message, count] of problems) {
    warnings.push({
      code: 'E_EDF_ANNOTATION',
      message: `${message}${count > 1 ? ` (${count} times)` : ''}`,
      offset: headerBytes + firstProblemRecord * recordBytes + blockFrom,
    });
  }
  return { recordStarts, annotations };
}

function readFully(fd: number, buf: Buffer, length: number, position: number): void {
  let done = 0;
  while (done < length) {
    const got = fs.readSync(fd, buf, done, length - done, position + done);
    if (got === 0) {
      throw new MedLabError('E_EDF_DATA', `file ended at byte ${position + done} while reading annotations`, {
        offset: position + done,
      });
    }
    done += got;
  }
}
