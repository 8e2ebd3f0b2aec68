/**
 * A decoded image to the model's input tensor, exactly as the manifest says: resize (fit, kernel)
 * of the 8-bit grayscale image, then x / scale, then (x - mean) / std per channel, written as
 * CHW float32 (grayscale replicated for `rgb` models).
 */
import sharp, { type Sharp } from 'sharp';
import { channelValue } from '../models/manifest';
import type { ImagePreprocessing } from '../protocol';
import type { GrayImage } from './decode/grayImage';

/** Values one image occupies in the input tensor. */
export function imageTensorSize(p: ImagePreprocessing): number {
  return (p.color === 'rgb' ? 3 : 1) * p.resize.width * p.resize.height;
}

/** sharp resize of an image to the model's input per the manifest (fit, kernel, black padding, centred crop). */
export function resizeTo(input: Sharp, p: ImagePreprocessing): Sharp {
  const { width, height, fit, kernel } = p.resize;
  return input
    .resize(width, height, {
      fit,
      kernel,
      position: 'centre',
      background: { r: 0, g: 0, b: 0, alpha: 1 },
      fastShrinkOnLoad: false,
    })
    .extractChannel(0);
}

/** The 8-bit result of a sharp pipeline as a GrayImage. */
export async function grayOf(pipeline: Sharp): Promise<GrayImage> {
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  return {
    width: info.width,
    height: info.height,
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
  };
}

/** The image resized to the model's input size (still 8-bit). */
export async function resizeGray(image: GrayImage, p: ImagePreprocessing): Promise<GrayImage> {
  if (image.width === p.resize.width && image.height === p.resize.height) return image;
  const raw = sharp(image.data, { raw: { width: image.width, height: image.height, channels: 1 } });
  return grayOf(resizeTo(raw, p));
}

/** Normalises a resized image into `out` at `offset` (CHW). */
export function normalizeInto(
  resized: GrayImage,
  p: ImagePreprocessing,
  out: Float32Array,
  offset = 0,
): void {
  const n = resized.width * resized.height;
  const channels = p.color === 'rgb' ? 3 : 1;
  for (let c = 0; c < channels; c++) {
    // (x / scale - mean) / std == x * a + b
    const a = 1 / (p.scale * channelValue(p.std, c));
    const b = -channelValue(p.mean, c) / channelValue(p.std, c);
    const base = offset + c * n;
    for (let i = 0; i < n; i++) out[base + i] = resized.data[i] * a + b;
  }
}

/** Resize + normalise one image into a new tensor (or `out` at `offset`). */
export async function preprocess(
  image: GrayImage,
  p: ImagePreprocessing,
  out: Float32Array = new Float32Array(imageTensorSize(p)),
  offset = 0,
): Promise<Float32Array> {
  normalizeInto(await resizeGray(image, p), p, out, offset);
  return out;
}

/** Where the model's input rectangle lies in the original image (for mapping heat maps back). */
export interface InputGeometry {
  /** Original-image pixels per input pixel, horizontally and vertically. */
  scaleX: number;
  scaleY: number;
  /** Input-space position of the original image's top-left corner. */
  offsetX: number;
  offsetY: number;
}

export function inputGeometry(
  image: { width: number; height: number },
  p: ImagePreprocessing,
): InputGeometry {
  const { width: W, height: H, fit } = p.resize;
  if (fit === 'fill') return { scaleX: image.width / W, scaleY: image.height / H, offsetX: 0, offsetY: 0 };
  const s =
    fit === 'cover'
      ? Math.max(W / image.width, H / image.height)
      : Math.min(W / image.width, H / image.height);
  return {
    scaleX: 1 / s,
    scaleY: 1 / s,
    offsetX: (W - image.width * s) / 2,
    offsetY: (H - image.height * s) / 2,
  };
}
