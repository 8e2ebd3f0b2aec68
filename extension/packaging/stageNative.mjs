// Copies the agent's native modules (onnxruntime-node, sharp) for one platform into
// dist/node_modules, where dist/agent.js resolves them first, keeping only the runtime files:
// the .vsix then carries ~70 MB of binaries for its platform instead of ~300 MB for all of them.
// Usage: node extension/packaging/stageNative.mjs [--target linux-x64]
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');
const argIndex = process.argv.indexOf('--target');
const target = argIndex > 0 ? process.argv[argIndex + 1] : `${process.platform}-${process.arch}`;
const [platform, arch] = target.split('-');
const from = path.join(root, 'node_modules');
const to = path.join(root, 'dist', 'node_modules');

/** [package, files or folders inside it (relative), required] */
const plan = [
  ['onnxruntime-node', ['package.json', 'dist', `bin/napi-v6/${platform}/${arch}`], true],
  ['onnxruntime-common', ['package.json', 'dist/cjs'], true],
  ['sharp', ['package.json', 'LICENSE', 'dist'], true],
  [`@img/sharp-${platform}-${arch}`, ['.'], true],
  [`@img/sharp-libvips-${platform}-${arch}`, ['.'], platform !== 'win32'],
  ['@img/colour', ['.'], true],
  ['detect-libc', ['.'], true],
  ['semver', ['.'], true],
];

const skip = (name) => /\.(map|d\.ts|d\.mts|d\.cts|mjs|md)$/.test(name) && name !== 'README.md';

function copy(src, dest) {
  const st = fs.statSync(src);
  if (st.isDirectory()) {
    fs.mkdirSync(dest, { recursive: true });
    for (const entry of fs.readdirSync(src)) copy(path.join(src, entry), path.join(dest, entry));
  } else if (!skip(path.basename(src))) {
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.copyFileSync(src, dest);
  }
}

fs.rmSync(to, { recursive: true, force: true });
let bytes = 0;
for (const [pkg, parts, required] of plan) {
  const base = path.join(from, pkg);
  if (!fs.existsSync(base)) {
    if (required) {
      console.error(
        `stageNative: ${pkg} is not installed for ${target} (npm install --os=${platform} --cpu=${arch} needs the registry).`,
      );
      process.exit(1);
    }
    continue;
  }
  for (const part of parts) {
    const src = path.join(base, part);
    if (!fs.existsSync(src)) {
      console.error(`stageNative: ${path.relative(root, src)} is missing: cannot package for ${target}.`);
      process.exit(1);
    }
    copy(src, path.join(to, pkg, part));
  }
}
const walk = (d) =>
  fs.readdirSync(d, { withFileTypes: true }).forEach((e) => {
    const p = path.join(d, e.name);
    if (e.isDirectory()) walk(p);
    else bytes += fs.statSync(p).size;
  });
walk(to);
console.log(
  `stageNative: ${target} native modules in dist/node_modules (${(bytes / 1048576).toFixed(1)} MB)`,
);
