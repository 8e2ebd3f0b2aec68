/**
 * DICOM (Part 10) to 8-bit grayscale through the display pipeline a viewer applies:
 * stored values -> Modality LUT (a table, else rescale slope/intercept) -> VOI window (LINEAR,
 * LINEAR_EXACT or SIGMOID; else a VOI LUT table; else the modality range min-max scaled, 8-bit data
 * kept as it is) -> MONOCHROME1 inversion -> round half to even. First frame of multi-frame objects.
 *
 * Transfer syntaxes: implicit / explicit VR little endian, explicit big endian, deflated (via
 * dicom-parser), RLE lossless (decoded here) and JPEG baseline / extended 8-bit (the encapsulated
 * JPEG handed to sharp). JPEG lossless, JPEG-LS and JPEG 2000 are refused with their name.
 * Patient attributes are never read.
 */
import dicomParser, { type DataSet, type Element } from 'dicom-parser';
import { MedLabError } from '../../errors';
import type { GrayImage } from './grayImage';
import { decodeWithSharp, MAX_PIXELS } from './image';

const TS = {
  implicitLE: '1.2.840.10008.1.2',
  explicitLE: '1.2.840.10008.1.2.1',
  deflated: '1.2.840.10008.1.2.1.99',
  explicitBE: '1.2.840.10008.1.2.2',
  jpegBaseline: '1.2.840.10008.1.2.4.50',
  jpegExtended: '1.2.840.10008.1.2.4.51',
  rle: '1.2.840.10008.1.2.5',
};

const REFUSED: Record<string, string> = {
  '1.2.840.10008.1.2.4.57': 'JPEG Lossless',
  '1.2.840.10008.1.2.4.70': 'JPEG Lossless SV1',
  '1.2.840.10008.1.2.4.80': 'JPEG-LS Lossless',
  '1.2.840.10008.1.2.4.81': 'JPEG-LS Near-Lossless',
  '1.2.840.10008.1.2.4.90': 'JPEG 2000 Lossless',
  '1.2.840.10008.1.2.4.91': 'JPEG 2000',
  '1.2.840.10008.1.2.4.201': 'HTJ2K Lossless',
  '1.2.840.10008.1.2.4.202': 'HTJ2K Lossless RPCL',
  '1.2.840.10008.1.2.4.203': 'HTJ2K',
  '1.2.840.10008.1.2.4.100': 'MPEG2',
  '1.2.840.10008.1.2.4.102': 'MPEG-4',
};

export function isDicom(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 132 &&
    bytes[128] === 0x44 &&
    bytes[129] === 0x49 &&
    bytes[130] === 0x43 &&
    bytes[131] === 0x4d
  );
}

function sniff(bytes: Uint8Array): string {
  if (bytes.length === 0) return 'the file is empty';
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'the content looks like a JPEG image';
  if (bytes[0] === 0x89 && bytes[1] === 0x50) return 'the content looks like a PNG image';
  if (bytes.length < 132) return `the file has only ${bytes.length} bytes`;
  return 'no preamble';
}

/** Pixel module attributes of the first frame. */
interface PixelModule {
  rows: number;
  columns: number;
  samples: number;
  bitsAllocated: number;
  bitsStored: number;
  highBit: number;
  signed: boolean;
  photometric: string;
  planar: number;
  frames: number;
}

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export function decodeDicom(bytes: Uint8Array, path: string): Promise<GrayImage> {
  const fail = (message: string, extra: { field?: string; offset?: number } = {}): never => {
    throw new MedLabError('E_DICOM', `${path}: ${message}`, { path, ...extra });
  };
  if (!isDicom(bytes))
    fail(`not a DICOM file: no "DICM" marker at byte 128 (${sniff(bytes)})`, { offset: 128 });

  let ds: DataSet;
  try {
    ds = dicomParser.parseDicom(bytes);
  } catch (e) {
    // dicom-parser throws {exception, dataSet}; when only the pixel data runs past the end of the
    // file the partial data set is complete enough to say exactly that (below).
    const partial = (e as { dataSet?: DataSet }).dataSet;
    if (partial?.elements.x7fe00010) ds = partial;
    else {
      const msg =
        typeof e === 'string'
          ? e
          : e instanceof Error
            ? e.message
            : String((e as { exception?: string }).exception ?? e);
      return fail(`DICOM structure unreadable: ${msg.replace(/^dicomParser[.:]\w+: /, '')}`);
    }
  }
  const ts = ds.string('x00020010')?.replace(/\0/g, '').trim() ?? TS.implicitLE;
  if (REFUSED[ts]) {
    fail(
      `transfer syntax ${REFUSED[ts]} (${ts}) is not supported; supported: uncompressed, deflated, RLE, JPEG baseline 8-bit`,
      {
        field: 'TransferSyntaxUID',
      },
    );
  }
  const known = Object.values(TS).includes(ts);
  if (!known) fail(`transfer syntax ${ts} is not supported`, { field: 'TransferSyntaxUID' });

  const px = pixelModule(ds, fail);
  const pixelData = ds.elements.x7fe00010 ?? fail('no PixelData (7FE0,0010) element', { field: 'PixelData' });
  const decode = async (): Promise<Float64Array | GrayImage> => {
    if (ts === TS.jpegBaseline || ts === TS.jpegExtended)
      return stored8FromJpeg(ds, pixelData, px, path, fail);
    if (ts === TS.rle) return storedFromRle(ds, pixelData, px, fail);
    return storedFromNative(ds, pixelData, px, ts === TS.explicitBE, fail);
  };
  return decode().then((stored) => {
    if (!(stored instanceof Float64Array)) return stored; // colour JPEG: already luma
    return display(ds, px, stored);
  });
}

function pixelModule(ds: DataSet, fail: (m: string, w?: { field?: string }) => never): PixelModule {
  const need = (tag: string, field: string): number => {
    const v = ds.uint16(tag);
    if (v === undefined) fail(`${field} is missing`, { field });
    return v as number;
  };
  const rows = need('x00280010', 'Rows');
  const columns = need('x00280011', 'Columns');
  if (rows === 0 || columns === 0 || rows * columns > MAX_PIXELS)
    fail(`image size ${columns}x${rows} invalid`, { field: 'Rows' });
  const bitsAllocated = need('x00280100', 'BitsAllocated');
  const bitsStored = ds.uint16('x00280101') ?? bitsAllocated;
  const highBit = ds.uint16('x00280102') ?? bitsStored - 1;
  if (![8, 16, 32].includes(bitsAllocated))
    fail(`BitsAllocated ${bitsAllocated} is not supported (8, 16 or 32)`, { field: 'BitsAllocated' });
  if (bitsStored < 1 || bitsStored > bitsAllocated)
    fail(`BitsStored ${bitsStored} does not fit BitsAllocated ${bitsAllocated}`, { field: 'BitsStored' });
  if (highBit < bitsStored - 1 || highBit >= bitsAllocated)
    fail(`HighBit ${highBit} is inconsistent with BitsStored ${bitsStored}`, { field: 'HighBit' });
  const samples = ds.uint16('x00280002') ?? 1;
  const photometric = (ds.string('x00280004') ?? 'MONOCHROME2').toUpperCase();
  if (samples === 1 && !photometric.startsWith('MONOCHROME')) {
    fail(`PhotometricInterpretation ${photometric} is not supported for one sample per pixel`, {
      field: 'PhotometricInterpretation',
    });
  }
  if (samples !== 1 && samples !== 3)
    fail(`SamplesPerPixel ${samples} is not supported`, { field: 'SamplesPerPixel' });
  return {
    rows,
    columns,
    samples,
    bitsAllocated,
    bitsStored,
    highBit,
    signed: ds.uint16('x00280103') === 1,
    photometric,
    planar: ds.uint16('x00280006') ?? 0,
    frames: Math.max(1, ds.intString('x00280008') ?? 1),
  };
}

/** Stored values (sign and bit masks applied) of the first frame, one per pixel (colour -> luma). */
function samplesToStored(read: (i: number) => number, px: PixelModule): Float64Array {
  const n = px.rows * px.columns;
  const shift = px.highBit + 1 - px.bitsStored;
  const mask = px.bitsStored >= 32 ? 0xffffffff : 2 ** px.bitsStored - 1;
  const sign = 2 ** (px.bitsStored - 1);
  const value = (raw: number) => {
    const v = Math.floor(raw / 2 ** shift) % (mask + 1);
    return px.signed && v >= sign ? v - 2 * sign : v;
  };
  const out = new Float64Array(n);
  if (px.samples === 1) {
    for (let i = 0; i < n; i++) out[i] = value(read(i));
    return out;
  }
  // RGB (or YBR_FULL, whose first component is already the luma).
  const ybr = px.photometric.startsWith('YBR');
  for (let i = 0; i < n; i++) {
    const at = (c: number) => value(read(px.planar === 1 ? c * n + i : i * 3 + c));
    out[i] = ybr ? at(0) : at(0) * 0.299 + at(1) * 0.587 + at(2) * 0.114;
  }
  return out;
}

function storedFromNative(
  ds: DataSet,
  el: Element,
  px: PixelModule,
  bigEndian: boolean,
  fail: (m: string, w?: { field?: string; offset?: number }) => never,
): Float64Array {
  if (el.encapsulatedPixelData)
    fail('PixelData is encapsulated but the transfer syntax is uncompressed', { field: 'PixelData' });
  const bytesPer = px.bitsAllocated / 8;
  const need = px.rows * px.columns * px.samples * bytesPer;
  const buf = Buffer.from(ds.byteArray.buffer, ds.byteArray.byteOffset, ds.byteArray.byteLength);
  const available = Math.min(el.length, buf.length - el.dataOffset);
  if (available < need) {
    fail(
      `pixel data truncated: ${px.columns}x${px.rows} at ${px.bitsAllocated} bits needs ${need} bytes, the file holds ${Math.max(0, available)}`,
      { field: 'PixelData', offset: el.dataOffset },
    );
  }
  const o = el.dataOffset;
  const read =
    bytesPer === 1
      ? (i: number) => buf[o + i]
      : bytesPer === 2
        ? bigEndian
          ? (i: number) => buf.readUInt16BE(o + 2 * i)
          : (i: number) => buf.readUInt16LE(o + 2 * i)
        : bigEndian
          ? (i: number) => buf.readUInt32BE(o + 4 * i)
          : (i: number) => buf.readUInt32LE(o + 4 * i);
  return samplesToStored(read, px);
}

function firstFrame(
  ds: DataSet,
  el: Element,
  px: PixelModule,
  fail: (m: string, w?: { field?: string }) => never,
): Uint8Array {
  try {
    if (px.frames === 1) {
      return dicomParser.readEncapsulatedPixelDataFromFragments(ds, el, 0, el.fragments?.length ?? 0);
    }
    const table = el.basicOffsetTable?.length
      ? el.basicOffsetTable
      : dicomParser.createJPEGBasicOffsetTable(ds, el);
    return dicomParser.readEncapsulatedImageFrame(ds, el, 0, table);
  } catch (e) {
    return fail(`encapsulated pixel data unreadable: ${String(e instanceof Error ? e.message : e)}`, {
      field: 'PixelData',
    });
  }
}

async function stored8FromJpeg(
  ds: DataSet,
  el: Element,
  px: PixelModule,
  path: string,
  fail: (m: string, w?: { field?: string }) => never,
): Promise<Float64Array | GrayImage> {
  if (px.bitsAllocated !== 8 || px.bitsStored > 8) {
    fail(`JPEG with ${px.bitsStored} bits stored is not supported (8-bit JPEG only)`, {
      field: 'BitsStored',
    });
  }
  const jpeg = firstFrame(ds, el, px, fail);
  let image: GrayImage;
  try {
    image = await decodeWithSharp(jpeg, path);
  } catch (e) {
    return fail(
      `embedded JPEG unreadable: ${e instanceof Error ? e.message.replace(`${path}: `, '') : String(e)}`,
      {
        field: 'PixelData',
      },
    );
  }
  if (image.width !== px.columns || image.height !== px.rows) {
    fail(`embedded JPEG is ${image.width}x${image.height} but Columns x Rows is ${px.columns}x${px.rows}`, {
      field: 'PixelData',
    });
  }
  // Colour JPEGs come back as luma already; monochrome ones are the stored values.
  if (px.samples === 3) return image;
  return Float64Array.from(image.data);
}

/** RLE Lossless (PS3.5 G): one PackBits segment per byte plane, most significant first. */
function storedFromRle(
  ds: DataSet,
  el: Element,
  px: PixelModule,
  fail: (m: string, w?: { field?: string }) => never,
): Float64Array {
  const frame = firstFrame(ds, el, px, fail);
  const f = Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
  if (f.length < 64) fail('RLE header truncated', { field: 'PixelData' });
  const segments = f.readUInt32LE(0);
  const bytesPer = px.bitsAllocated / 8;
  if (segments !== bytesPer * px.samples)
    fail(`RLE has ${segments} segments, expected ${bytesPer * px.samples}`, { field: 'PixelData' });
  const n = px.rows * px.columns;
  const planes: Uint8Array[] = [];
  for (let s = 0; s < segments; s++) {
    const start = f.readUInt32LE(4 + 4 * s);
    const end = s + 1 < segments ? f.readUInt32LE(8 + 4 * s) : f.length;
    const out = new Uint8Array(n);
    let o = 0;
    let p = start;
    while (o < n && p < end) {
      const h = f.readInt8(p++);
      if (h >= 0) {
        for (let i = 0; i <= h && o < n; i++) out[o++] = f[p++];
      } else if (h !== -128) {
        const v = f[p++];
        for (let i = 0; i < 1 - h && o < n; i++) out[o++] = v;
      }
    }
    if (o < n) fail(`RLE segment ${s + 1} ends after ${o} of ${n} pixels`, { field: 'PixelData' });
    planes.push(out);
  }
  // Segments: for each sample, its bytes from most to least significant; samples are planar.
  const read = (i: number) => {
    const sample = px.samples === 1 ? 0 : Math.floor(i / n);
    const pixel = px.samples === 1 ? i : i % n;
    let v = 0;
    for (let b = 0; b < bytesPer; b++) v = v * 256 + planes[sample * bytesPer + b][pixel];
    return v;
  };
  return samplesToStored(read, { ...px, planar: 1 });
}

/** A lookup table from a Modality or VOI LUT Sequence (first item). */
interface Lut {
  firstMapped: number;
  bits: number;
  data: Uint16Array;
}

function lutOf(ds: DataSet, tag: string, signedInput: boolean): Lut | undefined {
  const item = ds.elements[tag]?.items?.[0]?.dataSet;
  const dataEl = item?.elements.x00283006;
  if (!item || !dataEl || item.uint16('x00283002', 0) === undefined) return undefined;
  const entries = item.uint16('x00283002', 0) || 65536;
  let firstMapped = item.uint16('x00283002', 1) ?? 0;
  if (signedInput && firstMapped > 32767) firstMapped -= 65536;
  const bits = item.uint16('x00283002', 2) ?? 16;
  const bytes = Buffer.from(
    item.byteArray.buffer,
    item.byteArray.byteOffset + dataEl.dataOffset,
    dataEl.length,
  );
  const data = new Uint16Array(entries);
  // 8-bit tables are sometimes stored one entry per byte, otherwise one per 16-bit word.
  const perByte = bits <= 8 && bytes.length === entries;
  for (let i = 0; i < entries; i++) {
    data[i] = perByte ? (bytes[i] ?? 0) : 2 * i + 1 < bytes.length ? bytes.readUInt16LE(2 * i) : 0;
  }
  return { firstMapped, bits, data };
}

function applyLut(lut: Lut, x: number): number {
  const i = Math.min(lut.data.length - 1, Math.max(0, Math.round(x) - lut.firstMapped));
  return lut.data[i];
}

function display(ds: DataSet, px: PixelModule, stored: Float64Array): GrayImage {
  const slope = ds.floatString('x00281053') ?? 1;
  const intercept = ds.floatString('x00281052') ?? 0;
  const center = ds.floatString('x00281050');
  const width = ds.floatString('x00281051');
  const fn = (ds.string('x00281056') ?? 'LINEAR').toUpperCase();
  const n = stored.length;
  const m = new Float64Array(n);
  // Modality LUT: a table when the object has one, else the rescale.
  const modalityLut = lutOf(ds, 'x00283000', px.signed);
  if (modalityLut) for (let i = 0; i < n; i++) m[i] = applyLut(modalityLut, stored[i]);
  else for (let i = 0; i < n; i++) m[i] = stored[i] * slope + intercept;
  const voiLut = lutOf(ds, 'x00283010', px.signed && !modalityLut);

  let y: (x: number) => number;
  const windowed = center !== undefined && width !== undefined && width > 0 && Number.isFinite(center);
  if (!windowed && voiLut) {
    const top = 2 ** voiLut.bits - 1;
    y = (x) => (applyLut(voiLut, x) / top) * 255;
  } else if (windowed) {
    const c = center!;
    const w = width!;
    if (fn === 'SIGMOID') y = (x) => 255 / (1 + Math.exp((-4 * (x - c)) / w));
    else if (fn === 'LINEAR_EXACT')
      y = (x) => (x <= c - w / 2 ? 0 : x > c + w / 2 ? 255 : ((x - c) / w + 0.5) * 255);
    else if (w >= 1) {
      // PS3.3 C.11.2.1.2.1 LINEAR
      const lo = c - 0.5 - (w - 1) / 2;
      const hi = c - 0.5 + (w - 1) / 2;
      y = (x) => (x <= lo ? 0 : x > hi ? 255 : ((x - (c - 0.5)) / (w - 1) + 0.5) * 255);
    } else y = (x) => (x < c ? 0 : 255);
  } else if (px.bitsStored <= 8 && slope === 1 && intercept === 0 && !px.signed) {
    y = (x) => x;
  } else {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < n; i++) {
      if (m[i] < lo) lo = m[i];
      if (m[i] > hi) hi = m[i];
    }
    const range = hi - lo || 1;
    y = (x) => ((x - lo) / range) * 255;
  }
  const invert = px.photometric === 'MONOCHROME1';
  const data = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let v = y(m[i]);
    if (invert) v = 255 - v;
    data[i] = Math.min(255, Math.max(0, roundHalfEven(v)));
  }
  return { width: px.columns, height: px.rows, data };
}
