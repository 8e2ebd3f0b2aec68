/**
 * PNG, JPEG and TIFF through sharp, to 8-bit grayscale exactly as Pillow's `convert('L')` makes it
 * (the training data was made that way): RGBA -> RGB (alpha dropped) -> ITU-R 601 luma; 16-bit
 * images are min-max scaled. No colour management and no EXIF rotation, as in Pillow.
 */
import sharp from 'sharp';
import { MedLabError } from '../../errors';
import { type GrayImage, lumaFromRgb, minMaxTo8bit } from './grayImage';

export const SHARP_FORMATS = ['png', 'jpeg', 'tiff'] as const;

/** Largest image accepted (pixels); beyond this a file is refused rather than exhausting memory. */
export const MAX_PIXELS = 30000 * 30000;

function reason(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.replace(/\s+/g, ' ').trim();
}

export async function decodeWithSharp(bytes: Uint8Array, path: string): Promise<GrayImage> {
  try {
    const input = () => sharp(bytes, { failOn: 'warning', ignoreIcc: true, limitInputPixels: MAX_PIXELS });
    const meta = await input().metadata();
    if (!meta.format || !(SHARP_FORMATS as readonly string[]).includes(meta.format)) {
      throw new MedLabError(
        'E_IMAGE_DECODE',
        `${path}: unsupported image format ${meta.format ?? 'unknown'}`,
        { path },
      );
    }
    const wide =
      meta.depth === 'ushort' || meta.depth === 'short' || meta.depth === 'uint' || meta.depth === 'float';
    const gray = meta.space === 'b-w' || meta.space === 'grey16';
    if (wide) {
      // 16-bit: keep the full range and min-max scale it (as the training data tool did).
      const pipeline = gray ? input().extractChannel(0) : input().removeAlpha();
      const { data, info } = await pipeline.raw({ depth: 'ushort' }).toBuffer({ resolveWithObject: true });
      const u16 = new Uint16Array(data.buffer, data.byteOffset, data.byteLength >> 1);
      if (info.channels === 1) return minMaxTo8bit(u16, info.width, info.height);
      const luma = new Float64Array(info.width * info.height);
      for (let i = 0, o = 0; i < luma.length; i++, o += info.channels) {
        luma[i] = u16[o] * 0.299 + u16[o + 1] * 0.587 + u16[o + 2] * 0.114;
      }
      return minMaxTo8bit(luma, info.width, info.height);
    }
    if (gray) {
      const { data, info } = await input().extractChannel(0).raw().toBuffer({ resolveWithObject: true });
      return {
        width: info.width,
        height: info.height,
        data: new Uint8Array(data.buffer, data.byteOffset, data.length),
      };
    }
    const { data, info } = await input().raw().toBuffer({ resolveWithObject: true });
    if (info.channels < 3) {
      throw new MedLabError(
        'E_IMAGE_DECODE',
        `${path}: unexpected ${info.channels}-channel ${meta.format} image`,
        { path },
      );
    }
    return lumaFromRgb(data, info.width, info.height, info.channels);
  } catch (e) {
    if (e instanceof MedLabError) throw e;
    throw new MedLabError('E_IMAGE_DECODE', `${path}: cannot decode image: ${reason(e)}`, { path });
  }
}
