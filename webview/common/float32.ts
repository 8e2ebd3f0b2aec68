/** Decodes the protocol's base64 little-endian Float32 arrays in the browser (no Node Buffer here). */
export function decodeFloat32(base64: string): Float32Array {
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  // Every platform VS Code runs on is little-endian, so the bytes are the array as is.
  return new Float32Array(bytes.buffer, 0, bytes.length >> 2);
}
