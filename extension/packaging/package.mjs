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

run('esbuild.mjs', ['--production']);
run('extension/packaging/stageNative.mjs', ['--target', target]);
try {
  await createVSIX({
    cwd: root,
    packagePath: out,
    target,
    dependencies: false,
    allowMissingRepository: true,
    skipLicense: !fs.existsSync(path.join(root, 'LICENSE')),
  });
  const mb = (fs.statSync(out).size / 1048576).toFixed(1);
  console.log(`${path.relative(root, out)}: ${target}, ${mb} MB`);
} finally {
  // The staged copies would shadow node_modules during development.
  fs.rmSync(path.join(root, 'dist', 'node_modules'), { recursive: true, force: true });
}
