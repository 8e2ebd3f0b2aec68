/**
 * `npm run test:e2e`: installs the MedLab .vsix into code-server (VS Code 1.100.3), opens a
 * workspace of generated samples and real X-rays in Debian's Chromium, and drives it as a person
 * would. Screenshots land in test/e2e/shots/; on failure the code-server log is printed.
 */
import * as cp from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startCodeServer, type CodeServer } from './lib/codeServer';
import type { E2eContext, Scenario } from './lib/scenario';
import { openWorkbench, type Workbench } from './lib/workbench';
import { prepareWorkspace } from './lib/workspace';
import { startImageServerForE2e } from './lib/imagegen';
import { startOllamaForE2e } from './lib/ollama';
import { scenarios } from './scenarios';

const ROOT = path.resolve(__dirname, '..', '..');
const SHOTS = path.join(__dirname, 'shots');

function vsixPath(): string {
  const vsix = path.join(ROOT, 'medlab.vsix');
  if (!process.env.MEDLAB_E2E_SKIP_PACKAGE || !fs.existsSync(vsix)) {
    const r = cp.spawnSync('npm', ['run', 'package'], { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('npm run package failed');
  }
  return vsix;
}

async function main(): Promise<number> {
  const only = process.argv.slice(2);
  const chosen: Scenario[] = only.length
    ? scenarios.filter((s, i) => only.some((o) => s.name.includes(o) || String(i + 1) === o))
    : scenarios;
  fs.rmSync(SHOTS, { recursive: true, force: true });
  const state = fs.mkdtempSync(path.join(os.tmpdir(), 'medlab-e2e-'));
  const workspace = await prepareWorkspace(path.join(state, 'workspace'));
  const ollama = await startOllamaForE2e();
  const imagegen = await startImageServerForE2e();
  let server: CodeServer | undefined;
  let wb: Workbench | undefined;
  let failed = 0;
  const t0 = Date.now();
  try {
    server = await startCodeServer({
      stateDir: state,
      vsix: vsixPath(),
      settings: {
        'medlab.ollama.host': ollama.url,
        'medlab.ollama.chatModel': 'medgemma:4b',
        'medlab.imagegen.server': imagegen.url,
      },
    });
    wb = await openWorkbench(server.url, workspace, SHOTS);
    // The extension is active (and its menus contributed) once its status bar item shows the device.
    await wb.page
      .locator('.statusbar', { hasText: /MedLab: (CPU|CUDA|GPU)/ })
      .first()
      .waitFor({ timeout: 90_000 });
    const ctx: E2eContext = {
      wb,
      server,
      workspace,
      ollama,
      imagegen: imagegen.double,
      log: (l) => console.log(`    ${l}`),
    };
    for (const s of chosen) {
      const started = Date.now();
      try {
        await s.run(ctx);
        console.log(`  ✔ ${s.name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      } catch (e) {
        failed++;
        console.log(`  ✘ ${s.name}\n    ${e instanceof Error ? (e.stack ?? e.message) : e}`);
        await wb.shot(`FAILED-${s.name.replace(/[^a-z0-9]+/gi, '-')}`).catch(() => undefined);
      }
    }
    if (wb.outside.length) {
      failed++;
      console.log(`  ✘ requests left 127.0.0.1: ${wb.outside.slice(0, 5).join(', ')}`);
    }
  } catch (e) {
    failed++;
    console.log(`  ✘ setup: ${e instanceof Error ? (e.stack ?? e.message) : e}`);
  } finally {
    await wb?.close().catch(() => undefined);
    if (failed && server) console.log(`\n---- code-server log ----\n${server.log().slice(-20000)}`);
    await server?.stop();
    await ollama.close();
    await imagegen.close();
  }
  console.log(
    `\n${chosen.length - failed}/${chosen.length} scenarios passed in ${((Date.now() - t0) / 1000).toFixed(0)} s; screenshots in ${SHOTS}`,
  );
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
