// `npm run package [-- --target linux-x64] [--out medlab.vsix]`: a .vsix for one platform that
// installs and runs offline: production bundles, the agent's native modules for that platform
// (staged into dist/node_modules), the bundled models. Works without network (vsce's API, no
// dependency scan: the bundles already contain every JavaScript dependency).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createVSIX } from '@vscode/vsce';

const root = path.resolve(import.meta.dirname, '..', '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const target = arg('--target', `${process.platform}-${process.arch}`);
const out = path.resolve(root, arg('--out', 'medlab.vsix'));
const run = (script, args = []) =>
  execFileSync(process.execPath, [script, ...args], { cwd: root, stdio: 'inherit' });

// Two packagings at once would build into, stage into and delete the same dist/: take turns.
const lock = path.join(root, 'dist', '.packaging.lock');
const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
fs.mkdirSync(path.dirname(lock), { recursive: true });
for (let waited = 0; ; waited += 500) {
  try {
    fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
    break;
  } catch {
    const holder = Number(fs.readFileSync(lock, 'utf8'));
    if (!alive(holder)) fs.rmSync(lock, { force: true });
    else if (waited > 600_000) throw new Error(`another packaging (pid ${holder}) holds ${lock}`);
    else await new Promise((r) => setTimeout(r, 500));
  }
}

try {
  run('esbuild.mjs', ['--production']);
  run('extension/packaging/stageNative.mjs', ['--target', target]);
  await createVSIX({
    cwd: root,
    packagePath: out,
    target,
    dependencies: false,
    allowMissingRepository: true,
    // The README's links to docs/*.md stay relative: docs/ ships in the .vsix, so they open offline.
    rewriteRelativeLinks: false,
    skipLicense: !fs.existsSync(path.join(root, 'LICENSE')),
  });
  const mb = (fs.statSync(out).size / 1048576).toFixed(1);
  console.log(`${path.relative(root, out)}: ${target}, ${mb} MB`);
} finally {
  // The staged copies would shadow node_modules during development.
  fs.rmSync(path.join(root, 'dist', 'node_modules'), { recursive: true, force: true });
  fs.rmSync(lock, { force: true });
}
