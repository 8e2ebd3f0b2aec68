/**
 * Wires the agent supervisor to VS Code: launch from the settings, configure on every start,
 * re-configure or restart when settings change, and tell the user when it gave up.
 */
import * as vscode from 'vscode';
import { sendRequest } from './agent/client';
import { agentLaunch } from './agent/launch';
import { AgentSupervisor } from './agent/supervisor';
import {
  AGENT_SETTING_KEYS,
  SETTING_KEYS,
  agentEnvironmentOf,
  agentSettingsOf,
  type MedLabSettings,
} from './settings';

export function createSupervisor(
  context: vscode.ExtensionContext,
  settings: () => MedLabSettings,
  log: vscode.LogOutputChannel,
): AgentSupervisor {
  return new AgentSupervisor({
    launch: () =>
      agentLaunch({
        extensionRoot: context.extensionPath,
        nodePath: settings().agentNodePath,
        execPath: process.execPath,
        env: process.env,
        agentEnv: agentEnvironmentOf(settings()),
      }),
    initialize: (connection) => sendRequest(connection, 'agent/configure', agentSettingsOf(settings())),
    log: (line) => log.info(line),
  });
}

export function superviseAgent(
  supervisor: AgentSupervisor,
  settings: () => MedLabSettings,
  log: vscode.LogOutputChannel,
): vscode.Disposable[] {
  const onState = supervisor.onDidChangeState(async (state) => {
    if (state.kind !== 'failed') return;
    const choice = await vscode.window.showErrorMessage(
      `The MedLab agent stopped: ${state.reason} (last: ${state.lastExit}).`,
      'Show Logs',
      'Restart',
    );
    if (choice === 'Show Logs') log.show(true);
    else if (choice === 'Restart') await supervisor.restart();
  });
  const onConfig = vscode.workspace.onDidChangeConfiguration(async (e) => {
    if (e.affectsConfiguration(`medlab.${SETTING_KEYS.agentNodePath}`)) {
      log.info('medlab.agent.nodePath changed: restarting the agent');
      await supervisor.restart();
      return;
    }
    if (!AGENT_SETTING_KEYS.some((k) => e.affectsConfiguration(`medlab.${k}`))) return;
    if (supervisor.state.kind !== 'running') return;
    try {
      const info = await sendRequest(
        await supervisor.connection(),
        'agent/configure',
        agentSettingsOf(settings()),
      );
      supervisor.updateInfo(info);
      log.info(
        `agent reconfigured: models run on ${info.executionProvider.active} (${info.executionProvider.reason})`,
      );
    } catch (err) {
      log.warn(`agent/configure failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
  return [onState, onConfig];
}
