/** EEG commands: "Open in EEG Viewer" (explorer, EEG view, palette). */
import * as vscode from 'vscode';
import { EEG_VIEWER_TYPE } from '../editors/eegEditorProvider';
import { EEG_GLOB } from '../views/eegRecordingModel';

export function registerEegCommands(): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('medlab.openEegViewer', async (arg?: unknown) => {
      let uri = arg instanceof vscode.Uri ? arg : undefined;
      if (!uri) {
        const found = await vscode.workspace.findFiles(EEG_GLOB, '**/node_modules/**', 5000);
        const picked = await vscode.window.showQuickPick(
          found.map((u) => ({ label: vscode.workspace.asRelativePath(u), uri: u })),
          { title: 'Open which EDF/BDF recording?' },
        );
        uri = picked?.uri;
      }
      if (uri) await vscode.commands.executeCommand('vscode.openWith', uri, EEG_VIEWER_TYPE);
    }),
  ];
}
