/**
 * End-to-end X-ray folder diagnosis (scan, read, hash, decode, preprocess, inference, cache,
 * results) against a bare onnxruntime session running the same model on tensors prepared
 * beforehand, with the same session options (threads, no spinning), batch size, process and run.
 * The rate of a bare session with onnxruntime's default options is printed too.
 *
 * Target: the pipeline keeps at least 0.9 of the bare session's images/s with a DenseNet-121
 * (`cxr-densenet121`); the compact model's ratio is reported too.
 *
 * Environment: MEDLAB_BENCH_XRAY_IMAGES (default 240 real images from ../shared/data/xray/images),
 * MEDLAB_THREADS (default 2), MEDLAB_XRAY_BATCH (default 8), MEDLAB_MODELS (extra models folder).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { isImagePreprocessing } from '../agent/models/manifest';
import { findModel, listModels, type ModelEntry } from '../agent/models/registry';
import { baseSessionOptions, getModelSession } from '../agent/models/runtime';
import { silentContext } from '../agent/runContext';
import { configure } from '../agent/settings';
import { diagnose } from '../agent/xray/batch';
import { prepareImage } from '../agent/xray/prepare';
import { imageTensorSize } from '../agent/xray/preprocess';
import { sharedPath } from '../test/support/sharedData';
import { verdict } from './bench';

export const title = 'X-ray folder diagnosis vs a bare onnxruntime session (same model, threads, batch)';

const TARGET = 0.9;
const MODELS = ['cxr-densenet121', 'cxr-densenet-compact'];

function realImages(count: number): string[] {
  const root = sharedPath('xray', 'images');
  if (!fs.existsSync(root)) return [];
  const classes = fs.readdirSync(root).sort();
  const lists = classes.map((c) =>
    fs
      .readdirSync(path.join(root, c))
      .sort()
      .map((f) => path.join(root, c, f)),
  );
  const out: string[] = [];
  // Interleave the classes so any count is a mix of sources and sizes.
  for (let i = 0; out.length < count && lists.some((l) => i < l.length); i++) {
    for (const l of lists) if (i < l.length && out.length < count) out.push(l[i]);
  }
  return out;
}

/** A throw-away dataset folder of links to the real images (unlabelled: no metrics step). */
function linkedDataset(files: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medlab-bench-xray-'));
  files.forEach((f, i) =>
    fs.symlinkSync(f, path.join(dir, `${String(i).padStart(5, '0')}${path.extname(f)}`)),
  );
  return dir;
}

async function bareRate(
  entry: ModelEntry,
  tensors: Float32Array[],
  batch: number,
  options: ort.InferenceSession.SessionOptions,
): Promise<number> {
  const m = entry.manifest;
  const p = m.preprocessing;
  if (!isImagePreprocessing(p)) throw new Error('not an image model');
  const session = await ort.InferenceSession.create(entry.filePath, {
    ...options,
    executionProviders: ['cpu'],
  });
  const size = imageTensorSize(p);
  const dims = (n: number) => [n, p.color === 'rgb' ? 3 : 1, p.resize.height, p.resize.width];
  const feeds: ort.Tensor[] = [];
  for (let i = 0; i < tensors.length; i += batch) {
    const n = Math.min(batch, tensors.length - i);
    const data = new Float32Array(n * size);
    for (let j = 0; j < n; j++) data.set(tensors[i + j], j * size);
    feeds.push(new ort.Tensor('float32', data, dims(n)));
  }
  await session.run({ [m.input.name]: feeds[0] }); // warm-up
  const t0 = process.hrtime.bigint();
  for (const f of feeds) await session.run({ [m.input.name]: f }, [m.outputs.scores]);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  await session.release();
  return tensors.length / seconds;
}

async function pipelineRate(
  entry: ModelEntry,
  dataset: string,
  batch: number,
): Promise<{ rate: number; busy: number }> {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'medlab-bench-out-'));
  try {
    const t0 = process.hrtime.bigint();
    const r = await diagnose(
      { path: dataset, model: entry.manifest.id, out, batchSize: batch, maxRows: 0 },
      silentContext(),
    );
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    if (r.counts.computed !== r.counts.images)
      throw new Error(`only ${r.counts.computed} of ${r.counts.images} computed`);
    return { rate: r.counts.images / seconds, busy: r.engineBusy ?? 0 };
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

export async function run(print: (line: string) => void): Promise<boolean> {
  const count = Number(process.env.MEDLAB_BENCH_XRAY_IMAGES) || 240;
  const threads = Number(process.env.MEDLAB_THREADS) || 2;
  const batch = Number(process.env.MEDLAB_XRAY_BATCH) || 8;
  configure({ threads, executionProvider: 'cpu' });
  const files = realImages(count);
  if (files.length === 0) {
    print(`  SKIPPED: no images at ${sharedPath('xray', 'images')}`);
    return false;
  }
  const available = new Set((await listModels({ task: 'xray-classification' })).models.map((m) => m.id));
  const models = MODELS.filter((id) => available.has(id));
  if (!models.includes('cxr-densenet121'))
    print('  MISSING: cxr-densenet121 is not installed: the target cannot be checked');
  const dataset = linkedDataset(files);
  let ok = models.includes('cxr-densenet121');
  try {
    print(
      `  ${files.length} real images, ${threads} threads, batch ${batch}, CPU, ${os.cpus().length} cores`,
    );
    print('  model                   bare img/s  pipeline img/s  ratio  target');
    for (const id of models) {
      const entry = await findModel(id);
      const p = entry.manifest.preprocessing;
      if (!isImagePreprocessing(p)) continue;
      // Tensors for the bare session, made by the pipeline's own preprocessing (not timed).
      const tensors: Float32Array[] = [];
      const t0 = process.hrtime.bigint();
      for (const f of files) {
        const t = new Float32Array(imageTensorSize(p));
        await prepareImage(fs.readFileSync(f), f, p, t, 0, false);
        tensors.push(t);
      }
      const decodeMs = Number(process.hrtime.bigint() - t0) / 1e6 / files.length;
      await getModelSession(entry); // session creation is not part of the throughput
      const bare: number[] = [];
      const pipe: number[] = [];
      const plain: number[] = [];
      const busy: number[] = [];
      for (let rep = 0; rep < 2; rep++) {
        bare.push(await bareRate(entry, tensors, batch, baseSessionOptions(threads)));
        const piped = await pipelineRate(entry, dataset, batch);
        pipe.push(piped.rate);
        busy.push(piped.busy);
        plain.push(await bareRate(entry, tensors, batch, { intraOpNumThreads: threads }));
      }
      const b = Math.max(...bare);
      const q = Math.max(...pipe);
      const ratio = q / b;
      const gated = id === 'cxr-densenet121';
      if (gated && ratio < TARGET) ok = false;
      print(
        `  ${id.padEnd(24)}${b.toFixed(1).padStart(10)}${q.toFixed(1).padStart(16)}${ratio.toFixed(2).padStart(7)}  ` +
          (gated ? `>= ${TARGET} ${verdict(ratio >= TARGET)}` : 'reported'),
      );
      print(
        `    bare session with onnxruntime's default options: ${Math.max(...plain).toFixed(1)} img/s; ` +
          `model busy ${(100 * Math.max(...busy)).toFixed(0)} % of the pipeline run; ` +
          `read + decode + preprocess, one image at a time: ${decodeMs.toFixed(1)} ms/image`,
      );
    }
  } finally {
    fs.rmSync(dataset, { recursive: true, force: true });
  }
  return ok;
}
