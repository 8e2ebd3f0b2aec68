import * as assert from 'node:assert/strict';
import { ResponseError } from 'vscode-jsonrpc/node';
import { AGENT_ERROR, PROTOCOL_VERSION } from '../../agent/protocol';
import { startAgent, runCli, type AgentHandle } from '../support/agentProcess';

describe('agent over JSON-RPC', () => {
  let agent: AgentHandle;
  before(() => {
    agent = startAgent();
  });
  after(() => agent.stop());

  it('answers ping and info with its protocol version and execution provider', async () => {
    const pong = await agent.request('agent/ping', {});
    assert.equal(pong.pong, true);
    assert.equal(pong.pid, agent.child.pid);
    const info = await agent.request('agent/info', {});
    assert.equal(info.protocolVersion, PROTOCOL_VERSION);
    assert.ok(['cpu', 'cuda'].includes(info.executionProvider.active));
    assert.ok(info.executionProvider.reason.length > 0);
  });

  it('reports an unknown method as a typed error and keeps serving', async () => {
    await assert.rejects(agent.connection.sendRequest('nope/nothing', {}), (e: unknown) => {
      assert.ok(e instanceof ResponseError);
      assert.equal(e.code, AGENT_ERROR);
      assert.equal((e.data as { code: string }).code, 'E_NOT_FOUND');
      return true;
    });
    assert.equal((await agent.request('agent/ping', {})).pong, true);
  });

  it('applies settings from agent/configure', async () => {
    const info = await agent.request('agent/configure', { executionProvider: 'cpu', threads: 1 });
    assert.equal(info.executionProvider.active, 'cpu');
    assert.equal(info.executionProvider.threads, 1);
  });

  it('writes nothing but protocol messages on stdout, and exits when stdin closes', async () => {
    const a = startAgent();
    await a.request('agent/ping', {});
    const exited = new Promise<number | null>((r) => a.child.once('exit', (code) => r(code)));
    a.child.stdin.end();
    assert.equal(await exited, 0);
    assert.match(a.stderr(), /exiting: (stdin|connection) closed/);
  });
});

describe('medlab CLI basics', () => {
  it('exits 2 with a one-line message for an unknown command or a bad option', async () => {
    const r1 = await runCli(['frobnicate']);
    assert.equal(r1.code, 2);
    assert.match(r1.stderr, /unknown command "frobnicate"/);
    const r2 = await runCli(['info', '--threads', 'many']);
    assert.equal(r2.code, 2);
    assert.match(r2.stderr, /--threads expects a number, got "many"/);
  });

  it('prints help for a command and JSON for info', async () => {
    const help = await runCli(['info', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /usage: medlab info/);
    const r = await runCli(['info', '--json']);
    assert.equal(r.code, 0);
    const info = JSON.parse(r.stdout);
    assert.equal(info.name, 'medlab-agent');
  });
});
