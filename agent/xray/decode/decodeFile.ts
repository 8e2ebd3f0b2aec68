/**
 * One entry point from file bytes to a grayscale image: picks the decoder (DICOM by extension or
 * "DICM" marker, BMP by signature, PNG/JPEG/TIFF through sharp), and refuses MedLab's own
 * AI-generated illustrations and empty files with typed errors.
 */
import * as path from 'node:path';
import { MedLabError } from '../../errors';
import { decodeBmp, isBmp } from './bmp';
import { decodeDicom, isDicom } from './dicom';
import { findGeneratedMarker } from './generatedMarker';
import type { GrayImage } from './grayImage';
import { decodeWithSharp } from './image';

export type ImageKind = 'png' | 'jpeg' | 'tiff' | 'bmp' | 'dicom';

const EXTENSIONS: Record<string, ImageKind> = {
  '.png': 'png',
  '.jpg': 'jpeg',
  '.jpeg': 'jpeg',
  '.jpe': 'jpeg',
  '.jfif': 'jpeg',
  '.tif': 'tiff',
  '.tiff': 'tiff',
  '.bmp': 'bmp',
  '.dib': 'bmp',
  '.dcm': 'dicom',
  '.dicom': 'dicom',
  '.dic': 'dicom',
};

export function kindFromExtension(file: string): ImageKind | undefined {
  return EXTENSIONS[path.extname(file).toLowerCase()];
}

/** The image kind from the first bytes (132 are enough for DICOM), or undefined. */
export function kindFromContent(head: Uint8Array): ImageKind | undefined {
  if (isDicom(head)) return 'dicom';
  if (head.length >= 8 && head[0] === 0x89 && head[1] === 0x50 && head[2] === 0x4e && head[3] === 0x47)
    return 'png';
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (
    head.length >= 4 &&
    ((head[0] === 0x49 && head[1] === 0x49 && head[2] === 0x2a && head[3] === 0) ||
      (head[0] === 0x4d && head[1] === 0x4d && head[2] === 0 && head[3] === 0x2a))
  ) {
    return 'tiff';
  }
  if (isBmp(head)) return 'bmp';
  return undefined;
}

/** Throws for files the pipeline refuses before decoding: empty ones and AI-generated illustrations. */
export function checkRefused(bytes: Uint8Array, file: string): void {
  if (bytes.length === 0)
    throw new MedLabError('E_IMAGE_DECODE', `${file}: empty file (0 bytes)`, { path: file });
  const marker = findGeneratedMarker(bytes);
  if (marker !== undefined) {
    throw new MedLabError(
      'E_GENERATED_IMAGE',
      `${file}: refused: the image is labelled as an AI-generated illustration, not patient data ("${marker.slice(0, 120)}")`,
      { path: file },
    );
  }
}

/** Decodes an X-ray file's bytes to 8-bit grayscale; `file` is used for the decoder choice and messages. */
export async function decodeXray(bytes: Uint8Array, file: string): Promise<GrayImage> {
  checkRefused(bytes, file);
  if (kindFromExtension(file) === 'dicom' || isDicom(bytes)) return decodeDicom(bytes, file);
  if (isBmp(bytes)) return decodeBmp(bytes, file);
  return decodeWithSharp(bytes, file);
}
