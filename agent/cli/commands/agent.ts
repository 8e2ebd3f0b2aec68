import { agentInfo } from '../../rpc/agent';
import type { Command } from '../command';

const info: Command = {
  words: ['info'],
  summary: 'agent version, models directories and execution provider (CPU/CUDA) with the reason',
  positionals: [],
  options: [],
  async run(_args, io) {
    const i = await agentInfo();
    if (io.json) return io.out(JSON.stringify(i, null, 2));
    io.out(`medlab ${i.version} (protocol ${i.protocolVersion}) on node ${i.node} ${i.platform}`);
    io.out(
      `execution provider: ${i.executionProvider.active} (${i.executionProvider.reason}); threads ${i.executionProvider.threads}`,
    );
    io.out(`models: ${i.modelsDirectories.join(', ')}`);
  },
};

export const agentCommands: Command[] = [info];
