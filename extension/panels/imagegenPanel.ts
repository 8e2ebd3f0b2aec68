/**
 * The "Generate Illustration" panel: one per window. It relays the webview's requests to the
 * agent's imagegen room (see imagegenHandlers.ts), keeps preset edits in workspaceState, follows
 * the medlab.imagegen.server setting, and chooses where "Save to workspace" writes.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ImagegenPreset } from '../../agent/protocol';
import { AgentRequestError } from '../agent/client';
import type { MedLabServices } from '../services';
import { IMAGE_GLOB, LABELS_GLOB } from '../views/xrayDatasetModel';
import { panelHtml, safePost, webviewOptions } from '../webviewContent';
import type { ImagegenEvent, ImagegenRequests, Prefill } from '../../webview/imagegen/messages';
import { IllustrationStore, imagegenHandlers, type SaveTarget } from './imagegenHandlers';
import { applyEdits, parseEdits, PRESET_EDITS_KEY, type PresetEdits } from './imagegenPresets';
import { datasetHolding, defaultIllustrationFolder, folderProblem } from './illustrationFolder';
import type { ManagedPanel } from './registry';
import { WebviewRouter } from './webviewRouter';

export const IMAGEGEN_VIEW_TYPE = 'medlab.imagegen';
const PANEL_KEY = 'imagegen';
const SERVER_SETTING = 'medlab.imagegen.server';
const EXCLUDE = '**/{node_modules,.git,.medlab}/**';
const MAX_FILES = 200_000;

/** The X-ray dataset (if any) around `folder`, from the files under `root`. */
async function datasetAround(folder: string, root: vscode.Uri): Promise<string | undefined> {
  const [images, labels] = await Promise.all([
    vscode.workspace.findFiles(new vscode.RelativePattern(root, IMAGE_GLOB), EXCLUDE, MAX_FILES),
    vscode.workspace.findFiles(new vscode.RelativePattern(root, LABELS_GLOB), EXCLUDE, 1000),
  ]);
  return datasetHolding(
    folder,
    images.map((u) => u.fsPath),
    labels.map((u) => u.fsPath),
    [root.fsPath],
  );
}

/** `illustrations/` in the (chosen) workspace folder; another folder when that lies in a dataset. */
async function chooseSaveTarget(): Promise<SaveTarget | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) {
    throw new AgentRequestError(
      'imagegen/save',
      'E_USAGE',
      'open a folder first: illustrations are saved into the workspace',
    );
  }
  let ws = folders[0];
  if (folders.length > 1) {
    const picked = await vscode.window.showQuickPick(
      folders.map((f) => ({
        label: f.name,
        description: path.join(f.uri.fsPath, 'illustrations'),
        folder: f,
      })),
      { title: 'Save the illustration into which workspace folder?' },
    );
    if (!picked) return undefined;
    ws = picked.folder;
  }
  const folder = defaultIllustrationFolder(ws.uri.fsPath);
  const problem = folderProblem(folder, await datasetAround(folder, ws.uri));
  if (!problem) return { folder: vscode.Uri.file(folder).fsPath, root: ws.uri.fsPath };
  const go = await vscode.window.showWarningMessage(problem, { modal: true }, 'Choose Another Folder…');
  if (!go) return undefined;
  const chosen = (
    await vscode.window.showOpenDialog({
      canSelectFolders: true,
      canSelectFiles: false,
      canSelectMany: false,
      openLabel: 'Save Here',
      title: 'Folder for generated illustrations (outside any X-ray dataset)',
    })
  )?.[0];
  if (!chosen) return undefined;
  const root =
    vscode.workspace.getWorkspaceFolder(chosen)?.uri ?? vscode.Uri.file(path.dirname(chosen.fsPath));
  const again = folderProblem(chosen.fsPath, await datasetAround(chosen.fsPath, root));
  if (again) throw new AgentRequestError('imagegen/save', 'E_USAGE', again);
  return { folder: chosen.fsPath, root: root.fsPath };
}

export class ImagegenPanel implements ManagedPanel {
  readonly panel: vscode.WebviewPanel;
  private readonly post: (message: unknown) => void;
  private readonly router: WebviewRouter<ImagegenRequests>;
  private readonly store = new IllustrationStore();
  private readonly disposables: vscode.Disposable[] = [];
  private defaults: Promise<ImagegenPreset[]> | undefined;
  /** A prefill that waits for the webview (a hidden tab's webview is rebuilt, then says ready). */
  private pending: Prefill | undefined;
  private webviewReady = false;

  /** Opens (or reveals) the panel; with `prefill`, fills the form from a saved figure. */
  static show(services: MedLabServices, prefill?: Prefill): ImagegenPanel {
    const panel = services.panels.show(PANEL_KEY, () => new ImagegenPanel(services));
    if (prefill) panel.prefill(prefill);
    return panel;
  }

  private constructor(private readonly services: MedLabServices) {
    const { extensionUri } = services.context;
    const title = 'Generate Illustration';
    this.panel = vscode.window.createWebviewPanel(IMAGEGEN_VIEW_TYPE, title, vscode.ViewColumn.Active, {
      ...webviewOptions(extensionUri),
      retainContextWhenHidden: false,
    });
    this.panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'medlab.svg');
    this.panel.webview.html = panelHtml(this.panel.webview, extensionUri, 'imagegen', title);
    this.post = safePost(this.panel.webview);
    const state = services.context.workspaceState;
    this.router = new WebviewRouter(
      imagegenHandlers({
        agent: services.agent,
        store: this.store,
        presets: {
          defaults: () => this.presetDefaults(),
          edits: () => parseEdits(state.get(PRESET_EDITS_KEY)),
          keep: (edits: PresetEdits) => Promise.resolve(state.update(PRESET_EDITS_KEY, edits)),
        },
        saveTarget: chooseSaveTarget,
      }),
      this.post,
    );
    this.disposables.push(
      this.panel.webview.onDidReceiveMessage((m: { type?: string }) => {
        if (m?.type === 'ready') void this.init();
        else if (m?.type === 'openServerSetting')
          void vscode.commands.executeCommand('workbench.action.openSettings', SERVER_SETTING);
        else this.router.handle(m);
      }),
      this.panel.onDidChangeViewState(() => {
        if (!this.panel.visible) this.webviewReady = false;
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(SERVER_SETTING))
          this.send({ type: 'serverSetting', serverUrl: this.services.settings().imagegenServer });
      }),
    );
    this.panel.onDidDispose(() => this.dispose());
  }

  private send(event: ImagegenEvent): void {
    this.post(event);
  }

  /** The lab's presets from the agent (asked once per panel; asked again after a failure). */
  private presetDefaults(): Promise<ImagegenPreset[]> {
    this.defaults ??= this.services.agent.request('imagegen/presets', {}).then(
      (r) => r.presets,
      (e: unknown) => {
        this.defaults = undefined;
        throw e;
      },
    );
    return this.defaults;
  }

  private async init(): Promise<void> {
    let presets: ImagegenPreset[] = [];
    let edited: string[] = [];
    let presetsError: string | undefined;
    try {
      const view = applyEdits(
        await this.presetDefaults(),
        parseEdits(this.services.context.workspaceState.get(PRESET_EDITS_KEY)),
      );
      presets = view.presets;
      edited = view.edited;
    } catch (e) {
      presetsError = e instanceof Error ? e.message : String(e);
      this.services.log.warn(`imagegen/presets: ${presetsError}`);
    }
    const prefill = this.pending;
    this.pending = undefined;
    this.webviewReady = true;
    this.send({
      type: 'init',
      serverUrl: this.services.settings().imagegenServer,
      presets,
      edited,
      ...(presetsError ? { presetsError } : {}),
      ...(this.store.last ? { last: this.store.last } : {}),
      ...(prefill ? { prefill } : {}),
    });
  }

  prefill(p: Prefill): void {
    if (this.webviewReady && this.panel.visible) this.send({ type: 'prefill', prefill: p });
    else this.pending = p;
  }

  dispose(): void {
    this.router.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
