/** The "X-ray Datasets" view: workspace folders holding images, their classes and runs. */
import * as vscode from 'vscode';
import { DebouncedRefresh } from './debouncedRefresh';
import {
  IMAGE_GLOB,
  LABELS_GLOB,
  RESULTS_GLOB,
  datasetDescription,
  datasetTooltip,
  groupDatasets,
  type DatasetRun,
  type XrayDataset,
} from './xrayDatasetModel';

export const XRAY_DATASETS_VIEW = 'medlab.xrayDatasets';
const EXCLUDE = '**/{node_modules,.git}/**';
const MAX_FILES = 200_000;

type Node =
  | { kind: 'dataset'; dataset: XrayDataset }
  | { kind: 'class'; dataset: XrayDataset; name: string; count: number }
  | { kind: 'run'; dataset: XrayDataset; run: DatasetRun };

export class XrayDatasetsProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private readonly debounced = new DebouncedRefresh(() => this.refresh());

  constructor() {
    for (const glob of [IMAGE_GLOB, RESULTS_GLOB, LABELS_GLOB]) {
      const watcher = vscode.workspace.createFileSystemWatcher(glob);
      watcher.onDidCreate(() => this.debounced.schedule());
      watcher.onDidDelete(() => this.debounced.schedule());
      // results.json is replaced atomically (rename over it): some watchers report a change.
      if (glob === RESULTS_GLOB) watcher.onDidChange(() => this.debounced.schedule());
      this.disposables.push(watcher);
    }
    this.disposables.push(vscode.workspace.onDidChangeWorkspaceFolders(() => this.refresh()));
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (!node) {
      const roots = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
      if (roots.length === 0) return [];
      const [images, labels, results] = await Promise.all([
        vscode.workspace.findFiles(IMAGE_GLOB, EXCLUDE, MAX_FILES),
        vscode.workspace.findFiles(LABELS_GLOB, EXCLUDE, 1000),
        vscode.workspace.findFiles(RESULTS_GLOB, EXCLUDE, 1000),
      ]);
      const fsPaths = (uris: vscode.Uri[]): string[] => uris.map((u) => u.fsPath);
      return groupDatasets(fsPaths(images), fsPaths(labels), fsPaths(results), roots).map((dataset) => ({
        kind: 'dataset',
        dataset,
      }));
    }
    if (node.kind !== 'dataset') return [];
    return [
      ...node.dataset.classes.map((c): Node => ({
        kind: 'class',
        dataset: node.dataset,
        name: c.name,
        count: c.count,
      })),
      ...node.dataset.runs.map((run): Node => ({ kind: 'run', dataset: node.dataset, run })),
    ];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'dataset') {
      const item = new vscode.TreeItem(node.dataset.name, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `dataset:${node.dataset.root}`;
      item.description = datasetDescription(node.dataset);
      item.tooltip = datasetTooltip(node.dataset);
      item.resourceUri = vscode.Uri.file(node.dataset.root);
      item.iconPath = new vscode.ThemeIcon(node.dataset.runs.length ? 'pass' : 'file-media');
      item.contextValue = 'medlab.xrayDataset';
      return item;
    }
    if (node.kind === 'class') {
      const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.None);
      item.id = `class:${node.dataset.root}:${node.name}`;
      item.description = `${node.count.toLocaleString('en-US')}`;
      item.iconPath = new vscode.ThemeIcon('symbol-folder');
      return item;
    }
    const item = new vscode.TreeItem(`Report: ${node.run.model}`, vscode.TreeItemCollapsibleState.None);
    item.id = `run:${node.run.results}`;
    item.tooltip = node.run.results;
    item.iconPath = new vscode.ThemeIcon('graph');
    item.contextValue = 'medlab.xrayRun';
    item.command = {
      command: 'medlab.openReport',
      title: 'Open Report',
      arguments: [vscode.Uri.file(node.run.results)],
    };
    return item;
  }

  /** The dataset folder of a tree node (commands invoked from the view get the node). */
  static folderOf(node: unknown): vscode.Uri | undefined {
    const n = node as Partial<Node> | undefined;
    return n && 'dataset' in n && n.dataset ? vscode.Uri.file(n.dataset.root) : undefined;
  }

  dispose(): void {
    this.debounced.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
