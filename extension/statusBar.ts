/** The status bar item: agent state and where models run (CPU/GPU); click for agent actions. */
import * as vscode from 'vscode';
import type { AgentSupervisor } from './agent/supervisor';
import { statusBarView } from './statusBarModel';

export function createStatusBar(supervisor: AgentSupervisor): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('medlab.agent', vscode.StatusBarAlignment.Left, 0);
  item.name = 'MedLab Agent';
  item.command = 'medlab.agentActions';
  const render = (): void => {
    const view = statusBarView(supervisor.state);
    item.text = view.text;
    item.tooltip = view.tooltip;
    item.accessibilityInformation = { label: view.tooltip.split('\n')[0] };
    item.backgroundColor = view.warning ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  };
  render();
  item.show();
  const sub = supervisor.onDidChangeState(render);
  return { dispose: () => (sub.dispose(), item.dispose()) };
}
