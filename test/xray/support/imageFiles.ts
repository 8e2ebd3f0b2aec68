/** Encoders for test images sharp cannot write (BMP) and PNG text chunks. */
import * as zlib from 'node:zlib';

function bmpFile(
  width: number,
  height: number,
  bpp: number,
  pixelData: Buffer,
  opts: { palette?: Buffer; compression?: number; masks?: number[]; topDown?: boolean } = {},
): Buffer {
  const masks = opts.masks ? Buffer.alloc(12) : Buffer.alloc(0);
  opts.masks?.forEach((m, i) => masks.writeUInt32LE(m, i * 4));
  const palette = opts.palette ?? Buffer.alloc(0);
  const offset = 14 + 40 + masks.length + palette.length;
  const header = Buffer.alloc(54);
  header.write('BM', 0, 'latin1');
  header.writeUInt32LE(offset + pixelData.length, 2);
  header.writeUInt32LE(offset, 10);
  header.writeUInt32LE(40, 14);
  header.writeInt32LE(width, 18);
  header.writeInt32LE(opts.topDown ? -height : height, 22);
  header.writeUInt16LE(1, 26);
  header.writeUInt16LE(bpp, 28);
  header.writeUInt32LE(opts.compression ?? 0, 30);
  header.writeUInt32LE(pixelData.length, 34);
  header.writeUInt32LE(palette.length / 4, 46);
  return Buffer.concat([header, masks, palette, pixelData]);
}

const stride = (width: number, bpp: number) => Math.floor((width * bpp + 31) / 32) * 4;

/** Rows bottom-up unless topDown. */
function rows(
  gray: Uint8Array,
  width: number,
  height: number,
  bpp: number,
  pixel: (v: number, out: Buffer, at: number) => void,
  topDown = false,
): Buffer {
  const s = stride(width, bpp);
  const out = Buffer.alloc(s * height);
  for (let y = 0; y < height; y++) {
    const row = topDown ? y : height - 1 - y;
    for (let x = 0; x < width; x++) pixel(gray[y * width + x], out, row * s + (x * bpp) / 8);
  }
  return out;
}

export function bmp24(gray: Uint8Array, width: number, height: number): Buffer {
  return bmpFile(
    width,
    height,
    24,
    rows(gray, width, height, 24, (v, o, at) => o.fill(v, at, at + 3)),
  );
}

const grayPalette = () => {
  const p = Buffer.alloc(256 * 4);
  for (let i = 0; i < 256; i++) p.fill(i, i * 4, i * 4 + 3);
  return p;
};

export function bmp8(gray: Uint8Array, width: number, height: number): Buffer {
  return bmpFile(
    width,
    height,
    8,
    rows(gray, width, height, 8, (v, o, at) => (o[at] = v)),
    { palette: grayPalette() },
  );
}

export function bmp32Bitfields(gray: Uint8Array, width: number, height: number): Buffer {
  // Channels at unusual positions: R in bits 0-7, G 8-15, B 24-31.
  const data = rows(
    gray,
    width,
    height,
    32,
    (v, o, at) => o.writeUInt32LE((v | (v << 8) | (v << 24)) >>> 0, at),
    true,
  );
  return bmpFile(width, height, 32, data, {
    compression: 3,
    masks: [0x000000ff, 0x0000ff00, 0xff000000],
    topDown: true,
  });
}

export function bmpRle8(gray: Uint8Array, width: number, height: number): Buffer {
  const out: number[] = [];
  for (let y = height - 1; y >= 0; y--) {
    const line = gray.subarray(y * width, (y + 1) * width);
    let x = 0;
    while (x < line.length) {
      let run = 1;
      while (x + run < line.length && run < 255 && line[x + run] === line[x]) run++;
      out.push(run, line[x]); // encoded run (length 1 runs are valid too)
      x += run;
    }
    out.push(0, 0); // end of line
  }
  out.push(0, 1); // end of bitmap
  return bmpFile(width, height, 8, Buffer.from(out), { palette: grayPalette(), compression: 1 });
}

function chunk(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(Buffer.concat([head.subarray(4), body])) >>> 0);
  return Buffer.concat([head, body, crc]);
}

/** The PNG with one text chunk inserted after IHDR. */
export function pngWithText(
  png: Buffer,
  type: 'tEXt' | 'zTXt' | 'iTXt',
  keyword: string,
  text: string,
  compressed = false,
): Buffer {
  const k = Buffer.from(keyword + '\0', 'latin1');
  let body: Buffer;
  if (type === 'tEXt') body = Buffer.concat([k, Buffer.from(text, 'latin1')]);
  else if (type === 'zTXt')
    body = Buffer.concat([k, Buffer.from([0]), zlib.deflateSync(Buffer.from(text, 'latin1'))]);
  else {
    const t = compressed ? zlib.deflateSync(Buffer.from(text, 'utf8')) : Buffer.from(text, 'utf8');
    body = Buffer.concat([k, Buffer.from([compressed ? 1 : 0, 0]), Buffer.from('en\0\0'), t]);
  }
  const ihdrEnd = 8 + 8 + 13 + 4;
  return Buffer.concat([png.subarray(0, ihdrEnd), chunk(type, body), png.subarray(ihdrEnd)]);
}
