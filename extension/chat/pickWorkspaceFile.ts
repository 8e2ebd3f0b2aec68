/** A quick pick of the workspace files matching a glob (MedLab output files: results, reports). */
import * as vscode from 'vscode';

export async function pickWorkspaceFile(
  glob: string,
  title: string,
  max = 300,
): Promise<vscode.Uri | undefined> {
  const found = await vscode.workspace.findFiles(glob, '**/node_modules/**', max);
  const picked = await vscode.window.showQuickPick(
    found.map((u) => ({ label: vscode.workspace.asRelativePath(u), uri: u })),
    { title },
  );
  return picked?.uri;
}
