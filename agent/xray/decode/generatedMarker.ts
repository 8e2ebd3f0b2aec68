/**
 * Detects MedLab's "AI-generated illustration" label in a PNG so the diagnosis pipeline refuses
 * generated pictures (they are not patient data). The image generator writes a text chunk with
 * keyword `medlab:generated`; any tEXt / zTXt / iTXt chunk whose keyword is that, or whose text
 * contains the phrase, counts.
 */
import * as zlib from 'node:zlib';

export const GENERATED_KEYWORD = 'medlab:generated';
export const GENERATED_PHRASE = 'AI-generated illustration, not patient data';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && Buffer.from(bytes.buffer, bytes.byteOffset, 8).equals(PNG_SIGNATURE);
}

function inflate(data: Buffer): string {
  try {
    return zlib.inflateSync(data, { maxOutputLength: 1 << 20 }).toString('utf8');
  } catch {
    return '';
  }
}

/** The text of a tEXt / zTXt / iTXt chunk as [keyword, text]. */
function textChunk(type: string, body: Buffer): [string, string] | undefined {
  const nul = body.indexOf(0);
  if (nul < 0) return undefined;
  const keyword = body.subarray(0, nul).toString('latin1');
  if (type === 'tEXt') return [keyword, body.subarray(nul + 1).toString('latin1')];
  if (type === 'zTXt') return [keyword, inflate(body.subarray(nul + 2))];
  // iTXt: keyword \0 compressed-flag method language \0 translated-keyword \0 text
  const compressed = body[nul + 1] === 1;
  const lang = body.indexOf(0, nul + 3);
  const translated = lang < 0 ? -1 : body.indexOf(0, lang + 1);
  if (translated < 0) return [keyword, ''];
  const text = body.subarray(translated + 1);
  return [keyword, compressed ? inflate(text) : text.toString('utf8')];
}

/**
 * The marker found in a PNG (the keyword or the text that carries it), or undefined. Reads chunk
 * headers only up to the image data end; non-PNG input returns undefined.
 */
export function findGeneratedMarker(bytes: Uint8Array): string | undefined {
  if (!isPng(bytes)) return undefined;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 8;
  while (pos + 8 <= buf.length) {
    const length = buf.readUInt32BE(pos);
    const type = buf.toString('latin1', pos + 4, pos + 8);
    const start = pos + 8;
    const end = start + length;
    if (end > buf.length) break;
    if (type === 'tEXt' || type === 'zTXt' || type === 'iTXt') {
      const chunk = textChunk(type, buf.subarray(start, end));
      if (chunk) {
        const [keyword, text] = chunk;
        if (keyword.toLowerCase() === GENERATED_KEYWORD) return `${keyword}: ${text}`.trim();
        if (text.toLowerCase().includes(GENERATED_PHRASE.toLowerCase())) return text.trim();
      }
    }
    if (type === 'IEND') break;
    pos = end + 4; // skip CRC
  }
  return undefined;
}
