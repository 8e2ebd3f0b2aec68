/**
 * The model registry: every folder with a `model.json` under the install's `models/` and the
 * user's models directory. A folder whose manifest is invalid, or whose model file is missing or
 * differs from the manifest's sha256, is refused and reported with the field at fault.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MedLabError, describeError, fromFsError, isMedLabError } from '../errors';
import type { ModelList, ModelManifest, ModelProblem, ModelSummary } from '../protocol';
import { modelDirectories } from './directories';
import { sha256File } from './fileHash';
import { eegPreprocessing } from '../eeg/predict/eegPreprocessing';
import { EEG_TASK_PREFIX, validateManifest } from './manifest';
import { readJsonFile } from '../files/readJsonFile';

export const MANIFEST_FILE = 'model.json';
export const CARD_FILE = 'MODEL_CARD.md';

export interface ModelEntry {
  manifest: ModelManifest;
  directory: string;
  manifestPath: string;
  /** Absolute path of the ONNX file. */
  filePath: string;
  cardPath: string | null;
  origin: 'install' | 'user';
}

interface Scan {
  directories: string[];
  entries: ModelEntry[];
  problems: ModelProblem[];
}

function problemOf(directory: string, e: unknown): ModelProblem {
  const err = isMedLabError(e) ? e : new MedLabError('E_INTERNAL', describeError(e));
  return {
    directory,
    code: err.code,
    message: err.message,
    ...(err.data.field ? { field: err.data.field } : {}),
  };
}

async function readEntry(directory: string, origin: ModelEntry['origin']): Promise<ModelEntry> {
  const manifestPath = path.join(directory, MANIFEST_FILE);
  const raw = await readJsonFile(manifestPath, 'E_MODEL_MANIFEST');
  const manifest = validateManifest(raw, manifestPath);
  // EEG preprocessing is defined by the EEG room; checking it here refuses a bad folder when it is listed, not when used.
  if (manifest.task.startsWith(EEG_TASK_PREFIX)) eegPreprocessing(manifest, manifestPath);
  const cardPath = path.join(directory, CARD_FILE);
  return {
    manifest,
    directory,
    manifestPath,
    filePath: path.join(directory, manifest.file),
    cardPath: fs.existsSync(cardPath) ? cardPath : null,
    origin,
  };
}

/** Reads and validates every manifest (no hashing). Later duplicates of an id are refused. */
async function scan(): Promise<Scan> {
  const directories = modelDirectories();
  const entries: ModelEntry[] = [];
  const problems: ModelProblem[] = [];
  const byId = new Map<string, ModelEntry>();
  for (const [i, root] of directories.entries()) {
    const origin = i === 0 ? 'install' : 'user';
    let names: fs.Dirent[];
    try {
      names = await fs.promises.readdir(root, { withFileTypes: true });
    } catch (e) {
      // The install may ship without models; a user directory that is missing is worth saying.
      if (origin === 'user') problems.push(problemOf(root, fromFsError(e, root)));
      continue;
    }
    for (const d of names
      .filter((n) => n.isDirectory() || n.isSymbolicLink())
      .sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const directory = path.join(root, d.name);
      if (!fs.existsSync(path.join(directory, MANIFEST_FILE))) continue;
      try {
        const entry = await readEntry(directory, origin);
        const prior = byId.get(entry.manifest.id);
        if (prior) {
          throw new MedLabError(
            'E_MODEL_MANIFEST',
            `${entry.manifestPath}: id "${entry.manifest.id}" is already used by ${prior.directory}`,
            { path: entry.manifestPath, field: 'id' },
          );
        }
        byId.set(entry.manifest.id, entry);
        entries.push(entry);
      } catch (e) {
        problems.push(problemOf(directory, e));
      }
    }
  }
  return { directories, entries, problems };
}

/** Throws E_MODEL_FILE when the ONNX file is missing or its sha256 differs from the manifest. */
export async function verifyModelFile(entry: ModelEntry): Promise<void> {
  const { filePath, manifest, manifestPath } = entry;
  let st: fs.Stats;
  try {
    st = await fs.promises.stat(filePath);
  } catch {
    throw new MedLabError(
      'E_MODEL_FILE',
      `${manifestPath}: file "${manifest.file}" not found in ${entry.directory}`,
      {
        path: filePath,
        field: 'file',
      },
    );
  }
  if (!st.isFile()) {
    throw new MedLabError('E_MODEL_FILE', `${manifestPath}: file "${manifest.file}" is not a regular file`, {
      path: filePath,
      field: 'file',
    });
  }
  const actual = await sha256File(filePath);
  if (actual !== manifest.sha256) {
    const lfs = st.size < 1024 && fs.readFileSync(filePath, 'utf8').startsWith('version https://git-lfs');
    throw new MedLabError(
      'E_MODEL_FILE',
      `${filePath}: sha256 ${actual} differs from the manifest's sha256 ${manifest.sha256}` +
        (lfs ? ' (the file is a Git LFS pointer: run git lfs pull)' : ' (file altered or replaced)'),
      { path: filePath, field: 'sha256', detail: { expected: manifest.sha256, actual } },
    );
  }
}

function summaryOf(entry: ModelEntry, verified: boolean): ModelSummary {
  const m = entry.manifest;
  return {
    id: m.id,
    name: m.name,
    version: m.version,
    task: m.task,
    labels: m.labels,
    directory: entry.directory,
    origin: entry.origin,
    sha256: m.sha256,
    verified,
    hasHeatmaps: m.outputs.cam !== undefined,
    hasCard: entry.cardPath !== null,
    intendedUse: m.intendedUse,
  };
}

export function modelSummary(entry: ModelEntry): ModelSummary {
  return summaryOf(entry, true);
}

/** Every usable model (manifest valid, file verified), and every refused folder with its reason. */
export async function listModels(filter: { task?: string } = {}): Promise<ModelList> {
  const { directories, entries, problems } = await scan();
  const models: ModelSummary[] = [];
  for (const entry of entries) {
    if (filter.task && entry.manifest.task !== filter.task) continue;
    try {
      await verifyModelFile(entry);
      models.push(summaryOf(entry, true));
    } catch (e) {
      problems.push(problemOf(entry.directory, e));
    }
  }
  return { directories, models, problems };
}

/** The model with this id, manifest validated and file verified; otherwise a typed error saying why. */
export async function findModel(id: string): Promise<ModelEntry> {
  const { directories, entries, problems } = await scan();
  const entry = entries.find((e) => e.manifest.id === id);
  if (!entry) {
    const refused = problems.find((p) => path.basename(p.directory) === id);
    if (refused) {
      throw new MedLabError(refused.code, refused.message, {
        path: refused.directory,
        ...(refused.field ? { field: refused.field } : {}),
      });
    }
    const known = entries.map((e) => e.manifest.id);
    throw new MedLabError(
      'E_NOT_FOUND',
      `no model "${id}" in ${directories.join(', ')}` +
        (known.length ? ` (available: ${known.join(', ')})` : ' (no models installed)'),
      { field: 'model' },
    );
  }
  await verifyModelFile(entry);
  return entry;
}

/**
 * The model a task uses when none is named: the `preferred` ids in order, else the first usable
 * model of the task by id.
 */
export async function defaultModel(task: string, preferred: string[]): Promise<ModelEntry> {
  const list = await listModels({ task });
  const usable = new Set(list.models.map((m) => m.id));
  const id = preferred.find((p) => usable.has(p)) ?? [...usable].sort()[0];
  if (!id) {
    const why = list.problems.length ? ` (refused: ${list.problems.map((p) => p.message).join('; ')})` : '';
    throw new MedLabError('E_NOT_FOUND', `no usable ${task} model in ${list.directories.join(', ')}${why}`, {
      field: 'model',
    });
  }
  return findModel(id);
}
