/**
 * Synthetic X-ray folders for pipeline tests. With the test classifier (models/support), a dark
 * image is predicted covid, a mid-grey one normal and a bright one pneumonia.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';

export const LEVEL = { covid: 40, normal: 128, pneumonia: 215 } as const;
export type TestClass = keyof typeof LEVEL;

/** A w x h grayscale image around `level`, with a gradient and a seed-dependent texture. */
export function grayPixels(level: number, w: number, h: number, seed: number): Uint8Array {
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const texture = ((x * 7 + y * 13 + seed * 31) % 17) - 8;
      out[y * w + x] = Math.max(0, Math.min(255, level + texture + Math.round((x / w - 0.5) * 10)));
    }
  }
  return out;
}

export async function writeImage(file: string, cls: TestClass, seed: number, size = 48): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const img = sharp(grayPixels(LEVEL[cls], size, size + 8, seed), {
    raw: { width: size, height: size + 8, channels: 1 },
  });
  const ext = path.extname(file).toLowerCase();
  const bytes =
    ext === '.png'
      ? await img.png().toBuffer()
      : ext === '.tif'
        ? await img.tiff({ compression: 'lzw' }).toBuffer()
        : await img.jpeg({ quality: 95 }).toBuffer();
  fs.writeFileSync(file, bytes);
}

/** `count` images per class in sub-folders named like the classes, with the given case. */
export async function classFolders(
  root: string,
  count: number,
  names: Record<TestClass, string> = { covid: 'covid', normal: 'normal', pneumonia: 'pneumonia' },
): Promise<string[]> {
  const files: string[] = [];
  let seed = 0;
  for (const cls of Object.keys(LEVEL) as TestClass[]) {
    for (let i = 0; i < count; i++) {
      const ext = ['.png', '.jpg', '.tif'][i % 3];
      const rel = `${names[cls]}/img_${String(i).padStart(4, '0')}${ext}`;
      await writeImage(path.join(root, rel), cls, seed++);
      files.push(rel);
    }
  }
  return files;
}

/** Every file under `dir` (relative paths), to check what a run wrote. */
export function listFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listFiles(path.join(dir, e.name), rel));
    else out.push(rel);
  }
  return out.sort();
}
