/**
 * `xray/heatmap`: one image, its probabilities and the class activation overlay of one class
 * (default: the prediction), returned as PNG bytes; nothing is written.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MedLabError, fromFsError, throwIfAborted } from '../errors';
import { isImagePreprocessing } from '../models/manifest';
import { getModelSession } from '../models/runtime';
import { argmaxRow, probabilityRows } from '../models/scores';
import type { XrayHeatmap, XrayHeatmapParams } from '../protocol';
import type { RunContext } from '../runContext';
import { resolveXrayModel } from './batch';
import { decodeXray } from './decode/decodeFile';
import { camOf, overlayPng } from './heatmap';
import { imageTensorSize, inputGeometry, preprocess } from './preprocess';

export async function heatmapForImage(params: XrayHeatmapParams, ctx: RunContext): Promise<XrayHeatmap> {
  const model = await resolveXrayModel(params.model);
  const m = model.manifest;
  const p = m.preprocessing;
  if (!isImagePreprocessing(p))
    throw new MedLabError('E_USAGE', `model ${m.id} is not an image model`, { field: 'model' });
  if (!m.outputs.cam) {
    throw new MedLabError('E_USAGE', `model ${m.id} has no class activation output (outputs.cam)`, {
      field: 'model',
    });
  }
  let label: number | undefined;
  if (params.label !== undefined) {
    label = m.labels.findIndex((l) => l.toLowerCase() === params.label!.toLowerCase());
    if (label < 0) {
      throw new MedLabError('E_USAGE', `label "${params.label}" is not one of ${m.labels.join(', ')}`, {
        field: 'label',
      });
    }
  }
  const file = path.resolve(params.path);
  let bytes: Buffer;
  try {
    bytes = await fs.promises.readFile(file);
  } catch (e) {
    throw fromFsError(e, file);
  }
  const image = await decodeXray(bytes, file);
  throwIfAborted(ctx.signal, 'heat map');
  const session = await getModelSession(model);
  const n = m.input.shape[0] > 0 ? m.input.shape[0] : 1;
  const size = imageTensorSize(p);
  const input = new Float32Array(n * size);
  await preprocess(image, p, input, 0);
  const dims = [n, p.color === 'rgb' ? 3 : 1, p.resize.height, p.resize.width];
  const out = await session.run({ [m.input.name]: { data: input, dims } }, [m.outputs.scores, m.outputs.cam]);
  const k = m.labels.length;
  const probs = probabilityRows(out[m.outputs.scores].data, k, m.outputs.scoreType);
  const predicted = argmaxRow(probs, k, 0);
  const shown = label ?? predicted;
  const cam = out[m.outputs.cam];
  const { png, width, height } = await overlayPng(
    image,
    camOf(cam.data, cam.dims, 0, shown),
    inputGeometry(image, p),
    p.resize,
  );
  return {
    label: m.labels[shown],
    prediction: m.labels[predicted],
    probabilities: Object.fromEntries(m.labels.map((l, i) => [l, probs[i]])),
    png: png.toString('base64'),
    width,
    height,
  };
}
