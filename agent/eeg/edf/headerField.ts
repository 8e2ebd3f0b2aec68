/**
 * One small decoder per kind of EDF/BDF header field. Each reads its bytes from the header
 * buffer and, when they are wrong, throws an E_EDF_HEADER error that names the field and the
 * byte offset of the field in the file (modelled on edfio's `_header_field.py`).
 */
import { MedLabError } from '../../errors';

/** Where a field lives: its spec name, its byte offset in the file and its width. */
export interface FieldSpot {
  field: string;
  offset: number;
  length: number;
}

export function headerError(path: string, spot: FieldSpot, problem: string, raw?: string): MedLabError {
  const shown = raw === undefined ? '' : ` (found "${printable(raw)}")`;
  return new MedLabError('E_EDF_HEADER', `${spot.field} at byte ${spot.offset}: ${problem}${shown}`, {
    path,
    field: spot.field,
    offset: spot.offset,
  });
}

/** Non-printable bytes shown as \xNN so an error line stays one line. */
function printable(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** The field's bytes as latin1 text (one char per byte), trailing spaces and NULs removed. */
export function rawText(buf: Uint8Array, at: number, length: number): string {
  let end = at + length;
  while (end > at && (buf[end - 1] === 0x20 || buf[end - 1] === 0)) end--;
  let s = '';
  for (let i = at; i < end; i++) s += String.fromCharCode(buf[i]);
  return s;
}

/** True when every byte is printable US-ASCII (32..126) as the spec requires. */
export function isSpecAscii(buf: Uint8Array, at: number, length: number): boolean {
  for (let i = at; i < at + length; i++) if (buf[i] < 32 || buf[i] > 126) return false;
  return true;
}

/**
 * Free text (labels, units, identification). Bytes outside ASCII 32..126 are decoded as UTF-8
 * when valid, else latin1; `onNonAscii` is told so the reader can warn instead of refusing.
 */
export function textField(
  buf: Uint8Array,
  base: number,
  spot: FieldSpot,
  onNonAscii?: (spot: FieldSpot) => void,
): string {
  const at = spot.offset - base;
  if (isSpecAscii(buf, at, spot.length)) return rawText(buf, at, spot.length).trim();
  onNonAscii?.(spot);
  const bytes = buf.subarray(at, at + spot.length);
  try {
    return new TextDecoder('utf-8', { fatal: true })
      .decode(bytes)
      .replace(/[\0\s]+$/, '')
      .trim();
  } catch {
    return rawText(buf, at, spot.length).trim();
  }
}

/** An integer field: optional sign, digits, surrounding spaces. */
export function integerField(path: string, buf: Uint8Array, base: number, spot: FieldSpot): number {
  const raw = rawText(buf, spot.offset - base, spot.length);
  const s = raw.trim();
  if (!/^[+-]?\d+$/.test(s)) throw headerError(path, spot, 'expected an integer', raw);
  return Number(s);
}

/** A decimal field (physical min/max, record duration): plain decimal or exponent notation. */
export function numberField(path: string, buf: Uint8Array, base: number, spot: FieldSpot): number {
  const raw = rawText(buf, spot.offset - base, spot.length);
  const s = raw.trim().replace(',', '.');
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s))
    throw headerError(path, spot, 'expected a number', raw);
  const n = Number(s);
  if (!Number.isFinite(n)) throw headerError(path, spot, 'number out of range', raw);
  return n;
}
