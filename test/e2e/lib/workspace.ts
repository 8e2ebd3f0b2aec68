/**
 * The workspace the e2e tests open: generated EEG samples, and a small labelled X-ray folder
 * copied from ../shared/data/xray into the temporary workspace (never into the repository).
 */
import * as cp from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const SHARED = path.resolve(process.env.MEDLAB_SHARED_DATA ?? path.join(ROOT, '..', 'shared', 'data'));
const PER_CLASS = 4;

export async function prepareWorkspace(dir: string): Promise<string> {
  const recordings = path.join(dir, 'recordings');
  fs.mkdirSync(recordings, { recursive: true });
  const r = cp.spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'samples', 'generate.ts'), recordings],
    { cwd: ROOT, encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`sample generation failed: ${r.stderr}`);
  fs.rmSync(path.join(recordings, 'index.json'), { force: true });
  const xray = path.join(SHARED, 'xray', 'images');
  if (!fs.existsSync(xray)) {
    if (process.env.CI === 'true') throw new Error(`shared X-ray data missing under CI: ${xray}`);
    console.log(`  SKIPPED X-ray part: ${xray} not found`);
    return dir;
  }
  for (const cls of ['covid', 'normal', 'pneumonia']) {
    const dest = path.join(dir, 'xray', cls);
    fs.mkdirSync(dest, { recursive: true });
    const files = fs
      .readdirSync(path.join(xray, cls))
      .filter((f) => /\.(jpe?g|png)$/i.test(f))
      .sort()
      .slice(0, PER_CLASS);
    files.forEach((f, i) =>
      fs.copyFileSync(path.join(xray, cls, f), path.join(dest, `${cls}-${i + 1}${path.extname(f)}`)),
    );
  }
  return dir;
}
