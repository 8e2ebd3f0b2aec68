/**
 * Shows a comparison report (compare.html) in a panel. The file is self-contained (inline CSS,
 * data: thumbnails, its own CSP forbidding anything else), so the webview runs no script.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { MedLabServices } from '../services';
import type { ManagedPanel } from './registry';

export const STUDY_VIEW_TYPE = 'medlab.studyReport';

export class StudyReportPanel implements ManagedPanel {
  readonly panel: vscode.WebviewPanel;

  static async open(services: MedLabServices, html: vscode.Uri): Promise<StudyReportPanel> {
    const shown = services.panels.show(`study:${html.fsPath}`, () => new StudyReportPanel(services, html));
    await shown.load(html);
    return shown;
  }

  private constructor(services: MedLabServices, html: vscode.Uri) {
    const title = `Study: ${path.basename(path.dirname(html.fsPath))}`;
    this.panel = vscode.window.createWebviewPanel(STUDY_VIEW_TYPE, title, vscode.ViewColumn.Active, {
      enableScripts: false,
      enableCommandUris: false,
      localResourceRoots: [],
    });
    this.panel.iconPath = vscode.Uri.joinPath(services.context.extensionUri, 'media', 'medlab.svg');
  }

  private async load(html: vscode.Uri): Promise<void> {
    this.panel.webview.html = Buffer.from(await vscode.workspace.fs.readFile(html)).toString('utf8');
  }
}
