/** X-ray commands: "Diagnose X-rays" (explorer folders and image/DICOM files, dataset view) and reports. */
import * as vscode from 'vscode';
import { ReportPanel } from '../panels/reportPanel';
import type { MedLabServices } from '../services';
import { XrayDatasetsProvider } from '../views/xrayDatasets';
import { chooseModel } from './modelChoice';

/** One run per selected item; more than this at once is refused instead of flooding the agent. */
const MAX_TARGETS = 5;

async function pickModel(services: MedLabServices): Promise<string | undefined> {
  const list = await services.agent.request('models/list', { task: 'xray-classification' });
  const choice = chooseModel(list.models, 'xray-classification', services.settings().xrayDefaultModel);
  if (choice.kind === 'use') return choice.id;
  if (choice.kind === 'none') {
    vscode.window.showErrorMessage(choice.message);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    choice.models.map((m) => ({
      label: m.name,
      description: m.id,
      detail: `${m.labels.join(', ')} · ${m.intendedUse}`,
      id: m.id,
    })),
    { title: 'Diagnose X-rays with which model?' },
  );
  return picked?.id;
}

export function registerXrayCommands(services: MedLabServices): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('medlab.diagnoseXrays', async (arg?: unknown, all?: vscode.Uri[]) => {
      let targets: vscode.Uri[] =
        all && all.length > 0
          ? all
          : arg instanceof vscode.Uri
            ? [arg]
            : [XrayDatasetsProvider.folderOf(arg)].filter((u) => !!u);
      if (targets.length === 0) {
        const chosen = await vscode.window.showOpenDialog({
          canSelectFolders: true,
          canSelectFiles: true,
          canSelectMany: false,
          openLabel: 'Diagnose',
          title: 'Folder of X-rays (or one image) to diagnose',
        });
        targets = chosen ?? [];
      }
      if (targets.length === 0) return;
      if (targets.length > MAX_TARGETS) {
        vscode.window.showWarningMessage(`Select at most ${MAX_TARGETS} items, or their common folder.`);
        return;
      }
      let model: string | undefined;
      try {
        model = await pickModel(services);
      } catch (e) {
        vscode.window.showErrorMessage(
          `MedLab: cannot list models: ${e instanceof Error ? e.message : String(e)}`,
        );
        return;
      }
      if (!model) return;
      for (const target of targets) ReportPanel.diagnose(services, target, model);
    }),
    vscode.commands.registerCommand('medlab.openReport', async (results?: vscode.Uri) => {
      let uri = results;
      if (!uri) {
        const found = await vscode.workspace.findFiles(
          '**/.medlab/*/results.json',
          '**/node_modules/**',
          200,
        );
        const picked = await vscode.window.showQuickPick(
          found.map((u) => ({ label: vscode.workspace.asRelativePath(u), uri: u })),
          { title: 'Open which diagnosis report?' },
        );
        uri = picked?.uri;
      }
      if (uri) ReportPanel.open(services, uri);
    }),
  ];
}
