/**
 * MedLab's entry point: starts the agent supervisor and wires views, commands, the EEG viewer and
 * the status bar. Everything else lives in the modules it calls.
 */
import * as vscode from 'vscode';
import { AgentClient } from './agent/client';
import type { AgentSupervisor } from './agent/supervisor';
import { createSupervisor, superviseAgent } from './agentLifecycle';
import { registerCommands } from './commands';
import { EegEditorProvider } from './editors/eegEditorProvider';
import { PanelRegistry } from './panels/registry';
import type { MedLabServices } from './services';
import { readSettings } from './settings';
import { createStatusBar } from './statusBar';
import { registerViews } from './views';

let supervisor: AgentSupervisor | undefined;

export function activate(context: vscode.ExtensionContext): MedLabServices {
  const log = vscode.window.createOutputChannel('MedLab', { log: true });
  const settings = () => readSettings((key) => vscode.workspace.getConfiguration('medlab').get(key));
  supervisor = createSupervisor(context, settings, log);
  const services: MedLabServices = {
    context,
    agent: new AgentClient(() => supervisor!.connection()),
    supervisor,
    settings,
    log,
    panels: new PanelRegistry(),
  };
  context.subscriptions.push(
    log,
    services.panels,
    createStatusBar(supervisor),
    ...superviseAgent(supervisor, settings, log),
  );
  const views = registerViews(services);
  context.subscriptions.push(...registerCommands(services, views), EegEditorProvider.register(services));
  supervisor.start();
  return services;
}

/** Kills the agent's process tree; VS Code waits for the returned promise. */
export function deactivate(): Promise<void> | undefined {
  const s = supervisor;
  supervisor = undefined;
  return s?.dispose();
}
