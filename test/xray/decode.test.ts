import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import { isMedLabError } from '../../agent/errors';
import { decodeXray } from '../../agent/xray/decode/decodeFile';
import { findGeneratedMarker, GENERATED_PHRASE } from '../../agent/xray/decode/generatedMarker';
import type { GrayImage } from '../../agent/xray/decode/grayImage';
import { requireSharedData } from '../support/sharedData';
import { rleFrame, writeDicom } from './support/dicomWriter';
import { bmp24, bmp8, bmp32Bitfields, bmpRle8, pngWithText } from './support/imageFiles';

const W = 7;
const H = 5;
/** A small gray ramp with every value distinct enough to catch off-by-one mappings. */
const ramp = Uint8Array.from({ length: W * H }, (_, i) => (i * 37 + 11) % 256);

async function decodes(bytes: Uint8Array, name: string): Promise<GrayImage> {
  return decodeXray(bytes, name);
}

async function refusal(bytes: Uint8Array, name: string, code: string, pattern: RegExp): Promise<void> {
  await assert.rejects(decodeXray(bytes, name), (e: unknown) => {
    assert.ok(isMedLabError(e), String(e));
    assert.equal(e.code, code, e.message);
    assert.match(e.message, pattern);
    return true;
  });
}

function maxDiff(a: Uint8Array, b: Uint8Array): number {
  assert.equal(a.length, b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

describe('image decoding to 8-bit grayscale', () => {
  it('keeps the pixels of grayscale PNG and TIFF, and decodes JPEG', async () => {
    const raw = { raw: { width: W, height: H, channels: 1 as const } };
    const png = await sharp(ramp, raw).png().toBuffer();
    assert.deepEqual((await decodes(png, 'a.png')).data, ramp);
    const tiff = await sharp(ramp, raw).tiff({ compression: 'lzw' }).toBuffer();
    assert.deepEqual((await decodes(tiff, 'a.tif')).data, ramp);
    const jpeg = await sharp(ramp, raw).jpeg({ quality: 100 }).toBuffer();
    const j = await decodes(jpeg, 'a.jpg');
    assert.equal(j.width, W);
    assert.ok(maxDiff(j.data, ramp) <= 8);
  });

  it("turns RGB and RGBA into luma exactly as Pillow's convert('L') (alpha dropped)", async () => {
    const rgba = Uint8Array.from({ length: W * H * 4 }, (_, i) => (i * 53 + 7) % 256);
    const png = await sharp(rgba, { raw: { width: W, height: H, channels: 4 } })
      .png()
      .toBuffer();
    const img = await decodes(png, 'rgba.png');
    for (let i = 0; i < W * H; i++) {
      const [r, g, b] = [rgba[i * 4], rgba[i * 4 + 1], rgba[i * 4 + 2]];
      assert.equal(img.data[i], (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16, `pixel ${i}`);
    }
  });

  it('min-max scales 16-bit images', async () => {
    const v16 = Uint16Array.from([1000, 2000, 3000, 5000]);
    const png = await sharp(v16, { raw: { width: 4, height: 1, channels: 1 } })
      .toColourspace('grey16')
      .png()
      .toBuffer();
    const img = await decodes(png, 'wide.png');
    assert.deepEqual([...img.data], [0, 64, 128, 255]);
  });

  it('decodes BMP: 24-bit, 8-bit palette, 32-bit bit fields (top-down) and RLE8', async () => {
    assert.deepEqual((await decodes(bmp24(ramp, W, H), 'a.bmp')).data, ramp);
    assert.deepEqual((await decodes(bmp8(ramp, W, H), 'a.bmp')).data, ramp);
    assert.deepEqual((await decodes(bmp32Bitfields(ramp, W, H), 'a.bmp')).data, ramp);
    assert.deepEqual((await decodes(bmpRle8(ramp, W, H), 'a.bmp')).data, ramp);
    await refusal(bmp24(ramp, W, H).subarray(0, 60), 'cut.bmp', 'E_IMAGE_DECODE', /truncated/);
  });

  it('refuses empty, truncated and non-image files with a reason', async () => {
    await refusal(new Uint8Array(0), 'empty.png', 'E_IMAGE_DECODE', /empty file/);
    await refusal(Buffer.from('this is not an image at all'), 'notes.png', 'E_IMAGE_DECODE', /cannot decode/);
    const jpeg = await sharp(ramp, { raw: { width: W, height: H, channels: 1 } })
      .resize(200, 200)
      .jpeg()
      .toBuffer();
    await refusal(
      jpeg.subarray(0, Math.floor(jpeg.length / 2)),
      'half.jpg',
      'E_IMAGE_DECODE',
      /cannot decode/,
    );
    const png = await sharp(ramp, { raw: { width: W, height: H, channels: 1 } })
      .resize(200, 200)
      .png()
      .toBuffer();
    await refusal(png.subarray(0, Math.floor(png.length / 2)), 'half.png', 'E_IMAGE_DECODE', /cannot decode/);
  });
});

describe('AI-generated illustration marker', () => {
  it('finds the marker in tEXt, zTXt and iTXt chunks and refuses such images', async () => {
    const png = await sharp(ramp, { raw: { width: W, height: H, channels: 1 } })
      .png()
      .toBuffer();
    const cases: [string, Uint8Array][] = [
      ['tEXt keyword', pngWithText(png, 'tEXt', 'medlab:generated', 'true')],
      ['iTXt phrase', pngWithText(png, 'iTXt', 'Description', `${GENERATED_PHRASE} (prompt: chest x-ray)`)],
      ['zTXt phrase', pngWithText(png, 'zTXt', 'Comment', `An ${GENERATED_PHRASE.toUpperCase()}`)],
      ['compressed iTXt', pngWithText(png, 'iTXt', 'medlab:generated', 'yes', true)],
    ];
    for (const [what, bytes] of cases) {
      assert.ok(findGeneratedMarker(bytes), what);
      await refusal(bytes, 'gen.png', 'E_GENERATED_IMAGE', /AI-generated illustration/);
    }
    const ordinary = pngWithText(png, 'tEXt', 'Software', 'a scanner');
    assert.equal(findGeneratedMarker(ordinary), undefined);
    assert.deepEqual((await decodes(ordinary, 'ok.png')).data, ramp);
  });
});

describe('DICOM decoding (generated files)', () => {
  const n = W * H;

  it('applies rescale and the LINEAR window to signed 16-bit data', async () => {
    // stored s = v*4 - 500 (signed); m = s*0.5 + 250 = 2v; window c=255.5/2... chosen so display = v
    const stored = Array.from(ramp, (v) => v * 4 - 500);
    const dcm = writeDicom({
      rows: H,
      columns: W,
      bitsAllocated: 16,
      bitsStored: 12,
      signed: true,
      slope: 0.5,
      intercept: 250,
      window: { center: 255.5, width: 511 },
      pixels: stored,
    });
    const img = await decodes(dcm, 'signed.dcm');
    // LINEAR: y = ((2v - 255) / 510 + 0.5) * 255 = v
    assert.deepEqual(img.data, ramp);
  });

  it('inverts MONOCHROME1 and reads big endian', async () => {
    const dcm = writeDicom({
      rows: H,
      columns: W,
      bitsAllocated: 16,
      photometric: 'MONOCHROME1',
      window: { center: 32767.5, width: 65536 },
      transferSyntax: '1.2.840.10008.1.2.2',
      pixels: Array.from(ramp, (v) => (255 - v) * 257),
    });
    assert.deepEqual((await decodes(dcm, 'mono1.dcm')).data, ramp);
  });

  it('min-max scales wide data without a window and keeps 8-bit data as stored', async () => {
    const wide = writeDicom({
      rows: 1,
      columns: 3,
      bitsAllocated: 16,
      bitsStored: 12,
      pixels: [100, 1100, 2100],
    });
    assert.deepEqual([...(await decodes(wide, 'w.dcm')).data], [0, 128, 255]);
    const eight = writeDicom({ rows: H, columns: W, bitsAllocated: 8, pixels: ramp });
    assert.deepEqual((await decodes(eight, 'e.dcm')).data, ramp);
  });

  it('applies Modality and VOI LUT sequences when there is no window', async () => {
    // Modality LUT: stored s (0..34) -> 1000 + 10 s; VOI LUT (12-bit output) maps 1000 + 10 s -> v * 4095/255.
    const stored = Array.from({ length: n }, (_, i) => i);
    const modality = { firstMapped: 0, bits: 16, data: stored.map((s) => 1000 + 10 * s) };
    const voiData = new Array<number>(341).fill(0);
    stored.forEach((s) => (voiData[10 * s] = Math.round((ramp[s] * 4095) / 255)));
    const dcm = writeDicom({
      rows: H,
      columns: W,
      bitsAllocated: 16,
      modalityLut: modality,
      voiLut: { firstMapped: 1000, bits: 12, data: voiData },
      pixels: stored,
    });
    assert.deepEqual((await decodes(dcm, 'lut.dcm')).data, ramp);
  });

  it('decodes RLE lossless (8 and 16 bit) and uses the first frame of a multi-frame object', async () => {
    const rle8 = writeDicom({
      rows: H,
      columns: W,
      bitsAllocated: 8,
      transferSyntax: '1.2.840.10008.1.2.5',
      fragments: [rleFrame([ramp])],
    });
    assert.deepEqual((await decodes(rle8, 'r8.dcm')).data, ramp);
    const values = Array.from(ramp, (v) => v * 16);
    const hi = Uint8Array.from(values, (v) => v >> 8);
    const lo = Uint8Array.from(values, (v) => v & 255);
    const rle16 = writeDicom({
      rows: H,
      columns: W,
      bitsAllocated: 16,
      bitsStored: 12,
      window: { center: 2040.5, width: 4081 },
      transferSyntax: '1.2.840.10008.1.2.5',
      fragments: [rleFrame([hi, lo])],
    });
    assert.deepEqual((await decodes(rle16, 'r16.dcm')).data, ramp);
    const twoFrames = writeDicom({
      rows: H,
      columns: W,
      bitsAllocated: 8,
      frames: 2,
      pixels: [...ramp, ...new Uint8Array(n).fill(9)],
    });
    assert.deepEqual((await decodes(twoFrames, 'mf.dcm')).data, ramp);
  });

  it('decodes a JPEG baseline DICOM through sharp', async () => {
    const big = await sharp(ramp, { raw: { width: W, height: H, channels: 1 } })
      .resize(64, 48, { kernel: 'nearest' })
      .raw()
      .toBuffer();
    const jpeg = await sharp(big, { raw: { width: 64, height: 48, channels: 1 } })
      .jpeg({ quality: 95 })
      .toBuffer();
    const dcm = writeDicom({
      rows: 48,
      columns: 64,
      bitsAllocated: 8,
      transferSyntax: '1.2.840.10008.1.2.4.50',
      fragments: [jpeg],
    });
    const direct = await decodes(jpeg, 'same.jpg');
    assert.deepEqual((await decodes(dcm, 'jpeg.dcm')).data, direct.data);
  });

  it('refuses what it cannot decode, naming the transfer syntax or the field', async () => {
    const ls = writeDicom({
      rows: H,
      columns: W,
      bitsAllocated: 8,
      transferSyntax: '1.2.840.10008.1.2.4.80',
      fragments: [new Uint8Array(10)],
    });
    await refusal(
      ls,
      'ls.dcm',
      'E_DICOM',
      /JPEG-LS Lossless \(1\.2\.840\.10008\.1\.2\.4\.80\) is not supported/,
    );
    const palette = writeDicom({
      rows: H,
      columns: W,
      bitsAllocated: 8,
      photometric: 'PALETTE COLOR',
      pixels: ramp,
    });
    await refusal(palette, 'pal.dcm', 'E_DICOM', /PhotometricInterpretation PALETTE COLOR/);
    const short = writeDicom({ rows: H, columns: W, bitsAllocated: 16, pixels: ramp });
    await refusal(short.subarray(0, short.length - 20), 'cut.dcm', 'E_DICOM', /pixel data truncated/);
    await refusal(
      await sharp(ramp, { raw: { width: W, height: H, channels: 1 } })
        .jpeg()
        .toBuffer(),
      'renamed.dcm',
      'E_DICOM',
      /no "DICM" marker .*JPEG/,
    );
  });
});

describe('DICOM decoding (shared test files)', function () {
  let dir: string;
  let data: string;
  before(function () {
    dir = requireSharedData(this, 'xray-dicom');
    data = requireSharedData(this, 'xray');
  });

  it('gives the source image pixels for every lossless variant, and close ones for JPEG', async () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as {
      files: { file: string; source: string; decodable: boolean; is_dicom: boolean; exact: boolean }[];
    };
    const decodable = manifest.files.filter((f) => f.decodable && f.is_dicom);
    assert.ok(decodable.length >= 6);
    for (const f of decodable) {
      const dcm = await decodes(fs.readFileSync(path.join(dir, f.file)), f.file);
      const sourcePath = path.join(data, '..', f.source);
      const src = await decodes(fs.readFileSync(sourcePath), sourcePath);
      assert.equal(dcm.width, src.width, f.file);
      assert.equal(dcm.height, src.height, f.file);
      const d = maxDiff(dcm.data, src.data);
      if (f.exact) assert.equal(d, 0, f.file);
      else assert.ok(d <= 16, `${f.file}: max difference ${d}`);
    }
  });

  it('refuses the truncated and the renamed file with their reason', async () => {
    const truncated = path.join(dir, '07_broken_truncated_pixeldata.dcm');
    await refusal(fs.readFileSync(truncated), truncated, 'E_DICOM', /pixel data truncated/);
    const renamed = path.join(dir, '08_not_dicom_jpeg_renamed.dcm');
    await refusal(fs.readFileSync(renamed), renamed, 'E_DICOM', /not a DICOM file.*JPEG/);
  });

  it('never puts patient attributes into an error message', async () => {
    const bytes = fs.readFileSync(path.join(dir, '06_fake_patient_identifiers.dcm'));
    const cut = bytes.subarray(0, bytes.length - 1000);
    await assert.rejects(decodeXray(cut, 'p.dcm'), (e: unknown) => {
      assert.ok(isMedLabError(e));
      assert.doesNotMatch(e.message, /DOE|JANE|MRN-0001|SMITH/);
      return true;
    });
  });
});
