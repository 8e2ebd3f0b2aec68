// Runs an exported model folder (model.json + ONNX) with onnxruntime-node over the images listed
// in labels.csv for the given splits, preprocessing each image exactly as model.json says
// (8-bit grayscale via RGBA -> RGB -> L luma, sharp resize, x/scale, (x-mean)/std), and writes
// {"items": [{path, probabilities, features}]} for evaluate.py --predictions.
// The split of each image is read from a JSON list made by list_split.py (so the split rule
// lives in one place, cxr_data.py).
//
// usage: node models/training/onnx_predict.mjs <model dir> <data dir> <paths.json> <out.json>
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import * as ort from 'onnxruntime-node';

const [modelDir, dataDir, listFile, outFile] = process.argv.slice(2);
if (!outFile) {
  console.error('usage: onnx_predict.mjs <model dir> <data dir> <paths.json> <out.json>');
  process.exit(2);
}
const manifest = JSON.parse(readFileSync(join(modelDir, 'model.json'), 'utf8'));
const pre = manifest.preprocessing;
const { width, height, fit, kernel } = pre.resize;
const paths = JSON.parse(readFileSync(listFile, 'utf8'));
sharp.concurrency(1);

async function toGray(file) {
  const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
  const { channels } = info;
  const out = Buffer.alloc(info.width * info.height);
  for (let i = 0; i < out.length; i++) {
    out[i] =
      channels < 3
        ? data[i * channels]
        : (data[i * channels] * 19595 +
            data[i * channels + 1] * 38470 +
            data[i * channels + 2] * 7471 +
            0x8000) >>
          16;
  }
  return { data: out, width: info.width, height: info.height };
}

async function tensorOf(file) {
  const g = await toGray(file);
  const { data } = await sharp(g.data, { raw: { width: g.width, height: g.height, channels: 1 } })
    .grayscale()
    .resize({ width, height, fit, kernel })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const x = new Float32Array(width * height);
  for (let i = 0; i < x.length; i++) x[i] = (data[i] / pre.scale - pre.mean[0]) / pre.std[0];
  return x;
}

const session = await ort.InferenceSession.create(join(modelDir, manifest.file), {
  intraOpNumThreads: 2,
  interOpNumThreads: 1,
});
const items = [];
const batch = 16;
const t0 = Date.now();
for (let s = 0; s < paths.length; s += batch) {
  const part = paths.slice(s, s + batch);
  const input = new Float32Array(part.length * width * height);
  for (let j = 0; j < part.length; j++) input.set(await tensorOf(join(dataDir, part[j])), j * width * height);
  const out = await session.run({
    [manifest.input.name]: new ort.Tensor('float32', input, [part.length, 1, height, width]),
  });
  const probs = out[manifest.outputs.scores];
  const feats = out[manifest.outputs.features];
  const k = probs.dims[1];
  const d = feats.dims[1];
  for (let j = 0; j < part.length; j++) {
    items.push({
      path: part[j],
      probabilities: Array.from(probs.data.slice(j * k, (j + 1) * k)),
      features: Array.from(feats.data.slice(j * d, (j + 1) * d)),
    });
  }
}
writeFileSync(outFile, JSON.stringify({ model: manifest.id, sha256: manifest.sha256, items }));
console.log(`${items.length} images in ${((Date.now() - t0) / 1000).toFixed(1)} s -> ${outFile}`);
