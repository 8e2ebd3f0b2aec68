/**
 * Starts code-server (VS Code 1.100's server + web workbench) on 127.0.0.1 with a throw-away
 * profile and the MedLab .vsix installed, and stops its whole process group afterwards.
 */
import * as cp from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

export interface CodeServer {
  url: string;
  port: number;
  stateDir: string;
  log(): string;
  stop(): Promise<void>;
}

const E2E_ROOT = path.resolve(__dirname, '..');
const BIN = path.join(E2E_ROOT, 'node_modules', '.bin', 'code-server');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

const USER_SETTINGS = {
  'security.workspace.trust.enabled': false,
  'security.workspace.trust.startupPrompt': 'never',
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'git.enabled': false,
  'remote.autoForwardPorts': false,
  'window.restoreWindows': 'none',
  'workbench.colorTheme': 'Default Light Modern',
};

export async function startCodeServer(opts: {
  stateDir: string;
  vsix?: string;
  settings?: Record<string, unknown>;
  env?: NodeJS.ProcessEnv;
}): Promise<CodeServer> {
  if (!fs.existsSync(BIN))
    throw new Error(`code-server is not installed: run test/e2e/install.sh (${BIN} missing)`);
  fs.mkdirSync(path.join(opts.stateDir, 'ud', 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(opts.stateDir, 'ud', 'User', 'settings.json'),
    JSON.stringify({ ...USER_SETTINGS, ...opts.settings }, null, 2),
  );
  fs.writeFileSync(path.join(opts.stateDir, 'config.yaml'), 'auth: none\ncert: false\n');
  const common = [
    '--user-data-dir',
    path.join(opts.stateDir, 'ud'),
    '--extensions-dir',
    path.join(opts.stateDir, 'exts'),
    '--config',
    path.join(opts.stateDir, 'config.yaml'),
  ];
  if (opts.vsix) {
    const r = cp.spawnSync(BIN, [...common, '--install-extension', opts.vsix, '--force'], {
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`installing ${opts.vsix} failed:\n${r.stdout}\n${r.stderr}`);
  }
  const port = await freePort();
  const logPath = path.join(opts.stateDir, 'code-server.log');
  const logFd = fs.openSync(logPath, 'w');
  const child = cp.spawn(
    BIN,
    [
      ...common,
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--ignore-last-opened',
    ],
    { detached: true, stdio: ['ignore', logFd, logFd], env: { ...process.env, ...opts.env } },
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.ok) break;
    } catch {
      // not up yet
    }
    if (child.exitCode !== null)
      throw new Error(`code-server exited early:\n${fs.readFileSync(logPath, 'utf8')}`);
    if (Date.now() > deadline)
      throw new Error(`code-server did not start in 60 s:\n${fs.readFileSync(logPath, 'utf8')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    port,
    stateDir: opts.stateDir,
    log: () => fs.readFileSync(logPath, 'utf8'),
    async stop() {
      // The whole process group: server, extension host, watcher and the MedLab agent.
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        return;
      }
      for (let i = 0; i < 50 && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 100));
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
      fs.closeSync(logFd);
    },
  };
}
