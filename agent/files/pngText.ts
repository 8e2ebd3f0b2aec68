/**
 * PNG text chunks (tEXt for Latin-1, iTXt for UTF-8) read and written without re-encoding the
 * image: chunks are inserted after IHDR, and the CRC of each chunk is computed with zlib.crc32.
 */
import * as zlib from 'node:zlib';
import { MedLabError } from '../errors';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && Buffer.from(bytes.buffer, bytes.byteOffset, 8).equals(SIGNATURE);
}

interface Chunk {
  type: string;
  start: number; // offset of the length field
  dataStart: number;
  length: number;
}

function* chunks(buf: Buffer): Generator<Chunk> {
  let off = 8;
  while (off + 12 <= buf.length) {
    const length = buf.readUInt32BE(off);
    const type = buf.toString('latin1', off + 4, off + 8);
    if (off + 12 + length > buf.length) return; // truncated: stop, the caller sees what was whole
    yield { type, start: off, dataStart: off + 8, length };
    off += 12 + length;
    if (type === 'IEND') return;
  }
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** tEXt when keyword and text are Latin-1 safe ASCII, otherwise iTXt (uncompressed UTF-8). */
function textChunk(keyword: string, text: string): Buffer {
  if (!/^[\x20-\x7e]{1,79}$/.test(keyword)) {
    throw new MedLabError('E_USAGE', `PNG text keyword "${keyword}" must be 1-79 printable ASCII characters`);
  }
  if ([...text].every((ch) => ch === '\t' || ch === '\n' || (ch >= ' ' && ch <= '~'))) {
    return chunk(
      'tEXt',
      Buffer.concat([Buffer.from(keyword, 'latin1'), Buffer.from([0]), Buffer.from(text, 'latin1')]),
    );
  }
  // keyword\0 compression-flag(0) method(0) language\0 translated\0 text
  return chunk(
    'iTXt',
    Buffer.concat([Buffer.from(keyword, 'latin1'), Buffer.from([0, 0, 0, 0, 0]), Buffer.from(text, 'utf8')]),
  );
}

/** Compressed text is bounded: a hostile chunk must not inflate into gigabytes. */
function inflateText(data: Buffer): string | undefined {
  try {
    return zlib.inflateSync(data, { maxOutputLength: 1 << 20 }).toString('utf8');
  } catch {
    return undefined;
  }
}

/** Reads every tEXt, zTXt and iTXt entry (compressed ones included). Later duplicates win. */
export function readPngText(bytes: Uint8Array): Map<string, string> {
  const out = new Map<string, string>();
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!isPng(buf)) return out;
  for (const c of chunks(buf)) {
    const data = buf.subarray(c.dataStart, c.dataStart + c.length);
    const nul = data.indexOf(0);
    if (nul <= 0) continue;
    const keyword = data.toString('latin1', 0, nul);
    if (c.type === 'tEXt') out.set(keyword, data.toString('latin1', nul + 1));
    else if (c.type === 'zTXt') {
      const text = inflateText(data.subarray(nul + 2));
      if (text !== undefined) out.set(keyword, text);
    } else if (c.type === 'iTXt') {
      const compressed = data[nul + 1] === 1;
      const langEnd = data.indexOf(0, nul + 3);
      const transEnd = langEnd < 0 ? -1 : data.indexOf(0, langEnd + 1);
      if (transEnd < 0) continue;
      const body = data.subarray(transEnd + 1);
      // A corrupt compressed text chunk says nothing we can use; the image itself may be fine.
      const text = compressed ? inflateText(body) : body.toString('utf8');
      if (text !== undefined) out.set(keyword, text);
    }
  }
  return out;
}

/** Returns a copy of the PNG with the entries added right after IHDR (existing ones with the same keyword removed). */
export function writePngText(buf: Buffer, entries: Record<string, string>): Buffer {
  if (!isPng(buf)) throw new MedLabError('E_IMAGE_DECODE', 'not a PNG file: cannot embed metadata');
  const keys = new Set(Object.keys(entries));
  const parts: Buffer[] = [SIGNATURE];
  let sawIhdr = false;
  for (const c of chunks(buf)) {
    const whole = buf.subarray(c.start, c.dataStart + c.length + 4);
    if (c.type === 'tEXt' || c.type === 'iTXt') {
      const data = buf.subarray(c.dataStart, c.dataStart + c.length);
      const nul = data.indexOf(0);
      if (nul > 0 && keys.has(data.toString('latin1', 0, nul))) continue;
    }
    parts.push(whole);
    if (c.type === 'IHDR' && !sawIhdr) {
      sawIhdr = true;
      for (const [k, v] of Object.entries(entries)) parts.push(textChunk(k, v));
    }
  }
  if (!sawIhdr) throw new MedLabError('E_IMAGE_DECODE', 'PNG has no IHDR chunk: cannot embed metadata');
  return Buffer.concat(parts);
}
