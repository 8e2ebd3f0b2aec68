/** Sample arrays on the wire: base64 of little-endian Float32 (see protocol.ts). */
import type { Float32Base64 } from './protocol';

export function encodeFloat32(values: Float32Array | ArrayLike<number>): Float32Base64 {
  const f = values instanceof Float32Array ? values : Float32Array.from(values);
  return Buffer.from(f.buffer, f.byteOffset, f.byteLength).toString('base64');
}

export function decodeFloat32(data: Float32Base64): Float32Array {
  const buf = Buffer.from(data, 'base64');
  const out = new Float32Array(buf.length >> 2);
  for (let i = 0; i < out.length; i++) out[i] = buf.readFloatLE(i * 4);
  return out;
}
