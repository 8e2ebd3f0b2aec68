/**
 * Little-endian int16 (EDF) / int24 (BDF) samples -> physical Float32 values with precomputed
 * gain and offset. Tight loops: an Int16Array view when the bytes are 2-aligned (little-endian
 * hosts), otherwise byte assembly; never a Buffer.readIntLE call per sample.
 */
import * as os from 'node:os';
import type { SampleWidth } from './header';

/** physical = digital * gain + offset, from the header's physical and digital ranges. */
export interface Scaling {
  gain: number;
  offset: number;
}

export function scalingOf(s: {
  physicalMin: number;
  physicalMax: number;
  digitalMin: number;
  digitalMax: number;
}): Scaling {
  const gain = (s.physicalMax - s.physicalMin) / (s.digitalMax - s.digitalMin);
  return { gain, offset: s.physicalMin - s.digitalMin * gain };
}

const LITTLE_ENDIAN_HOST = os.endianness() === 'LE';

/** A read buffer with an Int16Array view over the same bytes (when the host allows). */
export interface SampleBytes {
  bytes: Uint8Array;
  int16: Int16Array | undefined;
}

export function sampleBytes(bytes: Uint8Array): SampleBytes {
  const aligned = LITTLE_ENDIAN_HOST && bytes.byteOffset % 2 === 0;
  const int16 = aligned ? new Int16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 1) : undefined;
  return { bytes, int16 };
}

/**
 * Decodes `count` samples starting at byte `at` of `src` into `out[outAt...]`.
 * The caller guarantees at + count * width <= src.bytes.length and outAt + count <= out.length.
 */
export function decodeSamples(
  src: SampleBytes,
  at: number,
  count: number,
  width: SampleWidth,
  scale: Scaling,
  out: Float32Array,
  outAt: number,
): void {
  const { gain, offset } = scale;
  const b = src.bytes;
  if (width === 2) {
    const i16 = src.int16;
    if (i16 !== undefined && (at & 1) === 0) {
      const base = at >> 1;
      for (let j = 0; j < count; j++) out[outAt + j] = i16[base + j] * gain + offset;
      return;
    }
    for (let j = 0, p = at; j < count; j++, p += 2) {
      out[outAt + j] = (((b[p] | (b[p + 1] << 8)) << 16) >> 16) * gain + offset;
    }
    return;
  }
  for (let j = 0, p = at; j < count; j++, p += 3) {
    out[outAt + j] = (((b[p] | (b[p + 1] << 8) | (b[p + 2] << 16)) << 8) >> 8) * gain + offset;
  }
}
