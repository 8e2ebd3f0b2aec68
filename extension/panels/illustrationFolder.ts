/**
 * Where "Save to workspace" writes: `illustrations/` at the workspace folder's root, and never
 * inside an X-ray dataset (a generated figure among X-rays would be read as a case). Datasets are
 * found the way the X-ray Datasets view finds them. Pure: the panel passes the file lists.
 */
import { groupDatasets, ILLUSTRATIONS_FOLDER } from '../views/xrayDatasetModel';

const norm = (p: string): string => p.replace(/\\/g, '/').replace(/\/+$/, '');

export function defaultIllustrationFolder(workspaceRoot: string): string {
  return `${norm(workspaceRoot)}/${ILLUSTRATIONS_FOLDER}`;
}

export function isInside(folder: string, parent: string): boolean {
  const f = norm(folder);
  const p = norm(parent);
  return f === p || f.startsWith(`${p}/`);
}

/**
 * The X-ray dataset folder that `folder` lies in, if any. Images already inside `folder` are left
 * out: they are the illustrations saved before, not a dataset's class folder.
 */
export function datasetHolding(
  folder: string,
  images: readonly string[],
  labelFiles: readonly string[],
  workspaceRoots: readonly string[],
): string | undefined {
  const others = images.filter((i) => !isInside(i, folder));
  const datasets = groupDatasets(others, labelFiles, [], workspaceRoots.map(norm));
  return datasets.find((d) => isInside(folder, d.root))?.root;
}

/** Why a folder may not receive illustrations, in words; undefined when it may. */
export function folderProblem(folder: string, dataset: string | undefined): string | undefined {
  if (!dataset) return undefined;
  return `${norm(folder)} is inside the X-ray dataset ${dataset}: a generated figure there would be read as a case. Choose a folder outside it.`;
}
