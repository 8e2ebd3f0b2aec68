// One bundle per target: the agent (stdio server), the CLI, the extension, one per webview panel.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const nativeModules = ['onnxruntime-node', 'sharp'];

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
};

const webviewDir = 'webview';
const panels = fs
  .readdirSync(webviewDir, { withFileTypes: true })
  .filter(
    (d) => d.isDirectory() && d.name !== 'common' && fs.existsSync(path.join(webviewDir, d.name, 'main.ts')),
  )
  .map((d) => d.name);

const targets = [
  {
    ...common,
    entryPoints: { agent: 'agent/main.ts', cli: 'agent/cli/main.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: nativeModules,
  },
  {
    ...common,
    entryPoints: { extension: 'extension/extension.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', ...nativeModules],
  },
  ...(panels.length
    ? [
        {
          ...common,
          entryPoints: Object.fromEntries(panels.map((p) => [p, path.join(webviewDir, p, 'main.ts')])),
          outdir: 'dist/webview',
          platform: 'browser',
          format: 'iife',
          target: 'es2022',
          loader: { '.css': 'text' },
        },
      ]
    : []),
];

if (watch) {
  for (const t of targets) await (await esbuild.context(t)).watch();
} else {
  await Promise.all(targets.map((t) => esbuild.build(t)));
}
