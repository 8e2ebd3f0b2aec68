/**
 * The one image type the X-ray pipeline works on after decoding: 8-bit grayscale, row-major,
 * made the way the training data was made (Pillow's `convert('L')`).
 */

export interface GrayImage {
  width: number;
  height: number;
  /** width * height values, 0..255. */
  data: Uint8Array;
}

/**
 * ITU-R 601 luma exactly as Pillow computes it for RGB -> L (fixed point, rounded):
 * L = (R*19595 + G*38470 + B*7471 + 0x8000) >> 16. A gray pixel (R = G = B) keeps its value.
 * `channels` is 3 (RGB) or 4 (RGBA: alpha dropped, as Pillow's RGBA -> RGB -> L does).
 */
export function lumaFromRgb(rgb: Uint8Array, width: number, height: number, channels: number): GrayImage {
  const n = width * height;
  const data = new Uint8Array(n);
  for (let i = 0, o = 0; i < n; i++, o += channels) {
    data[i] = (rgb[o] * 19595 + rgb[o + 1] * 38470 + rgb[o + 2] * 7471 + 0x8000) >>> 16;
  }
  return { width, height, data };
}

/** Min-max scaling of wide samples (16-bit images) to 0..255, rounded; a flat image becomes 0. */
export function minMaxTo8bit(values: ArrayLike<number>, width: number, height: number): GrayImage {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const data = new Uint8Array(width * height);
  const range = max - min;
  if (range > 0)
    for (let i = 0; i < data.length; i++) data[i] = Math.round(((values[i] - min) / range) * 255);
  return { width, height, data };
}
