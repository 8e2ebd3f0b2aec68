/**
 * Where each signal's samples lie inside a data record, how many complete records the file
 * really holds, and what to say when that differs from the header. Pure: header + file size in.
 */
import { MedLabError } from '../../errors';
import type { EegWarning } from '../../protocol';
import { MAIN_FIELDS, type MainHeader, type SampleWidth, type SignalHeader } from './header';

export interface RecordLayout {
  width: SampleWidth;
  /** Bytes of one data record (all signals). */
  recordBytes: number;
  /** Byte offset of each signal's block inside a record (index = file signal index). */
  signalOffsets: number[];
  /** Complete records that will be read. */
  recordCount: number;
}

export function recordLayout(
  path: string,
  main: MainHeader,
  signals: readonly SignalHeader[],
  fileSize: number,
  warnings: EegWarning[],
): RecordLayout {
  const width: SampleWidth = main.kind === 'BDF' ? 3 : 2;
  const signalOffsets: number[] = [];
  let recordBytes = 0;
  for (const s of signals) {
    signalOffsets.push(recordBytes);
    recordBytes += s.samplesPerRecord * width;
  }
  if (main.recordDuration === 0 && signals.some((s) => !s.isAnnotation)) {
    throw new MedLabError(
      'E_EDF_HEADER',
      `${MAIN_FIELDS.recordDuration.field} at byte ${MAIN_FIELDS.recordDuration.offset}: 0 is allowed only when every signal is an annotation signal`,
      { path, field: MAIN_FIELDS.recordDuration.field, offset: MAIN_FIELDS.recordDuration.offset },
    );
  }
  const dataBytes = fileSize - main.headerBytes;
  const available = Math.floor(dataBytes / recordBytes);
  const trailing = dataBytes - available * recordBytes;
  let recordCount: number;
  if (main.recordCount === -1) {
    recordCount = available;
    warnings.push({
      code: 'E_EDF_HEADER',
      message: `number of data records is -1 (unknown); ${available} inferred from the file size`,
      field: MAIN_FIELDS.recordCount.field,
      offset: MAIN_FIELDS.recordCount.offset,
    });
  } else {
    recordCount = Math.min(main.recordCount, available);
    if (main.recordCount > available) {
      warnings.push({
        code: 'E_EDF_DATA',
        message:
          `the header declares ${main.recordCount} data records but the file holds ${available} complete ones` +
          (trailing > 0
            ? ` and ${trailing} of the ${recordBytes} bytes of record ${available + 1} (truncated, not read)`
            : ''),
        field: MAIN_FIELDS.recordCount.field,
        offset: main.headerBytes + available * recordBytes,
      });
    }
  }
  if (main.recordCount === -1 && trailing > 0) {
    warnings.push({
      code: 'E_EDF_DATA',
      message: `the last data record is truncated (${trailing} of ${recordBytes} bytes) and not read`,
      offset: main.headerBytes + available * recordBytes,
    });
  } else if (main.recordCount !== -1 && main.recordCount < available) {
    warnings.push({
      code: 'E_EDF_DATA',
      message: `${(available - main.recordCount) * recordBytes + trailing} bytes after the ${main.recordCount} declared data records are ignored`,
      offset: main.headerBytes + main.recordCount * recordBytes,
    });
  } else if (main.recordCount === available && trailing > 0) {
    warnings.push({
      code: 'E_EDF_DATA',
      message: `${trailing} bytes after the last data record are ignored`,
      offset: main.headerBytes + available * recordBytes,
    });
  }
  return { width, recordBytes, signalOffsets, recordCount };
}
