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
import { grayOf, normalizeInto, resizeGray, resizeTo } from './preprocess';

export interface PreparedImage {
  /** The decoded image before resizing, when asked for (heat maps draw over it). */
  original?: GrayImage;
}

async function resizeEncodedGray8(
  bytes: Uint8Array,
  file: string,
  p: ImagePreprocessing,
): Promise<GrayImage> {
  try {
    return await grayOf(
      resizeTo(sharp(bytes, { failOn: 'warning', ignoreIcc: true, limitInputPixels: MAX_PIXELS }), p),
    );
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
