/**
 * EDF/EDF+/BDF/BDF+ header: the 256-byte main header and the ns × 256-byte signal headers,
 * decoded field by field (headerField.ts) and checked so that nothing downstream can divide by
 * zero or allocate what the file does not hold. Pure: takes bytes, returns a typed header.
 */
import { MedLabError } from '../../errors';
import type { EegWarning } from '../../protocol';
import { headerError, integerField, numberField, rawText, textField, type FieldSpot } from './headerField';

export const MAIN_HEADER_BYTES = 256;
export const SIGNAL_HEADER_BYTES = 256;
/** The 4-character ns field cannot exceed this; it bounds the signal-header allocation. */
export const MAX_SIGNALS = 9999;

export type SampleWidth = 2 | 3;

export interface MainHeader {
  kind: 'EDF' | 'BDF';
  patient: string;
  recording: string;
  startDate: string;
  startTimeOfDay: string;
  headerBytes: number;
  reserved: string;
  /** As written; -1 means "unknown" (inferred from the file size later). */
  recordCount: number;
  recordDuration: number;
  signalCount: number;
  /** EDF+/BDF+ and whether continuous (C) or discontinuous (D). */
  plus: 'C' | 'D' | undefined;
}

export interface SignalHeader {
  index: number;
  label: string;
  transducer: string;
  unit: string;
  physicalMin: number;
  physicalMax: number;
  digitalMin: number;
  digitalMax: number;
  prefilter: string;
  samplesPerRecord: number;
  isAnnotation: boolean;
}

export const MAIN_FIELDS = {
  version: { field: 'version', offset: 0, length: 8 },
  patient: { field: 'local patient identification', offset: 8, length: 80 },
  recording: { field: 'local recording identification', offset: 88, length: 80 },
  startDate: { field: 'startdate of recording', offset: 168, length: 8 },
  startTime: { field: 'starttime of recording', offset: 176, length: 8 },
  headerBytes: { field: 'number of bytes in header record', offset: 184, length: 8 },
  reserved: { field: 'reserved', offset: 192, length: 44 },
  recordCount: { field: 'number of data records', offset: 236, length: 8 },
  recordDuration: { field: 'duration of a data record', offset: 244, length: 8 },
  signalCount: { field: 'number of signals', offset: 252, length: 4 },
} satisfies Record<string, FieldSpot>;

/** Signal-header fields in file order with their widths (each stored ns times in a block). */
const SIGNAL_FIELDS = [
  ['label', 16],
  ['transducer type', 80],
  ['physical dimension', 8],
  ['physical minimum', 8],
  ['physical maximum', 8],
  ['digital minimum', 8],
  ['digital maximum', 8],
  ['prefiltering', 80],
  ['number of samples in each data record', 8],
  ['reserved', 32],
] as const;
type SignalFieldName = (typeof SIGNAL_FIELDS)[number][0];

/** Where field `name` of signal `i` lives in a file with `ns` signals. */
export function signalFieldSpot(name: SignalFieldName, i: number, ns: number): FieldSpot {
  let offset = MAIN_HEADER_BYTES;
  for (const [n, width] of SIGNAL_FIELDS) {
    if (n === name) return { field: name, offset: offset + i * width, length: width };
    offset += ns * width;
  }
  throw new Error(`unknown signal field ${name}`);
}

export function parseMainHeader(path: string, buf: Uint8Array, warnings: EegWarning[]): MainHeader {
  if (buf.length < MAIN_HEADER_BYTES) {
    throw new MedLabError(
      'E_EDF_HEADER',
      `header: file ends at byte ${buf.length}, before the end of the ${MAIN_HEADER_BYTES}-byte main header`,
      { path, field: 'header', offset: buf.length },
    );
  }
  const f = MAIN_FIELDS;
  let kind: 'EDF' | 'BDF';
  const version = rawText(buf, 0, 8);
  if (buf[0] === 0xff && rawText(buf, 1, 7) === 'BIOSEMI') kind = 'BDF';
  else if (version.trim() === '0') kind = 'EDF';
  else throw headerError(path, f.version, 'expected "0" (EDF) or 0xFF "BIOSEMI" (BDF)', version);

  const warnNonAscii = (spot: FieldSpot) =>
    warnings.push({
      code: 'E_EDF_HEADER',
      message: `${spot.field} at byte ${spot.offset} holds bytes outside ASCII 32..126 (read as UTF-8 or Latin-1)`,
      field: spot.field,
      offset: spot.offset,
    });
  const patient = textField(buf, 0, f.patient, warnNonAscii);
  const recording = textField(buf, 0, f.recording, warnNonAscii);
  const startDate = rawText(buf, f.startDate.offset, 8);
  const startTimeOfDay = rawText(buf, f.startTime.offset, 8);
  const headerBytes = integerField(path, buf, 0, f.headerBytes);
  const reserved = rawText(buf, f.reserved.offset, f.reserved.length).trim();
  const recordCount = integerField(path, buf, 0, f.recordCount);
  const recordDuration = numberField(path, buf, 0, f.recordDuration);
  const signalCount = integerField(path, buf, 0, f.signalCount);

  if (signalCount < 1) throw headerError(path, f.signalCount, 'must be at least 1', String(signalCount));
  if (headerBytes !== MAIN_HEADER_BYTES * (signalCount + 1)) {
    throw headerError(
      path,
      f.headerBytes,
      `must be 256 × (number of signals + 1) = ${MAIN_HEADER_BYTES * (signalCount + 1)} for ${signalCount} signals`,
      String(headerBytes),
    );
  }
  if (recordCount < -1)
    throw headerError(path, f.recordCount, 'must be -1 (unknown) or at least 0', String(recordCount));
  if (recordDuration < 0)
    throw headerError(path, f.recordDuration, 'must not be negative', String(recordDuration));

  const plusMatch = /^(EDF|BDF)\+([CD])/.exec(reserved);
  return {
    kind,
    patient,
    recording,
    startDate,
    startTimeOfDay,
    headerBytes,
    reserved,
    recordCount,
    recordDuration,
    signalCount,
    plus: plusMatch ? (plusMatch[2] as 'C' | 'D') : undefined,
  };
}

/** `buf` holds the whole header (main + signal headers), i.e. `main.headerBytes` bytes. */
export function parseSignalHeaders(
  path: string,
  buf: Uint8Array,
  main: MainHeader,
  warnings: EegWarning[],
): SignalHeader[] {
  const ns = main.signalCount;
  const width: SampleWidth = main.kind === 'BDF' ? 3 : 2;
  const digitalLimit = width === 2 ? 32768 : 8388608;
  const signals: SignalHeader[] = [];
  for (let i = 0; i < ns; i++) {
    const spot = (name: SignalFieldName) => signalFieldSpot(name, i, ns);
    const label = textField(buf, 0, spot('label'));
    const isAnnotation = label === 'EDF Annotations' || label === 'BDF Annotations';
    const s: SignalHeader = {
      index: i,
      label,
      transducer: textField(buf, 0, spot('transducer type')),
      unit: textField(buf, 0, spot('physical dimension')),
      physicalMin: numberField(path, buf, 0, spot('physical minimum')),
      physicalMax: numberField(path, buf, 0, spot('physical maximum')),
      digitalMin: integerField(path, buf, 0, spot('digital minimum')),
      digitalMax: integerField(path, buf, 0, spot('digital maximum')),
      prefilter: textField(buf, 0, spot('prefiltering')),
      samplesPerRecord: integerField(path, buf, 0, spot('number of samples in each data record')),
      isAnnotation,
    };
    const name = `signal ${i} "${label}"`;
    if (s.samplesPerRecord < 1) {
      throw headerError(
        path,
        {
          ...spot('number of samples in each data record'),
          field: `number of samples in each data record of signal ${i}`,
        },
        'must be at least 1',
        String(s.samplesPerRecord),
      );
    }
    if (!isAnnotation) {
      const pMin = spot('physical minimum');
      const pMax = spot('physical maximum');
      if (s.physicalMin === s.physicalMax) {
        throw new MedLabError(
          'E_EDF_HEADER',
          `${name}: physical minimum (byte ${pMin.offset}) equals physical maximum (byte ${pMax.offset}), both ${s.physicalMin}`,
          {
            path,
            field: `physical minimum/maximum of signal ${i}`,
            offset: pMin.offset,
            detail: { maximumOffset: pMax.offset },
          },
        );
      }
      const dMin = spot('digital minimum');
      const dMax = spot('digital maximum');
      if (s.digitalMin >= s.digitalMax) {
        throw new MedLabError(
          'E_EDF_HEADER',
          `${name}: digital minimum (byte ${dMin.offset}) ${s.digitalMin} is not below digital maximum (byte ${dMax.offset}) ${s.digitalMax}`,
          {
            path,
            field: `digital minimum/maximum of signal ${i}`,
            offset: dMin.offset,
            detail: { maximumOffset: dMax.offset },
          },
        );
      }
      if (s.digitalMin < -digitalLimit || s.digitalMax > digitalLimit - 1) {
        warnings.push({
          code: 'E_EDF_HEADER',
          message: `${name}: digital range ${s.digitalMin}..${s.digitalMax} exceeds what ${width * 8}-bit samples can hold`,
          field: `digital minimum/maximum of signal ${i}`,
          offset: dMin.offset,
        });
      }
    }
    signals.push(s);
  }
  return signals;
}
