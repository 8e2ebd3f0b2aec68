/** Starts the real agent (sources through tsx) as a child process and gives a typed client. */
import * as cp from 'node:child_process';
import * as path from 'node:path';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import type { MethodName, ParamsOf, ResultOf } from '../../agent/protocol';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

export interface AgentHandle {
  child: cp.ChildProcessWithoutNullStreams;
  connection: MessageConnection;
  stderr: () => string;
  request<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>>;
  stop(): Promise<void>;
}

export function startAgent(env: NodeJS.ProcessEnv = {}): AgentHandle {
  const child = cp.spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'agent', 'main.ts')], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const connection = createMessageConnection(
    new StreamMessageReader(child.stdout),
    new StreamMessageWriter(child.stdin),
  );
  connection.listen();
  return {
    child,
    connection,
    stderr: () => err,
    request: (method, params) => connection.sendRequest(method, params),
    async stop() {
      connection.dispose();
      child.stdin.end();
      if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
    },
  };
}

/** Runs the CLI from the sources; resolves with exit code, stdout and stderr. */
export function runCli(
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = cp.spawn(
      process.execPath,
      ['--import', 'tsx', path.join(REPO_ROOT, 'agent', 'cli', 'main.ts'), ...args],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, ...opts.env },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`medlab ${args.join(' ')} timed out; stderr: ${stderr}`));
    }, opts.timeoutMs ?? 120000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}
