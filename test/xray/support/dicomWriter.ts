/**
 * Writes small DICOM Part 10 files for tests (explicit VR little or big endian, native or
 * encapsulated pixel data), so decoder cases that the shared files do not cover can be checked.
 */

export interface DicomSpec {
  rows: number;
  columns: number;
  bitsAllocated: 8 | 16;
  bitsStored?: number;
  highBit?: number;
  signed?: boolean;
  photometric?: string;
  samplesPerPixel?: number;
  planar?: number;
  frames?: number;
  slope?: number;
  intercept?: number;
  window?: { center: number; width: number };
  voiFunction?: string;
  /** LUT sequences (one item): entries map stored (modality) or modality (VOI) values from firstMapped on. */
  modalityLut?: LutSpec;
  voiLut?: LutSpec;
  transferSyntax?: string;
  /** Native pixel values (stored), frames concatenated; or encapsulated fragments. */
  pixels?: ArrayLike<number>;
  fragments?: Uint8Array[];
}

export interface LutSpec {
  firstMapped: number;
  bits: number;
  data: number[];
}

const EXPLICIT_LE = '1.2.840.10008.1.2.1';
const EXPLICIT_BE = '1.2.840.10008.1.2.2';

function pad(s: string, vr: string): Buffer {
  const b = Buffer.from(s, 'latin1');
  return b.length % 2 ? Buffer.concat([b, Buffer.from(vr === 'UI' ? [0] : [0x20])]) : b;
}

class Writer {
  private parts: Buffer[] = [];
  constructor(private readonly bigEndian: boolean) {}

  u16(v: number): Buffer {
    const b = Buffer.alloc(2);
    if (this.bigEndian) b.writeUInt16BE(v);
    else b.writeUInt16LE(v);
    return b;
  }

  u32(v: number): Buffer {
    const b = Buffer.alloc(4);
    if (this.bigEndian) b.writeUInt32BE(v);
    else b.writeUInt32LE(v);
    return b;
  }

  element(group: number, el: number, vr: string, value: Buffer): void {
    const long = ['OB', 'OW', 'SQ', 'UN', 'UT'].includes(vr);
    this.parts.push(this.u16(group), this.u16(el), Buffer.from(vr, 'latin1'));
    if (long) this.parts.push(Buffer.alloc(2), this.u32(value.length));
    else this.parts.push(this.u16(value.length));
    this.parts.push(value);
  }

  str(group: number, el: number, vr: string, s: string): void {
    this.element(group, el, vr, pad(s, vr));
  }

  us(group: number, el: number, v: number): void {
    this.element(group, el, 'US', this.u16(v));
  }

  raw(b: Buffer): void {
    this.parts.push(b);
  }

  bytes(): Buffer {
    return Buffer.concat(this.parts);
  }
}

export function writeDicom(spec: DicomSpec): Buffer {
  const ts = spec.transferSyntax ?? EXPLICIT_LE;
  const meta = new Writer(false);
  meta.element(0x0002, 0x0001, 'OB', Buffer.from([0, 1]));
  meta.str(0x0002, 0x0002, 'UI', '1.2.840.10008.5.1.4.1.1.7');
  meta.str(0x0002, 0x0003, 'UI', '2.25.1234');
  meta.str(0x0002, 0x0010, 'UI', ts);
  const metaBody = meta.bytes();
  const group = new Writer(false);
  group.element(0x0002, 0x0000, 'UL', Buffer.from(Uint32Array.of(metaBody.length).buffer));

  const big = ts === EXPLICIT_BE;
  const ds = new Writer(big);
  const samples = spec.samplesPerPixel ?? 1;
  ds.us(0x0028, 0x0002, samples);
  ds.str(0x0028, 0x0004, 'CS', spec.photometric ?? 'MONOCHROME2');
  if (samples > 1) ds.us(0x0028, 0x0006, spec.planar ?? 0);
  if (spec.frames) ds.str(0x0028, 0x0008, 'IS', String(spec.frames));
  ds.us(0x0028, 0x0010, spec.rows);
  ds.us(0x0028, 0x0011, spec.columns);
  ds.us(0x0028, 0x0100, spec.bitsAllocated);
  ds.us(0x0028, 0x0101, spec.bitsStored ?? spec.bitsAllocated);
  ds.us(0x0028, 0x0102, spec.highBit ?? (spec.bitsStored ?? spec.bitsAllocated) - 1);
  ds.us(0x0028, 0x0103, spec.signed ? 1 : 0);
  if (spec.window) {
    ds.str(0x0028, 0x1050, 'DS', String(spec.window.center));
    ds.str(0x0028, 0x1051, 'DS', String(spec.window.width));
  }
  if (spec.intercept !== undefined) ds.str(0x0028, 0x1052, 'DS', String(spec.intercept));
  if (spec.slope !== undefined) ds.str(0x0028, 0x1053, 'DS', String(spec.slope));
  if (spec.voiFunction) ds.str(0x0028, 0x1056, 'CS', spec.voiFunction);
  const lutSequence = (element: number, lut: LutSpec) => {
    const item = new Writer(big);
    item.element(
      0x0028,
      0x3002,
      'US',
      Buffer.concat([item.u16(lut.data.length), item.u16(lut.firstMapped & 0xffff), item.u16(lut.bits)]),
    );
    item.element(0x0028, 0x3006, 'OW', Buffer.concat(lut.data.map((v) => item.u16(v))));
    const body = item.bytes();
    ds.element(
      0x0028,
      element,
      'SQ',
      Buffer.concat([ds.u16(0xfffe), ds.u16(0xe000), ds.u32(body.length), body]),
    );
  };
  if (spec.modalityLut) lutSequence(0x3000, spec.modalityLut);
  if (spec.voiLut) lutSequence(0x3010, spec.voiLut);

  if (spec.fragments) {
    // Encapsulated: undefined length, empty basic offset table, fragments, sequence delimiter.
    ds.raw(
      Buffer.concat([ds.u16(0x7fe0), ds.u16(0x0010), Buffer.from('OB'), Buffer.alloc(2), ds.u32(0xffffffff)]),
    );
    const item = (body: Buffer) => Buffer.concat([ds.u16(0xfffe), ds.u16(0xe000), ds.u32(body.length), body]);
    ds.raw(item(Buffer.alloc(0)));
    for (const f of spec.fragments) {
      const b = Buffer.from(f);
      ds.raw(item(b.length % 2 ? Buffer.concat([b, Buffer.from([0])]) : b));
    }
    ds.raw(Buffer.concat([ds.u16(0xfffe), ds.u16(0xe0dd), ds.u32(0)]));
  } else {
    const values = spec.pixels ?? [];
    const bytesPer = spec.bitsAllocated / 8;
    const data = Buffer.alloc(values.length * bytesPer + ((values.length * bytesPer) % 2));
    for (let i = 0; i < values.length; i++) {
      const v = values[i] < 0 ? values[i] + 2 ** spec.bitsAllocated : values[i];
      if (bytesPer === 1) data[i] = v;
      else if (big) data.writeUInt16BE(v, i * 2);
      else data.writeUInt16LE(v, i * 2);
    }
    ds.element(0x7fe0, 0x0010, spec.bitsAllocated === 8 ? 'OB' : 'OW', data);
  }
  return Buffer.concat([Buffer.alloc(128), Buffer.from('DICM'), group.bytes(), metaBody, ds.bytes()]);
}

/** PackBits-encodes one byte plane the way DICOM RLE expects (literal runs only: simple, valid). */
export function rleFrame(planes: Uint8Array[]): Uint8Array {
  const segments = planes.map((plane) => {
    const out: number[] = [];
    for (let i = 0; i < plane.length; i += 128) {
      const chunk = plane.subarray(i, Math.min(plane.length, i + 128));
      out.push(chunk.length - 1, ...chunk);
    }
    if (out.length % 2) out.push(0x80); // no-op byte keeps segments even
    return Buffer.from(out);
  });
  const header = Buffer.alloc(64);
  header.writeUInt32LE(segments.length, 0);
  let offset = 64;
  segments.forEach((s, i) => {
    header.writeUInt32LE(offset, 4 + 4 * i);
    offset += s.length;
  });
  return Buffer.concat([header, ...segments]);
}
