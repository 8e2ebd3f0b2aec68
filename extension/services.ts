/** What commands, views, editors and panels are given when they register (one object, no globals). */
import type * as vscode from 'vscode';
import type { AgentRequester } from './agent/client';
import type { AgentSupervisor } from './agent/supervisor';
import type { PanelRegistry } from './panels/registry';
import type { MedLabSettings } from './settings';

export interface MedLabServices {
  context: vscode.ExtensionContext;
  /** Typed requests to the agent (waits while it starts or restarts). */
  agent: AgentRequester;
  supervisor: AgentSupervisor;
  /** The current medlab.* settings (read on each call). */
  settings(): MedLabSettings;
  log: vscode.LogOutputChannel;
  /** Open webview panels by key, so a second command reveals instead of duplicating. */
  panels: PanelRegistry;
}
