import * as esbuild from 'esbuild';
import * as path from 'node:path';
import { format } from 'node:util';
import type { Scenario } from '../lib/scenario';
import { expect } from '../lib/scenario';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/**
 * 6. mocha tests inside the extension host: a page of its own loads the unpacked extension
 * (extensionDevelopmentPath = the repository) with extensionTestsPath = the bundled suite.
 */
export const inHost: Scenario = {
  name: 'mocha tests inside the extension host',
  async run({ wb, server, workspace, log }) {
    // Bundled under the repository so `require('mocha')` resolves from its node_modules.
    const suite = path.join(ROOT, 'test', 'e2e', '.state', 'host', 'suite.js');
    await esbuild.build({
      entryPoints: [path.join(__dirname, '..', 'host', 'suite.ts')],
      outfile: suite,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['vscode', 'mocha'],
      logLevel: 'warning',
    });
    const page = await wb.page.context().newPage();
    let done: (code: unknown) => void = () => undefined;
    const exited = new Promise((r) => (done = r));
    const lines: string[] = [];
    await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) =>
      lines.push(format(...args)),
    );
    await page.exposeFunction('codeAutomationExit', (code: unknown) => done(code));
    const remote = `vscode-remote://127.0.0.1:${server.port}`;
    const payload = [
      ['extensionDevelopmentPath', `${remote}${ROOT}`],
      ['extensionTestsPath', `${remote}${suite}`],
    ];
    await page.goto(
      `${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`,
    );
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 180_000))]);
    for (const l of lines
      .join('\n')
      .split('\n')
      .filter((l) => /✔|✘|passing|failing|Error|\d+\)/.test(l)))
      log(l.trim());
    await page.close();
    expect(code === 0, `in-host mocha exited with ${String(code)}:\n${lines.join('\n').slice(-4000)}`);
  },
};
