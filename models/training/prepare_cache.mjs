// Decodes every image listed in labels.csv exactly the way the MedLab agent does before inference
// (8-bit grayscale, RGBA -> RGB -> L with ITU-R 601 luma, then sharp/libvips resize) and writes one
// uint8 array [N, size, size] plus an index. Training and evaluation read this cache, so the
// pixels the model learns from are the pixels the agent will feed it.
//
// usage: node models/training/prepare_cache.mjs <data dir> <out dir> <size> [fit] [kernel]
import { readFileSync, writeFileSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';

const [dataDir, outDir, sizeArg, fit = 'cover', kernel = 'lanczos3'] = process.argv.slice(2);
if (!dataDir || !outDir || !sizeArg) {
  console.error('usage: prepare_cache.mjs <data dir> <out dir> <size> [fit] [kernel]');
  process.exit(2);
}
const size = Number(sizeArg);
sharp.concurrency(1);

/** The `path` column of labels.csv: the first field, never quoted in this file (checked). */
function readPaths(csvPath) {
  const lines = readFileSync(csvPath, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.length > 0);
  if (!lines[0].startsWith('path,')) throw new Error(`${csvPath}: first column must be 'path'`);
  return lines.slice(1).map((l, i) => {
    if (l.startsWith('"')) throw new Error(`${csvPath} line ${i + 2}: quoted path is not supported`);
    return l.slice(0, l.indexOf(','));
  });
}

/** Full-resolution 8-bit grayscale, as Pillow's convert('RGB').convert('L') would give. */
async function toGray(file) {
  const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
  const { width, height, channels } = info;
  if (channels === 1) return { data, width, height };
  if (channels === 2) {
    const out = Buffer.alloc(width * height);
    for (let i = 0; i < out.length; i++) out[i] = data[i * 2];
    return { data: out, width, height };
  }
  const out = Buffer.alloc(width * height);
  for (let i = 0; i < out.length; i++) {
    const r = data[i * channels];
    const g = data[i * channels + 1];
    const b = data[i * channels + 2];
    out[i] = (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;
  }
  return { data: out, width, height };
}

const paths = readPaths(join(dataDir, 'labels.csv'));
const all = Buffer.alloc(paths.length * size * size);
const t0 = Date.now();
for (let i = 0; i < paths.length; i++) {
  const g = await toGray(join(dataDir, paths[i]));
  const { data, info } = await sharp(g.data, { raw: { width: g.width, height: g.height, channels: 1 } })
    .grayscale()
    .resize({ width: size, height: size, fit, kernel })
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 1 || info.width !== size || info.height !== size) {
    throw new Error(`${paths[i]}: unexpected resize output ${info.width}x${info.height}x${info.channels}`);
  }
  data.copy(all, i * size * size);
}
mkdirSync(outDir, { recursive: true });
const base = join(outDir, `cache_${size}_${fit}_${kernel}`);
writeFileSync(`${base}.u8.tmp`, all);
renameSync(`${base}.u8.tmp`, `${base}.u8`);
writeFileSync(`${base}.json`, JSON.stringify({ size, fit, kernel, paths }));
console.log(`${paths.length} images -> ${base}.u8 in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
