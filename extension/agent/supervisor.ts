/**
 * Keeps one agent process alive: spawns it, initialises the connection, restarts it after a crash
 * with backoff (RestartPolicy), gives up on a crash loop, and kills the whole process tree when
 * stopped. Free of `vscode` so the restart logic is tested in plain Node with a fake clock.
 */
import * as cp from 'node:child_process';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import type { MessageConnection } from 'vscode-jsonrpc';
import type { AgentInfo } from '../../agent/protocol';
import { Emitter, type Event } from './events';
import type { AgentLaunch } from './launch';
import { killProcessTree } from './processTree';
import { RestartPolicy } from './restartPolicy';

export type AgentState =
  | { kind: 'starting'; attempt: number }
  | { kind: 'running'; pid: number; info: AgentInfo }
  | { kind: 'restarting'; delayMs: number; attempt: number; lastExit: string }
  | { kind: 'failed'; reason: string; lastExit: string }
  | { kind: 'stopped' };

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export interface SupervisorOptions {
  /** Read on every (re)start so a changed node path takes effect. */
  launch: () => AgentLaunch;
  /** Runs on each new connection before the agent counts as running (agent/configure, agent/info). */
  initialize: (connection: MessageConnection) => Promise<AgentInfo>;
  log: (line: string) => void;
  clock?: Clock;
  policy?: RestartPolicy;
  /** How long spawning + initialize may take before the attempt counts as a crash. */
  startTimeoutMs?: number;
  /** Grace period between SIGTERM and SIGKILL when stopping. */
  killGraceMs?: number;
}

interface Running {
  child: cp.ChildProcess;
  connection: MessageConnection;
  gone: boolean;
  exited: Promise<void>;
}

export class AgentSupervisor {
  private readonly stateEmitter = new Emitter<AgentState>();
  readonly onDidChangeState: Event<AgentState> = this.stateEmitter.event;

  private current: Running | undefined;
  private currentState: AgentState = { kind: 'stopped' };
  private restartTimer: unknown;
  private attempt = 0;
  private waiters: { resolve(c: MessageConnection): void; reject(e: Error): void }[] = [];
  private readonly clock: Clock;
  private readonly policy: RestartPolicy;

  constructor(private readonly options: SupervisorOptions) {
    this.clock = options.clock ?? systemClock;
    this.policy = options.policy ?? new RestartPolicy();
  }

  get state(): AgentState {
    return this.currentState;
  }

  /** Resolves with the connection of a running agent; rejects when the agent is stopped or gave up. */
  connection(): Promise<MessageConnection> {
    const s = this.currentState;
    if (s.kind === 'running' && this.current) return Promise.resolve(this.current.connection);
    if (s.kind === 'stopped') return Promise.reject(new Error('the MedLab agent is stopped'));
    if (s.kind === 'failed') return Promise.reject(new Error(`the MedLab agent is not running: ${s.reason}`));
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  start(): void {
    if (this.current || this.restartTimer !== undefined) return;
    this.attempt = 0;
    this.spawn();
  }

  /** A restart the user asked for: kills any current process and starts with a fresh budget. */
  async restart(): Promise<void> {
    await this.stop();
    this.policy.reset();
    this.start();
  }

  /** Stops the agent and its process tree; no restart follows. */
  async stop(): Promise<void> {
    if (this.restartTimer !== undefined) {
      this.clock.clearTimeout(this.restartTimer);
      this.restartTimer = undefined;
    }
    const running = this.current;
    this.current = undefined;
    this.setState({ kind: 'stopped' });
    if (!running) return;
    running.gone = true;
    running.connection.dispose();
    running.child.stdin?.end();
    const pid = running.child.pid;
    if (pid !== undefined && running.child.exitCode === null && running.child.signalCode === null) {
      killProcessTree(pid, 'SIGTERM');
      const grace = new Promise<'timeout'>((r) =>
        setTimeout(() => r('timeout'), this.options.killGraceMs ?? 2000),
      );
      if ((await Promise.race([running.exited, grace])) === 'timeout') killProcessTree(pid, 'SIGKILL');
    }
  }

  /** New agent info after agent/configure (e.g. the execution provider changed). */
  updateInfo(info: AgentInfo): void {
    const s = this.currentState;
    if (s.kind === 'running') this.setState({ ...s, info });
  }

  dispose(): Promise<void> {
    const stopped = this.stop();
    this.stateEmitter.dispose();
    return stopped;
  }

  private setState(state: AgentState): void {
    this.currentState = state;
    if (state.kind === 'running' && this.current) {
      for (const w of this.waiters.splice(0)) w.resolve(this.current.connection);
    } else if (state.kind === 'stopped' || state.kind === 'failed') {
      const reason =
        state.kind === 'failed'
          ? `the MedLab agent is not running: ${state.reason}`
          : 'the MedLab agent was stopped';
      for (const w of this.waiters.splice(0)) w.reject(new Error(reason));
    }
    this.stateEmitter.fire(state);
  }

  private spawn(): void {
    this.attempt++;
    this.setState({ kind: 'starting', attempt: this.attempt });
    const launch = this.options.launch();
    this.options.log(`starting agent: ${launch.command} ${launch.args.join(' ')}`);
    const child = cp.spawn(launch.command, launch.args, {
      cwd: launch.cwd,
      env: launch.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      // Own process group on POSIX so stop() can signal the whole tree.
      detached: process.platform !== 'win32',
      windowsHide: true,
    });
    const exited = new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.once('error', () => resolve());
    });
    const connection = createMessageConnection(
      new StreamMessageReader(child.stdout!),
      new StreamMessageWriter(child.stdin!),
    );
    const running: Running = { child, connection, gone: false, exited };
    this.current = running;

    child.stderr?.setEncoding('utf8');
    let partial = '';
    child.stderr?.on('data', (chunk: string) => {
      const lines = (partial + chunk).split(/\r?\n/);
      partial = lines.pop() ?? '';
      for (const line of lines) if (line) this.options.log(line);
    });
    child.once('error', (e) => this.onGone(running, `could not start ${launch.command}: ${e.message}`));
    child.once('exit', (code, signal) =>
      this.onGone(running, signal ? `killed by ${signal}` : `exited with code ${code}`),
    );
    // A broken pipe on stdin after a crash is reported by 'exit'; do not let it throw.
    child.stdin?.on('error', () => undefined);
    connection.onError(([e]) => this.options.log(`agent connection error: ${e.message}`));
    connection.listen();

    const timeoutMs = this.options.startTimeoutMs ?? 30_000;
    const timer = setTimeout(() => {
      if (this.current === running && this.currentState.kind === 'starting') {
        this.options.log(`agent did not answer within ${timeoutMs} ms; killing it`);
        if (child.pid !== undefined) killProcessTree(child.pid, 'SIGKILL');
      }
    }, timeoutMs);
    this.options
      .initialize(connection)
      .then((info) => {
        if (this.current !== running || running.gone) return;
        this.options.log(
          `agent running: pid ${child.pid}, ${info.executionProvider.active} (${info.executionProvider.reason})`,
        );
        this.setState({ kind: 'running', pid: child.pid ?? info.pid, info });
      })
      .catch((e: unknown) => {
        if (this.current !== running || running.gone) return;
        this.options.log(`agent initialisation failed: ${e instanceof Error ? e.message : String(e)}`);
        if (child.pid !== undefined) killProcessTree(child.pid, 'SIGKILL');
      })
      .finally(() => clearTimeout(timer));
  }

  private onGone(running: Running, how: string): void {
    if (running.gone) return;
    running.gone = true;
    running.connection.dispose();
    if (this.current !== running) return;
    this.current = undefined;
    this.options.log(`agent ${how}`);
    const decision = this.policy.onCrash(this.clock.now());
    if (decision.action === 'give-up') {
      const minutes = Math.round(decision.windowMs / 60_000);
      this.setState({
        kind: 'failed',
        reason: `it crashed ${decision.restartsInWindow + 1} times within ${minutes} minutes`,
        lastExit: how,
      });
      return;
    }
    this.options.log(`restarting agent in ${decision.delayMs} ms (restart ${decision.attempt})`);
    this.setState({
      kind: 'restarting',
      delayMs: decision.delayMs,
      attempt: decision.attempt,
      lastExit: how,
    });
    this.restartTimer = this.clock.setTimeout(() => {
      this.restartTimer = undefined;
      this.spawn();
    }, decision.delayMs);
  }
}
