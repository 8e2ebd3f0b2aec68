import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import type { MessageConnection } from 'vscode-jsonrpc';
import type { AgentInfo } from '../../agent/protocol';
import { AgentClient, sendRequest } from '../../extension/agent/client';
import { isAlive } from '../../extension/agent/processTree';
import { RestartPolicy } from '../../extension/agent/restartPolicy';
import { AgentSupervisor, type AgentState } from '../../extension/agent/supervisor';
import { REPO_ROOT } from '../support/agentProcess';
import { FakeClock } from './fakeClock';

function waitFor(sup: AgentSupervisor, kind: AgentState['kind'], timeoutMs = 20_000): Promise<AgentState> {
  if (sup.state.kind === kind) return Promise.resolve(sup.state);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`state ${kind} not reached (now ${sup.state.kind})`));
    }, timeoutMs);
    const sub = sup.onDidChangeState((s) => {
      if (s.kind !== kind) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(s);
    });
  });
}

const initializeReal = (connection: MessageConnection): Promise<AgentInfo> =>
  sendRequest(connection, 'agent/configure', { executionProvider: 'cpu' });

function realAgentLaunch() {
  return {
    command: process.execPath,
    args: ['--import', 'tsx', path.join(REPO_ROOT, 'agent', 'main.ts')],
    env: { ...process.env },
    cwd: REPO_ROOT,
  };
}

describe('extension: restart policy', () => {
  it('backs off exponentially and gives up after 5 restarts within 3 minutes', () => {
    const policy = new RestartPolicy();
    const t0 = 0;
    const delays = [0, 1, 2, 3, 4].map((i) => policy.onCrash(t0 + i * 10_000));
    assert.deepEqual(
      delays.map((d) => (d.action === 'restart' ? d.delayMs : -1)),
      [500, 1000, 2000, 4000, 8000],
    );
    const sixth = policy.onCrash(t0 + 60_000);
    assert.equal(sixth.action, 'give-up');
  });

  it('forgets crashes older than the window and starts over after reset', () => {
    const policy = new RestartPolicy();
    for (let i = 0; i < 5; i++) policy.onCrash(i * 1000);
    // The first crash (t=0) is now older than 3 minutes: one slot is free again.
    const later = policy.onCrash(180_500);
    assert.equal(later.action, 'restart');
    assert.equal(policy.onCrash(180_600).action, 'give-up');
    policy.reset();
    const fresh = policy.onCrash(180_700);
    assert.deepEqual(fresh, { action: 'restart', delayMs: 500, attempt: 1 });
  });
});

describe('extension: agent supervisor', function () {
  this.timeout(60_000);

  it('restarts a crashing agent with backoff on its clock, then gives up and rejects requests', async () => {
    const clock = new FakeClock();
    const log: string[] = [];
    const sup = new AgentSupervisor({
      launch: () => ({
        command: process.execPath,
        args: ['-e', 'process.exit(3)'],
        env: { ...process.env },
        cwd: REPO_ROOT,
      }),
      initialize: initializeReal,
      log: (l) => log.push(l),
      clock,
    });
    const seen: string[] = [];
    sup.onDidChangeState((s) => seen.push(s.kind === 'restarting' ? `restarting ${s.delayMs}` : s.kind));
    sup.start();
    for (const delay of [500, 1000, 2000, 4000, 8000]) {
      await waitFor(sup, 'restarting');
      assert.deepEqual(clock.pending(), [delay], 'one restart timer with the backoff delay');
      clock.advance(delay - 1);
      assert.equal(sup.state.kind, 'restarting', 'not restarted before the delay');
      clock.advance(1);
      assert.equal(sup.state.kind, 'starting');
    }
    const failed = await waitFor(sup, 'failed');
    assert.match(failed.kind === 'failed' ? failed.reason : '', /6 times within 3 minutes/);
    assert.match(failed.kind === 'failed' ? failed.lastExit : '', /code 3/);
    assert.deepEqual(clock.pending(), [], 'no restart after giving up');
    const client = new AgentClient(() => sup.connection());
    await assert.rejects(client.request('agent/ping', {}), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'E_AGENT_UNAVAILABLE');
      assert.match(e.message, /not running/);
      return true;
    });
    assert.deepEqual(seen.slice(0, 3), ['starting', 'restarting 500', 'starting']);
    assert.ok(log.some((l) => /exited with code 3/.test(l)));
    await sup.stop();
  });

  it('runs the real agent, restarts it after SIGKILL, and kills it on stop', async () => {
    const clock = new FakeClock();
    const sup = new AgentSupervisor({
      launch: realAgentLaunch,
      initialize: initializeReal,
      log: () => undefined,
      clock,
    });
    const client = new AgentClient(() => sup.connection());
    sup.start();
    // A request made while starting waits for the agent instead of failing.
    const first = await client.request('agent/ping', {});
    const running = await waitFor(sup, 'running');
    assert.equal(running.kind === 'running' && running.pid, first.pid);
    assert.equal(running.kind === 'running' && running.info.executionProvider.requested, 'cpu');

    process.kill(first.pid, 'SIGKILL');
    const restarting = await waitFor(sup, 'restarting');
    assert.match(restarting.kind === 'restarting' ? restarting.lastExit : '', /SIGKILL/);
    clock.advance(500);
    const second = await client.request('agent/ping', {});
    assert.notEqual(second.pid, first.pid);
    assert.equal(second.pong, true);

    await sup.stop();
    assert.equal(sup.state.kind, 'stopped');
    assert.equal(isAlive(second.pid), false, 'agent process is gone after stop');
    await assert.rejects(client.request('agent/ping', {}), /stopped/);
  });

  it('kills the whole process tree, grandchildren included', async () => {
    // The "agent" starts a grandchild and reports its pid on stderr; stop() must end both.
    const script = `
      const cp = require('node:child_process');
      const g = cp.spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      process.stderr.write('grandchild ' + g.pid + '\\n');
      setInterval(() => {}, 1000);`;
    const log: string[] = [];
    const fakeInfo = { pid: 0, executionProvider: { active: 'cpu', reason: 'test' } } as AgentInfo;
    const sup = new AgentSupervisor({
      launch: () => ({
        command: process.execPath,
        args: ['-e', script],
        env: { ...process.env },
        cwd: REPO_ROOT,
      }),
      initialize: async () => fakeInfo,
      log: (l) => log.push(l),
    });
    sup.start();
    const running = await waitFor(sup, 'running');
    const pid = running.kind === 'running' ? running.pid : 0;
    let grandchild = 0;
    for (let i = 0; i < 100 && !grandchild; i++) {
      const line = log.find((l) => l.startsWith('grandchild '));
      if (line) grandchild = Number(line.split(' ')[1]);
      else await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(grandchild > 0 && isAlive(grandchild), 'grandchild started');
    await sup.stop();
    for (let i = 0; i < 40 && (isAlive(pid) || isAlive(grandchild)); i++)
      await new Promise((r) => setTimeout(r, 50));
    assert.equal(isAlive(pid), false, 'agent gone');
    assert.equal(isAlive(grandchild), false, 'grandchild gone');
  });
});
