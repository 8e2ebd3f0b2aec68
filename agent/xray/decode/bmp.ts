/**
 * Windows BMP to 8-bit grayscale (sharp's prebuilt libvips has no BMP loader). Supports the
 * core (OS/2) and INFO/V4/V5 headers; 1/4/8-bit palettes, 16/24/32-bit colour with or without
 * bit fields, RLE8 and RLE4, bottom-up and top-down rows. Colour goes through the same luma as
 * every other format.
 */
import { MedLabError } from '../../errors';
import { type GrayImage, lumaFromRgb } from './grayImage';
import { MAX_PIXELS } from './image';

const BI_RGB = 0;
const BI_RLE8 = 1;
const BI_RLE4 = 2;
const BI_BITFIELDS = 3;
const BI_ALPHABITFIELDS = 6;

export function isBmp(bytes: Uint8Array): boolean {
  return bytes.length >= 26 && bytes[0] === 0x42 && bytes[1] === 0x4d;
}

function maskShift(mask: number): { shift: number; max: number } {
  if (mask === 0) return { shift: 0, max: 0 };
  let shift = 0;
  while (((mask >>> shift) & 1) === 0) shift++;
  return { shift, max: mask >>> shift };
}

export function decodeBmp(bytes: Uint8Array, path: string): GrayImage {
  const fail = (message: string, offset?: number): never => {
    throw new MedLabError('E_IMAGE_DECODE', `${path}: BMP ${message}`, {
      path,
      ...(offset !== undefined ? { offset } : {}),
    });
  };
  if (!isBmp(bytes)) fail('signature "BM" missing', 0);
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dataOffset = b.readUInt32LE(10);
  const headerSize = b.readUInt32LE(14);
  let width: number;
  let height: number;
  let bpp: number;
  let compression = BI_RGB;
  let paletteSize = 0;
  let paletteEntryBytes = 4;
  if (headerSize === 12) {
    width = b.readUInt16LE(18);
    height = b.readInt16LE(20);
    bpp = b.readUInt16LE(24);
    paletteEntryBytes = 3;
  } else if (headerSize >= 40) {
    if (b.length < 54) fail('header truncated', 14);
    width = b.readInt32LE(18);
    height = b.readInt32LE(22);
    bpp = b.readUInt16LE(28);
    compression = b.readUInt32LE(30);
    paletteSize = b.readUInt32LE(46);
  } else {
    return fail(`header size ${headerSize} not supported`, 14);
  }
  const topDown = height < 0;
  height = Math.abs(height);
  if (width <= 0 || height <= 0 || width * height > MAX_PIXELS) fail(`size ${width}x${height} invalid`, 18);
  if (![1, 4, 8, 16, 24, 32].includes(bpp)) fail(`${bpp} bits per pixel not supported`, 28);

  // Colour masks for 16/32-bit images (defaults: 5-5-5 and 8-8-8).
  let masks = bpp === 16 ? [0x7c00, 0x03e0, 0x001f] : [0xff0000, 0x00ff00, 0x0000ff];
  if (compression === BI_BITFIELDS || compression === BI_ALPHABITFIELDS) {
    const at = headerSize >= 52 ? 54 : 14 + headerSize;
    if (b.length < at + 12) fail('bit fields truncated', at);
    masks = [b.readUInt32LE(at), b.readUInt32LE(at + 4), b.readUInt32LE(at + 8)];
  } else if (![BI_RGB, BI_RLE8, BI_RLE4].includes(compression)) {
    fail(`compression ${compression} not supported (JPEG/PNG inside BMP)`, 30);
  }

  const palette: number[][] = [];
  if (bpp <= 8) {
    const count = paletteSize || 1 << bpp;
    const start = 14 + headerSize + (compression === BI_BITFIELDS && headerSize === 40 ? 12 : 0);
    for (let i = 0; i < count; i++) {
      const o = start + i * paletteEntryBytes;
      if (o + 3 > b.length) fail('palette truncated', o);
      palette.push([b[o + 2], b[o + 1], b[o]]);
    }
  }

  const rgb = new Uint8Array(width * height * 3);
  const put = (x: number, row: number, r: number, g: number, bl: number) => {
    const y = topDown ? row : height - 1 - row;
    const o = (y * width + x) * 3;
    rgb[o] = r;
    rgb[o + 1] = g;
    rgb[o + 2] = bl;
  };
  const putIndex = (x: number, row: number, index: number) => {
    const c = palette[index] ?? fail(`palette index ${index} out of range`);
    put(x, row, c[0], c[1], c[2]);
  };

  if (compression === BI_RLE8 || compression === BI_RLE4) {
    decodeRle(b, dataOffset, width, height, compression === BI_RLE4, putIndex, fail);
  } else {
    const stride = Math.floor((width * bpp + 31) / 32) * 4;
    if (dataOffset + stride * height > b.length)
      fail(`pixel data truncated (needs ${stride * height} bytes)`, dataOffset);
    const ch = masks.map(maskShift);
    for (let row = 0; row < height; row++) {
      const line = dataOffset + row * stride;
      for (let x = 0; x < width; x++) {
        if (bpp <= 8) {
          const bit = x * bpp;
          const byte = b[line + (bit >> 3)];
          const index = (byte >> (8 - bpp - (bit & 7))) & ((1 << bpp) - 1);
          putIndex(x, row, index);
        } else if (bpp === 24) {
          const o = line + x * 3;
          put(x, row, b[o + 2], b[o + 1], b[o]);
        } else {
          const v = bpp === 16 ? b.readUInt16LE(line + x * 2) : b.readUInt32LE(line + x * 4);
          const [r, g, bl] = ch.map((c, i) =>
            c.max ? Math.round((((v & masks[i]) >>> c.shift) * 255) / c.max) : 0,
          );
          put(x, row, r, g, bl);
        }
      }
    }
  }
  return lumaFromRgb(rgb, width, height, 3);
}

function decodeRle(
  b: Buffer,
  start: number,
  width: number,
  height: number,
  four: boolean,
  putIndex: (x: number, row: number, index: number) => void,
  fail: (message: string, offset?: number) => never,
): void {
  let x = 0;
  let row = 0;
  let p = start;
  const need = (n: number) => {
    if (p + n > b.length) fail('RLE data truncated', p);
  };
  const emit = (index: number) => {
    if (x < width && row < height) putIndex(x, row, index);
    x++;
  };
  while (row < height) {
    need(2);
    const count = b[p];
    const value = b[p + 1];
    p += 2;
    if (count > 0) {
      for (let i = 0; i < count; i++) emit(four ? (i % 2 === 0 ? value >> 4 : value & 15) : value);
    } else if (value === 0) {
      x = 0;
      row++;
    } else if (value === 1) {
      return;
    } else if (value === 2) {
      need(2);
      x += b[p];
      row += b[p + 1];
      p += 2;
    } else {
      const bytes = four ? Math.ceil(value / 2) : value;
      need(bytes);
      for (let i = 0; i < value; i++)
        emit(four ? (i % 2 === 0 ? b[p + (i >> 1)] >> 4 : b[p + (i >> 1)] & 15) : b[p + i]);
      p += bytes + (bytes % 2);
    }
  }
}
