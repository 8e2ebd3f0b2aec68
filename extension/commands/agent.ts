/** Agent commands: logs, restart, ping, info, and the status bar's action menu. */
import * as vscode from 'vscode';
import type { MedLabServices } from '../services';

export function registerAgentCommands(services: MedLabServices): vscode.Disposable[] {
  const { supervisor, agent, log } = services;
  const restart = async (): Promise<void> => {
    log.info('restart requested by the user');
    await supervisor.restart();
  };
  const ping = async (): Promise<void> => {
    try {
      const t0 = Date.now();
      const pong = await agent.request('agent/ping', {});
      vscode.window.showInformationMessage(
        `MedLab agent answered in ${Date.now() - t0} ms (pid ${pong.pid}).`,
      );
    } catch (e) {
      vscode.window.showErrorMessage(
        `MedLab agent did not answer: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  };
  const info = async (): Promise<void> => {
    try {
      const i = await agent.request('agent/info', {});
      log.info(`agent info: ${JSON.stringify(i)}`);
      const ep = i.executionProvider;
      vscode.window.showInformationMessage(
        `MedLab agent ${i.version} on Node ${i.node} (${i.platform}), pid ${i.pid}. Models run on ${ep.active.toUpperCase()}: ${ep.reason}`,
      );
    } catch (e) {
      vscode.window.showErrorMessage(
        `MedLab agent info unavailable: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  };
  return [
    vscode.commands.registerCommand('medlab.showLogs', () => log.show(true)),
    vscode.commands.registerCommand('medlab.restartAgent', restart),
    vscode.commands.registerCommand('medlab.pingAgent', ping),
    vscode.commands.registerCommand('medlab.showAgentInfo', info),
    vscode.commands.registerCommand('medlab.agentActions', async () => {
      const picked = await vscode.window.showQuickPick(
        [
          { label: 'Show Logs', run: () => log.show(true) },
          { label: 'Restart Agent', run: restart },
          { label: 'Ping Agent', run: ping },
          { label: 'Agent Info', run: info },
        ],
        { title: 'MedLab agent' },
      );
      await picked?.run();
    }),
  ];
}
