/** Small generated inputs for the language-model tests: an EDF with a patient name, a results.json, a model folder. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import { writeEdf } from '../../../samples/edf/writer';
import { overlay } from '../../../agent/xray/heatmap';
import type { XrayResultsFile } from '../../../agent/protocol';
import { tempDir, writeModelFolder } from '../../models/support/modelFolder';

export { tempDir };

/** Identifiers written into the EDF header (and its file name): none may reach Ollama. */
export const EDF_SECRETS = ['Doe', 'Jane', 'MCH-0042', 'MCH 0042', '1970', 'Dr_Whitmore', 'Whitmore', 'XR77'];

/** An EDF+ file named after its patient, with her name, code and birth date in the header. */
export async function writeNamedEdf(dir: string): Promise<string> {
  const file = path.join(dir, 'Doe_Jane_EEG.edf');
  const fs256 = 256;
  const seconds = 4;
  const channels = ['Fp1', 'Fp2', 'C3', 'C4', 'O1', 'O2'];
  const samples = channels.map((_, c) => {
    const x = new Float32Array(fs256 * seconds);
    for (let i = 0; i < x.length; i++) x[i] = 30 * Math.sin((2 * Math.PI * 10 * i) / fs256 + c);
    return x;
  });
  await writeEdf(
    file,
    {
      format: 'EDF+C',
      recordDuration: 1,
      signals: channels.map((label) => ({
        label: `EEG ${label}`,
        unit: 'uV',
        samplesPerRecord: fs256,
        physicalMin: -500,
        physicalMax: 500,
      })),
      start: { year: 2021, month: 3, day: 4, hour: 10, minute: 0, second: 0 },
      patient: 'MCH-0042 F 02-MAR-1970 Doe_Jane',
      recording: 'Startdate 04-MAR-2021 XR77 Dr_Whitmore NeuroAmp',
    },
    samples,
  );
  return file;
}

export const TEST_CARD = `# Test CXR classifier

## Training data
Synthetic grey images.

## Limitations
- Trained on children only: adult images are out of distribution.
- Learns image brightness, a shortcut unrelated to disease.

## Other
Nothing else.
`;

/** A models folder with an X-ray test model whose card states limits. */
export function writeModels(root: string, id = 'test-cxr'): string {
  const models = path.join(root, 'models');
  writeModelFolder(models, { id, card: TEST_CARD });
  return models;
}

/** An overlay as the diagnosis run draws it (agent/xray/heatmap.ts), activation in the lower right. */
async function writeOverlay(file: string): Promise<void> {
  const size = 64;
  const image = { width: size, height: size, data: new Uint8Array(size * size).fill(110) };
  const cam = { width: 8, height: 8, data: new Float32Array(64) };
  cam.data[6 * 8 + 6] = 1;
  cam.data[6 * 8 + 5] = 0.6;
  const o = overlay(
    image,
    cam,
    { scaleX: 1, scaleY: 1, offsetX: 0, offsetY: 0 },
    { width: size, height: size },
  );
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(
    file,
    await sharp(o.rgb, { raw: { width: o.width, height: o.height, channels: 3 } })
      .png()
      .toBuffer(),
  );
}

/** A results.json (two rows: one named like a person, with a patient id and a heat map). */
export async function writeXrayResults(dir: string, modelId = 'test-cxr'): Promise<string> {
  const dataset = path.join(dir, 'dataset');
  fs.mkdirSync(path.join(dataset, 'pneumonia'), { recursive: true });
  const out = path.join(dataset, '.medlab', modelId);
  fs.mkdirSync(out, { recursive: true });
  const labels = ['covid', 'normal', 'pneumonia'];
  const file: XrayResultsFile = {
    format: 'medlab-xray-results',
    version: 1,
    createdAt: '2025-06-01T10:00:00.000Z',
    complete: true,
    dataset,
    model: {
      id: modelId,
      name: 'Test CXR classifier',
      version: '0.0.1',
      sha256: '0'.repeat(64),
      task: 'xray-classification',
    },
    labels,
    labelSource: 'csv',
    subgroupColumns: ['patient_id', 'view', 'source'],
    counts: { images: 2, computed: 2, cached: 0, errors: 0, skipped: 0, labelled: 2 },
    skipped: [],
    missing: [],
    rows: [
      {
        path: 'normal/img_0001.png',
        label: 'normal',
        prediction: 'normal',
        probabilities: { covid: 0.05, normal: 0.9, pneumonia: 0.05 },
        error: null,
        subgroups: { patient_id: 'kermany_person77', view: 'PA', source: 'kermany' },
      },
      {
        path: 'pneumonia/Roe_Richard_CXR.png',
        label: 'normal',
        prediction: 'pneumonia',
        probabilities: { covid: 0.04, normal: 0.15, pneumonia: 0.81 },
        error: null,
        subgroups: { patient_id: 'MRN-55123', view: 'AP', source: 'nih' },
        heatmap: 'heatmaps/pneumonia/Roe_Richard_CXR.png.png',
      },
    ],
  };
  const results = path.join(out, 'results.json');
  fs.writeFileSync(results, JSON.stringify(file, null, 2));
  await writeOverlay(path.join(out, file.rows[1].heatmap!));
  return results;
}
