/**
 * sha256 of model files, remembered per (path, size, mtime) so that listing models or opening one
 * again does not re-read hundreds of megabytes while still noticing a replaced or edited file.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import { fromFsError } from '../errors';

const known = new Map<string, { size: number; mtimeMs: number; sha256: string }>();

export async function sha256File(file: string): Promise<string> {
  let st: fs.Stats;
  try {
    st = await fs.promises.stat(file);
  } catch (e) {
    throw fromFsError(e, file);
  }
  const hit = known.get(file);
  if (hit && hit.size === st.size && hit.mtimeMs === st.mtimeMs) return hit.sha256;
  const sha256 = await new Promise<string>((resolve, reject) => {
    const hash = crypto.createHash('sha256');
    fs.createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', (e) => reject(fromFsError(e, file)))
      .on('end', () => resolve(hash.digest('hex')));
  });
  known.set(file, { size: st.size, mtimeMs: st.mtimeMs, sha256 });
  return sha256;
}
