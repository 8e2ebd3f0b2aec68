/**
 * X-ray datasets found in the workspace, from file paths alone (no file is opened): a dataset is
 * the nearest folder holding a labels CSV above its images, else the parent of the images' class
 * folder (the ImageFolder layout `<dataset>/<class>/<image>`). Classes are counted by folder name;
 * a dataset is "diagnosed" when a run left `<dataset>/.medlab/<model>/results.json`. Images MedLab
 * wrote itself are never a dataset: heat maps under `.medlab/`, and the illustrations that "Save to
 * workspace" puts in `<workspace folder>/illustrations/` (always PNG).
 */
export const IMAGE_EXTENSIONS = ['png', 'jpg', 'jpeg', 'tif', 'tiff', 'webp', 'bmp', 'dcm', 'dicom'] as const;

/** Glob for workspace.findFiles / watchers (globs are case-sensitive: both cases listed). */
export const IMAGE_GLOB = `**/*.{${IMAGE_EXTENSIONS.flatMap((e) => [e, e.toUpperCase()]).join(',')}}`;
export const RESULTS_GLOB = '**/.medlab/*/results.json';
export const LABELS_GLOB = '**/labels.csv';
/** Where the illustrations panel saves figures, below each workspace folder. */
export const ILLUSTRATIONS_FOLDER = 'illustrations';

export interface DatasetClass {
  name: string;
  count: number;
}

export interface DatasetRun {
  model: string;
  /** Path of results.json. */
  results: string;
}

export interface XrayDataset {
  /** Absolute folder path (forward slashes). */
  root: string;
  name: string;
  images: number;
  dicom: number;
  classes: DatasetClass[];
  runs: DatasetRun[];
  hasLabelsCsv: boolean;
}

const UNSORTED = '(no class folder)';

function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

function norm(p: string): string {
  return p.replace(/\\/g, '/').replace(/\/+$/, '');
}

export function isImagePath(p: string): boolean {
  const ext = p.slice(p.lastIndexOf('.') + 1).toLowerCase();
  return (IMAGE_EXTENSIONS as readonly string[]).includes(ext);
}

export function isDicomPath(p: string): boolean {
  return /\.(dcm|dicom)$/i.test(p);
}

/**
 * @param images absolute image paths
 * @param labelFiles absolute paths of labels CSVs
 * @param results absolute paths of `.medlab/<model>/results.json`
 * @param workspaceRoots folders a dataset root may not climb above
 */
export function groupDatasets(
  images: readonly string[],
  labelFiles: readonly string[],
  results: readonly string[],
  workspaceRoots: readonly string[],
): XrayDataset[] {
  const labelDirs = new Set(labelFiles.map((f) => dirname(norm(f))));
  const roots = workspaceRoots.map(norm);
  const byRoot = new Map<string, { classes: Map<string, number>; images: number; dicom: number }>();

  const labelledAncestor = (dir: string): string | undefined => {
    for (let d = dir; ; d = dirname(d)) {
      if (labelDirs.has(d)) return d;
      if (roots.includes(d) || d === '/' || dirname(d) === d) return undefined;
    }
  };

  const illustrations = roots.map((r) => `${r}/${ILLUSTRATIONS_FOLDER}/`);
  const writtenByMedLab = (file: string): boolean =>
    /\/\.medlab\//.test(file) ||
    (/\.png$/i.test(file) && illustrations.some((folder) => file.startsWith(folder)));

  for (const raw of images) {
    const file = norm(raw);
    if (writtenByMedLab(file) || !isImagePath(file)) continue;
    const dir = dirname(file);
    const labelled = labelledAncestor(dir);
    let root: string;
    let cls: string;
    if (labelled !== undefined) {
      root = labelled;
      cls = dir === labelled ? UNSORTED : basename(dir);
    } else if (roots.includes(dir)) {
      root = dir;
      cls = UNSORTED;
    } else {
      root = dirname(dir);
      cls = basename(dir);
    }
    let entry = byRoot.get(root);
    if (!entry) byRoot.set(root, (entry = { classes: new Map(), images: 0, dicom: 0 }));
    entry.images++;
    if (isDicomPath(file)) entry.dicom++;
    entry.classes.set(cls, (entry.classes.get(cls) ?? 0) + 1);
  }

  const runsByRoot = new Map<string, DatasetRun[]>();
  for (const raw of results) {
    const file = norm(raw);
    const m = /^(.*)\/\.medlab\/([^/]+)\/results\.json$/.exec(file);
    if (!m) continue;
    const list = runsByRoot.get(m[1]) ?? [];
    list.push({ model: m[2], results: file });
    runsByRoot.set(m[1], list);
  }

  return [...byRoot.entries()]
    .map(([root, e]) => ({
      root,
      name: basename(root) || root,
      images: e.images,
      dicom: e.dicom,
      classes: [...e.classes.entries()]
        .map(([name, count]) => ({ name, count }))
        .sort((a, b) => a.name.localeCompare(b.name)),
      runs: (runsByRoot.get(root) ?? []).sort((a, b) => a.model.localeCompare(b.model)),
      hasLabelsCsv: labelDirs.has(root),
    }))
    .sort((a, b) => a.root.localeCompare(b.root));
}

export function datasetDescription(d: XrayDataset): string {
  const parts = [`${d.images.toLocaleString('en-US')} image${d.images === 1 ? '' : 's'}`];
  const classes = d.classes.filter((c) => c.name !== UNSORTED).length;
  if (classes > 0) parts.push(`${classes} class${classes === 1 ? '' : 'es'}`);
  parts.push(d.runs.length ? `diagnosed (${d.runs.map((r) => r.model).join(', ')})` : 'not diagnosed');
  return parts.join(' · ');
}

export function datasetTooltip(d: XrayDataset): string {
  const lines = [
    d.root,
    `${d.images} images${d.dicom ? ` (${d.dicom} DICOM)` : ''}`,
    ...d.classes.map((c) => `  ${c.name}: ${c.count}`),
    d.hasLabelsCsv ? 'labels.csv present (labels and subgroups come from it)' : 'labels from class folders',
    d.runs.length ? `diagnosed with ${d.runs.map((r) => r.model).join(', ')}` : 'not diagnosed yet',
  ];
  return lines.join('\n');
}
