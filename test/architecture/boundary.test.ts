/**
 * The design's one rule across the process boundary: the extension and the webviews import only
 * `agent/protocol.ts` from the agent (anything else would bundle agent code into the UI and fork
 * its logic), and webviews import no Node module (they run in a browser).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.tsx?$/.test(e.name) ? [p] : [];
  });
}

/** Module specifiers of every import / export-from / dynamic import in a file. */
function specifiers(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"`;]*?from\s*['"]([^'"]+)['"]/g))
    found.push(m[1]);
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push(m[1]);
  return found;
}

/** Imports from `dir` (relative to `root`) into `<root>/agent` other than agent/protocol. */
function agentImports(dir: string, root = ROOT): string[] {
  const agent = path.join(root, 'agent');
  return sources(path.join(root, dir)).flatMap((file) =>
    specifiers(file)
      .filter((s) => s.startsWith('.'))
      .map((s) => path.resolve(path.dirname(file), s))
      .filter((target) => target.startsWith(agent + path.sep) && target !== path.join(agent, 'protocol'))
      .map((target) => `${path.relative(root, file)} imports ${path.relative(root, target)}`),
  );
}

describe('architecture: the extension/agent boundary', () => {
  it('the extension imports nothing from the agent but agent/protocol', () => {
    assert.deepEqual(agentImports('extension'), []);
  });

  it('the webviews import nothing from the agent but agent/protocol, and no Node module', () => {
    assert.deepEqual(agentImports('webview'), []);
    const node = sources(path.join(ROOT, 'webview')).flatMap((file) =>
      specifiers(file)
        .filter((s) => s.startsWith('node:'))
        .map((s) => `${path.relative(ROOT, file)} imports ${s}`),
    );
    assert.deepEqual(node, []);
  });

  it('finds an offending import (the check itself works)', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'medlab-boundary-'));
    try {
      fs.mkdirSync(path.join(root, 'extension', 'chat'), { recursive: true });
      fs.writeFileSync(
        path.join(root, 'extension', 'chat', 'x.ts'),
        "import type { Methods } from '../../agent/protocol';\nimport { safeFileLabel } from '../../agent/llm/deidentify';\n",
      );
      assert.deepEqual(agentImports('extension', root), ['extension/chat/x.ts imports agent/llm/deidentify']);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
