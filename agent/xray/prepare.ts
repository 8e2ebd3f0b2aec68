/**
 * File bytes to a slot of the model's input tensor. Plain 8-bit grayscale PNG/JPEG files are
 * decoded and resized in one sharp pipeline (same pixels as decoding first, measured identical);
 * everything else is decoded to grayscale first (DICOM display pipeline, colour -> luma, BMP).
 */
import sharp from 'sharp';
import { MedLabError } from '../errors';
import type { ImagePreprocessing } from '../protocol';
import { checkRefused, decodeXray, kindFromExtension } from './decode/decodeFile';
import type { GrayImage } from './decode/grayImage';
import { isGray8 } from './decode/gray8Header';
import { MAX_PIXELS } from './decode/image';
import { normalizeInto, resizeGray } from './preprocess';

export interface PreparedImage {
  /** The decoded image before resizing, when asked for (heat maps draw over it). */
  original?: GrayImage;
}

async function resizeEncodedGray8(
  bytes: Uint8Array,
  file: string,
  p: ImagePreprocessing,
): Promise<GrayImage> {
  const { width, height, fit, kernel } = p.resize;
  try {
    const { data, info } = await sharp(bytes, {
      failOn: 'warning',
      ignoreIcc: true,
      limitInputPixels: MAX_PIXELS,
    })
      .resize(width, height, {
        fit,
        kernel,
        position: 'centre',
        background: { r: 0, g: 0, b: 0, alpha: 1 },
        fastShrinkOnLoad: false,
      })
      .extractChannel(0)
      .raw()
      .toBuffer({ resolveWithObject: true });
    return {
      width: info.width,
      height: info.height,
      data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    };
  } catch (e) {
    const why = (e instanceof Error ? e.message : String(e)).replace(/\s+/g, ' ').trim();
    throw new MedLabError('E_IMAGE_DECODE', `${file}: cannot decode image: ${why}`, { path: file });
  }
}

/** Decodes `bytes`, preprocesses per `p` and writes the tensor into `out` at `offset`. */
export async function prepareImage(
  bytes: Uint8Array,
  file: string,
  p: ImagePreprocessing,
  out: Float32Array,
  offset: number,
  keepOriginal: boolean,
): Promise<PreparedImage> {
  if (!keepOriginal && kindFromExtension(file) !== 'dicom' && isGray8(bytes)) {
    checkRefused(bytes, file);
    normalizeInto(await resizeEncodedGray8(bytes, file, p), p, out, offset);
    return {};
  }
  const original = await decodeXray(bytes, file);
  normalizeInto(await resizeGray(original, p), p, out, offset);
  return keepOriginal ? { original } : {};
}
