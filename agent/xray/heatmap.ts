/**
 * Class activation map overlays: the model's CAM for one class (an [h, w] map in the model's
 * input space) mapped back onto the decoded image through the resize geometry, normalised
 * (negative evidence clipped, peak = 1), coloured and blended over the grayscale image.
 */
import sharp from 'sharp';
import type { GrayImage } from './decode/grayImage';
import type { InputGeometry } from './preprocess';

export interface CamMap {
  data: Float32Array;
  width: number;
  height: number;
}

export interface OverlayOptions {
  /** Longest side of the overlay in pixels (default 1024; the image is never enlarged). */
  maxSide?: number;
  /** Opacity of the colour where the map peaks (default 0.6). */
  opacity?: number;
}

/** The map of class `k` of item `n` in a [N, K, h, w] CAM output. */
export function camOf(data: Float32Array, dims: readonly number[], n: number, k: number): CamMap {
  const [, classes, height, width] = dims;
  const size = height * width;
  const start = (n * classes + k) * size;
  return { data: data.subarray(start, start + size), width, height };
}

/** Jet-like colour of t in 0..1 (blue -> cyan -> yellow -> red). */
export function colourOf(t: number): [number, number, number] {
  const c = (x: number) => Math.round(255 * Math.min(1, Math.max(0, x)));
  return [c(1.5 - Math.abs(4 * t - 3)), c(1.5 - Math.abs(4 * t - 2)), c(1.5 - Math.abs(4 * t - 1))];
}

/** Colour lookup table: 256 steps of `colourOf`. */
const LUT = (() => {
  const t = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) t.set(colourOf(i / 255), i * 3);
  return t;
})();

/** For each output coordinate: the two CAM cells it lies between, the weight of the second, and whether it is inside the model input. */
function axisPlan(
  outSize: number,
  imageSize: number,
  offset: number,
  scale: number,
  inputSize: number,
  camSize: number,
) {
  const lo = new Int32Array(outSize);
  const hi = new Int32Array(outSize);
  const frac = new Float32Array(outSize);
  const inside = new Uint8Array(outSize);
  for (let o = 0; o < outSize; o++) {
    const s = ((o + 0.5) * imageSize) / outSize; // original-image coordinate
    const u = offset + s / scale; // model-input coordinate
    inside[o] = u >= 0 && u <= inputSize ? 1 : 0;
    const c = Math.min(camSize - 1, Math.max(0, (u * camSize) / inputSize - 0.5)); // CAM cell centres
    lo[o] = Math.floor(c);
    hi[o] = Math.min(camSize - 1, lo[o] + 1);
    frac[o] = c - lo[o];
  }
  return { lo, hi, frac, inside };
}

/** RGB overlay of `cam` over `image`. `input` is the model's input size the CAM spans. */
export function overlay(
  image: GrayImage,
  cam: CamMap,
  geometry: InputGeometry,
  input: { width: number; height: number },
  options: OverlayOptions = {},
): { width: number; height: number; rgb: Uint8Array } {
  const maxSide = options.maxSide ?? 1024;
  const opacity = options.opacity ?? 0.6;
  const shrink = Math.min(1, maxSide / Math.max(image.width, image.height));
  const width = Math.max(1, Math.round(image.width * shrink));
  const height = Math.max(1, Math.round(image.height * shrink));

  // Negative evidence clipped, peak scaled to 1.
  let peak = 0;
  for (const v of cam.data) if (v > peak) peak = v;
  const norm = peak > 0 ? 1 / peak : 0;
  const map = Float32Array.from(cam.data, (v) => Math.max(0, v) * norm);

  const xs = axisPlan(width, image.width, geometry.offsetX, geometry.scaleX, input.width, cam.width);
  const ys = axisPlan(height, image.height, geometry.offsetY, geometry.scaleY, input.height, cam.height);
  const rgb = new Uint8Array(width * height * 3);
  for (let oy = 0; oy < height; oy++) {
    const iy = Math.min(image.height - 1, Math.floor(((oy + 0.5) * image.height) / height));
    const row0 = ys.lo[oy] * cam.width;
    const row1 = ys.hi[oy] * cam.width;
    const fy = ys.frac[oy];
    for (let ox = 0; ox < width; ox++) {
      const ix = Math.min(image.width - 1, Math.floor(((ox + 0.5) * image.width) / width));
      const g = image.data[iy * image.width + ix];
      let t = 0;
      if (ys.inside[oy] && xs.inside[ox]) {
        const x0 = xs.lo[ox];
        const x1 = xs.hi[ox];
        const fx = xs.frac[ox];
        const top = map[row0 + x0] * (1 - fx) + map[row0 + x1] * fx;
        const bottom = map[row1 + x0] * (1 - fx) + map[row1 + x1] * fx;
        t = top * (1 - fy) + bottom * fy;
      }
      const a = opacity * t;
      const c = Math.round(t * 255) * 3;
      const o = (oy * width + ox) * 3;
      rgb[o] = g * (1 - a) + LUT[c] * a + 0.5;
      rgb[o + 1] = g * (1 - a) + LUT[c + 1] * a + 0.5;
      rgb[o + 2] = g * (1 - a) + LUT[c + 2] * a + 0.5;
    }
  }
  return { width, height, rgb };
}

export async function overlayPng(
  image: GrayImage,
  cam: CamMap,
  geometry: InputGeometry,
  input: { width: number; height: number },
  options?: OverlayOptions,
): Promise<{ png: Buffer; width: number; height: number }> {
  const o = overlay(image, cam, geometry, input, options);
  const png = await sharp(o.rgb, { raw: { width: o.width, height: o.height, channels: 3 } })
    .png({ compressionLevel: 3 })
    .toBuffer();
  return { png, width: o.width, height: o.height };
}
