/**
 * Illustration commands: "Generate Illustration" (palette) opens the panel; "Regenerate
 * Illustration" (a .png in the Explorer) opens it prefilled from the figure's embedded metadata.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ImagegenPanel } from '../panels/imagegenPanel';
import type { MedLabServices } from '../services';

export const GENERATE_ILLUSTRATION_COMMAND = 'medlab.generateIllustration';
export const REGENERATE_ILLUSTRATION_COMMAND = 'medlab.regenerateIllustration';

async function regenerate(services: MedLabServices, arg?: unknown): Promise<void> {
  let file = arg instanceof vscode.Uri ? arg : undefined;
  if (!file) {
    file = (
      await vscode.window.showOpenDialog({
        canSelectMany: false,
        filters: { 'MedLab illustration': ['png', 'json'] },
        openLabel: 'Regenerate',
        title: 'A saved illustration (PNG, or its JSON sidecar) to regenerate',
      })
    )?.[0];
  }
  if (!file) return;
  try {
    const { metadata, request } = await services.agent.request('imagegen/regeneration', {
      path: file.fsPath,
    });
    ImagegenPanel.show(services, {
      request,
      source: vscode.workspace.asRelativePath(file),
      metadata,
    });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    services.log.warn(`regenerate ${file.fsPath}: ${message}`);
    void vscode.window.showErrorMessage(`MedLab cannot regenerate ${path.basename(file.fsPath)}: ${message}`);
  }
}

export function registerImagegenCommands(services: MedLabServices): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(GENERATE_ILLUSTRATION_COMMAND, () => {
      ImagegenPanel.show(services);
    }),
    vscode.commands.registerCommand(REGENERATE_ILLUSTRATION_COMMAND, (arg?: unknown) =>
      regenerate(services, arg),
    ),
  ];
}
