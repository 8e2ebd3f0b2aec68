/**
 * Reads just enough of a PNG or JPEG header to tell whether the file is plain 8-bit grayscale,
 * the common case in X-ray sets. Such files can be decoded and resized in one sharp pipeline
 * (identical pixels to decoding first, fewer copies).
 */

/** True for an 8-bit grayscale PNG (colour type 0) or a one-component 8-bit JPEG. */
export function isGray8(bytes: Uint8Array): boolean {
  if (
    bytes.length >= 26 &&
    bytes[0] === 0x89 &&
    bytes[1] === 0x50 &&
    bytes[12] === 0x49 &&
    bytes[13] === 0x48
  ) {
    return bytes[24] === 8 && bytes[25] === 0; // IHDR bit depth, colour type
  }
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return false;
  let p = 2;
  while (p + 4 <= bytes.length) {
    if (bytes[p] !== 0xff) return false;
    const marker = bytes[p + 1];
    if (marker === 0xff) {
      p++;
      continue;
    }
    const length = (bytes[p + 2] << 8) | bytes[p + 3];
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC)
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (p + 10 > bytes.length) return false;
      return bytes[p + 4] === 8 && bytes[p + 9] === 1; // precision, components
    }
    if (marker === 0xda || marker === 0xd9) return false;
    p += 2 + length;
  }
  return false;
}
