/**
 * Finds the images of a dataset: a single file, or every image under a folder (recursively, in
 * path order). Files with an image extension are taken (a broken one becomes an error row later);
 * files with another or no extension are taken when their first bytes are an image signature
 * (DICOM files often have no extension), else skipped and listed. Hidden entries (".medlab",
 * ".git", macOS "._" files) are not looked at.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MedLabError, fromFsError, throwIfAborted } from '../errors';
import type { RunContext } from '../runContext';
import { kindFromContent, kindFromExtension } from './decode/decodeFile';

export interface ScannedFile {
  /** Relative to the dataset root, forward slashes. */
  rel: string;
  abs: string;
  size: number;
  mtimeMs: number;
}

export interface ScanResult {
  /** The dataset folder (the file's folder for a single file). */
  root: string;
  single: boolean;
  files: ScannedFile[];
  skipped: { path: string; reason: string }[];
}

async function head(file: string, bytes = 132): Promise<Uint8Array> {
  const fh = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

export async function scanImages(target: string, ctx: RunContext): Promise<ScanResult> {
  const abs = path.resolve(target);
  let st: fs.Stats;
  try {
    st = await fs.promises.stat(abs);
  } catch (e) {
    throw fromFsError(e, abs);
  }
  if (st.isFile()) {
    return {
      root: path.dirname(abs),
      single: true,
      files: [{ rel: path.basename(abs), abs, size: st.size, mtimeMs: st.mtimeMs }],
      skipped: [],
    };
  }
  if (!st.isDirectory())
    throw new MedLabError('E_USAGE', `${abs} is neither a file nor a folder`, { path: abs });

  const files: ScannedFile[] = [];
  const skipped: ScanResult['skipped'] = [];
  const visited = new Set<string>([await fs.promises.realpath(abs)]);
  const walk = async (dir: string): Promise<void> => {
    throwIfAborted(ctx.signal, 'folder scan');
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(dir, { withFileTypes: true });
    } catch (e) {
      skipped.push({ path: toRel(abs, dir), reason: `folder unreadable: ${fromFsError(e, dir).message}` });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      const rel = toRel(abs, full);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      let info: fs.Stats | undefined;
      if (entry.isSymbolicLink()) {
        try {
          info = await fs.promises.stat(full);
          isDir = info.isDirectory();
          isFile = info.isFile();
        } catch {
          skipped.push({ path: rel, reason: 'broken symbolic link' });
          continue;
        }
      }
      if (isDir) {
        const real = await fs.promises.realpath(full);
        if (visited.has(real)) continue; // link loop or a folder seen through another link
        visited.add(real);
        await walk(full);
        continue;
      }
      if (!isFile) {
        skipped.push({ path: rel, reason: 'not a regular file' });
        continue;
      }
      try {
        info ??= await fs.promises.stat(full);
        if (!kindFromExtension(entry.name)) {
          const kind = info.size > 0 ? kindFromContent(await head(full)) : undefined;
          if (!kind) {
            const ext = path.extname(entry.name);
            skipped.push({
              path: rel,
              reason: ext ? `not an image (${ext})` : 'not an image (no image signature)',
            });
            continue;
          }
        }
        files.push({ rel, abs: full, size: info.size, mtimeMs: info.mtimeMs });
      } catch (e) {
        skipped.push({ path: rel, reason: fromFsError(e, full).message });
      }
      if (files.length % 1000 === 0) ctx.progress({ message: `scanning: ${files.length} images found` });
    }
  };
  await walk(abs);
  return { root: abs, single: false, files, skipped };
}

function toRel(root: string, p: string): string {
  return path.relative(root, p).split(path.sep).join('/');
}
