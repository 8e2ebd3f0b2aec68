import * as process from 'node:process';
import type { AgentInfo } from '../protocol';
import { PROTOCOL_VERSION } from '../protocol';
import { configure, settings } from '../settings';
import { modelDirectories } from '../models/directories';
import { describeExecutionProvider } from '../models/executionProvider';
import { AGENT_VERSION } from '../version';
import type { HandlerTable } from './handler';

export async function agentInfo(): Promise<AgentInfo> {
  return {
    name: 'medlab-agent',
    version: AGENT_VERSION,
    protocolVersion: PROTOCOL_VERSION,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    pid: process.pid,
    modelsDirectories: modelDirectories(),
    executionProvider: await describeExecutionProvider(settings()),
  };
}

export const agentHandlers: HandlerTable = {
  'agent/info': () => agentInfo(),
  'agent/configure': async (params) => {
    configure(params);
    return agentInfo();
  },
  'agent/ping': async () => ({ pong: true, pid: process.pid }),
};
