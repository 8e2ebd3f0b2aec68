/** View commands: refresh, model cards, settings and the walkthrough. */
import * as vscode from 'vscode';
import type { MedLabViews } from '../views';

/** <publisher>.<name>#<walkthrough id in package.json>. */
export const WALKTHROUGH_ID = 'medlab.medlab#gettingStarted';

export function registerViewCommands(views: MedLabViews): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('medlab.refreshDatasets', () => views.datasets.refresh()),
    vscode.commands.registerCommand('medlab.refreshRecordings', () => views.recordings.refresh()),
    vscode.commands.registerCommand('medlab.refreshModels', () => views.models.refresh()),
    vscode.commands.registerCommand('medlab.showModelCard', async (card?: vscode.Uri) => {
      if (!card) return;
      try {
        await vscode.workspace.fs.stat(card);
        await vscode.commands.executeCommand('markdown.showPreview', card);
      } catch {
        vscode.window.showWarningMessage(`This model has no card: ${card.fsPath}`);
      }
    }),
    vscode.commands.registerCommand('medlab.openSettings', () =>
      vscode.commands.executeCommand('workbench.action.openSettings', '@ext:medlab.medlab'),
    ),
    vscode.commands.registerCommand('medlab.openWalkthrough', () =>
      vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, false),
    ),
  ];
}
