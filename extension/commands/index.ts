/**
 * Every command of the extension, one registration line per file. Other parts (chat, study)
 * add their own file and one line here.
 */
import type * as vscode from 'vscode';
import type { MedLabServices } from '../services';
import type { MedLabViews } from '../views';
import { registerAgentCommands } from './agent';
import { registerChatCommands } from './chat';
import { registerEegCommands } from './eeg';
import { registerImagegenCommands } from './imagegen';
import { registerViewCommands } from './views';
import { registerXrayCommands } from './xray';

export function registerCommands(services: MedLabServices, views: MedLabViews): vscode.Disposable[] {
  return [
    ...registerAgentCommands(services),
    ...registerChatCommands(services),
    ...registerXrayCommands(services),
    ...registerEegCommands(),
    ...registerImagegenCommands(services),
    ...registerViewCommands(views),
  ];
}
