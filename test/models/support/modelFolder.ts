/** Writes a model folder (model.json, model.onnx, MODEL_CARD.md) the way a lab would drop one in. */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { camClassifier, type CamClassifierSpec } from './onnxGraph';

export const TEST_LABELS = ['covid', 'normal', 'pneumonia'];

/** Dark images -> covid, mid-grey -> normal, bright -> pneumonia (after (x/255 - 0.5) / 0.25). */
export const TEST_CLASSIFIER: CamClassifierSpec = { size: 32, weights: [-3, 0, 3], biases: [0, 0.5, 0] };

export function tempDir(prefix = 'medlab-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface ModelFolderOptions {
  id?: string;
  labels?: string[];
  onnx?: Uint8Array;
  /** Merged over the generated manifest (null deletes a field). */
  manifest?: Record<string, unknown>;
  card?: string | null;
}

export function testManifest(
  id: string,
  onnx: Uint8Array,
  labels = TEST_LABELS,
  size = 32,
): Record<string, unknown> {
  return {
    id,
    name: `Test classifier ${id}`,
    version: '0.0.1',
    task: 'xray-classification',
    file: 'model.onnx',
    sha256: crypto.createHash('sha256').update(onnx).digest('hex'),
    labels,
    input: { name: 'input', shape: [-1, 1, size, size], dtype: 'float32' },
    outputs: { scores: 'probabilities', scoreType: 'probabilities', cam: 'cam', features: 'features' },
    preprocessing: {
      kind: 'image',
      color: 'grayscale',
      resize: { width: size, height: size, fit: 'fill', kernel: 'lanczos3' },
      scale: 255,
      mean: [0.5],
      std: [0.25],
    },
    license: 'MIT (test model)',
    trainingData: 'none: weights set by hand for tests',
    intendedUse: 'Tests only. Not for clinical use.',
    metrics: {},
  };
}

/** Creates `<root>/<id>/` and returns the folder. */
export function writeModelFolder(root: string, options: ModelFolderOptions = {}): string {
  const id = options.id ?? 'test-cam';
  const onnx = options.onnx ?? camClassifier(TEST_CLASSIFIER);
  const dir = path.join(root, id);
  fs.mkdirSync(dir, { recursive: true });
  const manifest: Record<string, unknown> = { ...testManifest(id, onnx, options.labels) };
  for (const [k, v] of Object.entries(options.manifest ?? {})) {
    if (v === null) delete manifest[k];
    else manifest[k] = v;
  }
  fs.writeFileSync(path.join(dir, 'model.onnx'), onnx);
  fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(manifest, null, 2));
  if (options.card !== null) {
    fs.writeFileSync(
      path.join(dir, 'MODEL_CARD.md'),
      options.card ?? `# ${id}\n\nTest model. Not for clinical use.\n`,
    );
  }
  return dir;
}
